/*
 * LAVA signals (lava.h). One target: a test set per family, the case's name
 * as its id (names are unique in the suite). Several targets: the sets are
 * TARGET.FAMILY and the ids TARGET.CASE, so that ids stay unique in the run.
 * The duration goes with each case as a measurement in seconds. A case with
 * no result on a target is left out.
 */
#include "lava.h"
#include "farms.h"
#include "report_model.h"

#include <string.h>

#define ID_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"

const char *
lava_result(const char *o)
{
	if (strcmp(o, "passed") == 0 || strcmp(o, "expected_failure") == 0)
		return "pass";
	if (strcmp(o, "failed") == 0)
		return "fail";
	if (strcmp(o, "skipped") == 0)
		return "skip";
	return "unknown"; /* broken, timed_out, not_run: no verdict on the target */
}

void
lava_case(FILE *out, const char *id, const char *result)
{
	char clean[512];

	farm_clean(id, ID_CHARS, clean, sizeof clean);
	fprintf(out, "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=%s RESULT=%s>\n", clean, result);
}

void
lava_family(FILE *out, const char *set_name, const char *id_prefix, json_t *cases)
{
	char set[256], id[512];
	json_t *c;
	size_t i;

	farm_clean(set_name, ID_CHARS, set, sizeof set);
	fprintf(out, "<LAVA_SIGNAL_TESTSET START %s>\n", set);
	json_array_foreach(cases, i, c) {
		const char *reason = model_str(c, "reason"), *p;
		json_t *d = json_object_get(c, "duration_s");

		snprintf(id, sizeof id, "%s%s%s", id_prefix != NULL ? id_prefix : "",
		    id_prefix != NULL && id_prefix[0] != '\0' ? "." : "", model_str(c, "name"));
		farm_clean(id, ID_CHARS, id, sizeof id);
		if (reason[0] != '\0') {
			fprintf(out, "ipcconf: %s: ", id);
			for (p = reason; *p != '\0'; p++)
				fputc(*p == '\n' || *p == '\r' || *p == '<' ? ' ' : *p, out);
			fputc('\n', out);
		}
		fprintf(out, "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=%s RESULT=%s", id,
		    lava_result(model_str(c, "outcome")));
		if (json_is_number(d))
			fprintf(out, " MEASUREMENT=%.6f UNITS=seconds", json_number_value(d));
		fputs(">\n", out);
	}
	fprintf(out, "<LAVA_SIGNAL_TESTSET STOP>\n");
}

int
render_lava(json_t *model, FILE *out, char *err, size_t errlen)
{
	json_t *targets = json_object_get(model, "targets"), *t, *c;
	size_t i, j;

	(void)err;
	(void)errlen;
	json_array_foreach(targets, i, t) {
		const char *tid = model_str(t, "id"), *fam = NULL;
		char tclean[256], set[512];
		json_t *group = NULL;

		farm_clean(tid, ID_CHARS, tclean, sizeof tclean);
		json_array_foreach(json_object_get(model, "cases"), j, c) {
			const char *o = model_outcome(c, tid);
			json_t *r = json_object_get(json_object_get(c, "results"), tid);

			if (strcmp(o, "not_run") == 0)
				continue;
			if (fam != NULL && strcmp(fam, model_str(c, "family")) != 0) {
				lava_family(out, set, json_array_size(targets) > 1 ? tclean : NULL, group);
				json_decref(group);
				group = NULL;
			}
			if (group == NULL) {
				group = json_array();
				fam = model_str(c, "family");
				snprintf(set, sizeof set, "%s%s%s", json_array_size(targets) > 1 ? tclean : "",
				    json_array_size(targets) > 1 ? "." : "", fam);
			}
			json_array_append_new(group, json_pack("{s:s, s:s, s:s, s:O}", "name",
			    model_str(c, "name"), "outcome", o, "reason", model_reason(c, tid),
			    "duration_s", json_object_get(r, "duration_s")));
		}
		if (group != NULL)
			lava_family(out, set, json_array_size(targets) > 1 ? tclean : NULL, group);
		json_decref(group);
	}
	return 0;
}
