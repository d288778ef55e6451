/*
 * Calls reports_write_all() as ipcconf run does: on the bundle BUNDLE_DIR
 * holds, writing report.xml, report.html and report.md into OUT_DIR.
 * usage: write_all_test BUNDLE_DIR OUT_DIR; exit 0, or 1 with the error.
 */
#include "reports.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	char file[4096], err[1024];
	json_error_t je;
	json_t *b;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: write_all_test BUNDLE_DIR OUT_DIR\n");
		return 2;
	}
	snprintf(file, sizeof file, "%s/bundle.json", argv[1]);
	if ((b = json_load_file(file, 0, &je)) == NULL) {
		fprintf(stderr, "%s: %s\n", file, je.text);
		return 1;
	}
	rc = reports_write_all(b, argv[2], err, sizeof err);
	json_decref(b);
	if (rc == -1) {
		fprintf(stderr, "reports_write_all: %s\n", err);
		return 1;
	}
	return 0;
}
