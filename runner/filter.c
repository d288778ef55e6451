/*
 * --filter names that are not a family or a program: a bare case name is
 * looked up in the catalogue (`ipcconf list` shows case names without their
 * program), and a name that matches nothing is refused with the closest
 * families, programs or cases ("did you mean").
 */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Levenshtein distance, bounded to short names. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, d;

	if (la > 200 || lb > 200)
		return 1000;
	row = calloc(lb + 1, sizeof *row);
	if (row == NULL)
		return 1000;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cur = row[j], best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

void
closest_names(const char *want, json_t *names, char *out, size_t len)
{
	size_t i, best = (size_t)-1, limit = strlen(want) / 3 + 1, used = 0, shown = 0;
	json_t *n;

	out[0] = '\0';
	json_array_foreach(names, i, n) {
		const char *s = json_string_value(n);
		size_t d = distance(want, s);

		/* A name that contains the other counts as close too (pipe_read -> pipe_read_test). */
		if (strlen(want) >= 4 && (strstr(s, want) != NULL || strstr(want, s) != NULL))
			d = d < 1 ? d : 1;
		if (d < best)
			best = d;
	}
	if (best > limit)
		return;
	json_array_foreach(names, i, n) {
		const char *s = json_string_value(n);
		size_t d = distance(want, s);

		if (strlen(want) >= 4 && (strstr(s, want) != NULL || strstr(want, s) != NULL))
			d = d < 1 ? d : 1;
		if (d != best || used + strlen(s) + 3 >= len)
			continue;
		if (shown++ == 5) {
			snprintf(out + used, len - used, ", ...");
			return;
		}
		used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "", s);
	}
}

/* Every family, program and case name of the catalogue, once each. */
static json_t *
all_names(json_t *cat, bool cases_only)
{
	json_t *seen = json_object(), *names = json_array(), *c;
	const char *key;
	json_t *v;
	size_t i;

	json_array_foreach(cat, i, c) {
		const char *prog = json_string_value(json_object_get(c, "program"));
		const char *base = prog && strrchr(prog, '/') ? strrchr(prog, '/') + 1 : prog;

		json_object_set_new(seen, json_string_value(json_object_get(c, "name")), json_true());
		if (cases_only)
			continue;
		json_object_set_new(seen, json_string_value(json_object_get(c, "family")), json_true());
		if (base != NULL)
			json_object_set_new(seen, base, json_true());
	}
	json_object_foreach(seen, key, v)
		json_array_append_new(names, json_string(key));
	json_decref(seen);
	return names;
}

char *
filter_from_case_name(const char *suite, const char *f)
{
	json_t *cat = catalogue_read(suite, NULL), *c, *names, *hits = json_array();
	char sugg[1024], *out = NULL, list[1024] = "";
	size_t i;

	json_array_foreach(cat, i, c)
		if (strcmp(json_string_value(json_object_get(c, "name")), f) == 0)
			json_array_append(hits, c);
	if (json_array_size(hits) == 1) {
		c = json_array_get(hits, 0);
		if (asprintf(&out, "%s", json_string_value(json_object_get(c, "id"))) < 0)
			out = NULL;
		json_decref(hits);
		json_decref(cat);
		return out;
	}
	if (json_array_size(hits) > 1) {
		json_array_foreach(hits, i, c)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
			    json_string_value(json_object_get(c, "id")));
		die_usage("--filter %s: that case is in more than one program (%s): name it as "
		    "PROGRAM:CASE", f, list);
	}
	names = all_names(cat, false);
	closest_names(f, names, sugg, sizeof sugg);
	json_decref(names);
	json_decref(hits);
	json_decref(cat);
	die_usage("--filter %s: no family, test program or case of that name under %s%s%s%s", f,
	    suite, sugg[0] ? " (did you mean " : "; ipcconf list shows them", sugg,
	    sugg[0] ? "?)" : "");
}

void
filter_refuse_unknown_case(const char *suite, const char *f, const char *kyua_id)
{
	json_t *cat = catalogue_read(suite, NULL), *names;
	char sugg[1024];
	const char *colon = strrchr(f, ':');

	names = all_names(cat, true);
	closest_names(colon ? colon + 1 : f, names, sugg, sizeof sugg);
	json_decref(names);
	json_decref(cat);
	(void)kyua_id;
	die_usage("--filter %s: the program has no such case (%s%s%s)", f,
	    sugg[0] ? "did you mean " : "ipcconf list shows them", sugg, sugg[0] ? "?" : "");
}
