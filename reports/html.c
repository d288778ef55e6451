/*
 * The HTML matrix: one self-contained file. The page, style and script
 * (reports/html/) are embedded at build time; the report document goes in a
 * <script type="application/json"> element with every <, > and & written as
 * a JSON \u escape, so that no string from the bundle can end the element or
 * open a tag. The script puts strings into the page as text only.
 */
#include "report_model.h"

#include <stdlib.h>
#include <string.h>

extern const char ipcconf_report_html[], ipcconf_report_css[], ipcconf_report_js[];

/* The JSON text with <, > and & escaped (they occur only inside strings). */
static int
write_data(json_t *m, FILE *out)
{
	char *s = json_dumps(m, JSON_COMPACT), *p;

	if (s == NULL)
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p == '<')
			fputs("\\u003c", out);
		else if (*p == '>')
			fputs("\\u003e", out);
		else if (*p == '&')
			fputs("\\u0026", out);
		else
			fputc(*p, out);
	}
	free(s);
	return 0;
}

int
render_html(json_t *m, FILE *out, char *err, size_t errlen)
{
	const char *p = ipcconf_report_html, *marker;

	while ((marker = strchr(p, '@')) != NULL) {
		fwrite(p, 1, (size_t)(marker - p), out);
		if (strncmp(marker, "@CSS@", 5) == 0) {
			fputs(ipcconf_report_css, out);
			p = marker + 5;
		} else if (strncmp(marker, "@JS@", 4) == 0) {
			fputs(ipcconf_report_js, out);
			p = marker + 4;
		} else if (strncmp(marker, "@DATA@", 6) == 0) {
			if (write_data(m, out) == -1) {
				snprintf(err, errlen, "cannot encode the report document");
				return -1;
			}
			p = marker + 6;
		} else {
			fputc('@', out);
			p = marker + 1;
		}
	}
	fputs(p, out);
	return 0;
}
