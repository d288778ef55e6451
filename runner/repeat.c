/*
 * `ipcconf run --repeat N ...`: the same run N times (each a full run into
 * OUT/runs/K), then every case whose outcome on a target changed between the
 * runs is a flake, listed with the runs of each outcome. The flakes are
 * written to OUT/flakes.json; exit 1 when a run failed or a case flaked.
 */
#include "runner.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	int n, k, status, failed_runs = 0;
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
	for (k = 1; k <= repeat; k++) {
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
		status = run_command(full, path);
		free(full);
		b = bundle_load(dir, NULL, 0, err, sizeof err);
		printf("run %d/%ld: exit %d%s%s\n", k, repeat, status, b ? "" : ": ", b ? "" : err);
		fflush(stdout);
		failed_runs += status != 0;
		json_array_append_new(runs, json_pack("{s:i, s:i}", "run", k, "exit", status));
		if (b == NULL)
			continue;
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
		json_t *doc = json_pack("{s:i, s:o, s:O}", "repeat", (int)repeat, "runs", runs,
		    "flakes", flakes);
		json_dumpf(doc, f, JSON_INDENT(1) | JSON_SORT_KEYS);
		fclose(f);
		json_decref(doc);
	}
	printf("%ld runs: %d with failures or leaks, %zu flaky case(s); flakes in %s\n", repeat,
	    failed_runs, json_array_size(flakes), path);
	json_decref(seen);
	json_decref(flakes);
	free(args);
	return failed_runs > 0 || json_array_size(flakes) > 0 ? EXIT_FAILURES : EXIT_CLEAN;
}
