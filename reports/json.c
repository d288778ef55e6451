/* The report document itself (reports/REPORTS.md), for tools that want the matrix computed. */
#include "report_model.h"

int
render_json(json_t *m, FILE *out, char *err, size_t errlen)
{
	if (json_dumpf(m, out, JSON_INDENT(1) | JSON_SORT_KEYS) == -1 || fputc('\n', out) == EOF) {
		snprintf(err, errlen, "cannot write the JSON report");
		return -1;
	}
	return 0;
}
