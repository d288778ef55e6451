/*
 * libFuzzer target for the reports' bundle reader and renderers: any input
 * either is refused with a message or renders in every format, without a
 * crash or a sanitizer report; and the renderings keep their promises on
 * any content: the HTML page holds exactly its own two <script> elements,
 * and the JUnit document is well-formed XML. Built and run by fuzz_test.sh.
 */
#include "reports.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t
count(const char *s, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle), i;

	for (i = 0; i + k <= len; i++)
		if (strncasecmp(s + i, needle, k) == 0)
			n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum report_format all[] = { REPORT_JUNIT, REPORT_JSON, REPORT_HTML,
		REPORT_MARKDOWN, REPORT_SPEC, REPORT_KTAP, REPORT_KCIDB, REPORT_SQUAD,
		REPORT_LAVA };
	json_error_t je;
	json_t *b = json_loadb((const char *)data, size, 0, &je);
	char err[1024];
	size_t i;

	if (b == NULL)
		return 0;
	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		int rc = report_write(b, all[i], f, err, sizeof err);

		fclose(f);
		if (rc == 0 && all[i] == REPORT_HTML &&
		    (count(buf, len, "<script") != 2 || count(buf, len, "</script") != 2)) {
			fprintf(stderr, "bundle text became markup in the HTML report\n");
			abort();
		}
		if (rc == 0 && all[i] == REPORT_JUNIT) {
			xmlDocPtr doc = xmlReadMemory(buf, (int)len, "report.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
			if (doc == NULL) {
				fprintf(stderr, "the JUnit report is not well-formed XML\n");
				abort();
			}
			xmlFreeDoc(doc);
		}
		free(buf);
		if (rc != 0)
			break; /* refused: every format refuses the same bundle */
	}
	json_decref(b);
	return 0;
}
