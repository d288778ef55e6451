/*
 * The cases a run's --filter options select, read from the catalogue: what
 * `run --ktap`/`--lava` announce before the results come, and what
 * `run --shard` divides. A filter means what it means to the run (run.c's
 * kyua_filter): a family, a program, PROGRAM:CASE, or a Kyua path.
 */
#include "farm.h"

#include <string.h>

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

static bool
has_family(json_t *cat, const char *family)
{
	json_t *c;
	size_t i;

	json_array_foreach(cat, i, c)
		if (strcmp(json_string_value(json_object_get(c, "family")), family) == 0)
			return true;
	return false;
}

static bool
selects(json_t *cat, json_t *c, const char *f)
{
	const char *id = json_string_value(json_object_get(c, "id"));
	const char *program = json_string_value(json_object_get(c, "program"));
	const char *name = json_string_value(json_object_get(c, "name"));
	const char *colon = strchr(f, ':');
	size_t plen = colon != NULL ? (size_t)(colon - f) : strlen(f);

	if (strchr(f, '/') != NULL) /* a Kyua path: suites/pipe, suites/pipe/pipe_test[:case] */
		return strcmp(id, f) == 0 || strcmp(program, f) == 0 ||
		    (strncmp(program, f, strlen(f)) == 0 && program[strlen(f)] == '/');
	if (colon == NULL && has_family(cat, f))
		return strcmp(json_string_value(json_object_get(c, "family")), f) == 0;
	if (strlen(base_name(program)) != plen || strncmp(base_name(program), f, plen) != 0)
		return false;
	return colon == NULL || strcmp(name, colon + 1) == 0;
}

json_t *
catalogue_select(json_t *cat, const char *const *filters, int nfilters)
{
	json_t *out = json_array(), *c;
	size_t i;
	int k;

	json_array_foreach(cat, i, c) {
		bool take = nfilters == 0;

		for (k = 0; k < nfilters && !take; k++)
			take = selects(cat, c, filters[k]);
		if (take)
			json_array_append(out, c);
	}
	return out;
}
