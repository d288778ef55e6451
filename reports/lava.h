/*
 * LAVA's test-shell signals, as `lava-test-case` and `lava-test-set` print
 * them: one test set per family, one test case per case, ids of
 * [A-Za-z0-9_.-] unique in the run. Shared by `ipcconf report --format lava`
 * and `ipcconf run --lava`.
 */
#ifndef IPCCONF_REPORTS_LAVA_H
#define IPCCONF_REPORTS_LAVA_H

#include <jansson.h>
#include <stdio.h>

/* LAVA's result for a bundle outcome: pass, fail, skip or unknown. */
const char *lava_result(const char *outcome);

/*
 * One test set named set_name holding cases (objects with "name",
 * "outcome", "reason", "duration_s"), each case's id prefixed with
 * id_prefix (NULL or "" for none). A reason is a log line before its signal.
 */
void lava_family(FILE *out, const char *set_name, const char *id_prefix, json_t *cases);

/* A test case of its own (the run's overall result). */
void lava_case(FILE *out, const char *id, const char *result);

#endif
