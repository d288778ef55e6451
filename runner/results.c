/* Reading Kyua's SQLite results store (schema v3). */
#include "runner.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tally *
family_tally(struct results *r, const char *family)
{
	size_t i;
	void *p;

	for (i = 0; i < r->nfamilies; i++)
		if (strcmp(r->families[i].family, family) == 0)
			return &r->families[i];
	p = realloc(r->families, (r->nfamilies + 1) * sizeof *r->families);
	if (p == NULL)
		return NULL;
	r->families = p;
	memset(&r->families[r->nfamilies], 0, sizeof r->families[0]);
	snprintf(r->families[r->nfamilies].family, sizeof r->families[0].family, "%s", family);
	return &r->families[r->nfamilies++];
}

/* "suites/pipe/pipe_test" -> "pipe"; anything else -> its directory. */
static void
family_of(const char *relpath, char *out, size_t len)
{
	const char *p = relpath, *slash;

	if (strncmp(p, "suites/", 7) == 0)
		p += 7;
	slash = strchr(p, '/');
	snprintf(out, len, "%.*s", slash ? (int)(slash - p) : (int)strlen(p), p);
}

static void
count(struct tally *t, const char *type)
{
	if (strcmp(type, "passed") == 0)
		t->passed++;
	else if (strcmp(type, "failed") == 0)
		t->failed++;
	else if (strcmp(type, "skipped") == 0)
		t->skipped++;
	else if (strcmp(type, "expected_failure") == 0)
		t->xfail++;
	else
		t->broken++;
}

int
results_read(const char *store, struct results *r, char *err, size_t errlen)
{
	static const char sql[] =
	    "SELECT tp.relative_path, tc.name, tr.result_type, "
	    "       COALESCE(tr.result_reason, '') "
	    "FROM test_results tr "
	    "JOIN test_cases tc ON tc.test_case_id = tr.test_case_id "
	    "JOIN test_programs tp ON tp.test_program_id = tc.test_program_id "
	    "ORDER BY tp.relative_path, tc.name";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	memset(r, 0, sizeof *r);
	snprintf(r->total.family, sizeof r->total.family, "total");
	if (sqlite3_open_v2(store, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open results store %s: %s", store,
		    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s is not a Kyua results store: %s", store,
		    sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rel = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *type = (const char *)sqlite3_column_text(st, 2);
		const char *reason = (const char *)sqlite3_column_text(st, 3);
		char family[32];
		struct tally *t;

		family_of(rel, family, sizeof family);
		t = family_tally(r, family);
		if (t == NULL)
			break;
		count(t, type);
		count(&r->total, type);
		if (strcmp(type, "failed") == 0 || strcmp(type, "broken") == 0) {
			void *p = realloc(r->bad, (r->nbad + 1) * sizeof *r->bad);
			struct bad_case *b;

			if (p == NULL)
				break;
			r->bad = p;
			b = &r->bad[r->nbad++];
			snprintf(b->program, sizeof b->program, "%s", rel);
			snprintf(b->name, sizeof b->name, "%s", name);
			snprintf(b->result, sizeof b->result, "%s", type);
			snprintf(b->reason, sizeof b->reason, "%s", reason);
		}
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "reading %s failed: %s", store, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		sqlite3_close(db);
		return -1;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}

void
results_free(struct results *r)
{
	free(r->families);
	free(r->bad);
	memset(r, 0, sizeof *r);
}
