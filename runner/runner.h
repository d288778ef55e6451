/* The ipcconf command's parts. */
#ifndef IPCCONF_RUNNER_H
#define IPCCONF_RUNNER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit statuses of every subcommand. */
enum { EXIT_CLEAN = 0, EXIT_FAILURES = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

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
/* The skip and expected-failure reasons of a bundle, grouped and counted. */
void print_reasons(json_t *b);
/* The last line of a run: the targets that did not complete, or the verdict. */
void print_verdict(json_t *b, bool interrupted);

/* validate.c: what can be checked before a run starts; each refusal exits 2 with the reason. */
long parse_number(const char *opt, const char *arg, long min, long max);
void validate_shm_size(const char *arg);
void validate_docker_user(const char *arg);
void validate_filter_text(const char *f);
/* Makes DIR (or checks it): a writable directory, not a file, no foreign bundle.json. */
void validate_out_dir(const char *dir, char *abs, size_t len);
/* Removes what an earlier run or merge left in DIR (bundle, reports, targets/, runs/). */
void replace_old_bundle(const char *dir);
/* Runs a target helper's --check; refuses target_id with the helper's own reason. */
void validate_with_helper(const char *target_id, char *const argv[]);
/* For the qemu/user helpers' caches: XDG_CACHE_HOME or HOME must be usable. */
void validate_cache_home(const char *target_id);
/* The last meaningful line of a tool's log (not a pointer to --help or "above"). */
void tool_last_line(const char *log, char *out, size_t len);

/* filter.c: a --filter that names no family or program: a bare case name, or a refusal
 * suggesting close names. Returns the Kyua filter ("suites/F/PROG:CASE"). */
char *filter_from_case_name(const char *suite, const char *f);
/* Refuses PROGRAM:CASE that the catalogue lacks, suggesting close case names. */
void filter_refuse_unknown_case(const char *suite, const char *f, const char *kyua_id);
/* "a, b, c" of the closest names to want among names (a JSON array of strings), or "". */
void closest_names(const char *want, json_t *names, char *out, size_t len);

/*
 * attribute.c: which case created a leaked object or left a process. While
 * Kyua runs, the work directories under its TMPDIR are watched (inotify) and
 * each case's cleanup record (fixtures/fx_record.h) is copied into a journal
 * in the target's directory, by Kyua control directory; Kyua's own log says
 * which case ran in which control directory.
 */
#define RECORD_JOURNAL "records.journal"
/* Runs Kyua (argv, output to log) while watching tmpdir; its exit status, or -1. */
int run_kyua_watching(char *const argv[], const char *log, const char *tmpdir,
    const char *journal);
/* Appends " (created by PROGRAM:CASE)" to each leak line (in buf, NUL-terminated) it can. */
void attribute_leaks(char *buf, size_t len, const char *journal, const char *kyua_log);
/* The case whose work directory process pid runs in ("PROGRAM:CASE"), or "". */
void case_of_process(const char *pid, const char *kyua_log, char *out, size_t len);

/* util.c */
void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
int mkdir_p(const char *path, int mode);
/* Runs argv with stdout and stderr to log (NULL: inherited); returns the exit status or -1. */
int run_command(char *const argv[], const char *log);
/* Starts argv in its own process group with output to log; returns the pid or -1. */
pid_t start_command(char *const argv[], const char *log);
/* Starts argv with output to log (NULL: inherited), in a process group of its own or not. */
pid_t spawn_logged(char *const argv[], const char *log, bool own_group);
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
