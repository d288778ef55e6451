/* The ipcconf command's parts. */
#ifndef IPCCONF_RUNNER_H
#define IPCCONF_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

/* Exit statuses of every subcommand. */
enum { EXIT_CLEAN = 0, EXIT_FAILURES = 1, EXIT_USAGE = 2 };

/* `ipcconf run ...`; returns the exit status. */
int cmd_run(int argc, char **argv);

/* Outcome counts of one family (or of all). */
struct tally {
	char family[32];
	int passed, failed, skipped, xfail, broken;
};

/* One case that did not pass or skip as expected. */
struct bad_case {
	char program[128];
	char name[128];
	char result[24];
	char reason[512];
};

struct results {
	struct tally *families;
	size_t nfamilies;
	struct tally total;
	struct bad_case *bad;
	size_t nbad;
};

/* Reads Kyua's SQLite results store; returns 0, or -1 with a message in err. */
int results_read(const char *store, struct results *r, char *err, size_t errlen);
void results_free(struct results *r);

/* Helpers. */
void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
int mkdir_p(const char *path, int mode);
/* Runs argv with stdout and stderr to log (NULL: inherited); returns the exit status or -1. */
int run_command(char *const argv[], const char *log);
/* Finds prog in PATH; returns a static buffer or NULL. */
const char *find_in_path(const char *prog);
/* Directory holding the suite's top Kyuafile, or NULL. */
const char *default_suite_dir(void);

#endif
