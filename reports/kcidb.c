/*
 * A KCIDB submission (KernelCI's common report database, I/O schema v5.3):
 * "version", and per target one checkout (the kernel it ran on), one build
 * and one test per case, with path "ipcconf.FAMILY.CASE" (each part of
 * [A-Za-z0-9_-]). Statuses (see reports/FARMS.md):
 *   passed -> PASS; expected_failure -> PASS (a deviation the case declares
 *   for the platform, as Kyua and the JUnit report count it; misc says so);
 *   failed -> FAIL; skipped -> SKIP; broken, timed_out -> ERROR (the test did
 *   not complete); no result on a target that did not complete -> MISS.
 * Every id starts with "ORIGIN:"; none of the schema's properties is null.
 */
#include "farms.h"
#include "report_model.h"

#include <stdlib.h>
#include <string.h>

#define ID_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
#define PART_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
#define LOG_EXCERPT_MAX 16384

/* The provenance's scalars without its nulls (KCIDB allows none), plus the target's id and kind. */
static json_t *
provenance_misc(json_t *t)
{
	json_t *misc = json_object(), *v;
	const char *k;

	json_object_foreach(json_object_get(t, "provenance"), k, v)
		if (!json_is_null(v))
			json_object_set(misc, k, v);
	json_object_set_new(misc, "ipcconf_target", json_string(model_str(t, "id")));
	json_object_set_new(misc, "ipcconf_target_kind", json_string(model_str(t, "kind")));
	return misc;
}

static const char *
prov(json_t *t, const char *key)
{
	return model_str(json_object_get(t, "provenance"), key);
}

/* s cut to at most max bytes on a UTF-8 character boundary. */
static json_t *
string_max(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return json_string(s);
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return json_stringn(s, max);
}

/* KCIDB's status of case c on target t, or NULL when it is left out. */
static const char *
kcidb_status(json_t *c, json_t *t)
{
	const char *o = model_outcome(c, model_str(t, "id"));

	if (strcmp(o, "passed") == 0 || strcmp(o, "expected_failure") == 0)
		return "PASS";
	if (strcmp(o, "failed") == 0)
		return "FAIL";
	if (strcmp(o, "skipped") == 0)
		return "SKIP";
	if (strcmp(o, "broken") == 0 || strcmp(o, "timed_out") == 0)
		return "ERROR";
	/* not_run: missed if the target was stopped or failed, else not selected. */
	return strcmp(model_str(t, "status"), "completed") != 0 ? "MISS" : NULL;
}

static json_t *
test_of(json_t *c, json_t *t, const char *origin, const char *build_id)
{
	const char *tid = model_str(t, "id"), *o = model_outcome(c, tid);
	const char *reason = model_reason(c, tid);
	char fam[128], name[256], path[512], id[1024];
	json_t *r = json_object_get(json_object_get(c, "results"), tid), *test, *misc;
	const char *status = kcidb_status(c, t);

	if (status == NULL)
		return NULL;
	farm_clean(model_str(c, "family"), PART_CHARS, fam, sizeof fam);
	farm_clean(model_str(c, "name"), PART_CHARS, name, sizeof name);
	snprintf(path, sizeof path, "ipcconf.%s.%s", fam, name);
	snprintf(id, sizeof id, "%s:%s", build_id, path);
	misc = json_pack("{s:s, s:s, s:s, s:s}", "ipcconf_case", model_str(c, "id"),
	    "ipcconf_outcome", o, "spec", model_str(c, "spec"), "class", model_str(c, "class"));
	test = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:{s:s, s:o}}", "id", id, "build_id",
	    build_id, "origin", origin, "path", path, "status", status, "misc", misc,
	    "environment", "comment", tid, "misc", provenance_misc(t));
	if (model_str(c, "descr")[0] != '\0')
		json_object_set_new(test, "comment", json_string(model_str(c, "descr")));
	if (reason[0] != '\0')
		json_object_set_new(test, "log_excerpt", string_max(reason, LOG_EXCERPT_MAX));
	if (r != NULL && json_is_number(json_object_get(r, "duration_s")))
		json_object_set(test, "duration", json_object_get(r, "duration_s"));
	if (prov(t, "date")[0] != '\0') /* the bundle keeps the target's start, not each case's */
		json_object_set_new(test, "start_time", json_string(prov(t, "date")));
	if (strcmp(status, "MISS") == 0)
		json_object_set_new(misc, "reason", json_sprintf("the target %s %s: %s", tid,
		    model_str(t, "status"), model_str(t, "status_reason")));
	return test;
}

int
render_kcidb(json_t *model, FILE *out, char *err, size_t errlen)
{
	const char *origin = farm_options.origin != NULL ? farm_options.origin : "ipcconf";
	json_t *targets = json_object_get(model, "targets"), *t, *c;
	json_t *doc = json_pack("{s:{s:i, s:i}, s:[], s:[], s:[]}", "version", "major", 5, "minor",
	    3, "checkouts", "builds", "tests");
	json_t *checkouts = json_object_get(doc, "checkouts"), *seen = json_object();
	char created[128];
	size_t i, j;
	int rc = 0;

	farm_clean(model_str(model, "created"), ID_CHARS, created, sizeof created);
	json_array_foreach(targets, i, t) {
		char tclean[256], checkout_id[512], build_id[768], rel[256];
		json_t *build;

		farm_clean(model_str(t, "id"), ID_CHARS, tclean, sizeof tclean);
		farm_clean(prov(t, "kernel_release")[0] ? prov(t, "kernel_release") : "unknown",
		    ID_CHARS, rel, sizeof rel);
		if (farm_options.checkout_id != NULL)
			snprintf(checkout_id, sizeof checkout_id, "%s:%s", origin,
			    farm_options.checkout_id);
		else
			snprintf(checkout_id, sizeof checkout_id, "%s:linux-%s", origin, rel);
		if (farm_options.build_id != NULL && json_array_size(targets) == 1)
			snprintf(build_id, sizeof build_id, "%s:%s", origin, farm_options.build_id);
		else if (farm_options.build_id != NULL)
			snprintf(build_id, sizeof build_id, "%s:%s-%s", origin, farm_options.build_id,
			    tclean);
		else
			snprintf(build_id, sizeof build_id, "%s:ipcconf-%s-%s", origin, created, tclean);
		if (json_object_get(seen, checkout_id) == NULL) {
			json_t *co = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "id", checkout_id,
			    "origin", origin, "comment", "the kernel ipcconf ran on", "misc",
			    "kernel_release", prov(t, "kernel_release"), "kernel_version",
			    prov(t, "kernel_version"));

			json_array_append_new(checkouts, co);
			json_object_set_new(seen, checkout_id, json_true());
		}
		build = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", build_id, "checkout_id",
		    checkout_id, "origin", origin, "comment", "ipcconf's run on one target",
		    "misc", provenance_misc(t));
		if (prov(t, "arch")[0] != '\0') { /* [a-z0-9_]* */
			char arch[64];
			farm_clean(prov(t, "arch"), "abcdefghijklmnopqrstuvwxyz0123456789_", arch,
			    sizeof arch);
			json_object_set_new(build, "architecture", json_string(arch));
		}
		if (prov(t, "date")[0] != '\0')
			json_object_set_new(build, "start_time", json_string(prov(t, "date")));
		if (json_is_number(json_object_get(t, "duration_s")))
			json_object_set(build, "duration", json_object_get(t, "duration_s"));
		json_array_append_new(json_object_get(doc, "builds"), build);
		json_array_foreach(json_object_get(model, "cases"), j, c) {
			json_t *test = test_of(c, t, origin, build_id);
			if (test != NULL)
				json_array_append_new(json_object_get(doc, "tests"), test);
		}
	}
	if (json_dumpf(doc, out, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(9)) == -1 || fputc('\n', out) == EOF) {
		snprintf(err, errlen, "cannot write the KCIDB document");
		rc = -1;
	}
	json_decref(seen);
	json_decref(doc);
	return rc;
}
