/* `ipcconf merge BUNDLE... --out DIR`: one bundle from several machines' bundles. */
#include "runner.h"
#include "farm.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		if (b == NULL)
			die_usage("merge refused: %s", err);
		json_decref(b);
	}
	if (mkdir_p(out, 0755) == -1 || realpath(out, outabs) == NULL)
		die_usage("cannot create %s", out);
	dst = bundle_new();
	for (i = optind; i < argc; i++) {
		char dir[PATH_MAX];
		json_t *src = bundle_load(argv[i], dir, sizeof dir, err, sizeof err);

		if (src == NULL || shard_join(dst, outabs, src, dir, err, sizeof err) == -1 ||
		    bundle_merge(dst, outabs, src, dir, NULL, err, sizeof err) == -1)
			die_usage("merge failed: %s", err);
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
