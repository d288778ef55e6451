/* Reading one target's Kyua results store (SQLite, schema v3) into bundle JSON. */
#include "runner.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* "suites/pipe/pipe_test" -> "pipe"; a program outside suites/ is its own family. */
void
family_of(const char *program, char *out, size_t len)
{
	const char *p = program, *slash;

	if (strncmp(p, "suites/", 7) == 0) {
		p += 7;
		slash = strchr(p, '/');
		snprintf(out, len, "%.*s", slash ? (int)(slash - p) : (int)strlen(p), p);
		return;
	}
	slash = strrchr(p, '/');
	snprintf(out, len, "%s", slash ? slash + 1 : p);
}

/* Kyua's result types, with a timed-out body told apart from other breakage. */
static const char *
outcome_of(const char *type, const char *reason)
{
	if (strcmp(type, "broken") == 0 && strstr(reason, "timed out") != NULL)
		return "timed_out";
	return type; /* passed, failed, skipped, expected_failure, broken */
}

json_t *
store_read_cases(const char *store, const char *target_id, char *err, size_t errlen)
{
	static const char sql[] =
	    "SELECT tp.relative_path, tc.name, tr.result_type, "
	    "       COALESCE(tr.result_reason, ''), tr.end_time - tr.start_time, "
	    "       COALESCE((SELECT property_value FROM metadatas m WHERE "
	    "                 m.metadata_id = tc.metadata_id AND property_name = 'description'), ''), "
	    "       COALESCE((SELECT property_value FROM metadatas m WHERE "
	    "                 m.metadata_id = tc.metadata_id AND property_name = 'custom.spec'), ''), "
	    "       COALESCE((SELECT property_value FROM metadatas m WHERE "
	    "                 m.metadata_id = tc.metadata_id AND property_name = 'custom.class'), '') "
	    "FROM test_results tr "
	    "JOIN test_cases tc ON tc.test_case_id = tr.test_case_id "
	    "JOIN test_programs tp ON tp.test_program_id = tc.test_program_id "
	    "ORDER BY tp.relative_path, tc.name";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	json_t *cases;
	int rc;

	if (sqlite3_open_v2(store, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open results store %s: %s", store,
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s is not a Kyua results store: %s", store,
		    sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	cases = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *program = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *type = (const char *)sqlite3_column_text(st, 2);
		const char *reason = (const char *)sqlite3_column_text(st, 3);
		double secs = sqlite3_column_int64(st, 4) / 1e6;
		char family[64], id[512];
		json_t *c, *r;

		/* Kyua's pseudo-case for a program whose listing failed. */
		family_of(program, family, sizeof family);
		snprintf(id, sizeof id, "%s:%s", program, name);
		r = json_pack("{s:s, s:s, s:f}", "outcome", outcome_of(type, reason),
		    "reason", reason, "duration_s", secs);
		c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:o}}",
		    "id", id, "family", family, "program", program, "name", name,
		    "descr", (const char *)sqlite3_column_text(st, 5),
		    "spec", (const char *)sqlite3_column_text(st, 6),
		    "class", (const char *)sqlite3_column_text(st, 7),
		    "results", target_id, r);
		json_array_append_new(cases, c);
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "reading %s failed: %s", store, sqlite3_errmsg(db));
		json_decref(cases);
		cases = NULL;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return cases;
}

/*
 * Kyua saves nothing to its store when it is interrupted or killed, so the
 * cases that finished are rebuilt from its log lines
 * ("PROGRAM:CASE  ->  OUTCOME[: reason]  [1.234s]"). Used only then.
 */
json_t *
log_read_cases(const char *log, const char *target_id)
{
	char line[8192];
	json_t *cases = json_array();
	FILE *f = fopen(log, "re");

	if (f == NULL)
		return cases;
	while (fgets(line, sizeof line, f) != NULL) {
		char *arrow = strstr(line, "  ->  "), *colon, *outcome, *reason = "", *end;
		char family[64], program[512];
		const char *name;
		double secs = 0;

		if (arrow == NULL)
			continue;
		*arrow = '\0';
		outcome = arrow + 6;
		end = strstr(outcome, "  [");
		if (end == NULL || sscanf(end + 3, "%lfs]", &secs) != 1)
			continue; /* a line cut by an interruption */
		*end = '\0';
		if ((colon = strstr(outcome, ": ")) != NULL) {
			*colon = '\0';
			reason = colon + 2;
		}
		if (strcmp(outcome, "passed") != 0 && strcmp(outcome, "failed") != 0 &&
		    strcmp(outcome, "skipped") != 0 && strcmp(outcome, "expected_failure") != 0 &&
		    strcmp(outcome, "broken") != 0)
			continue;
		colon = strrchr(line, ':');
		if (colon == NULL)
			continue;
		snprintf(program, sizeof program, "%.*s", (int)(colon - line), line);
		name = colon + 1;
		family_of(program, family, sizeof family);
		json_array_append_new(cases, json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s, s:f}}}",
		    "id", line, "family", family, "program", program, "name", name,
		    "descr", "", "spec", "", "class", "", "results", target_id,
		    "outcome", outcome_of(outcome, reason), "reason", reason, "duration_s", secs));
	}
	fclose(f);
	return cases;
}

void
cases_add_metadata(json_t *cases, json_t *catalogue)
{
	json_t *idx = json_object(), *c, *m;
	size_t i;

	json_array_foreach(catalogue, i, c)
		json_object_set(idx, json_string_value(json_object_get(c, "id")), c);
	json_array_foreach(cases, i, c) {
		m = json_object_get(idx, json_string_value(json_object_get(c, "id")));
		if (m == NULL)
			continue;
		json_object_set(c, "descr", json_object_get(m, "descr"));
		json_object_set(c, "spec", json_object_get(m, "spec"));
		json_object_set(c, "class", json_object_get(m, "class"));
	}
	json_decref(idx);
}
