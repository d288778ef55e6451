/*
 * SQUAD (Linaro's result store, LKFT): for each target, the three documents
 * its submit API takes (POST /api/submit/GROUP/PROJECT/BUILD/ENVIRONMENT
 * with the files tests, metrics and metadata), in one JSON document:
 *   { "submissions": [ { "environment", "tests", "metrics", "metadata" } ] }
 * tests: "FAMILY/CASE": "pass" | "fail" | "skip" (passed and expected
 * failures pass, as Kyua counts them; failed, broken and timed out fail;
 * skipped skips; a case with no result on the target is left out).
 * metrics: the target's wall time and each family's summed case durations,
 * in seconds. metadata: strings only (suite_versions is the one object
 * SQUAD knows): datetime, job_status, job_id, and the target's provenance.
 */
#include "farms.h"
#include "report_model.h"

#include <string.h>

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"

static const char *
squad_result(const char *o)
{
	if (strcmp(o, "passed") == 0 || strcmp(o, "expected_failure") == 0)
		return "pass";
	if (strcmp(o, "skipped") == 0)
		return "skip";
	if (strcmp(o, "not_run") == 0)
		return NULL;
	return "fail";
}

static json_t *
metadata_of(json_t *model, json_t *t)
{
	json_t *md = json_object(), *v;
	const char *k;

	json_object_foreach(json_object_get(t, "provenance"), k, v) {
		if (json_is_string(v))
			json_object_set(md, k, v);
		else if (json_is_integer(v))
			json_object_set_new(md, k, json_sprintf("%lld", (long long)json_integer_value(v)));
		else if (json_is_boolean(v))
			json_object_set_new(md, k, json_string(json_is_true(v) ? "true" : "false"));
	}
	if (json_is_string(json_object_get(md, "date")))
		json_object_set(md, "datetime", json_object_get(md, "date"));
	json_object_set_new(md, "job_status", json_string(model_str(t, "status")));
	if (farm_options.job_id != NULL)
		json_object_set_new(md, "job_id", json_string(farm_options.job_id));
	json_object_set_new(md, "ipcconf_target", json_string(model_str(t, "id")));
	json_object_set_new(md, "suite_versions", json_pack("{s:s}", "ipcconf",
	    model_str(model, "ipcconf_version")));
	return md;
}

int
render_squad(json_t *model, FILE *out, char *err, size_t errlen)
{
	json_t *doc = json_pack("{s:[]}", "submissions"), *t, *c;
	size_t i, j;
	int rc = 0;

	json_array_foreach(json_object_get(model, "targets"), i, t) {
		const char *tid = model_str(t, "id");
		char env[256];
		json_t *tests = json_object(), *metrics = json_object();

		/* An environment's name: [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
		farm_clean(tid, NAME_CHARS, env, sizeof env);
		if (env[0] == '_' || env[0] == '.' || env[0] == '-')
			env[0] = 'x';
		json_array_foreach(json_object_get(model, "cases"), j, c) {
			const char *o = model_outcome(c, tid), *res = squad_result(o);
			char fam[128], name[256], key[400];
			json_t *r = json_object_get(json_object_get(c, "results"), tid), *sum;

			if (res == NULL)
				continue;
			/* Slashes separate the suite from the test: none inside either. */
			farm_clean(model_str(c, "family"), NAME_CHARS, fam, sizeof fam);
			farm_clean(model_str(c, "name"), NAME_CHARS, name, sizeof name);
			snprintf(key, sizeof key, "%s/%s", fam, name);
			json_object_set_new(tests, key, json_string(res));
			snprintf(key, sizeof key, "%s/duration_s", fam);
			sum = json_object_get(metrics, key);
			json_object_set_new(metrics, key, json_real((sum ? json_number_value(sum) : 0) +
			    json_number_value(json_object_get(r, "duration_s"))));
		}
		if (json_is_number(json_object_get(t, "duration_s")))
			json_object_set(metrics, "ipcconf/run_duration_s", json_object_get(t, "duration_s"));
		json_array_append_new(json_object_get(doc, "submissions"), json_pack("{s:s, s:o, s:o, s:o}",
		    "environment", env, "tests", tests, "metrics", metrics, "metadata",
		    metadata_of(model, t)));
	}
	if (json_dumpf(doc, out, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(9)) == -1 || fputc('\n', out) == EOF) {
		snprintf(err, errlen, "cannot write the SQUAD document");
		rc = -1;
	}
	json_decref(doc);
	return rc;
}
