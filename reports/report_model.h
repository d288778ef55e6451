/*
 * The report document every format renders: a checked, sorted copy of a
 * bundle with totals and differences computed (schema in reports/REPORTS.md).
 */
#ifndef IPCCONF_REPORT_MODEL_H
#define IPCCONF_REPORT_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define REPORT_SCHEMA "ipcconf-report"
#define REPORT_SCHEMA_VERSION 1

/* The outcomes of a result in the order reports show them, then "not_run". */
extern const char *const report_outcomes[];
#define REPORT_NOUTCOMES 7

/*
 * Checks bundle (its keys' types, known outcomes, unique ids, results only
 * for listed targets) and builds the report document; NULL with err if the
 * bundle is malformed.
 */
json_t *report_model(json_t *bundle, char *err, size_t errlen);

/* A string member of obj, or "" when absent (the model has only strings there). */
const char *model_str(json_t *obj, const char *key);

/* The outcome of case c on target id ("not_run" when it did not run there). */
const char *model_outcome(json_t *c, const char *target_id);
const char *model_reason(json_t *c, const char *target_id);

/* failed, broken, timed_out: what makes a run exit 1. */
bool model_outcome_is_bad(const char *outcome);

/* Renderers of the model; each returns 0 or -1 with err. */
int render_junit(json_t *model, FILE *out, char *err, size_t errlen);
int render_json(json_t *model, FILE *out, char *err, size_t errlen);
int render_html(json_t *model, FILE *out, char *err, size_t errlen);
int render_markdown(json_t *model, FILE *out, char *err, size_t errlen);
int render_spec(json_t *model, FILE *out, char *err, size_t errlen);

#endif
