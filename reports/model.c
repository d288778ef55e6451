/*
 * From a bundle to the report document: every value a renderer reads is
 * checked here once, so that renderers can trust the model's types. A bundle
 * arrives from machines the reader does not control: anything unexpected is
 * refused with a message naming the case or target, never guessed at.
 */
#include "report_model.h"
#include "reports.h"

#include <stdlib.h>
#include <string.h>

const char *const report_outcomes[] = { "passed", "failed", "skipped", "expected_failure",
	"broken", "timed_out", "not_run", NULL };

static const char *const family_order[] = { "pipe", "fifo", "sysv_msg", "posix_mq", "sysv_shm",
	"posix_shm", "mmap", "sysv_sem", "posix_sem", "locks", "unix_socket", "signal", "ipc_ns",
	"fail_nth",
	NULL };

const char *
model_str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s != NULL ? s : "";
}

const char *
model_outcome(json_t *c, const char *target_id)
{
	json_t *r = json_object_get(json_object_get(c, "results"), target_id);
	return r != NULL ? model_str(r, "outcome") : "not_run";
}

const char *
model_reason(json_t *c, const char *target_id)
{
	return model_str(json_object_get(json_object_get(c, "results"), target_id), "reason");
}

bool
model_outcome_is_bad(const char *o)
{
	return strcmp(o, "failed") == 0 || strcmp(o, "broken") == 0 ||
	    strcmp(o, "timed_out") == 0;
}

const char *
report_failure_kind(const char *outcome, const char *reason, char *missing, size_t len)
{
	static const char mark[] = "not implemented: ";
	const char *p = reason != NULL ? strstr(reason, mark) : NULL, *open, *close;

	if (len > 0)
		missing[0] = '\0';
	if (outcome == NULL || strcmp(outcome, "failed") != 0)
		return "";
	if (p == NULL)
		return "wrong_behaviour";
	p += sizeof mark - 1;
	/* "WHAT (DETAIL)": a name (which may hold "(2)"), then its detail in parentheses. */
	open = strstr(p, " (");
	close = open != NULL ? strchr(open, ')') : NULL;
	if (close == NULL || open == p || close - p > 200 ||
	    memchr(p, '\n', (size_t)(close - p)) != NULL)
		return "wrong_behaviour";
	if (len > 0)
		snprintf(missing, len, "%.*s", (int)(close + 1 - p), p);
	return "not_implemented";
}

static bool
known_outcome(const char *o)
{
	int k;

	for (k = 0; report_outcomes[k] != NULL; k++)
		if (strcmp(o, report_outcomes[k]) == 0 && strcmp(o, "not_run") != 0)
			return true;
	return false;
}

/* Copies obj[key] into dst as a string; absent or null gives "", another type is refused. */
static int
copy_string(json_t *dst, json_t *obj, const char *key, const char *what, char *err,
    size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (v != NULL && !json_is_null(v) && !json_is_string(v)) {
		snprintf(err, errlen, "%s: \"%s\" is not a string", what, key);
		return -1;
	}
	json_object_set_new(dst, key, json_string(v != NULL && json_is_string(v) ?
	    json_string_value(v) : ""));
	return 0;
}

/* Copies obj[key] as a non-negative number; absent or null gives null. */
static int
copy_duration(json_t *dst, json_t *obj, const char *key, const char *what, char *err,
    size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v)) {
		json_object_set_new(dst, key, json_null());
		return 0;
	}
	if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e9) {
		snprintf(err, errlen, "%s: \"%s\" is not a duration in seconds", what, key);
		return -1;
	}
	json_object_set_new(dst, key, json_real(json_number_value(v)));
	return 0;
}

static json_t *
check_target(json_t *t, size_t i, json_t *seen, char *err, size_t errlen)
{
	static const char *const strings[] = { "kind", "status", "status_reason", "store", NULL };
	json_t *m = json_object(), *id = json_object_get(t, "id"), *p, *v, *leaks;
	char what[320];
	const char *key;
	size_t j;
	int k;

	if (!json_is_object(t) || !json_is_string(id) || json_string_length(id) == 0) {
		snprintf(err, errlen, "target %zu has no \"id\"", i);
		goto bad;
	}
	snprintf(what, sizeof what, "target '%.256s'", json_string_value(id));
	if (json_object_get(seen, json_string_value(id)) != NULL) {
		snprintf(err, errlen, "%s is listed twice", what);
		goto bad;
	}
	json_object_set_new(seen, json_string_value(id), json_true());
	json_object_set(m, "id", id);
	for (k = 0; strings[k] != NULL; k++)
		if (copy_string(m, t, strings[k], what, err, errlen) == -1)
			goto bad;
	if (copy_duration(m, t, "duration_s", what, err, errlen) == -1)
		goto bad;
	leaks = json_object_get(t, "leaks");
	if (leaks != NULL && !json_is_null(leaks) && !json_is_array(leaks)) {
		snprintf(err, errlen, "%s: \"leaks\" is not an array", what);
		goto bad;
	}
	json_object_set_new(m, "leaks", json_array());
	json_array_foreach(leaks, j, v) {
		if (!json_is_string(v)) {
			snprintf(err, errlen, "%s: leak %zu is not a string", what, j);
			goto bad;
		}
		json_array_append(json_object_get(m, "leaks"), v);
	}
	/* Provenance: its scalar members, whatever their names (adding a key is allowed). */
	json_object_set_new(m, "provenance", json_object());
	p = json_object_get(t, "provenance");
	if (!json_is_object(p)) {
		snprintf(err, errlen, "%s has no \"provenance\" object", what);
		goto bad;
	}
	json_object_foreach(p, key, v) {
		if (json_is_object(v) || json_is_array(v)) {
			snprintf(err, errlen, "%s: provenance \"%.64s\" is not a scalar", what, key);
			goto bad;
		}
		json_object_set(json_object_get(m, "provenance"), key, v);
	}
	return m;
bad:
	json_decref(m);
	return NULL;
}

/* The family of a program path suites/<family>/..., or "". */
static void
family_from_program(const char *program, char *out, size_t len)
{
	const char *s = strncmp(program, "suites/", 7) == 0 ? program + 7 : NULL;
	const char *slash = s != NULL ? strchr(s, '/') : NULL;

	if (slash == NULL) {
		snprintf(out, len, "%s", "");
		return;
	}
	snprintf(out, len, "%.*s", (int)(slash - s), s);
}

/*
 * The result's "kind" and "missing": the bundle's when it has them (a kind
 * that contradicts the outcome is refused), else worked out from the reason,
 * so that bundles written before the key existed group the same way.
 */
static int
check_kind(json_t *mr, json_t *r, const char *what, char *err, size_t errlen)
{
	const char *o = model_str(mr, "outcome"), *kind;
	json_t *k = json_object_get(r, "kind"), *miss = json_object_get(r, "missing");
	char computed[256];

	kind = report_failure_kind(o, model_str(mr, "reason"), computed, sizeof computed);
	if (k != NULL && !json_is_null(k)) {
		const char *given = json_string_value(k);

		if (given == NULL || (strcmp(given, "not_implemented") != 0 &&
		    strcmp(given, "wrong_behaviour") != 0 && given[0] != '\0') ||
		    (given[0] != '\0') != (strcmp(o, "failed") == 0)) {
			snprintf(err, errlen, "%s: \"kind\" must be \"not_implemented\" or "
			    "\"wrong_behaviour\" for a failed result, and absent or \"\" otherwise",
			    what);
			return -1;
		}
		kind = given;
	}
	json_object_set_new(mr, "kind", json_string(kind));
	if (miss != NULL && !json_is_null(miss) && !json_is_string(miss)) {
		snprintf(err, errlen, "%s: \"missing\" is not a string", what);
		return -1;
	}
	json_object_set_new(mr, "missing", json_string(strcmp(kind, "not_implemented") != 0 ? "" :
	    json_is_string(miss) && json_string_length(miss) > 0 ? json_string_value(miss) :
	    computed));
	return 0;
}

static json_t *
check_case(json_t *c, size_t i, json_t *seen, json_t *targets, char *err, size_t errlen)
{
	static const char *const strings[] = { "family", "program", "name", "descr", "spec", "class",
		NULL };
	json_t *m = json_object(), *id = json_object_get(c, "id"), *results, *r, *mr;
	char what[320], buf[256];
	const char *key, *colon;
	int k;

	if (!json_is_object(c) || !json_is_string(id) || json_string_length(id) == 0) {
		snprintf(err, errlen, "case %zu has no \"id\"", i);
		goto bad;
	}
	snprintf(what, sizeof what, "case '%.256s'", json_string_value(id));
	if (json_object_get(seen, json_string_value(id)) != NULL) {
		snprintf(err, errlen, "%s is listed twice", what);
		goto bad;
	}
	json_object_set_new(seen, json_string_value(id), json_true());
	json_object_set(m, "id", id);
	for (k = 0; strings[k] != NULL; k++)
		if (copy_string(m, c, strings[k], what, err, errlen) == -1)
			goto bad;
	colon = strrchr(json_string_value(id), ':');
	if (model_str(m, "name")[0] == '\0')
		json_object_set_new(m, "name", json_string(colon ? colon + 1 :
		    json_string_value(id)));
	if (model_str(m, "program")[0] == '\0' && colon != NULL)
		json_object_set_new(m, "program", json_stringn(json_string_value(id),
		    (size_t)(colon - json_string_value(id))));
	if (model_str(m, "family")[0] == '\0') {
		family_from_program(model_str(m, "program"), buf, sizeof buf);
		json_object_set_new(m, "family", json_string(buf));
	}
	results = json_object_get(c, "results");
	if (!json_is_object(results)) {
		snprintf(err, errlen, "%s has no \"results\" object", what);
		goto bad;
	}
	json_object_set_new(m, "results", json_object());
	json_object_foreach(results, key, r) {
		char rwhat[640];

		snprintf(rwhat, sizeof rwhat, "%s, target '%.256s'", what, key);
		if (json_object_get(targets, key) == NULL) {
			snprintf(err, errlen, "%s: the bundle lists no such target", rwhat);
			goto bad;
		}
		if (!json_is_object(r) || !json_is_string(json_object_get(r, "outcome")) ||
		    !known_outcome(json_string_value(json_object_get(r, "outcome")))) {
			snprintf(err, errlen, "%s: the result has no known \"outcome\" (passed, failed, "
			    "skipped, expected_failure, broken, timed_out)", rwhat);
			goto bad;
		}
		mr = json_object();
		json_object_set(mr, "outcome", json_object_get(r, "outcome"));
		json_object_set_new(json_object_get(m, "results"), key, mr);
		if (copy_string(mr, r, "reason", rwhat, err, errlen) == -1 ||
		    copy_duration(mr, r, "duration_s", rwhat, err, errlen) == -1 ||
		    check_kind(mr, r, rwhat, err, errlen) == -1)
			goto bad;
	}
	return m;
bad:
	json_decref(m);
	return NULL;
}

static int
family_rank(const char *f)
{
	int k;

	for (k = 0; family_order[k] != NULL; k++)
		if (strcmp(f, family_order[k]) == 0)
			return k;
	return k;
}

static int
case_cmp(const void *a, const void *b)
{
	json_t *ca = *(json_t *const *)a, *cb = *(json_t *const *)b;
	const char *fa = model_str(ca, "family"), *fb = model_str(cb, "family");
	int ra = family_rank(fa), rb = family_rank(fb), d;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if ((d = strcmp(fa, fb)) != 0)
		return d;
	return strcmp(model_str(ca, "id"), model_str(cb, "id"));
}

/*
 * Counts a failure of kind `kind` of a case of `family` in the target's
 * "failures_by_family" (cases arrive sorted by family), and what it lacks.
 */
static void
count_failure(json_t *t, const char *family, const char *kind, const char *missing)
{
	json_t *groups = json_object_get(t, "failures_by_family"), *g, *w, *e, *n;
	size_t len = json_array_size(groups), i;

	g = len > 0 ? json_array_get(groups, len - 1) : NULL;
	if (g == NULL || strcmp(model_str(g, "family"), family) != 0) {
		g = json_pack("{s:s, s:i, s:i, s:[]}", "family", family, "not_implemented", 0,
		    "wrong_behaviour", 0, "missing");
		json_array_append_new(groups, g);
	}
	n = json_object_get(g, kind);
	json_integer_set(n, json_integer_value(n) + 1);
	if (strcmp(kind, "not_implemented") != 0)
		return;
	w = json_object_get(g, "missing");
	json_array_foreach(w, i, e)
		if (strcmp(model_str(e, "what"), missing) == 0) {
			json_object_set_new(e, "cases", json_integer(json_integer_value(
			    json_object_get(e, "cases")) + 1));
			return;
		}
	json_array_append_new(w, json_pack("{s:s, s:i}", "what", missing, "cases", 1));
}

/*
 * Sets each case's "differs" and "bad", each target's "totals", "failure_kinds"
 * and "failures_by_family", and the family list.
 */
static void
compute(json_t *m)
{
	json_t *targets = json_object_get(m, "targets"), *cases = json_object_get(m, "cases");
	json_t *families = json_array(), *t, *c, *last = NULL;
	size_t i, j;
	int k;

	json_array_foreach(targets, j, t) {
		json_t *tot = json_object();
		for (k = 0; report_outcomes[k] != NULL; k++)
			json_object_set_new(tot, report_outcomes[k], json_integer(0));
		json_object_set_new(t, "totals", tot);
		json_object_set_new(t, "failure_kinds", json_pack("{s:i, s:i}", "not_implemented", 0,
		    "wrong_behaviour", 0));
		json_object_set_new(t, "failures_by_family", json_array());
	}
	json_array_foreach(cases, i, c) {
		const char *first = NULL, *fam = model_str(c, "family");
		bool differs = false, bad = false;

		json_array_foreach(targets, j, t) {
			const char *o = model_outcome(c, model_str(t, "id"));
			json_t *n = json_object_get(json_object_get(t, "totals"), o);

			json_t *r = json_object_get(json_object_get(c, "results"), model_str(t, "id"));
			const char *kind = model_str(r, "kind");

			json_integer_set(n, json_integer_value(n) + 1);
			if (kind[0] != '\0') {
				json_t *kn = json_object_get(json_object_get(t, "failure_kinds"), kind);
				json_integer_set(kn, json_integer_value(kn) + 1);
			}
			if (kind[0] != '\0')
				count_failure(t, fam, kind, model_str(r, "missing"));
			if (first == NULL)
				first = o;
			else if (strcmp(first, o) != 0)
				differs = true;
			bad = bad || model_outcome_is_bad(o);
		}
		json_object_set_new(c, "differs", json_boolean(differs));
		json_object_set_new(c, "bad", json_boolean(bad));
		if (last == NULL || strcmp(model_str(last, "name"), fam) != 0) {
			last = json_pack("{s:s, s:i}", "name", fam, "cases", 0);
			json_array_append_new(families, last);
		}
		json_object_set_new(last, "cases", json_integer(json_integer_value(
		    json_object_get(last, "cases")) + 1));
	}
	json_object_set_new(m, "families", families);
}

json_t *
report_model(json_t *bundle, char *err, size_t errlen)
{
	json_t *m = NULL, *tseen = json_object(), *cseen = json_object(), *v, *x;
	json_t *targets, *cases, **sorted = NULL;
	size_t i, n;
	int k;

	if (!json_is_object(bundle) || strcmp(model_str(bundle, "schema"), "ipcconf-bundle") != 0 ||
	    json_integer_value(json_object_get(bundle, "schema_version")) != 1) {
		snprintf(err, errlen, "not an ipcconf bundle of schema version 1");
		goto out;
	}
	targets = json_object_get(bundle, "targets");
	cases = json_object_get(bundle, "cases");
	if (!json_is_array(targets) || !json_is_array(cases)) {
		snprintf(err, errlen, "\"targets\" and \"cases\" must be arrays");
		goto out;
	}
	m = json_pack("{s:s, s:i, s:[], s:[], s:[]}", "schema", REPORT_SCHEMA, "schema_version",
	    REPORT_SCHEMA_VERSION, "outcomes", "targets", "cases");
	for (k = 0; report_outcomes[k] != NULL; k++)
		json_array_append_new(json_object_get(m, "outcomes"),
		    json_string(report_outcomes[k]));
	if (copy_string(m, bundle, "created", "bundle", err, errlen) == -1 ||
	    copy_string(m, bundle, "ipcconf_version", "bundle", err, errlen) == -1)
		goto fail;
	json_array_foreach(targets, i, v) {
		if ((x = check_target(v, i, tseen, err, errlen)) == NULL)
			goto fail;
		json_array_append_new(json_object_get(m, "targets"), x);
	}
	n = json_array_size(cases);
	sorted = calloc(n + 1, sizeof *sorted);
	if (sorted == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	json_array_foreach(cases, i, v) {
		if ((sorted[i] = check_case(v, i, cseen, tseen, err, errlen)) == NULL) {
			while (i-- > 0)
				json_decref(sorted[i]);
			goto fail;
		}
	}
	qsort(sorted, n, sizeof *sorted, case_cmp);
	for (i = 0; i < n; i++)
		json_array_append_new(json_object_get(m, "cases"), sorted[i]);
	compute(m);
	goto out;
fail:
	json_decref(m);
	m = NULL;
out:
	free(sorted);
	json_decref(tseen);
	json_decref(cseen);
	return m;
}
