/*
 * `ipcconf run --repeat N ...`: the same run N times (each a full run into
 * OUT/runs/K), then every case whose outcome on a target changed between the
 * runs is a flake, listed with the runs of each outcome. The flakes are
 * written to OUT/flakes.json, and OUT/bundle.json holds every run's targets
 * side by side (TARGET@runK, their stores left in runs/K), with the reports
 * made from it. Exit 1 when a run failed or a case flaked; Ctrl-C stops the
 * run going on (which keeps what finished), writes all of the above from the
 * runs so far and exits 130.
 */
#include "runner.h"
#include "reports.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t repeat_interrupted;
static volatile pid_t current_run;

static void
on_repeat_interrupt(int sig)
{
	repeat_interrupted = 1;
	/* The run is in a process group of its own: a terminal's Ctrl-C reaches only us. */
	if (current_run > 0)
		kill(current_run, sig);
}

/* Runs one `ipcconf run` with its output to log (its own process group); its exit status. */
static int
run_one(char **argv, const char *log)
{
	int status;
	pid_t pid = start_command(argv, log);

	if (pid == -1)
		return -1;
	current_run = pid;
	if (repeat_interrupted) /* before current_run was set: the handler could not pass it on */
		kill(pid, SIGINT);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			current_run = 0;
			return -1;
		}
	current_run = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Adds run k's bundle to the top-level one: its targets as TARGET@runK, stores in runs/K. */
static void
add_run(json_t *top, json_t *b, int k)
{
	json_t *copy = json_deep_copy(b), *t, *c;
	char err[1024];
	size_t i, j;

	json_array_foreach(json_object_get(copy, "targets"), i, t) {
		const char *store = json_string_value(json_object_get(t, "store"));
		char old[256], id[300], path[PATH_MAX];

		snprintf(old, sizeof old, "%s", json_string_value(json_object_get(t, "id")));
		snprintf(id, sizeof id, "%s@run%d", old, k);
		json_array_foreach(json_object_get(copy, "cases"), j, c) {
			json_t *results = json_object_get(c, "results"), *r = json_object_get(results, old);

			if (r == NULL)
				continue;
			json_object_set(results, id, r);
			json_object_del(results, old);
		}
		json_object_set_new(t, "id", json_string(id));
		if (store != NULL && store[0] != '\0') {
			snprintf(path, sizeof path, "runs/%d/%s", k, store);
			json_object_set_new(t, "store", json_string(path));
		}
	}
	if (bundle_merge(top, NULL, copy, NULL, NULL, err, sizeof err) == -1)
		fprintf(stderr, "ipcconf: run %d is left out of the top-level bundle: %s\n", k, err);
	json_decref(copy);
}

/* argv without "--repeat N" / "--repeat=N" and "--out DIR" / "--out=DIR". */
static char **
strip_args(int argc, char **argv, int *nout)
{
	char **v = calloc((size_t)argc + 4, sizeof *v);
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if ((strcmp(argv[i], "--repeat") == 0 || strcmp(argv[i], "--out") == 0 ||
		    strcmp(argv[i], "-o") == 0) && i + 1 < argc) {
			i++;
			continue;
		}
		if (strncmp(argv[i], "--repeat=", 9) == 0 || strncmp(argv[i], "--out=", 6) == 0)
			continue;
		v[n++] = argv[i];
	}
	*nout = n;
	return v;
}

int
run_repeated(int argc, char **argv, long repeat, const char *out)
{
	char self[PATH_MAX], dir[PATH_MAX + 32], err[1024], path[PATH_MAX + 64];
	json_t *seen = json_object(), *flakes = json_array(), *runs = json_array();
	json_t *top = bundle_new();
	int n, k, status, failed_runs = 0, done = 0;
	struct sigaction sa;
	char **args = strip_args(argc, argv, &n);
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	const char *key;
	json_t *v;
	FILE *f;

	if (len <= 0)
		die_usage("cannot find the ipcconf executable: /proc/self/exe");
	self[len] = '\0';
	if (mkdir_p(out, 0755) == -1)
		die_usage("cannot create %s", out);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_repeat_interrupt;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (k = 1; k <= repeat && !repeat_interrupted; k++) {
		char **full = calloc((size_t)n + 5, sizeof *full);
		json_t *b, *c;
		size_t i;

		snprintf(dir, sizeof dir, "%s/runs/%d", out, k);
		snprintf(path, sizeof path, "%s/runs/%d.log", out, k);
		mkdir_p(dir, 0755);
		full[0] = self;
		full[1] = "run";
		memcpy(full + 2, args + 1, (size_t)(n - 1) * sizeof *full); /* args[0] is "run" */
		full[n + 1] = "--out";
		full[n + 2] = dir;
		status = run_one(full, path);
		free(full);
		b = bundle_load(dir, NULL, 0, err, sizeof err);
		printf("run %d/%ld: exit %d%s%s%s\n", k, repeat, status,
		    status == EXIT_INTERRUPTED ? " (interrupted)" : "", b ? "" : ": ", b ? "" : err);
		fflush(stdout);
		done++;
		failed_runs += status != 0 && status != EXIT_INTERRUPTED;
		json_array_append_new(runs, json_pack("{s:i, s:i}", "run", k, "exit", status));
		if (b == NULL)
			continue;
		add_run(top, b, k);
		json_array_foreach(json_object_get(b, "cases"), i, c) {
			const char *tid;
			json_t *r;

			json_object_foreach(json_object_get(c, "results"), tid, r) {
				char id[1024];
				const char *o = json_string_value(json_object_get(r, "outcome"));
				json_t *entry, *list;

				snprintf(id, sizeof id, "%s [%s]", json_string_value(json_object_get(c, "id")), tid);
				if ((entry = json_object_get(seen, id)) == NULL) {
					entry = json_pack("{s:s, s:s, s:{}, s:{}}", "case",
					    json_string_value(json_object_get(c, "id")), "target", tid,
					    "runs", "reasons");
					json_object_set_new(seen, id, entry);
				}
				list = json_object_get(json_object_get(entry, "runs"), o ? o : "?");
				if (list == NULL) {
					list = json_array();
					json_object_set_new(json_object_get(entry, "runs"), o ? o : "?", list);
				}
				json_array_append_new(list, json_integer(k));
				if (o && strcmp(o, "passed") != 0 && strcmp(o, "skipped") != 0)
					json_object_set(json_object_get(entry, "reasons"), o,
					    json_object_get(r, "reason"));
			}
		}
		json_decref(b);
	}
	printf("\n");
	json_object_foreach(seen, key, v) {
		const char *o;
		json_t *l;

		if (json_object_size(json_object_get(v, "runs")) < 2)
			continue;
		json_array_append(flakes, v);
		printf("FLAKY %s:", key);
		json_object_foreach(json_object_get(v, "runs"), o, l) {
			size_t i;
			json_t *x;
			printf(" %s in run", o);
			json_array_foreach(l, i, x)
				printf("%s%lld", i ? "," : " ", (long long)json_integer_value(x));
			printf(";");
		}
		printf("\n");
	}
	snprintf(path, sizeof path, "%s/flakes.json", out);
	if ((f = fopen(path, "we")) != NULL) {
		json_t *doc = json_pack("{s:i, s:i, s:b, s:o, s:O}", "repeat", (int)repeat,
		    "runs_done", done, "interrupted", (int)repeat_interrupted, "runs", runs,
		    "flakes", flakes);
		json_dumpf(doc, f, JSON_INDENT(1) | JSON_SORT_KEYS);
		fclose(f);
		json_decref(doc);
	}
	if (bundle_save(top, out, err, sizeof err) == -1 ||
	    reports_write_all(top, out, err, sizeof err) == -1)
		fprintf(stderr, "ipcconf: the top-level bundle or its reports were not written: %s\n",
		    err);
	else
		printf("Bundle of all runs: %s/bundle.json (targets as TARGET@runK), reports beside it\n",
		    out);
	if (repeat_interrupted)
		printf("Interrupted after %d of %ld runs: what finished is kept\n", done, repeat);
	printf("%d runs: %d with failures or leaks, %zu flaky case(s); flakes in %s\n", done,
	    failed_runs, json_array_size(flakes), path);
	json_decref(seen);
	json_decref(flakes);
	json_decref(top);
	free(args);
	if (repeat_interrupted)
		return EXIT_INTERRUPTED;
	return failed_runs > 0 || json_array_size(flakes) > 0 ? EXIT_FAILURES : EXIT_CLEAN;
}
