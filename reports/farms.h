/*
 * The formats of kernel test farms (KTAP, KCIDB, SQUAD, LAVA signals): their
 * renderers of the report model (report_model.h), and the options they take.
 */
#ifndef IPCCONF_REPORTS_FARMS_H
#define IPCCONF_REPORTS_FARMS_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

int render_ktap(json_t *model, FILE *out, char *err, size_t errlen);

#endif
