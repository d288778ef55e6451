/*
 * `ipcconf report BUNDLE --format junit|json|html|markdown|spec|ktap|kcidb|squad|lava [--out FILE]`:
 * one report of a bundle (reports/reports.h) on standard output or in FILE.
 * A malformed or foreign bundle is refused (exit 2) before anything is written.
 */
#include "runner.h"
#include "reports.h"
#include "farms.h"
#include "farm.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define REPORT_USAGE "usage: ipcconf report BUNDLE --format junit|json|html|markdown|spec|ktap|" \
	"kcidb|squad|lava [--out FILE] [--expect FILE] [--origin NAME] [--checkout-id ID] " \
	"[--build-id ID] [--job-id ID]"

int
cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "origin", required_argument, NULL, 'O' }, { "checkout-id", required_argument, NULL, 'C' },
		{ "build-id", required_argument, NULL, 'B' }, { "job-id", required_argument, NULL, 'J' },
		{ "expect", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	struct farm_options fo = { 0 };
	struct expect *expect = NULL;
	const char *out = NULL, *fmt_name = NULL;
	char err[1024], tmp[PATH_MAX];
	int c, fmt, rc;
	json_t *b;
	FILE *f;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': fmt_name = optarg; break;
		case 'o': out = optarg; break;
		case 'O': fo.origin = optarg; break;
		case 'C': fo.checkout_id = optarg; break;
		case 'B': fo.build_id = optarg; break;
		case 'J': fo.job_id = optarg; break;
		case 'E': expect = expect_load(expect, optarg); break;
		case 'h':
			printf("%s\n  writes one report of a bundle (a directory written by ipcconf "
			    "run or merge,\n  or its bundle.json) to FILE or standard output\n",
			    REPORT_USAGE);
			return EXIT_CLEAN;
		default: die_usage("%s", REPORT_USAGE);
		}
	}
	if (optind != argc - 1 || fmt_name == NULL)
		die_usage("%s", REPORT_USAGE);
	if (farm_options_set(&fo, err, sizeof err) == -1)
		die_usage("%s", err);
	if ((fmt = report_format_from_name(fmt_name)) == -1)
		die_usage("unknown report format '%s' (formats: %s)", fmt_name, report_format_names());
	if ((b = bundle_load(argv[optind], NULL, 0, err, sizeof err)) == NULL)
		die_usage("report refused: %s", err);
	if (expect != NULL) { /* the bundle as the baseline judges it */
		json_t *view = expect_rewrite(expect, b);
		json_decref(b);
		b = view;
	}
	if (out == NULL || strcmp(out, "-") == 0) {
		rc = report_write(b, (enum report_format)fmt, stdout, err, sizeof err);
		json_decref(b);
		if (rc == -1)
			die_usage("report refused: %s", err);
		return EXIT_CLEAN;
	}
	/* Written beside FILE and renamed into place: a refused bundle leaves nothing. */
	snprintf(tmp, sizeof tmp, "%s.tmp", out);
	if ((f = fopen(tmp, "we")) == NULL)
		die_usage("cannot create %s: %s", tmp, strerror(errno));
	rc = report_write(b, (enum report_format)fmt, f, err, sizeof err);
	json_decref(b);
	if (fclose(f) == EOF && rc == 0) {
		snprintf(err, sizeof err, "cannot write %s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, out) == -1) {
		snprintf(err, sizeof err, "cannot rename %s to %s: %s", tmp, out, strerror(errno));
		rc = -1;
	}
	if (rc == -1) {
		unlink(tmp);
		die_usage("report refused: %s", err);
	}
	return EXIT_CLEAN;
}
