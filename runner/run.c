/* `ipcconf run`: the suite on this machine, with Kyua. */
#include "runner.h"
#include "fx_snapshot.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILTERS 64

/* Turns "pipe", "pipe_test" or "pipe_test:case" into a Kyua filter under suite. */
static char *
kyua_filter(const char *suite, const char *f)
{
	char path[PATH_MAX], prog[256], *out;
	const char *colon = strchr(f, ':');
	struct stat st;
	size_t i;
	static const char *const families[] = { "pipe", "fifo", "sysv_msg", "posix_mq",
	    "sysv_shm", "posix_shm", "mmap", "sysv_sem", "posix_sem", "locks",
	    "unix_socket", "signal", "ipc_ns" };

	if (strchr(f, '/') != NULL)
		return strdup(f);
	snprintf(prog, sizeof prog, "%.*s", colon ? (int)(colon - f) : (int)strlen(f), f);
	snprintf(path, sizeof path, "%s/suites/%s/Kyuafile", suite, prog);
	if (colon == NULL && stat(path, &st) == 0) {
		if (asprintf(&out, "suites/%s", prog) < 0)
			return NULL;
		return out;
	}
	for (i = 0; i < sizeof families / sizeof families[0]; i++) {
		snprintf(path, sizeof path, "%s/suites/%s/%s", suite, families[i], prog);
		if (stat(path, &st) == 0) {
			if (asprintf(&out, "suites/%s/%s", families[i], f) < 0)
				return NULL;
			return out;
		}
	}
	die_usage("--filter %s: no family or test program of that name under %s/suites", f,
	    suite);
}

/*
 * The snapshot after the run. The snapshots are system-wide, so an object
 * another program creates during the run shows up too; such objects usually
 * go away again. A new object counts as left behind only if it is still
 * there after a grace period of up to 3 s.
 */
static int
take_after_snapshot(const struct fx_ipc_snapshot *before, struct fx_ipc_snapshot *after)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	char dummy[1];
	int i;

	for (i = 0;; i++) {
		if (fx_snapshot_take(after) == -1)
			return -1;
		if (fx_snapshot_diff(before, after, dummy, sizeof dummy) == 0 || i == 60)
			return 0;
		fx_snapshot_free(after);
		nanosleep(&pause, NULL);
	}
}

static void
print_summary(const struct results *r)
{
	size_t i;

	printf("\n%-14s %7s %7s %7s %7s %7s\n", "family", "passed", "failed", "skipped",
	    "xfail", "broken");
	for (i = 0; i < r->nfamilies; i++) {
		const struct tally *t = &r->families[i];
		printf("%-14s %7d %7d %7d %7d %7d\n", t->family, t->passed, t->failed,
		    t->skipped, t->xfail, t->broken);
	}
	printf("%-14s %7d %7d %7d %7d %7d\n", "total", r->total.passed, r->total.failed,
	    r->total.skipped, r->total.xfail, r->total.broken);
	if (r->nbad > 0) {
		printf("\nCases that did not pass:\n");
		for (i = 0; i < r->nbad; i++)
			printf("  %s:%s  %s: %s\n", r->bad[i].program, r->bad[i].name,
			    r->bad[i].result, r->bad[i].reason);
	}
}

int
cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "suite", required_argument, NULL, 's' },
		{ "filter", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = "ipcconf-out", *suite = NULL, *filters[MAX_FILTERS];
	char store[PATH_MAX], log[PATH_MAX], html[PATH_MAX], kyuafile[PATH_MAX];
	char jobs_var[64], err[512], *leaks;
	char *kargv[16 + MAX_FILTERS];
	struct fx_ipc_snapshot before, after;
	struct results res;
	size_t nleaks;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int nfilters = 0, c, k = 0, i, rc, status;
	long long t0, t1;
	struct timespec ts;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:s:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'j':
			jobs = strtol(optarg, NULL, 10);
			if (jobs < 1 || jobs > 256)
				die_usage("--jobs takes a number from 1 to 256, not '%s'", optarg);
			break;
		case 's': suite = optarg; break;
		case 'f':
			if (nfilters == MAX_FILTERS)
				die_usage("at most %d --filter options", MAX_FILTERS);
			filters[nfilters++] = optarg;
			break;
		case 'h':
			printf("usage: ipcconf run [--out DIR] [--jobs N] [--suite DIR] [--filter F]...\n");
			return EXIT_CLEAN;
		default:
			die_usage("see 'ipcconf help'");
		}
	}
	if (optind < argc)
		die_usage("run: unexpected argument '%s' (targets come with issue #8's --target)",
		    argv[optind]);
	if (suite == NULL && (suite = default_suite_dir()) == NULL)
		die_usage("no suite found: build it (cmake --build build) or install it, "
		    "or name its directory with --suite DIR");
	snprintf(kyuafile, sizeof kyuafile, "%s/Kyuafile", suite);
	if (access(kyuafile, R_OK) != 0)
		die_usage("--suite %s: no readable Kyuafile there (%s)", suite, strerror(errno));
	if (find_in_path("kyua") == NULL)
		die_usage("kyua is not installed: apt-get install kyua (or run ci/bootstrap.sh)");
	if (mkdir_p(out, 0755) == -1)
		die_usage("cannot create the output directory %s: %s", out, strerror(errno));

	snprintf(store, sizeof store, "%s/results.db", out);
	snprintf(log, sizeof log, "%s/kyua.log", out);
	snprintf(html, sizeof html, "%s/html", out);
	(void)unlink(store);

	snprintf(jobs_var, sizeof jobs_var, "--variable=parallelism=%ld", jobs);
	kargv[k++] = "kyua";
	kargv[k++] = jobs_var;
	if (geteuid() == 0)
		kargv[k++] = "--variable=unprivileged_user=nobody";
	kargv[k++] = "test";
	kargv[k++] = "--kyuafile";
	kargv[k++] = kyuafile;
	kargv[k++] = "--results-file";
	kargv[k++] = store;
	for (i = 0; i < nfilters; i++)
		kargv[k++] = kyua_filter(suite, filters[i]);
	kargv[k] = NULL;

	if (fx_snapshot_take(&before) == -1)
		die_usage("cannot list the machine's IPC objects: %s", strerror(errno));
	printf("ipcconf %s: running %s with %ld parallel jobs\n", IPCCONF_VERSION, kyuafile, jobs);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
	status = run_command(kargv, log);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t1 = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
	if (status != 0 && status != 1) {
		fprintf(stderr, "ipcconf: kyua failed with status %d; its output is in %s\n",
		    status, log);
		return EXIT_USAGE;
	}
	if (take_after_snapshot(&before, &after) == -1)
		die_usage("cannot list the machine's IPC objects: %s", strerror(errno));

	if (results_read(store, &res, err, sizeof err) == -1) {
		fprintf(stderr, "ipcconf: %s\n", err);
		return EXIT_USAGE;
	}
	print_summary(&res);

	leaks = malloc(65536);
	nleaks = leaks ? fx_snapshot_diff(&before, &after, leaks, 65536) : 0;
	if (nleaks > 0)
		printf("\nIPC objects left behind by the run (%zu):\n%s", nleaks, leaks);
	else
		printf("\nNo IPC objects left behind.\n");

	{
		char *hargv[] = { "kyua", "report-html", "--force", "--results-file", store,
		    "--output", html, NULL };
		char hlog[PATH_MAX + 16];
		snprintf(hlog, sizeof hlog, "%s/report-html.log", out);
		rc = run_command(hargv, hlog);
	}
	printf("\nResults store: %s\nKyua log:      %s\n", store, log);
	if (rc == 0)
		printf("HTML report:   %s/index.html\n", html);
	else
		printf("HTML report:   not written (kyua report-html failed, see %s/report-html.log)\n", out);
	printf("Time:          %.2f s\n", (t1 - t0) / 1000.0);

	rc = (res.total.failed + res.total.broken > 0 || nleaks > 0) ? EXIT_FAILURES : EXIT_CLEAN;
	printf("\n%d passed, %d failed, %d skipped, %d expected failures, %d broken%s\n",
	    res.total.passed, res.total.failed, res.total.skipped, res.total.xfail,
	    res.total.broken, nleaks ? ", IPC objects leaked" : "");
	free(leaks);
	results_free(&res);
	fx_snapshot_free(&before);
	fx_snapshot_free(&after);
	return rc;
}
