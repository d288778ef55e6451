/* The ipcconf command's parts. */
#ifndef IPCCONF_RUNNER_H
#define IPCCONF_RUNNER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit statuses of every subcommand. */
enum { EXIT_CLEAN = 0, EXIT_FAILURES = 1, EXIT_USAGE = 2 };

#define BUNDLE_SCHEMA "ipcconf-bundle"
#define BUNDLE_SCHEMA_VERSION 1

/* Subcommands; each returns the exit status. */
int cmd_run(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_list(int argc, char **argv);
/* repeat.c: `run --repeat N`; argv as given to cmd_run. */
int run_repeated(int argc, char **argv, long repeat, const char *out);
int cmd_report(int argc, char **argv);

/* store.c: one target's Kyua store as bundle cases with results under target_id. */
json_t *store_read_cases(const char *store, const char *target_id, char *err, size_t errlen);
void family_of(const char *program, char *out, size_t len);
/* The cases a Kyua log reports as finished (for runs whose store Kyua never saved). */
json_t *log_read_cases(const char *log, const char *target_id);
/* Fills descr/spec/class of cases from a catalogue (list.c). */
void cases_add_metadata(json_t *cases, json_t *catalogue);

/* list.c: the catalogue of the suite in suite_dir, optionally one family. */
json_t *catalogue_read(const char *suite_dir, const char *family);

/* provenance.c: where this process runs (kernel, arch, libc, distribution, user, date). */
json_t *provenance_here(void);
void iso8601_now(char *buf, size_t len);

/* bundle.c (see runner/BUNDLE.md). */
json_t *bundle_new(void);
/* Adds a target object and its cases (results keyed by the target's id); steals nothing. */
int bundle_add_target(json_t *b, json_t *target, json_t *cases);
/* Loads DIR/bundle.json or a bundle file, refusing what is not a valid bundle; dir_out gets its directory. */
json_t *bundle_load(const char *path, char *dir_out, size_t dirlen, char *err, size_t errlen);
int bundle_save(json_t *b, const char *dir, char *err, size_t errlen);
/*
 * Adds src's targets to dst (copying their stores into dst_dir/targets/),
 * renaming a target whose id is taken; with rename_to, a one-target src gets that id.
 */
int bundle_merge(json_t *dst, const char *dst_dir, json_t *src, const char *src_dir,
    const char *rename_to, char *err, size_t errlen);
json_t *bundle_find_target(json_t *b, const char *id);
json_t *target_totals(json_t *b, const char *target_id);
void target_dir_name(const char *id, char *out, size_t len);
bool outcome_is_bad(const char *outcome);

/* summary.c: the terminal summary of a bundle; returns how many cases failed, broke or timed out. */
int print_bundle_summary(json_t *b);

/* util.c */
void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
int mkdir_p(const char *path, int mode);
/* Runs argv with stdout and stderr to log (NULL: inherited); returns the exit status or -1. */
int run_command(char *const argv[], const char *log);
/* Starts argv in its own process group with output to log; returns the pid or -1. */
pid_t start_command(char *const argv[], const char *log);
/* Runs argv and returns its first output line (trimmed) in out, or -1. */
int command_output(char *const argv[], char *out, size_t len);
const char *find_in_path(const char *prog);
/* Directory holding the suite's top Kyuafile, or NULL. */
const char *default_suite_dir(void);
long long now_ms(void);

/* target_gvisor.c: the gvisor[:PLATFORM] target (see runner/gvisor/ipcconf-gvisor-target). */
struct gvisor_args {
	const char *suite, *platform, *dir, *name;
	long jobs, timeout_s;
	const char *const *filters;
	int nfilters;
};
/* True when spec is gvisor or gvisor:PLATFORM (platform gets it, or "default"). */
bool gvisor_parse_spec(const char *spec, char *platform, size_t len);
/* Exits 2 with the helper's reason unless runsc has the platform and starts a sandbox. */
void gvisor_check(const char *id, const char *suite, const char *platform);
/* The helper's command line in argv (strings in bufs); -1 when /proc/self/exe is unreadable. */
int gvisor_argv(char **argv, char *bufs, size_t blen, const struct gvisor_args *a);
/* Kills the named sandbox and removes its state. */
void gvisor_stop(const char *suite, const char *name);
void gvisor_add_provenance(json_t *prov, const char *dir);
void gvisor_inner_status(json_t *inner, const char **status, char *reason, size_t len);

#endif
