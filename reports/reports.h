/*
 * ipcconf_reports: renders a result bundle (runner/BUNDLE.md) as JUnit XML,
 * a JSON report document, a self-contained HTML matrix, a Markdown summary
 * and a spec traceability table. Bundles are untrusted input: every function
 * checks the bundle's content first and refuses a malformed one with a message.
 */
#ifndef IPCCONF_REPORTS_H
#define IPCCONF_REPORTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

enum report_format {
	REPORT_JUNIT,
	REPORT_JSON,
	REPORT_HTML,
	REPORT_MARKDOWN,
	REPORT_SPEC,
	REPORT_KTAP,
	REPORT_KCIDB,
	REPORT_SQUAD,
	REPORT_LAVA,
};

/* The format called `name` (junit, json, html, markdown, spec, ktap, kcidb, squad, lava), or -1. */
int report_format_from_name(const char *name);

/* The format names, comma-separated, for usage messages. */
const char *report_format_names(void);

/*
 * Writes `bundle` in `format` to `out`. Returns 0, or -1 with a message in
 * err when the bundle is malformed or the output cannot be written.
 */
int report_write(json_t *bundle, enum report_format format, FILE *out, char *err,
    size_t errlen);

/*
 * What kind of failure a result is: for a failed one, "not_implemented" when
 * its reason carries the fixtures' mark "not implemented: WHAT (DETAIL)"
 * (fixtures/fx_outcome.h; "WHAT (DETAIL)" is copied into missing), else
 * "wrong_behaviour"; "" for any other outcome (missing is then "").
 */
const char *report_failure_kind(const char *outcome, const char *reason, char *missing,
    size_t len);

/*
 * Writes report.xml (JUnit), report.html and report.md into bundle_dir,
 * each through a temporary file renamed into place. Returns 0 or -1 with err.
 */
int reports_write_all(json_t *bundle, const char *bundle_dir, char *err, size_t errlen);

#endif
