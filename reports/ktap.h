/*
 * KTAP version 1 (the kernel's Documentation/dev-tools/ktap.rst), as
 * kselftest and KUnit write it: the pieces that both `ipcconf report
 * --format ktap` and `ipcconf run --ktap` (which streams them while the run
 * goes) put together. Descriptions are stable identifiers of [A-Za-z0-9_.-];
 * the reason of a result is a diagnostic line ("# name: reason") before its
 * result line, and a directive is followed by a fixed text, so that a harness
 * folding the directive's text into the test's name always gets one name.
 */
#ifndef IPCCONF_REPORTS_KTAP_H
#define IPCCONF_REPORTS_KTAP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* kselftest's counters (its "# Totals:" line); broken and timed out count as error. */
struct ktap_totals {
	long pass, fail, xfail, xpass, skip, error;
};

/* The fixed texts after the directives. */
#define KTAP_SKIP_TEXT "not possible on this target"
#define KTAP_XFAIL_TEXT "declared deviation of this target"
#define KTAP_ERROR_TEXT "the test program broke"
#define KTAP_TIMEOUT_TEXT "the case ran past its timeout"

/* s as a KTAP description: every character outside [A-Za-z0-9_.-] becomes '_'. */
void ktap_description(const char *s, char *out, size_t len);

/* "KTAP version 1", an optional "# Subtest: NAME" line and "1..PLAN", indented by depth. */
void ktap_header(FILE *out, int depth, const char *name, size_t plan);

/*
 * One case's result line numbered n, preceded by its reason as a diagnostic;
 * outcome is a bundle outcome (passed, failed, skipped, expected_failure,
 * broken, timed_out, or "not_run" with the reason why). Counts it in t.
 */
void ktap_case(FILE *out, int depth, size_t n, const char *name, const char *outcome,
    const char *reason, struct ktap_totals *t);

/*
 * The result line of a parent test numbered n over the cases counted in
 * sub (its own subtests): not ok if any failed or broke, "# SKIP" if all
 * were skipped, else ok.
 */
void ktap_parent_result(FILE *out, int depth, size_t n, const char *name,
    const struct ktap_totals *sub);

void ktap_totals_add(struct ktap_totals *to, const struct ktap_totals *from);

/* "# Totals: pass:N fail:N xfail:N xpass:N skip:N error:N". */
void ktap_totals_line(FILE *out, const struct ktap_totals *t);

/* kselftest's exit status for totals t: 1 if a case failed or broke, 4 if all were skipped, else 0. */
int ktap_exit_status(const struct ktap_totals *t);

/*
 * One family's block as a subtest numbered n at depth: cases is an array of
 * objects with "name", "outcome" and "reason". Adds its cases to t.
 */
void ktap_family(FILE *out, int depth, size_t n, const char *family, json_t *cases,
    struct ktap_totals *t);

#endif
