/*
 * `ipcconf run --ktap` (and `--lava`): results on standard output while the
 * run goes, for a harness that reads a console. KTAP cannot interleave
 * subtests, and Kyua runs programs of several families side by side: so a
 * family's block is written when the last of its selected cases has
 * finished (Kyua's log line "PROGRAM:CASE  ->  OUTCOME[: reason]  [Ns]"),
 * and what never finished is written from the bundle at the end.
 */
#include "farm.h"
#include "ktap.h"
#include "lava.h"
#include "reports.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct farm_stream {
	enum stream_format format;
	FILE *out;
	int ntargets;
	json_t *families;   /* [{ "family", "cases": [id...], "results": {id: result}, "done" }] */
	json_t *family_of;  /* id -> index in families */
	size_t emitted;
	long offset;        /* how far the log has been read */
	struct expect *expect;
	char target_id[256];
	struct ktap_totals totals;
};

struct farm_stream *
farm_stream_open(enum stream_format format, const char *suite, const char *const *filters,
    int nfilters, int ntargets)
{
	struct farm_stream *s = calloc(1, sizeof *s);
	json_t *cat = suite != NULL && ntargets == 1 ? catalogue_read(suite, NULL) : json_array();
	json_t *sel = catalogue_select(cat, filters, nfilters), *c;
	int fd;
	size_t i;

	if (s == NULL)
		die_usage("out of memory");
	fflush(stdout);
	if ((fd = fcntl(1, F_DUPFD_CLOEXEC, 3)) == -1 || (s->out = fdopen(fd, "w")) == NULL ||
	    dup2(2, 1) == -1)
		die_usage("cannot set up the %s stream on standard output",
		    format == STREAM_KTAP ? "KTAP" : "LAVA");
	s->format = format;
	s->ntargets = ntargets;
	s->families = json_array();
	s->family_of = json_object();
	json_array_foreach(sel, i, c) {
		const char *fam = json_string_value(json_object_get(c, "family"));
		const char *id = json_string_value(json_object_get(c, "id"));
		json_t *g = NULL, *x;
		size_t j;

		json_array_foreach(s->families, j, x)
			if (strcmp(json_string_value(json_object_get(x, "family")), fam) == 0) {
				g = x;
				break;
			}
		if (g == NULL) {
			j = json_array_size(s->families);
			g = json_pack("{s:s, s:[], s:{}, s:b}", "family", fam, "cases", "results",
			    "done", 0);
			json_array_append_new(s->families, g);
		}
		json_array_append_new(json_object_get(g, "cases"), json_string(id));
		json_object_set_new(s->family_of, id, json_integer((json_int_t)j));
	}
	json_decref(sel);
	json_decref(cat);
	if (format == STREAM_KTAP && json_array_size(s->families) > 0)
		ktap_header(s->out, 0, NULL, json_array_size(s->families));
	fflush(s->out);
	return s;
}

/* The family's cases in catalogue order, as { name, outcome, reason } for the writers. */
static json_t *
family_cases(json_t *g)
{
	json_t *cases = json_array(), *id;
	size_t i;

	json_array_foreach(json_object_get(g, "cases"), i, id) {
		json_t *r = json_object_get(json_object_get(g, "results"), json_string_value(id));
		const char *colon = strrchr(json_string_value(id), ':');

		json_array_append_new(cases, json_pack("{s:s, s:s, s:s, s:s, s:f}", "id",
		    json_string_value(id), "name", colon != NULL ? colon + 1 : json_string_value(id),
		    "outcome", json_string_value(json_object_get(r, "outcome")),
		    "reason", json_string_value(json_object_get(r, "reason")),
		    "duration_s", json_number_value(json_object_get(r, "duration_s"))));
	}
	return cases;
}

static void
emit_family(struct farm_stream *s, json_t *g)
{
	json_t *cases = family_cases(g);
	const char *fam = json_string_value(json_object_get(g, "family"));

	s->emitted++;
	if (s->format == STREAM_KTAP)
		ktap_family(s->out, 0, s->emitted, fam, cases, &s->totals);
	else
		lava_family(s->out, fam, NULL, cases);
	json_object_set_new(g, "done", json_true());
	json_decref(cases);
	fflush(s->out);
}

/* One finished case from a log line; false if the line is not one. */
static bool
parse_line(char *line, char **id, const char **outcome, const char **reason, double *secs)
{
	char *arrow = strstr(line, "  ->  "), *end, *colon, *start;

	if (arrow == NULL)
		return false;
	*arrow = '\0';
	start = strrchr(line, ' ');
	*id = start != NULL ? start + 1 : line;
	*outcome = arrow + 6;
	if ((end = strstr(arrow + 6, "  [")) == NULL || sscanf(end + 3, "%lfs]", secs) != 1)
		return false;
	*end = '\0';
	*reason = "";
	if ((colon = strstr(arrow + 6, ": ")) != NULL) {
		*colon = '\0';
		*reason = colon + 2;
	}
	if (strcmp(*outcome, "broken") == 0 && strstr(*reason, "timed out") != NULL)
		*outcome = "timed_out";
	return true;
}

static void
record(struct farm_stream *s, const char *id, const char *outcome, const char *reason,
    double secs)
{
	json_t *ix = json_object_get(s->family_of, id), *g, *results;

	if (ix == NULL)
		return;
	g = json_array_get(s->families, (size_t)json_integer_value(ix));
	results = json_object_get(g, "results");
	char why[4096];

	if (json_is_true(json_object_get(g, "done")) || json_object_get(results, id) != NULL)
		return;
	snprintf(why, sizeof why, "%s", reason);
	expect_judge(s->expect, s->target_id, id, &outcome, why, sizeof why);
	json_object_set_new(results, id, json_pack("{s:s, s:s, s:f}", "outcome", outcome,
	    "reason", why, "duration_s", secs));
	if (json_object_size(results) == json_array_size(json_object_get(g, "cases")))
		emit_family(s, g);
}

void
farm_stream_expect(struct farm_stream *s, struct expect *e, const char *target_id)
{
	s->expect = e;
	snprintf(s->target_id, sizeof s->target_id, "%s", target_id);
}

void
farm_stream_poll(struct farm_stream *s, const char *log)
{
	char line[8192];
	FILE *f;

	if (s == NULL || s->ntargets != 1 || log == NULL || (f = fopen(log, "re")) == NULL)
		return;
	if (fseek(f, s->offset, SEEK_SET) == 0) {
		while (fgets(line, sizeof line, f) != NULL) {
			const char *outcome, *reason;
			double secs;
			char *id;

			if (strchr(line, '\n') == NULL && !feof(f))
				continue; /* longer than a result line: not one */
			if (strchr(line, '\n') == NULL)
				break; /* not written to its end yet: read it next time */
			s->offset = ftell(f);
			if (parse_line(line, &id, &outcome, &reason, &secs))
				record(s, id, outcome, reason, secs);
		}
	}
	fclose(f);
}

int
farm_stream_finish(struct farm_stream *s, json_t *bundle, int status)
{
	json_t *t = json_array_get(json_object_get(bundle, "targets"), 0), *g, *c;
	const char *tid = json_string_value(json_object_get(t, "id"));
	char err[1024], why[768];
	size_t i, j;

	if (s->ntargets != 1 || json_array_size(s->families) == 0) {
		if (report_write(bundle, s->format == STREAM_KTAP ? REPORT_KTAP : REPORT_LAVA, s->out,
		    err, sizeof err) == -1)
			fprintf(stderr, "ipcconf: the %s stream could not be written: %s\n",
			    s->format == STREAM_KTAP ? "KTAP" : "LAVA", err);
		if (s->format == STREAM_KTAP) {
			json_t *tot = NULL;
			/* The report counted them: read its totals back from the bundle. */
			json_array_foreach(json_object_get(bundle, "targets"), i, t) {
				tot = json_object_get(t, "totals");
				s->totals.pass += json_integer_value(json_object_get(tot, "passed"));
				s->totals.fail += json_integer_value(json_object_get(tot, "failed"));
				s->totals.xfail += json_integer_value(json_object_get(tot,
				    "expected_failure"));
				s->totals.skip += json_integer_value(json_object_get(tot, "skipped"));
				s->totals.error += json_integer_value(json_object_get(tot, "broken")) +
				    json_integer_value(json_object_get(tot, "timed_out"));
			}
		}
	} else {
		/* The bundle's result of each case not yet written; a case without one never ran. */
		snprintf(why, sizeof why, "did not run: the target %s %s%s%s", tid,
		    json_string_value(json_object_get(t, "status")),
		    json_string_length(json_object_get(t, "status_reason")) ? ": " : "",
		    json_string_value(json_object_get(t, "status_reason")));
		json_array_foreach(json_object_get(bundle, "cases"), i, c) {
			json_t *r = json_object_get(json_object_get(c, "results"), tid);
			const char *id = json_string_value(json_object_get(c, "id"));

			if (r != NULL)
				record(s, id, json_string_value(json_object_get(r, "outcome")),
				    json_string_value(json_object_get(r, "reason")),
				    json_number_value(json_object_get(r, "duration_s")));
		}
		json_array_foreach(s->families, i, g) {
			if (json_is_true(json_object_get(g, "done")))
				continue;
			json_array_foreach(json_object_get(g, "cases"), j, c)
				if (json_object_get(json_object_get(g, "results"),
				    json_string_value(c)) == NULL)
					json_object_set_new(json_object_get(g, "results"),
					    json_string_value(c), json_pack("{s:s, s:s, s:f}",
					    "outcome", "not_run", "reason", why, "duration_s", 0.0));
			emit_family(s, g);
		}
		if (s->format == STREAM_KTAP) {
			json_array_foreach(json_object_get(t, "leaks"), i, c)
				fprintf(s->out, "# %s: left behind: %s\n", tid, json_string_value(c));
			ktap_totals_line(s->out, &s->totals);
		}
	}
	/* LAVA counts no exit status: the run's own verdict (leaks, a target that did not finish) is a case. */
	if (s->format == STREAM_LAVA)
		lava_case(s->out, "ipcconf-run", status == EXIT_CLEAN ? "pass" : "fail");
	fflush(s->out);
	if (s->format == STREAM_KTAP && status == EXIT_CLEAN && ktap_exit_status(&s->totals) == 4)
		status = 4;
	fclose(s->out);
	json_decref(s->families);
	json_decref(s->family_of);
	free(s);
	return status;
}
