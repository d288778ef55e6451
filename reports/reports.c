/* The formats, and writing one report or all of them next to a bundle. */
#include "reports.h"
#include "report_model.h"
#include "farms.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	int (*render)(json_t *model, FILE *out, char *err, size_t errlen);
} formats[] = {
	[REPORT_JUNIT] = { "junit", render_junit },
	[REPORT_JSON] = { "json", render_json },
	[REPORT_HTML] = { "html", render_html },
	[REPORT_MARKDOWN] = { "markdown", render_markdown },
	[REPORT_SPEC] = { "spec", render_spec },
	[REPORT_KTAP] = { "ktap", render_ktap },
	[REPORT_KCIDB] = { "kcidb", render_kcidb },
	[REPORT_SQUAD] = { "squad", render_squad },
	[REPORT_LAVA] = { "lava", render_lava },
};
#define NFORMATS (sizeof formats / sizeof formats[0])

int
report_format_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (strcmp(name, formats[i].name) == 0)
			return (int)i;
	if (strcmp(name, "md") == 0)
		return REPORT_MARKDOWN;
	if (strcmp(name, "xml") == 0)
		return REPORT_JUNIT;
	return -1;
}

const char *
report_format_names(void)
{
	return "junit, json, html, markdown, spec, ktap, kcidb, squad, lava";
}

static int
render(json_t *model, enum report_format format, FILE *out, char *err, size_t errlen)
{
	if ((size_t)format >= NFORMATS) {
		snprintf(err, errlen, "unknown report format %d", (int)format);
		return -1;
	}
	if (formats[format].render(model, out, err, errlen) == -1)
		return -1;
	if (fflush(out) == EOF || ferror(out)) {
		snprintf(err, errlen, "cannot write the %s report: %s", formats[format].name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
report_write(json_t *bundle, enum report_format format, FILE *out, char *err, size_t errlen)
{
	char why[768];
	json_t *model = report_model(bundle, why, sizeof why);
	int rc;

	if (model == NULL) {
		snprintf(err, errlen, "malformed bundle: %s", why);
		return -1;
	}
	rc = render(model, format, out, err, errlen);
	json_decref(model);
	return rc;
}

int
reports_write_all(json_t *bundle, const char *bundle_dir, char *err, size_t errlen)
{
	static const struct {
		enum report_format format;
		const char *file;
	} all[] = {
		{ REPORT_JUNIT, "report.xml" },
		{ REPORT_HTML, "report.html" },
		{ REPORT_MARKDOWN, "report.md" },
	};
	char why[768], path[PATH_MAX], tmp[PATH_MAX + 8];
	json_t *model = report_model(bundle, why, sizeof why);
	size_t i;
	int rc = 0;

	if (model == NULL) {
		snprintf(err, errlen, "malformed bundle: %s", why);
		return -1;
	}
	for (i = 0; i < sizeof all / sizeof all[0] && rc == 0; i++) {
		FILE *f;

		snprintf(path, sizeof path, "%s/%s", bundle_dir, all[i].file);
		snprintf(tmp, sizeof tmp, "%s.tmp", path);
		if ((f = fopen(tmp, "we")) == NULL) {
			snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
			rc = -1;
			break;
		}
		rc = render(model, all[i].format, f, err, errlen);
		if (fclose(f) == EOF && rc == 0) {
			snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
			rc = -1;
		}
		if (rc == 0 && rename(tmp, path) == -1) {
			snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
			rc = -1;
		}
		if (rc != 0)
			unlink(tmp);
	}
	json_decref(model);
	return rc;
}
