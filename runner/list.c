/*
 * `ipcconf list [--family F] [--json]`: the catalogue, read from the test
 * programs' own metadata (each program's ATF listing), as a table or JSON.
 */
#include "runner.h"
#include "farm.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends each program named in dir/Kyuafile (and the Kyuafiles it includes). */
static void
programs_of(const char *root, const char *rel_dir, json_t *out)
{
	char path[PATH_MAX], line[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s%sKyuafile", root, rel_dir, *rel_dir ? "/" : "");
	f = fopen(path, "re");
	if (f == NULL)
		die_usage("cannot read %s: is the suite built?", path);
	while (fgets(line, sizeof line, f) != NULL) {
		char *a, *b, name[512];

		if ((a = strstr(line, "include('")) != NULL && (b = strchr(a + 9, '\'')) != NULL) {
			char *slash;
			snprintf(name, sizeof name, "%s%s%.*s", rel_dir, *rel_dir ? "/" : "",
			    (int)(b - a - 9), a + 9);
			slash = strrchr(name, '/');
			if (slash != NULL)
				*slash = '\0';
			else
				name[0] = '\0';
			programs_of(root, name, out);
		} else if ((a = strstr(line, "name='")) != NULL &&
		    (b = strchr(a + 6, '\'')) != NULL) {
			snprintf(name, sizeof name, "%s%s%.*s", rel_dir, *rel_dir ? "/" : "",
			    (int)(b - a - 6), a + 6);
			json_array_append_new(out, json_string(name));
		}
	}
	fclose(f);
}

/* Runs "PROGRAM -l" and adds one catalogue entry per case. */
static void
list_program(const char *root, const char *program, const char *family_filter, json_t *out)
{
	char cmd[PATH_MAX + 32], line[4096], family[64];
	json_t *cur = NULL;
	FILE *p;

	family_of(program, family, sizeof family);
	if (family_filter != NULL && strcmp(family, family_filter) != 0)
		return;
	snprintf(cmd, sizeof cmd, "'%s/%s' -l", root, program);
	p = popen(cmd, "r");
	if (p == NULL)
		die_usage("cannot run %s/%s -l", root, program);
	while (fgets(line, sizeof line, p) != NULL) {
		char *colon, *val;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "ident: ", 7) == 0) {
			char id[1024];
			snprintf(id, sizeof id, "%s:%s", program, line + 7);
			cur = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
			    "family", family, "program", program, "name", line + 7,
			    "spec", "", "class", "", "descr", "");
			json_array_append_new(out, cur);
			continue;
		}
		if (cur == NULL || (colon = strstr(line, ": ")) == NULL)
			continue;
		*colon = '\0';
		val = colon + 2;
		if (strcmp(line, "descr") == 0)
			json_object_set_new(cur, "descr", json_string(val));
		else if (strcmp(line, "X-spec") == 0)
			json_object_set_new(cur, "spec", json_string(val));
		else if (strcmp(line, "X-class") == 0)
			json_object_set_new(cur, "class", json_string(val));
	}
	if (pclose(p) != 0)
		die_usage("%s/%s -l failed: the program is broken", root, program);
}

json_t *
catalogue_read(const char *suite, const char *family)
{
	json_t *programs = json_array(), *cat = json_array(), *p;
	size_t i;

	programs_of(suite, "", programs);
	json_array_foreach(programs, i, p)
		list_program(suite, json_string_value(p), family, cat);
	json_decref(programs);
	return cat;
}

int
cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' }, { "json", no_argument, NULL, 'J' },
		{ "suite", required_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' },
		{ "shard", required_argument, NULL, 'S' }, { "shard-durations", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct shard shard = { 0, 0 };
	const char *durations = NULL;
	const char *family = NULL, *suite = NULL;
	bool as_json = false;
	json_t *cat, *c;
	size_t i;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:s:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': family = optarg; break;
		case 'J': as_json = true; break;
		case 's': suite = optarg; break;
		case 'S': shard_parse(optarg, &shard); break;
		case 'D': durations = optarg; break;
		case 'h':
			printf("usage: ipcconf list [--family F] [--json] [--suite DIR] [--shard I/N "
			    "[--shard-durations B]]\n");
			return EXIT_CLEAN;
		default: die_usage("usage: ipcconf list [--family F] [--json] [--suite DIR] [--shard "
		    "I/N [--shard-durations B]]");
		}
	}
	if (suite == NULL && (suite = default_suite_dir()) == NULL)
		die_usage("no suite found: build it or name its directory with --suite DIR");
	cat = catalogue_read(suite, family);
	if (family != NULL && json_array_size(cat) == 0) {
		json_t *all = catalogue_read(suite, NULL), *fams = json_array(), *seen = json_object();
		char sugg[1024];

		json_array_foreach(all, i, c) {
			const char *f = json_string_value(json_object_get(c, "family"));

			if (json_object_get(seen, f) == NULL) {
				json_object_set_new(seen, f, json_true());
				json_array_append_new(fams, json_string(f));
			}
		}
		closest_names(family, fams, sugg, sizeof sugg);
		json_decref(cat);
		json_decref(all);
		json_decref(fams);
		json_decref(seen);
		die_usage("no family '%s' in %s%s%s%s", family, suite, sugg[0] ? " (did you mean " : "",
		    sugg, sugg[0] ? "?)" : "");
	}
	if (shard.count > 0) { /* the cases `run --shard` would run */
		json_t *part = shard_cases(cat, &shard, durations);
		json_decref(cat);
		cat = part;
	}
	if (as_json) {
		json_dumpf(cat, stdout, JSON_INDENT(1));
		printf("\n");
	} else {
		/* PROGRAM:CASE is what --filter takes (a bare case name works too). */
		printf("%-22s %-52s %-12s %-6s %s\n", "program", "case", "family", "class", "clause");
		json_array_foreach(cat, i, c) {
			const char *prog = json_string_value(json_object_get(c, "program"));

			printf("%-22s %-52s %-12s %-6s %s\n", strrchr(prog, '/') ? strrchr(prog, '/') + 1 :
			    prog, json_string_value(json_object_get(c, "name")),
			    json_string_value(json_object_get(c, "family")),
			    json_string_value(json_object_get(c, "class")),
			    json_string_value(json_object_get(c, "spec")));
		}
		printf("%zu cases (run one with --filter PROGRAM:CASE)\n", json_array_size(cat));
	}
	json_decref(cat);
	return EXIT_CLEAN;
}
