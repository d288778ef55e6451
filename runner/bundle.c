/*
 * Result bundles: a directory holding bundle.json (schema in
 * runner/BUNDLE.md) and each target's Kyua store under targets/<dir>/.
 */
#include "runner.h"
#include "reports.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const outcomes[] = { "passed", "failed", "skipped", "expected_failure",
	"broken", "timed_out", NULL };

json_t *
bundle_new(void)
{
	char date[32];

	unsigned char r[16];
	char id[33];
	int i;

	iso8601_now(date, sizeof date);
	/* Tells a bundle from another made in the same second (see merge.c). */
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		for (i = 0; i < (int)sizeof r; i++)
			r[i] = (unsigned char)(now_ms() * 2654435761u >> (i % 4 * 8)) ^ (unsigned char)getpid();
	for (i = 0; i < (int)sizeof r; i++)
		snprintf(id + 2 * i, 3, "%02x", r[i]);
	return json_pack("{s:s, s:i, s:s, s:s, s:s, s:[], s:[]}", "schema", BUNDLE_SCHEMA,
	    "schema_version", BUNDLE_SCHEMA_VERSION, "ipcconf_version", IPCCONF_VERSION,
	    "created", date, "bundle_id", id, "targets", "cases");
}

void
target_dir_name(const char *id, char *out, size_t len)
{
	size_t i;

	snprintf(out, len, "%s", id);
	for (i = 0; out[i] != '\0'; i++)
		if (!((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= 'A' && out[i] <= 'Z') ||
		    (out[i] >= '0' && out[i] <= '9') || out[i] == '.' || out[i] == '-'))
			out[i] = '_';
}

json_t *
bundle_find_target(json_t *b, const char *id)
{
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(b, "targets"), i, t)
		if (strcmp(json_string_value(json_object_get(t, "id")), id) == 0)
			return t;
	return NULL;
}

/* Index of cases by id, built on demand (an object id -> array position). */
static json_t *
case_index(json_t *b)
{
	json_t *idx = json_object(), *c;
	size_t i;

	json_array_foreach(json_object_get(b, "cases"), i, c)
		json_object_set_new(idx, json_string_value(json_object_get(c, "id")),
		    json_integer((json_int_t)i));
	return idx;
}

/*
 * A failed result's "kind" (not_implemented, wrong_behaviour) and, when not
 * implemented, "missing" ("mq_send (ENOSYS)"), from the fixtures' mark in its
 * reason; a result that has a kind already (an inner bundle's) keeps it.
 */
static void
set_failure_kind(json_t *r)
{
	char missing[256];
	const char *kind;

	if (json_object_get(r, "kind") != NULL)
		return;
	kind = report_failure_kind(json_string_value(json_object_get(r, "outcome")),
	    json_string_value(json_object_get(r, "reason")), missing, sizeof missing);
	if (kind[0] == '\0')
		return;
	json_object_set_new(r, "kind", json_string(kind));
	if (missing[0] != '\0')
		json_object_set_new(r, "missing", json_string(missing));
}

/* Adds `cases` (each with results for one target, keyed `from_id`) under `to_id`. */
static void
merge_cases(json_t *b, json_t *idx, json_t *cases, const char *from_id, const char *to_id)
{
	json_t *all = json_object_get(b, "cases"), *c;
	size_t i;

	json_array_foreach(cases, i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		json_t *r = json_object_get(json_object_get(c, "results"), from_id);
		json_t *pos = json_object_get(idx, id), *dst;

		if (r == NULL)
			continue;
		set_failure_kind(r);
		if (pos == NULL) {
			dst = json_deep_copy(c);
			json_object_set_new(dst, "results", json_object());
			json_array_append_new(all, dst);
			json_object_set_new(idx, id, json_integer((json_int_t)json_array_size(all) - 1));
		} else {
			dst = json_array_get(all, (size_t)json_integer_value(pos));
		}
		json_object_set(json_object_get(dst, "results"), to_id, r);
	}
}

json_t *
target_totals(json_t *b, const char *target_id)
{
	json_t *tot = json_object(), *c;
	size_t i;
	int k;

	for (k = 0; outcomes[k] != NULL; k++)
		json_object_set_new(tot, outcomes[k], json_integer(0));
	json_array_foreach(json_object_get(b, "cases"), i, c) {
		json_t *r = json_object_get(json_object_get(c, "results"), target_id);
		const char *o = json_string_value(json_object_get(r, "outcome"));
		json_t *n;

		if (o == NULL || (n = json_object_get(tot, o)) == NULL)
			continue;
		json_integer_set(n, json_integer_value(n) + 1);
	}
	return tot;
}

int
bundle_add_target(json_t *b, json_t *target, json_t *cases)
{
	const char *id = json_string_value(json_object_get(target, "id"));
	json_t *idx = case_index(b);

	merge_cases(b, idx, cases, id, id);
	json_decref(idx);
	json_object_set_new(target, "totals", json_object());
	json_array_append(json_object_get(b, "targets"), target);
	json_object_set_new(target, "totals", target_totals(b, id));
	return 0;
}

/* Checks the shape that every reader of a bundle relies on. */
static int
bundle_check(json_t *b, const char *path, char *err, size_t errlen)
{
	json_t *t, *c;
	size_t i;

	if (!json_is_object(b) || !json_is_string(json_object_get(b, "schema")) ||
	    strcmp(json_string_value(json_object_get(b, "schema")), BUNDLE_SCHEMA) != 0) {
		snprintf(err, errlen, "%s is not an ipcconf bundle (no \"schema\": \"%s\")", path,
		    BUNDLE_SCHEMA);
		return -1;
	}
	if (json_integer_value(json_object_get(b, "schema_version")) != BUNDLE_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s has bundle schema version %lld; this ipcconf reads "
		    "version %d", path, (long long)json_integer_value(json_object_get(b,
		    "schema_version")), BUNDLE_SCHEMA_VERSION);
		return -1;
	}
	if (!json_is_array(json_object_get(b, "targets")) ||
	    !json_is_array(json_object_get(b, "cases"))) {
		snprintf(err, errlen, "%s: \"targets\" and \"cases\" must be arrays", path);
		return -1;
	}
	json_array_foreach(json_object_get(b, "targets"), i, t)
		if (!json_is_string(json_object_get(t, "id")) ||
		    !json_is_object(json_object_get(t, "provenance"))) {
			snprintf(err, errlen, "%s: target %zu has no \"id\" or \"provenance\"", path, i);
			return -1;
		}
	json_array_foreach(json_object_get(b, "cases"), i, c)
		if (!json_is_string(json_object_get(c, "id")) ||
		    !json_is_object(json_object_get(c, "results"))) {
			snprintf(err, errlen, "%s: case %zu has no \"id\" or \"results\"", path, i);
			return -1;
		}
	return 0;
}

json_t *
bundle_load(const char *path, char *dir_out, size_t dirlen, char *err, size_t errlen)
{
	char file[PATH_MAX];
	json_error_t je;
	struct stat st;
	json_t *b;

	if (stat(path, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(file, sizeof file, "%s/bundle.json", path);
		if (dir_out)
			snprintf(dir_out, dirlen, "%s", path);
	} else {
		char *slash;
		snprintf(file, sizeof file, "%s", path);
		if (dir_out) {
			snprintf(dir_out, dirlen, "%s", path);
			slash = strrchr(dir_out, '/');
			if (slash != NULL)
				*slash = '\0';
			else
				snprintf(dir_out, dirlen, ".");
		}
	}
	b = json_load_file(file, 0, &je);
	if (b == NULL) {
		snprintf(err, errlen, "%s is not a readable bundle: %s (line %d)", file, je.text,
		    je.line);
		return NULL;
	}
	if (bundle_check(b, file, err, errlen) == -1) {
		json_decref(b);
		return NULL;
	}
	return b;
}

int
bundle_save(json_t *b, const char *dir, char *err, size_t errlen)
{
	char file[PATH_MAX], tmp[PATH_MAX + 8];

	snprintf(file, sizeof file, "%s/bundle.json", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	if (json_dump_file(b, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) == -1 ||
	    rename(tmp, file) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", file, strerror(errno));
		return -1;
	}
	return 0;
}

static int
copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, rc = 0;

	if (strcmp(from, to) == 0)
		return 0;
	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in == -1)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out == -1) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	close(out);
	return rc;
}

/* A target id not yet in b: the id itself, else id@hostname, else id#2, #3... */
static void
unique_target_id(json_t *b, json_t *t, char *out, size_t len)
{
	const char *id = json_string_value(json_object_get(t, "id"));
	const char *host = json_string_value(json_object_get(json_object_get(t, "provenance"),
	    "hostname"));
	int n;

	snprintf(out, len, "%s", id);
	if (bundle_find_target(b, out) == NULL)
		return;
	snprintf(out, len, "%s@%s", id, host ? host : "unknown");
	for (n = 2; bundle_find_target(b, out) != NULL; n++)
		snprintf(out, len, "%s@%s#%d", id, host ? host : "unknown", n);
}

int
bundle_merge(json_t *dst, const char *dst_dir, json_t *src, const char *src_dir,
    const char *rename_to, char *err, size_t errlen)
{
	json_t *idx = case_index(dst), *t;
	size_t i;

	json_array_foreach(json_object_get(src, "targets"), i, t) {
		const char *old = json_string_value(json_object_get(t, "id"));
		const char *store = json_string_value(json_object_get(t, "store"));
		char id[256], dname[256], dir[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
		json_t *copy = json_deep_copy(t);

		if (rename_to != NULL && json_array_size(json_object_get(src, "targets")) == 1)
			snprintf(id, sizeof id, "%s", rename_to);
		else
			unique_target_id(dst, t, id, sizeof id);
		target_dir_name(id, dname, sizeof dname);
		json_object_set_new(copy, "id", json_string(id));
		if (store != NULL && src_dir != NULL) {
			snprintf(dir, sizeof dir, "%s/targets/%s", dst_dir, dname);
			snprintf(from, sizeof from, "%s/%s", src_dir, store);
			snprintf(to, sizeof to, "%s/results.db", dir);
			if (mkdir_p(dir, 0755) == -1 || (access(from, R_OK) == 0 &&
			    copy_file(from, to) == -1)) {
				snprintf(err, errlen, "cannot copy %s to %s: %s", from, to,
				    strerror(errno));
				json_decref(copy);
				json_decref(idx);
				return -1;
			}
			snprintf(to, sizeof to, "targets/%s/results.db", dname);
			json_object_set_new(copy, "store", json_string(to));
		}
		merge_cases(dst, idx, json_object_get(src, "cases"), old, id);
		json_object_set_new(copy, "totals", target_totals(dst, id));
		json_array_append_new(json_object_get(dst, "targets"), copy);
	}
	json_decref(idx);
	return 0;
}

bool
outcome_is_bad(const char *o)
{
	return o != NULL && (strcmp(o, "failed") == 0 || strcmp(o, "broken") == 0 ||
	    strcmp(o, "timed_out") == 0);
}
