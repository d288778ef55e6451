/*
 * Baselines of known deviations (`--expect FILE` of run, diff and report),
 * the way Mesa's deqp-runner keeps its fails.txt: each line of FILE is
 *   TARGET-PATTERN  CASE-PATTERN  OUTCOME  REASON...
 * with shell patterns (fnmatch) for the target id and the case (matched
 * against PROGRAM:CASE with and without the suites/FAMILY/ prefix, and the
 * case's name alone), OUTCOME one of the bundle's outcomes or "flaky" (any
 * outcome is known, none is stale: deqp-runner's flakes.txt), '#' comments.
 * A result whose outcome is the one a matching line expects is a known
 * deviation: it counts as an expected failure. A result that passes where a
 * line expects failed, broken or timed_out is a stale expectation: it fails,
 * so that the file is kept true. Anything else is judged as without a baseline.
 */
#include "farm.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct expect_line {
	char *file, *target, *pattern, *outcome, *reason;
	int lineno;
	int matched;
};

struct expect {
	char *files; /* the files given, for the summary */
	struct expect_line *lines;
	size_t n;
	json_t *known, *stale; /* lines of the last rewrite, for expect_print */
};

static const char *const outcomes[] = { "passed", "failed", "skipped", "expected_failure",
	"broken", "timed_out", "flaky", NULL };

static bool
bad(const char *o)
{
	return strcmp(o, "failed") == 0 || strcmp(o, "broken") == 0 || strcmp(o, "timed_out") == 0;
}

struct expect *
expect_load(struct expect *e, const char *path)
{
	char line[4096], *files;
	int lineno = 0;
	FILE *f;

	if (e == NULL && (e = calloc(1, sizeof *e)) != NULL) {
		e->known = json_array();
		e->stale = json_array();
	}
	if (e == NULL || (f = fopen(path, "re")) == NULL)
		die_usage("--expect %s: %s", path, strerror(errno));
	if (asprintf(&files, "%s%s%s", e->files ? e->files : "", e->files ? ", " : "", path) < 0)
		die_usage("out of memory");
	free(e->files);
	e->files = files;
	while (fgets(line, sizeof line, f) != NULL) {
		char *fields[3], *p = line, *reason;
		struct expect_line *l;
		int k;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f))
			die_usage("%s:%d: the line is longer than %zu bytes", path, lineno, sizeof line);
		line[strcspn(line, "\r\n")] = '\0';
		p += strspn(p, " \t");
		if (*p == '\0' || *p == '#')
			continue;
		for (k = 0; k < 3; k++) {
			fields[k] = p;
			p += strcspn(p, " \t");
			if (*p != '\0')
				*p++ = '\0';
			p += strspn(p, " \t");
			if (fields[k][0] == '\0')
				die_usage("%s:%d: a line is TARGET-PATTERN CASE-PATTERN OUTCOME REASON",
				    path, lineno);
		}
		reason = p;
		for (k = 0; outcomes[k] != NULL && strcmp(outcomes[k], fields[2]) != 0; k++)
			;
		if (outcomes[k] == NULL)
			die_usage("%s:%d: '%s' is not an outcome (passed, failed, skipped, "
			    "expected_failure, broken, timed_out, flaky)", path, lineno, fields[2]);
		if (reason[0] == '\0')
			die_usage("%s:%d: say why the deviation is known (a reason after the outcome)",
			    path, lineno);
		l = realloc(e->lines, (e->n + 1) * sizeof *e->lines);
		if (l == NULL)
			die_usage("out of memory");
		e->lines = l;
		l = &e->lines[e->n++];
		l->file = strdup(path);
		l->target = strdup(fields[0]);
		l->pattern = strdup(fields[1]);
		l->outcome = strdup(fields[2]);
		l->reason = strdup(reason);
		l->lineno = lineno;
		l->matched = 0;
	}
	fclose(f);
	return e;
}

static bool
case_matches(const char *pattern, const char *id)
{
	const char *colon = strrchr(id, ':'), *slash;
	char shortid[1024];

	if (fnmatch(pattern, id, 0) == 0 || (colon != NULL && fnmatch(pattern, colon + 1, 0) == 0))
		return true;
	/* suites/FAMILY/PROGRAM:CASE as PROGRAM:CASE */
	if (colon != NULL) {
		for (slash = colon; slash > id && slash[-1] != '/'; slash--)
			;
		snprintf(shortid, sizeof shortid, "%s", slash);
		return fnmatch(pattern, shortid, 0) == 0;
	}
	return false;
}

/*
 * Judges one result: 'k' known, 's' stale, 0 neither. For 'k' and 's' the
 * rewritten reason goes into why; line gets the line that decided.
 */
static int
judge(struct expect *e, const char *target, const char *id, const char *outcome,
    const char *reason, char *why, size_t len, struct expect_line **line)
{
	struct expect_line *first = NULL;
	size_t i;

	for (i = 0; i < e->n; i++) {
		struct expect_line *l = &e->lines[i];

		if (fnmatch(l->target, target, 0) != 0 || !case_matches(l->pattern, id))
			continue;
		if (strcmp(l->outcome, outcome) == 0 || strcmp(l->outcome, "flaky") == 0) {
			*line = l;
			snprintf(why, len, "known deviation (%s:%d): %s%s%s", l->file, l->lineno,
			    l->reason, reason[0] ? "; the case: " : "", reason);
			return 'k';
		}
		if (first == NULL)
			first = l;
	}
	if (first != NULL && bad(first->outcome) && strcmp(outcome, "passed") == 0) {
		*line = first;
		snprintf(why, len, "stale expectation (%s:%d): expected %s (%s), but the case "
		    "passed: remove the line", first->file, first->lineno, first->outcome,
		    first->reason);
		return 's';
	}
	return 0;
}

int
expect_judge(struct expect *e, const char *target, const char *id, const char **outcome,
    char *reason, size_t len)
{
	struct expect_line *l;
	char why[2048];
	int k;

	if (e == NULL || (k = judge(e, target, id, *outcome, reason, why, sizeof why, &l)) == 0)
		return 0;
	*outcome = k == 'k' ? (bad(*outcome) ? "expected_failure" : *outcome) : "failed";
	snprintf(reason, len, "%s", why);
	return k;
}

json_t *
expect_rewrite(struct expect *e, json_t *bundle)
{
	json_t *b = json_deep_copy(bundle), *c, *r;
	const char *tid;
	size_t i;

	json_array_clear(e->known);
	json_array_clear(e->stale);
	json_array_foreach(json_object_get(b, "cases"), i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));

		json_object_foreach(json_object_get(c, "results"), tid, r) {
			const char *o = json_string_value(json_object_get(r, "outcome"));
			const char *reason = json_string_value(json_object_get(r, "reason"));
			struct expect_line *l;
			char why[2048], row[3072];
			int k;

			if (o == NULL || id == NULL)
				continue;
			k = judge(e, tid, id, o, reason != NULL ? reason : "", why, sizeof why, &l);
			if (k == 0)
				continue;
			l->matched++;
			snprintf(row, sizeof row, "[%s] %s  %s: %s", tid, id, o, k == 'k' ? l->reason : why);
			json_array_append_new(k == 'k' ? e->known : e->stale, json_string(row));
			/* The bundle keeps what happened; the view says how the baseline judges it. */
			json_object_set_new(r, "baseline", json_pack("{s:s, s:s, s:i}", "judged",
			    k == 'k' ? "known" : "stale", "file", l->file, "line", l->lineno));
			/* A failure's kind goes with the outcome it is now viewed as. */
			if (k == 'k' && bad(o)) {
				json_object_set_new(r, "outcome", json_string("expected_failure"));
				json_object_del(r, "kind");
				json_object_del(r, "missing");
			} else if (k == 's') {
				json_object_set_new(r, "outcome", json_string("failed"));
				json_object_set_new(r, "kind", json_string("wrong_behaviour"));
				json_object_del(r, "missing");
			}
			json_object_set_new(r, "reason", json_string(why));
		}
	}
	/* The targets' totals count the outcomes as judged, for every summary after this. */
	json_array_foreach(json_object_get(b, "targets"), i, c)
		json_object_set_new(c, "totals", target_totals(b,
		    json_string_value(json_object_get(c, "id"))));
	return b;
}

int
expect_print(struct expect *e, FILE *out)
{
	json_t *row;
	size_t i;

	fprintf(out, "\nBaseline %s: %zu known deviation(s), %zu stale expectation(s)\n", e->files,
	    json_array_size(e->known), json_array_size(e->stale));
	json_array_foreach(e->known, i, row)
		fprintf(out, "  known  %s\n", json_string_value(row));
	json_array_foreach(e->stale, i, row)
		fprintf(out, "  STALE  %s\n", json_string_value(row));
	return (int)json_array_size(e->stale);
}
