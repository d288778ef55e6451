/*
 * A short Markdown summary for CI job summaries and pull-request comments:
 * totals per target, the failing cases with clause and reason, and the cases
 * whose outcome differs between targets. Long lists stop at MAX_ROWS rows (a
 * GitHub job summary holds at most 1 MiB); every bundle string is escaped.
 */
#include "report_model.h"
#include "text.h"

#include <string.h>

#define MAX_ROWS 50
#define MAX_REASON 300

static const char *
label(const char *o)
{
	if (strcmp(o, "expected_failure") == 0)
		return "xfail";
	if (strcmp(o, "timed_out") == 0)
		return "timed out";
	if (strcmp(o, "not_run") == 0)
		return "not run";
	return o;
}

/* An outcome in a table: bad ones in bold. */
static void
outcome_cell(FILE *out, const char *o)
{
	fprintf(out, model_outcome_is_bad(o) ? "**%s**" : "%s", label(o));
}

static void
totals(FILE *out, json_t *m)
{
	json_t *t;
	size_t i;
	int k;

	fprintf(out, "| target | kernel | C library | distribution |");
	for (k = 0; report_outcomes[k] != NULL; k++)
		fprintf(out, " %s |", label(report_outcomes[k]));
	fprintf(out, " leaks |\n|---|---|---|---|");
	for (k = 0; report_outcomes[k] != NULL; k++)
		fprintf(out, "--:|");
	fprintf(out, "--:|\n");
	json_array_foreach(json_object_get(m, "targets"), i, t) {
		json_t *p = json_object_get(t, "provenance");
		const char *status = model_str(t, "status");
		char buf[512];

		fprintf(out, "| ");
		text_md_code(out, model_str(t, "id"), 120);
		if (status[0] != '\0' && strcmp(status, "completed") != 0) {
			fprintf(out, " (**");
			text_md_cell(out, status, 40);
			fprintf(out, "**)");
		}
		fprintf(out, " | ");
		snprintf(buf, sizeof buf, "%s %s%s", model_str(p, "kernel_release"), model_str(p, "arch"),
		    strncmp(model_str(p, "emulation"), "qemu-user", 9) == 0 ? " (under qemu-user)" : "");
		text_md_cell(out, buf, 120);
		fprintf(out, " | ");
		snprintf(buf, sizeof buf, "%s %s", model_str(p, "libc"), model_str(p, "libc_version"));
		text_md_cell(out, buf, 80);
		fprintf(out, " | ");
		text_md_cell(out, model_str(p, "distribution"), 80);
		fprintf(out, " |");
		for (k = 0; report_outcomes[k] != NULL; k++) {
			long long n = json_integer_value(json_object_get(json_object_get(t, "totals"),
			    report_outcomes[k]));
			fprintf(out, n > 0 && model_outcome_is_bad(report_outcomes[k]) ?
			    " **%lld** |" : " %lld |", n);
		}
		fprintf(out, " %zu |\n", json_array_size(json_object_get(t, "leaks")));
	}
	fprintf(out, "\n");
}

static void
failing(FILE *out, json_t *m, long long nbad)
{
	json_t *c, *t;
	size_t i, j;
	long long rows = 0;

	if (nbad == 0)
		return;
	fprintf(out, "### Failing cases (%lld)\n\n| case | target | outcome | clause | reason |\n"
	    "|---|---|---|---|---|\n", nbad);
	json_array_foreach(json_object_get(m, "cases"), i, c) {
		json_array_foreach(json_object_get(m, "targets"), j, t) {
			const char *tid = model_str(t, "id"), *o = model_outcome(c, tid);

			if (!model_outcome_is_bad(o) || rows++ >= MAX_ROWS)
				continue;
			fprintf(out, "| ");
			text_md_code(out, model_str(c, "name"), 200);
			fprintf(out, " | ");
			text_md_code(out, tid, 120);
			fprintf(out, " | ");
			outcome_cell(out, o);
			if (strcmp(model_str(json_object_get(json_object_get(c, "results"), tid),
			    "kind"), "not_implemented") == 0)
				fprintf(out, " (not implemented)");
			fprintf(out, " | ");
			text_md_cell(out, model_str(c, "spec"), 200);
			fprintf(out, " | ");
			text_md_cell(out, model_reason(c, tid), MAX_REASON);
			fprintf(out, " |\n");
		}
	}
	if (rows > MAX_ROWS)
		fprintf(out, "\n…and %lld more (the HTML report lists them all).\n", rows - MAX_ROWS);
	fprintf(out, "\n");
}

/*
 * The failures of each target and family by kind: what is not implemented
 * ("mq_send (ENOSYS) ×3") apart from wrong behaviour, so that a sandbox's
 * missing calls show at a glance. Only when some target lacks something.
 */
static void
failure_kinds(FILE *out, json_t *m)
{
	json_t *t, *g, *e;
	size_t i, j, k;
	bool any = false;

	json_array_foreach(json_object_get(m, "targets"), i, t)
		any = any || json_integer_value(json_object_get(json_object_get(t, "failure_kinds"),
		    "not_implemented")) > 0;
	if (!any)
		return;
	fprintf(out, "### Failures by kind, per target and family\n\n| target | family | not "
	    "implemented | wrong behaviour |\n|---|---|---|--:|\n");
	json_array_foreach(json_object_get(m, "targets"), i, t) {
		json_array_foreach(json_object_get(t, "failures_by_family"), j, g) {
			fprintf(out, "| ");
			text_md_code(out, model_str(t, "id"), 120);
			fprintf(out, " | ");
			text_md_cell(out, model_str(g, "family"), 60);
			fprintf(out, " | ");
			json_array_foreach(json_object_get(g, "missing"), k, e) {
				long long n = json_integer_value(json_object_get(e, "cases"));

				if (k == 20) {
					fprintf(out, ", …");
					break;
				}
				fprintf(out, "%s", k > 0 ? ", " : "");
				text_md_cell(out, model_str(e, "what"), 120);
				if (n > 1)
					fprintf(out, " ×%lld", n);
			}
			fprintf(out, " | %lld |\n", (long long)json_integer_value(json_object_get(g,
			    "wrong_behaviour")));
		}
	}
	fprintf(out, "\n");
}

static void
differences(FILE *out, json_t *m)
{
	json_t *targets = json_object_get(m, "targets"), *c, *t;
	long long ndiff = 0, rows = 0;
	size_t i, j;

	if (json_array_size(targets) < 2)
		return;
	json_array_foreach(json_object_get(m, "cases"), i, c)
		ndiff += json_is_true(json_object_get(c, "differs"));
	if (ndiff == 0) {
		fprintf(out, "Every case has the same outcome on every target.\n\n");
		return;
	}
	fprintf(out, "### Differences between targets (%lld)\n\n| case | clause |", ndiff);
	json_array_foreach(targets, j, t) {
		fprintf(out, " ");
		text_md_code(out, model_str(t, "id"), 60);
		fprintf(out, " |");
	}
	fprintf(out, "\n|---|---|");
	json_array_foreach(targets, j, t)
		fprintf(out, "---|");
	fprintf(out, "\n");
	json_array_foreach(json_object_get(m, "cases"), i, c) {
		if (!json_is_true(json_object_get(c, "differs")) || rows++ >= MAX_ROWS)
			continue;
		fprintf(out, "| ");
		text_md_code(out, model_str(c, "name"), 200);
		fprintf(out, " | ");
		text_md_cell(out, model_str(c, "spec"), 200);
		fprintf(out, " |");
		json_array_foreach(targets, j, t) {
			fprintf(out, " ");
			outcome_cell(out, model_outcome(c, model_str(t, "id")));
			fprintf(out, " |");
		}
		fprintf(out, "\n");
	}
	if (rows > MAX_ROWS)
		fprintf(out, "\n…and %lld more.\n", rows - MAX_ROWS);
	fprintf(out, "\n");
}

static void
target_problems(FILE *out, json_t *m)
{
	json_t *t, *v;
	size_t i, j;
	bool any = false;

	json_array_foreach(json_object_get(m, "targets"), i, t) {
		const char *status = model_str(t, "status");
		json_t *leaks = json_object_get(t, "leaks");

		if (status[0] != '\0' && strcmp(status, "completed") != 0) {
			any = true;
			fprintf(out, "- Target ");
			text_md_code(out, model_str(t, "id"), 120);
			fprintf(out, " did not complete (**");
			text_md_cell(out, status, 40);
			fprintf(out, "**): ");
			text_md_cell(out, model_str(t, "status_reason"), MAX_REASON);
			fprintf(out, "\n");
		}
		if (json_array_size(leaks) == 0)
			continue;
		any = true;
		fprintf(out, "- Target ");
		text_md_code(out, model_str(t, "id"), 120);
		fprintf(out, " left %zu IPC object(s) behind:", json_array_size(leaks));
		json_array_foreach(leaks, j, v) {
			if (j == 10) {
				fprintf(out, " …");
				break;
			}
			fprintf(out, " ");
			text_md_code(out, json_string_value(v), 120);
		}
		fprintf(out, "\n");
	}
	if (any)
		fprintf(out, "\n");
}

static bool
target_unfinished(json_t *t)
{
	const char *status = model_str(t, "status");

	return status[0] != '\0' && strcmp(status, "completed") != 0;
}

static size_t
unfinished_count(json_t *m)
{
	json_t *t;
	size_t i, n = 0;

	json_array_foreach(json_object_get(m, "targets"), i, t)
		n += target_unfinished(t);
	return n;
}

/* The headline names every target that did not complete, before any count. */
static void
unfinished_headline(FILE *out, json_t *m)
{
	json_t *t;
	size_t i, k = 0;

	if (unfinished_count(m) == 0)
		return;
	fprintf(out, "**%zu of %zu target(s) did not complete:", unfinished_count(m),
	    json_array_size(json_object_get(m, "targets")));
	json_array_foreach(json_object_get(m, "targets"), i, t) {
		if (!target_unfinished(t))
			continue;
		fprintf(out, "%s ", k++ ? "," : "");
		text_md_code(out, model_str(t, "id"), 120);
		fprintf(out, " (");
		text_md_cell(out, model_str(t, "status"), 40);
		fprintf(out, ")");
	}
	fprintf(out, ".**\n\n");
}

int
render_markdown(json_t *m, FILE *out, char *err, size_t errlen)
{
	json_t *t;
	size_t i;
	long long bad = 0, by[3] = { 0 };

	json_array_foreach(json_object_get(m, "targets"), i, t) {
		json_t *tot = json_object_get(t, "totals");
		by[0] += json_integer_value(json_object_get(tot, "failed"));
		by[1] += json_integer_value(json_object_get(tot, "broken"));
		by[2] += json_integer_value(json_object_get(tot, "timed_out"));
	}
	bad = by[0] + by[1] + by[2];
	fprintf(out, "## ipcconf: %zu cases on %zu target(s)\n\n",
	    json_array_size(json_object_get(m, "cases")),
	    json_array_size(json_object_get(m, "targets")));
	unfinished_headline(out, m);
	if (bad > 0)
		fprintf(out, "**%lld failed, %lld broken, %lld timed out.**\n\n", by[0], by[1], by[2]);
	else if (unfinished_count(m) > 0)
		fprintf(out, "No case of the targets that ran failed, broke or timed out.\n\n");
	else
		fprintf(out, "No case failed, broke or timed out.\n\n");
	totals(out, m);
	target_problems(out, m);
	failure_kinds(out, m);
	failing(out, m, bad);
	differences(out, m);
	(void)err;
	(void)errlen;
	return 0;
}
