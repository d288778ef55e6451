/*
 * KTAP version 1 (ktap.h): a bundle as the kernel's test harnesses read it.
 * One target: one subtest per family, then its cases. Several targets: one
 * subtest per target, then its families, then their cases. A case with no
 * result on a target is left out of that target's block; a target that ran
 * no case at all is one "not ok ... # ERROR" line. What did not go well
 * with a target as a whole (its status, objects left behind) is written as
 * diagnostic lines before its result; `ipcconf run`'s exit status carries it.
 */
#include "ktap.h"
#include "report_model.h"

#include <string.h>

void
ktap_description(const char *s, char *out, size_t len)
{
	size_t i;

	if (len == 0)
		return;
	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		out[i] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
		    s[i]) != NULL ? s[i] : '_';
	out[i] = '\0';
	if (i == 0 && len > 1)
		snprintf(out, len, "%s", "unnamed");
}

static void
indent(FILE *out, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", out);
}

/* A diagnostic line "# name: text", the text on one line. */
static void
diagnostic(FILE *out, int depth, const char *name, const char *text)
{
	const char *p;

	indent(out, depth);
	fprintf(out, "# %s: ", name);
	for (p = text; *p != '\0'; p++)
		fputc(*p == '\n' || *p == '\r' ? ' ' : *p, out);
	fputc('\n', out);
}

void
ktap_header(FILE *out, int depth, const char *name, size_t plan)
{
	char d[256];

	indent(out, depth);
	fputs("KTAP version 1\n", out);
	if (name != NULL) {
		ktap_description(name, d, sizeof d);
		indent(out, depth);
		fprintf(out, "# Subtest: %s\n", d);
	}
	indent(out, depth);
	fprintf(out, "1..%zu\n", plan);
}

void
ktap_case(FILE *out, int depth, size_t n, const char *name, const char *outcome,
    const char *reason, struct ktap_totals *t)
{
	const char *result = "ok", *directive = "";
	char d[256];

	ktap_description(name, d, sizeof d);
	if (reason != NULL && reason[0] != '\0')
		diagnostic(out, depth, d, reason);
	if (strcmp(outcome, "passed") == 0) {
		t->pass++;
	} else if (strcmp(outcome, "skipped") == 0) {
		directive = " # SKIP " KTAP_SKIP_TEXT;
		t->skip++;
	} else if (strcmp(outcome, "expected_failure") == 0) {
		directive = " # XFAIL " KTAP_XFAIL_TEXT;
		t->xfail++;
	} else if (strcmp(outcome, "failed") == 0) {
		result = "not ok";
		t->fail++;
	} else if (strcmp(outcome, "timed_out") == 0) {
		result = "not ok";
		directive = " # TIMEOUT " KTAP_TIMEOUT_TEXT;
		t->error++;
	} else { /* broken, not_run, anything else: not a verdict on the target */
		result = "not ok";
		directive = " # ERROR " KTAP_ERROR_TEXT;
		t->error++;
	}
	indent(out, depth);
	fprintf(out, "%s %zu %s%s\n", result, n, d, directive);
}

void
ktap_parent_result(FILE *out, int depth, size_t n, const char *name,
    const struct ktap_totals *sub)
{
	char d[256];
	bool bad = sub->fail > 0 || sub->error > 0;
	bool all_skipped = !bad && sub->skip > 0 && sub->pass + sub->xfail + sub->xpass == 0;

	ktap_description(name, d, sizeof d);
	indent(out, depth);
	fprintf(out, "%s %zu %s%s\n", bad ? "not ok" : "ok", n, d,
	    all_skipped ? " # SKIP " KTAP_SKIP_TEXT : "");
}

void
ktap_totals_add(struct ktap_totals *to, const struct ktap_totals *from)
{
	to->pass += from->pass;
	to->fail += from->fail;
	to->xfail += from->xfail;
	to->xpass += from->xpass;
	to->skip += from->skip;
	to->error += from->error;
}

void
ktap_totals_line(FILE *out, const struct ktap_totals *t)
{
	fprintf(out, "# Totals: pass:%ld fail:%ld xfail:%ld xpass:%ld skip:%ld error:%ld\n",
	    t->pass, t->fail, t->xfail, t->xpass, t->skip, t->error);
}

int
ktap_exit_status(const struct ktap_totals *t)
{
	if (t->fail > 0 || t->error > 0)
		return 1;
	if (t->skip > 0 && t->pass + t->xfail + t->xpass == 0)
		return 4;
	return 0;
}

void
ktap_family(FILE *out, int depth, size_t n, const char *family, json_t *cases,
    struct ktap_totals *t)
{
	struct ktap_totals sub = { 0 };
	json_t *c;
	size_t i;

	ktap_header(out, depth + 1, family, json_array_size(cases));
	json_array_foreach(cases, i, c)
		ktap_case(out, depth + 1, i + 1, model_str(c, "name"), model_str(c, "outcome"),
		    model_str(c, "reason"), &sub);
	ktap_parent_result(out, depth, n, family, &sub);
	ktap_totals_add(t, &sub);
}

/* The model's cases that ran on target, grouped by family (in the model's order). */
static json_t *
families_of_target(json_t *model, const char *target)
{
	json_t *groups = json_array(), *last = NULL, *c;
	const char *last_name = NULL;
	size_t i;

	json_array_foreach(json_object_get(model, "cases"), i, c) {
		const char *fam = model_str(c, "family");
		const char *o = model_outcome(c, target);

		if (strcmp(o, "not_run") == 0)
			continue;
		if (fam[0] == '\0')
			fam = model_str(c, "program");
		if (last == NULL || strcmp(last_name, fam) != 0) {
			last = json_pack("{s:s, s:[]}", "family", fam, "cases");
			json_array_append_new(groups, last);
			last_name = model_str(last, "family");
		}
		json_array_append_new(json_object_get(last, "cases"), json_pack("{s:s, s:s, s:s}",
		    "name", model_str(c, "name"), "outcome", o, "reason", model_reason(c, target)));
	}
	return groups;
}

/* What went wrong with target t as a whole, as diagnostic lines. */
static void
target_diagnostics(FILE *out, int depth, json_t *t)
{
	const char *status = model_str(t, "status"), *id = model_str(t, "id");
	char d[256], line[1024];
	json_t *leak;
	size_t i;

	ktap_description(id, d, sizeof d);
	if (status[0] != '\0' && strcmp(status, "completed") != 0) {
		snprintf(line, sizeof line, "target %s %s: %s", id, status,
		    model_str(t, "status_reason"));
		diagnostic(out, depth, d, line);
	}
	json_array_foreach(json_object_get(t, "leaks"), i, leak) {
		snprintf(line, sizeof line, "left behind: %s", json_string_value(leak));
		diagnostic(out, depth, d, line);
	}
}

/* One target's families at depth (their header already written); adds to t. */
static void
target_block(FILE *out, int depth, json_t *families, struct ktap_totals *t)
{
	json_t *g;
	size_t i;

	json_array_foreach(families, i, g)
		ktap_family(out, depth, i + 1, model_str(g, "family"), json_object_get(g, "cases"), t);
}

int
render_ktap(json_t *model, FILE *out, char *err, size_t errlen)
{
	json_t *targets = json_object_get(model, "targets"), *t;
	struct ktap_totals total = { 0 };
	size_t i;

	(void)err;
	(void)errlen;
	if (json_array_size(targets) == 1) {
		json_t *fams;

		t = json_array_get(targets, 0);
		fams = families_of_target(model, model_str(t, "id"));
		ktap_header(out, 0, NULL, json_array_size(fams) > 0 ? json_array_size(fams) : 1);
		target_diagnostics(out, 0, t);
		if (json_array_size(fams) == 0)
			ktap_case(out, 0, 1, model_str(t, "id"), "broken", "no case ran", &total);
		target_block(out, 0, fams, &total);
		json_decref(fams);
	} else {
		ktap_header(out, 0, NULL, json_array_size(targets));
		json_array_foreach(targets, i, t) {
			struct ktap_totals sub = { 0 };
			json_t *fams = families_of_target(model, model_str(t, "id"));

			if (json_array_size(fams) == 0) {
				target_diagnostics(out, 0, t);
				ktap_case(out, 0, i + 1, model_str(t, "id"), "broken", "no case ran",
				    &total);
				json_decref(fams);
				continue;
			}
			ktap_header(out, 1, model_str(t, "id"), json_array_size(fams));
			target_block(out, 1, fams, &sub);
			target_diagnostics(out, 0, t);
			ktap_parent_result(out, 0, i + 1, model_str(t, "id"), &sub);
			ktap_totals_add(&total, &sub);
			json_decref(fams);
		}
	}
	ktap_totals_line(out, &total);
	return 0;
}
