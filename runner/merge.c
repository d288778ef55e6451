/*
 * `ipcconf merge BUNDLE... --out DIR`: one bundle from several machines'
 * bundles. A target whose id is already taken is renamed (host -> host@vm),
 * and the merge says so; the same bundle given twice (the same file, or a
 * copy: the same creation time and the same targets) is refused, since its
 * targets would be counted twice.
 */
#include "runner.h"
#include "farm.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The bundle file a merge argument names (DIR/bundle.json or the file). */
static void
bundle_file(const char *arg, char *out, size_t len)
{
	char path[PATH_MAX + 16];
	struct stat st;

	snprintf(path, sizeof path, stat(arg, &st) == 0 && S_ISDIR(st.st_mode) ? "%s/bundle.json" :
	    "%s", arg);
	if (realpath(path, out) == NULL || strlen(out) >= len)
		snprintf(out, len, "%s", path);
}

/* Whether bundle b (loaded from arg) is the one earlier names: the same file, or a copy. */
static bool
same_bundle(const char *earlier, const char *arg, json_t *b)
{
	char fa[PATH_MAX], fb[PATH_MAX], err[1024];
	json_t *e, *ida, *idb;
	bool same;

	bundle_file(earlier, fa, sizeof fa);
	bundle_file(arg, fb, sizeof fb);
	if (strcmp(fa, fb) == 0)
		return true;
	if ((e = bundle_load(earlier, NULL, 0, err, sizeof err)) == NULL)
		return false;
	ida = json_object_get(e, "bundle_id");
	idb = json_object_get(b, "bundle_id");
	/* Bundles of older versions have no id: then only an identical document is the same. */
	same = ida != NULL && idb != NULL ? json_equal(ida, idb) : json_equal(e, b);
	json_decref(e);
	return same;
}

int
cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	char err[1024], outabs[PATH_MAX];
	json_t *dst;
	int c, i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h':
			printf("usage: ipcconf merge BUNDLE... --out DIR\n");
			return EXIT_CLEAN;
		default: die_usage("usage: ipcconf merge BUNDLE... --out DIR");
		}
	}
	if (out == NULL || optind >= argc)
		die_usage("usage: ipcconf merge BUNDLE... --out DIR (a bundle is a directory "
		    "written by ipcconf run, or its bundle.json)");
	/* Refuse a bad input before anything is written. */
	for (i = optind; i < argc; i++) {
		json_t *b = bundle_load(argv[i], NULL, 0, err, sizeof err);
		int j;

		if (b == NULL)
			die_usage("merge refused: %s", err);
		for (j = optind; j < i; j++)
			if (same_bundle(argv[j], argv[i], b))
				die_usage("merge refused: %s and %s are the same bundle (bundle_id %s, "
				    "created %s): merging it twice would count its targets twice",
				    argv[j], argv[i], json_string_value(json_object_get(b, "bundle_id")) ?:
				    "none", json_string_value(json_object_get(b, "created")) ?: "?");
		json_decref(b);
	}
	if (mkdir_p(out, 0755) == -1 || realpath(out, outabs) == NULL)
		die_usage("cannot create %s", out);
	dst = bundle_new();
	for (i = optind; i < argc; i++) {
		char dir[PATH_MAX];
		json_t *src = bundle_load(argv[i], dir, sizeof dir, err, sizeof err);

		size_t before = json_array_size(json_object_get(dst, "targets")), k;
		json_t *t;

		if (src == NULL || shard_join(dst, outabs, src, dir, err, sizeof err) == -1 ||
		    bundle_merge(dst, outabs, src, dir, NULL, err, sizeof err) == -1)
			die_usage("merge failed: %s", err);
		json_array_foreach(json_object_get(src, "targets"), k, t) {
			const char *was = json_string_value(json_object_get(t, "id"));
			const char *now = json_string_value(json_object_get(json_array_get(
			    json_object_get(dst, "targets"), before + k), "id"));

			if (was != NULL && now != NULL && strcmp(was, now) != 0)
				printf("merge: target %s of %s is renamed %s (an earlier bundle has a "
				    "target %s)\n", was, argv[i], now, was);
		}
		json_decref(src);
	}
	if (bundle_save(dst, outabs, err, sizeof err) == -1)
		die_usage("%s", err);
	printf("merged %d bundle(s), %zu target(s), %zu case(s) into %s/bundle.json\n",
	    argc - optind, json_array_size(json_object_get(dst, "targets")),
	    json_array_size(json_object_get(dst, "cases")), outabs);
	json_decref(dst);
	return EXIT_CLEAN;
}
