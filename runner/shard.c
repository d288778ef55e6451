/*
 * Shards: `ipcconf run --shard I/N` runs the I-th of N parts of the cases the
 * run selects, and `ipcconf merge` joins the shards of one target back into
 * one column. The split depends only on the selected cases (the suite's
 * catalogue and the filters) and, with --shard-durations BUNDLE, on the
 * durations measured there: so every machine and every run cuts the same
 * way. Cases are dealt longest first to the least loaded shard (ties: the
 * lower id, the lower shard), with one unit per case when no durations are
 * given (which deals them round-robin in id order), and the median measured
 * duration for a case the durations bundle lacks.
 */
#include "farm.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
shard_parse(const char *spec, struct shard *s)
{
	char end;

	if (sscanf(spec, "%d/%d%c", &s->index, &s->count, &end) != 2 || s->count < 1 ||
	    s->count > 10000 || s->index < 1 || s->index > s->count)
		die_usage("--shard takes I/N with 1 <= I <= N <= 10000 (the I-th of N parts), "
		    "not '%s'", spec);
}

/* Each case's measured duration in the bundle: the longest over its targets. */
static json_t *
measured_durations(const char *path)
{
	char err[1024];
	json_t *b = bundle_load(path, NULL, 0, err, sizeof err), *out = json_object(), *c, *r;
	const char *k;
	size_t i;

	if (b == NULL)
		die_usage("--shard-durations: %s", err);
	json_array_foreach(json_object_get(b, "cases"), i, c) {
		double best = -1;

		json_object_foreach(json_object_get(c, "results"), k, r)
			if (json_is_number(json_object_get(r, "duration_s")) &&
			    json_number_value(json_object_get(r, "duration_s")) > best)
				best = json_number_value(json_object_get(r, "duration_s"));
		if (best >= 0)
			json_object_set_new(out, json_string_value(json_object_get(c, "id")),
			    json_real(best));
	}
	json_decref(b);
	return out;
}

struct unit {
	const char *id;
	double weight;
	size_t pos;
	int shard;
};

static int
by_weight_then_id(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

json_t *
shard_cases(json_t *sel, const struct shard *s, const char *durations_path)
{
	size_t n = json_array_size(sel), i, known = 0;
	struct unit *u = calloc(n + 1, sizeof *u);
	double *loads = calloc((size_t)s->count, sizeof *loads), *ds = calloc(n + 1, sizeof *ds);
	double fill = 1;
	json_t *dur = durations_path != NULL ? measured_durations(durations_path) : NULL, *c, *out;
	int k;

	if (u == NULL || loads == NULL || ds == NULL)
		die_usage("out of memory");
	json_array_foreach(sel, i, c) {
		json_t *d;

		u[i].id = json_string_value(json_object_get(c, "id"));
		u[i].pos = i;
		if (dur != NULL && (d = json_object_get(dur, u[i].id)) != NULL)
			ds[known++] = json_number_value(d);
	}
	if (known > 0) {
		qsort(ds, known, sizeof *ds, by_double);
		fill = ds[known / 2];
	}
	for (i = 0; i < n; i++) {
		json_t *d = dur != NULL ? json_object_get(dur, u[i].id) : NULL;
		u[i].weight = dur == NULL ? 1 : d != NULL ? json_number_value(d) : fill;
	}
	qsort(u, n, sizeof *u, by_weight_then_id);
	for (i = 0; i < n; i++) {
		int best = 0;

		for (k = 1; k < s->count; k++)
			if (loads[k] < loads[best])
				best = k;
		u[i].shard = best;
		loads[best] += u[i].weight;
	}
	out = json_array();
	/* In the selection's own order. */
	{
		int *shard_of = calloc(n + 1, sizeof *shard_of);

		if (shard_of == NULL)
			die_usage("out of memory");
		for (i = 0; i < n; i++)
			shard_of[u[i].pos] = u[i].shard;
		json_array_foreach(sel, i, c)
			if (shard_of[i] == s->index - 1)
				json_array_append(out, c);
		free(shard_of);
	}
	free(u);
	free(loads);
	free(ds);
	json_decref(dur);
	return out;
}

void
shard_filters(const char *suite, const char **filters, int *nfilters, int max,
    const struct shard *s, const char *durations_path)
{
	json_t *cat = catalogue_read(suite, NULL);
	json_t *sel = catalogue_select(cat, filters, *nfilters), *part, *c;
	size_t i;

	part = shard_cases(sel, s, durations_path);
	if (json_array_size(part) == 0)
		die_usage("--shard %d/%d: this shard has no case (the run selects %zu)", s->index,
		    s->count, json_array_size(sel));
	if (json_array_size(part) > (size_t)max)
		die_usage("--shard %d/%d: %zu cases are more than a run takes (%d): use more shards",
		    s->index, s->count, json_array_size(part), max);
	*nfilters = 0;
	json_array_foreach(part, i, c)
		filters[(*nfilters)++] = strdup(json_string_value(json_object_get(c, "id")));
	json_decref(part);
	json_decref(sel);
	json_decref(cat);
}

void
shard_mark(json_t *bundle, const struct shard *s)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(bundle, "targets"), i, t)
		json_object_set_new(t, "shards", json_pack("[o]", json_sprintf("%d/%d", s->index,
		    s->count)));
}

/* N of a target's shards ["I/N", ...], or 0 when it is not a shard; the indexes in have[]. */
static int
shards_of(json_t *t, bool *have, int max)
{
	json_t *v;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(t, "shards"), i, v) {
		struct shard s;
		char end;

		if (!json_is_string(v) || sscanf(json_string_value(v), "%d/%d%c", &s.index, &s.count,
		    &end) != 2 || s.count < 1 || s.index < 1 || s.index > s.count ||
		    (n != 0 && s.count != n))
			return 0;
		n = s.count;
		if (have != NULL && s.index <= max)
			have[s.index - 1] = true;
	}
	return n;
}

/* Appends the src shard's store under dst_dir/targets/DNAME/shards/ and names it in "shard_stores". */
static int
copy_shard_store(json_t *into, const char *dst_dir, json_t *t, const char *src_dir, char *err,
    size_t errlen)
{
	const char *store = json_string_value(json_object_get(t, "store"));
	char dname[256], dir[PATH_MAX], from[PATH_MAX + 8], rel[PATH_MAX], label[64];
	char *argv[] = { "cp", from, NULL, NULL };

	if (store == NULL || store[0] == '\0' || src_dir == NULL)
		return 0;
	target_dir_name(json_string_value(json_object_get(into, "id")), dname, sizeof dname);
	{
		int si = 0, sn = 0;

		sscanf(json_string_value(json_array_get(json_object_get(t, "shards"), 0)), "%d/%d", &si,
		    &sn);
		snprintf(label, sizeof label, "%d-of-%d", si, sn);
	}
	snprintf(rel, sizeof rel, "targets/%s/shards/%s/results.db", dname, label);
	snprintf(dir, sizeof dir, "%s/targets/%s/shards/%s", dst_dir, dname, label);
	snprintf(from, sizeof from, "%s/%s", src_dir, store);
	if (access(from, R_OK) != 0)
		return 0;
	{
		char to[PATH_MAX + 16];

		snprintf(to, sizeof to, "%s/results.db", dir);
		argv[2] = to;
		if (mkdir_p(dir, 0755) == -1 || run_command(argv, "/dev/null") != 0) {
			snprintf(err, errlen, "cannot copy %s to %s", from, to);
			return -1;
		}
	}
	if (json_object_get(into, "shard_stores") == NULL)
		json_object_set_new(into, "shard_stores", json_array());
	json_array_append_new(json_object_get(into, "shard_stores"), json_string(rel));
	return 0;
}

static bool
completed(json_t *t)
{
	const char *s = json_string_value(json_object_get(t, "status"));
	return s != NULL && strcmp(s, "completed") == 0;
}

int
shard_join(json_t *dst, const char *dst_dir, json_t *src, const char *src_dir, char *err,
    size_t errlen)
{
	json_t *targets = json_object_get(src, "targets"), *t;
	size_t i = 0;

	while (i < json_array_size(targets)) {
		const char *id = json_string_value(json_object_get(t = json_array_get(targets, i), "id"));
		json_t *into = bundle_find_target(dst, id), *c, *v;
		bool have_dst[10000] = { false }, have_src[10000] = { false };
		int n = shards_of(t, have_src, 10000), k;
		size_t j;

		if (n == 0 || into == NULL || shards_of(into, have_dst, 10000) != n) {
			i++;
			continue;
		}
		for (k = 0; k < n; k++)
			if (have_src[k] && have_dst[k]) {
				snprintf(err, errlen, "target %s: shard %d/%d is in two bundles", id, k + 1, n);
				return -1;
			}
		/* The first shard's store was copied by bundle_merge; keep the others beside it. */
		if (json_object_get(into, "shard_stores") == NULL && json_is_string(json_object_get(into, "store")) &&
		    json_string_length(json_object_get(into, "store")) > 0)
			json_object_set_new(into, "shard_stores", json_pack("[O]", json_object_get(into, "store")));
		if (copy_shard_store(into, dst_dir, t, src_dir, err, errlen) == -1)
			return -1;
		json_array_foreach(json_object_get(src, "cases"), j, c) {
			json_t *r = json_object_get(json_object_get(c, "results"), id), *d = NULL, *x;
			size_t m;

			if (r == NULL)
				continue;
			json_array_foreach(json_object_get(dst, "cases"), m, x)
				if (json_equal(json_object_get(x, "id"), json_object_get(c, "id")))
					d = x;
			if (d == NULL) {
				d = json_deep_copy(c);
				json_object_set_new(d, "results", json_object());
				json_array_append_new(json_object_get(dst, "cases"), d);
			}
			json_object_set(json_object_get(d, "results"), id, r);
		}
		json_array_foreach(json_object_get(t, "shards"), j, v)
			json_array_append(json_object_get(into, "shards"), v);
		json_array_foreach(json_object_get(t, "leaks"), j, v)
			json_array_append(json_object_get(into, "leaks"), v);
		/* Shards run one after another or side by side: the column took their sum of machine time. */
		json_object_set_new(into, "duration_s", json_real(json_number_value(json_object_get(into,
		    "duration_s")) + json_number_value(json_object_get(t, "duration_s"))));
		if (!completed(t) && completed(into)) {
			json_object_set(into, "status", json_object_get(t, "status"));
			json_object_set(into, "status_reason", json_object_get(t, "status_reason"));
		}
		json_object_set_new(into, "totals", target_totals(dst, id));
		json_array_remove(targets, i); /* joined: bundle_merge must not add it again */
	}
	return 0;
}
