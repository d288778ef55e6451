/*
 * `ipcconf diff OLD NEW`: the behaviours whose outcome changed between two
 * bundles, or two targets (--old-target/--new-target), regressions first.
 * Exit 1 when a case that passed (or failed as expected) now fails, breaks
 * or times out.
 */
#include "runner.h"
#include "farm.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static bool
outcome_is_good(const char *o)
{
	return o != NULL && (strcmp(o, "passed") == 0 || strcmp(o, "expected_failure") == 0);
}

static json_t *
case_map(json_t *b)
{
	json_t *m = json_object(), *c;
	size_t i;

	json_array_foreach(json_object_get(b, "cases"), i, c)
		json_object_set(m, json_string_value(json_object_get(c, "id")), c);
	return m;
}

static const char *
result_field(json_t *c, const char *target, const char *field)
{
	return json_string_value(json_object_get(json_object_get(json_object_get(c, "results"),
	    target), field));
}

/* Picks the target to compare from a bundle: the named one, or its only one. */
static const char *
pick_target(json_t *b, const char *want, const char *which, const char *path)
{
	json_t *ts = json_object_get(b, "targets");

	if (want != NULL) {
		if (bundle_find_target(b, want) == NULL) {
			json_t *ids = json_array(), *t;
			char sugg[1024];
			size_t i;

			json_array_foreach(ts, i, t)
				json_array_append(ids, json_object_get(t, "id"));
			closest_names(want, ids, sugg, sizeof sugg);
			json_decref(ids);
			die_usage("%s bundle %s has no target '%s'%s%s%s", which, path, want,
			    sugg[0] ? " (did you mean " : "", sugg, sugg[0] ? "?)" : "");
		}
		return want;
	}
	if (json_array_size(ts) != 1) {
		char ids[2048] = "";
		json_t *t;
		size_t i;

		json_array_foreach(ts, i, t)
			if (strlen(ids) + 300 < sizeof ids)
				snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", i ? ", " : "",
				    json_string_value(json_object_get(t, "id")));
		die_usage("%s bundle %s has %zu targets: name one with --%s-target (its targets: %s)",
		    which, path, json_array_size(ts), which, ids[0] ? ids : "none");
	}
	return json_string_value(json_object_get(json_array_get(ts, 0), "id"));
}

static int
print_section(const char *title, json_t *rows)
{
	size_t i;
	json_t *r;

	if (json_array_size(rows) == 0)
		return 0;
	printf("%s (%zu):\n", title, json_array_size(rows));
	json_array_foreach(rows, i, r)
		printf("  %s\n", json_string_value(r));
	printf("\n");
	return (int)json_array_size(rows);
}

int
cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "old-target", required_argument, NULL, 'o' },
		{ "new-target", required_argument, NULL, 'n' },
		{ "expect", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *want_old = NULL, *want_new = NULL, *to, *tn, *key;
	json_t *old, *new, *mo, *mn, *reg = json_array(), *fix = json_array(), *other = json_array();
	json_t *c;
	char err[1024];
	int ch, nreg;
	struct expect *expect = NULL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': want_old = optarg; break;
		case 'n': want_new = optarg; break;
		case 'E': expect = expect_load(expect, optarg); break;
		case 'h':
			printf("usage: ipcconf diff OLD NEW [--old-target T] [--new-target T] "
			    "[--expect FILE]\n");
			return EXIT_CLEAN;
		default: die_usage("usage: ipcconf diff OLD NEW [--old-target T] [--new-target T] "
		    "[--expect FILE]");
		}
	}
	if (argc - optind != 2)
		die_usage("usage: ipcconf diff OLD NEW [--old-target T] [--new-target T] "
		    "[--expect FILE] "
		    "(OLD and NEW may be the same bundle with two targets)");
	if ((old = bundle_load(argv[optind], NULL, 0, err, sizeof err)) == NULL ||
	    (new = bundle_load(argv[optind + 1], NULL, 0, err, sizeof err)) == NULL)
		die_usage("diff refused: %s", err);
	if (expect != NULL) { /* both as the baseline judges them: a known deviation is no regression */
		json_t *v = expect_rewrite(expect, old);
		json_decref(old);
		old = v;
		v = expect_rewrite(expect, new);
		json_decref(new);
		new = v;
	}
	to = pick_target(old, want_old, "old", argv[optind]);
	tn = pick_target(new, want_new, "new", argv[optind + 1]);
	mo = case_map(old);
	mn = case_map(new);

	json_object_foreach(mn, key, c) {
		json_t *oc = json_object_get(mo, key);
		const char *on = result_field(c, tn, "outcome");
		const char *oo = oc ? result_field(oc, to, "outcome") : NULL;
		const char *spec = json_string_value(json_object_get(c, "spec"));
		char line[2048];

		if (on == NULL) /* absent from NEW: listed by the loop below */
			continue;
		if (on != NULL && oo != NULL && strcmp(on, oo) == 0)
			continue;
		snprintf(line, sizeof line, "%s: %s -> %s  [%s]%s%s", key, oo ? oo : "(absent)",
		    on ? on : "(absent)", spec && *spec ? spec : "no clause",
		    outcome_is_bad(on) ? "  " : "", outcome_is_bad(on) ?
		    result_field(c, tn, "reason") : "");
		if (outcome_is_good(oo) && outcome_is_bad(on))
			json_array_append_new(reg, json_string(line));
		else if (outcome_is_bad(oo) && outcome_is_good(on))
			json_array_append_new(fix, json_string(line));
		else
			json_array_append_new(other, json_string(line));
	}
	json_object_foreach(mo, key, c) {
		const char *oo = result_field(c, to, "outcome");
		char line[1024];

		if (oo == NULL || (json_object_get(mn, key) != NULL &&
		    result_field(json_object_get(mn, key), tn, "outcome") != NULL))
			continue;
		snprintf(line, sizeof line, "%s: %s -> (absent)", key, oo);
		json_array_append_new(other, json_string(line));
	}
	printf("ipcconf diff: %s [%s] -> %s [%s]\n\n", argv[optind], to, argv[optind + 1], tn);
	nreg = print_section("Regressions", reg);
	print_section("Fixed", fix);
	print_section("Other changes", other);
	printf("%d regression(s), %zu fixed, %zu other change(s)\n", nreg, json_array_size(fix),
	    json_array_size(other));
	json_decref(reg); json_decref(fix); json_decref(other);
	json_decref(mo); json_decref(mn); json_decref(old); json_decref(new);
	return nreg > 0 ? EXIT_FAILURES : EXIT_CLEAN;
}
