/*
 * JUnit XML for CI test views (GitLab, Jenkins): one <testsuite> per target
 * and family, one <testcase> per case. failed is a <failure>; broken and
 * timed_out are <error>s (the test could not run to a verdict); skipped is
 * <skipped>; an expected failure passes with a property saying so, as Kyua
 * reports it. A target that did not complete or left IPC objects behind gets
 * a failing case of its own, so that the CI view is red when `ipcconf run`
 * exits 1. libxml2's writer does the escaping; text is cleaned of characters
 * XML cannot carry first. tests/reports/junit.xsd is the schema it follows.
 */
#include "report_model.h"
#include "text.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

/* Every call of the writer goes through W(): a failure ends the document. */
#define W(call) do { if ((call) < 0) goto fail; } while (0)

static int
attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *clean = text_xml_clean(value);
	int rc = xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST clean);

	free(clean);
	return rc;
}

static int
attrf_num(xmlTextWriterPtr w, const char *name, long long n)
{
	return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%lld", n);
}

static int
attr_time(xmlTextWriterPtr w, double s)
{
	return xmlTextWriterWriteFormatAttribute(w, BAD_CAST "time", "%.3f", s);
}

static int
text(xmlTextWriterPtr w, const char *s)
{
	char *clean = text_xml_clean(s);
	int rc = xmlTextWriterWriteString(w, BAD_CAST clean);

	free(clean);
	return rc;
}

static int
property(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "property") < 0 || attr(w, "name", name) < 0 ||
	    attr(w, "value", value) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

/* <failure>, <error> or <skipped> with the reason as message and text. */
static int
verdict(xmlTextWriterPtr w, const char *element, const char *type, const char *reason)
{
	if (xmlTextWriterStartElement(w, BAD_CAST element) < 0 || attr(w, "message", reason) < 0)
		return -1;
	if (type != NULL && attr(w, "type", type) < 0)
		return -1;
	if (reason[0] != '\0' && strcmp(element, "skipped") != 0 && text(w, reason) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

/* Classname: target.family.program, with dots in the target id made underscores. */
static void
classname(char *out, size_t len, const char *target, const char *family, const char *program)
{
	const char *base = strrchr(program, '/');
	size_t i;

	snprintf(out, len, "%s", target);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == '.')
			out[i] = '_';
	snprintf(out + strlen(out), len - strlen(out), ".%s.%s", family[0] ? family : "other",
	    base ? base + 1 : program);
}

/* An ISO 8601 date without zone (what the Ant schema's timestamp allows), or "". */
static void
timestamp(char *out, size_t len, const char *date)
{
	static const char pattern[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	snprintf(out, len, "%s", "");
	for (i = 0; i < sizeof pattern - 1; i++)
		if (pattern[i] == 'd' ? !(date[i] >= '0' && date[i] <= '9') : date[i] != pattern[i])
			return;
	snprintf(out, len, "%.19s", date);
}

static int
testcase(xmlTextWriterPtr w, json_t *c, const char *tid, const char *o)
{
	json_t *r = json_object_get(json_object_get(c, "results"), tid);
	const char *reason = model_reason(c, tid);
	char cls[512];

	classname(cls, sizeof cls, tid, model_str(c, "family"), model_str(c, "program"));
	W(xmlTextWriterStartElement(w, BAD_CAST "testcase"));
	W(attr(w, "name", model_str(c, "name")));
	W(attr(w, "classname", cls));
	W(attr_time(w, json_number_value(json_object_get(r, "duration_s"))));
	W(xmlTextWriterStartElement(w, BAD_CAST "properties"));
	W(property(w, "ipcconf.id", model_str(c, "id")));
	W(property(w, "ipcconf.spec", model_str(c, "spec")));
	W(property(w, "ipcconf.class", model_str(c, "class")));
	W(property(w, "ipcconf.outcome", o));
	if (strcmp(o, "expected_failure") == 0)
		W(property(w, "ipcconf.expected_failure", reason));
	if (model_str(r, "kind")[0] != '\0')
		W(property(w, "ipcconf.failure_kind", model_str(r, "kind")));
	if (model_str(r, "missing")[0] != '\0')
		W(property(w, "ipcconf.not_implemented", model_str(r, "missing")));
	W(xmlTextWriterEndElement(w));
	if (strcmp(o, "failed") == 0)
		W(verdict(w, "failure", "failed", reason));
	else if (strcmp(o, "broken") == 0 || strcmp(o, "timed_out") == 0)
		W(verdict(w, "error", o, reason));
	else if (strcmp(o, "skipped") == 0)
		W(verdict(w, "skipped", NULL, reason));
	/* GitLab shows system-out beside a case: the clause and what it checks. */
	W(xmlTextWriterStartElement(w, BAD_CAST "system-out"));
	W(text(w, model_str(c, "spec")));
	W(text(w, "\n"));
	W(text(w, model_str(c, "descr")));
	if (strcmp(o, "expected_failure") == 0) {
		W(text(w, "\nexpected failure: "));
		W(text(w, reason));
	}
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

static int
suite_start(xmlTextWriterPtr w, json_t *t, const char *name, const char *family, long long id,
    long long tests, long long failures, long long errors, long long skipped, double time)
{
	json_t *p = json_object_get(t, "provenance"), *v;
	const char *key;
	char ts[32];

	timestamp(ts, sizeof ts, model_str(p, "date"));
	W(xmlTextWriterStartElement(w, BAD_CAST "testsuite"));
	W(attr(w, "name", name));
	W(attrf_num(w, "tests", tests));
	W(attrf_num(w, "failures", failures));
	W(attrf_num(w, "errors", errors));
	W(attrf_num(w, "skipped", skipped));
	W(attr_time(w, time));
	if (ts[0] != '\0')
		W(attr(w, "timestamp", ts));
	W(attr(w, "hostname", model_str(p, "hostname")));
	W(attrf_num(w, "id", id));
	W(attr(w, "package", family));
	W(xmlTextWriterStartElement(w, BAD_CAST "properties"));
	W(property(w, "ipcconf.target", model_str(t, "id")));
	W(property(w, "ipcconf.target.kind", model_str(t, "kind")));
	W(property(w, "ipcconf.target.status", model_str(t, "status")));
	json_object_foreach(p, key, v) {
		char name_buf[128], num[64];
		const char *value = json_string_value(v);

		snprintf(name_buf, sizeof name_buf, "ipcconf.provenance.%s", key);
		if (json_is_integer(v))
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(num, sizeof num, "%g", json_real_value(v));
		else if (json_is_boolean(v))
			snprintf(num, sizeof num, "%s", json_is_true(v) ? "true" : "false");
		else
			snprintf(num, sizeof num, "%s", "");
		W(property(w, name_buf, value != NULL ? value : num));
	}
	W(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

/* The target's own case: did it complete, and did it leave IPC objects behind. */
static int
target_suite(xmlTextWriterPtr w, json_t *t, long long id)
{
	const char *tid = model_str(t, "id"), *status = model_str(t, "status");
	json_t *leaks = json_object_get(t, "leaks"), *v;
	bool completed = strcmp(status, "completed") == 0 || status[0] == '\0';
	char name[512], cls[512];
	size_t i;

	snprintf(name, sizeof name, "%s/target", tid);
	classname(cls, sizeof cls, tid, "target", "ipcconf");
	W(suite_start(w, t, name, "target", id, 2, json_array_size(leaks) > 0, !completed, 0,
	    json_number_value(json_object_get(t, "duration_s"))));
	W(xmlTextWriterStartElement(w, BAD_CAST "testcase"));
	W(attr(w, "name", "run_completed"));
	W(attr(w, "classname", cls));
	W(attr_time(w, json_number_value(json_object_get(t, "duration_s"))));
	if (!completed) {
		char msg[2048];
		snprintf(msg, sizeof msg, "%s: %s", status, model_str(t, "status_reason"));
		W(verdict(w, "error", status, msg));
	}
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterStartElement(w, BAD_CAST "testcase"));
	W(attr(w, "name", "no_ipc_objects_left_behind"));
	W(attr(w, "classname", cls));
	W(attr_time(w, 0));
	if (json_array_size(leaks) > 0) {
		W(xmlTextWriterStartElement(w, BAD_CAST "failure"));
		W(attr(w, "message", "IPC objects created during the run are still there after it"));
		W(attr(w, "type", "leak"));
		json_array_foreach(leaks, i, v) {
			W(text(w, json_string_value(v)));
			W(text(w, "\n"));
		}
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

static int
family_suite(xmlTextWriterPtr w, json_t *m, json_t *t, const char *family, long long id)
{
	const char *tid = model_str(t, "id");
	long long tests = 0, failures = 0, errors = 0, skipped = 0;
	double time = 0;
	json_t *c;
	size_t i;
	char name[512];

	json_array_foreach(json_object_get(m, "cases"), i, c) {
		const char *o = model_outcome(c, tid);
		if (strcmp(model_str(c, "family"), family) != 0 || strcmp(o, "not_run") == 0)
			continue;
		tests++;
		failures += strcmp(o, "failed") == 0;
		errors += strcmp(o, "broken") == 0 || strcmp(o, "timed_out") == 0;
		skipped += strcmp(o, "skipped") == 0;
		time += json_number_value(json_object_get(json_object_get(json_object_get(c,
		    "results"), tid), "duration_s"));
	}
	if (tests == 0)
		return 0;
	snprintf(name, sizeof name, "%s/%s", tid, family[0] ? family : "other");
	W(suite_start(w, t, name, family, id, tests, failures, errors, skipped, time));
	json_array_foreach(json_object_get(m, "cases"), i, c) {
		const char *o = model_outcome(c, tid);
		if (strcmp(model_str(c, "family"), family) != 0 || strcmp(o, "not_run") == 0)
			continue;
		W(testcase(w, c, tid, o));
	}
	W(xmlTextWriterEndElement(w));
	return 1;
fail:
	return -1;
}

int
render_junit(json_t *m, FILE *out, char *err, size_t errlen)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf != NULL ? xmlNewTextWriterMemory(buf, 0) : NULL;
	long long tests = 0, failures = 0, errors = 0, skipped = 0, id = 0;
	json_t *t, *f;
	size_t i, j;
	int rc = -1, n;

	if (w == NULL) {
		snprintf(err, errlen, "cannot start the XML writer");
		goto out;
	}
	json_array_foreach(json_object_get(m, "targets"), i, t) {
		json_t *tot = json_object_get(t, "totals");
		bool completed = strcmp(model_str(t, "status"), "completed") == 0 ||
		    model_str(t, "status")[0] == '\0';

		tests += 2;
		for (j = 0; report_outcomes[j] != NULL; j++)
			if (strcmp(report_outcomes[j], "not_run") != 0)
				tests += json_integer_value(json_object_get(tot, report_outcomes[j]));
		failures += json_integer_value(json_object_get(tot, "failed")) +
		    (json_array_size(json_object_get(t, "leaks")) > 0);
		errors += json_integer_value(json_object_get(tot, "broken")) +
		    json_integer_value(json_object_get(tot, "timed_out")) + !completed;
		skipped += json_integer_value(json_object_get(tot, "skipped"));
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST " ");
	W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
	W(xmlTextWriterStartElement(w, BAD_CAST "testsuites"));
	W(attr(w, "name", "ipcconf"));
	W(attrf_num(w, "tests", tests));
	W(attrf_num(w, "failures", failures));
	W(attrf_num(w, "errors", errors));
	W(attrf_num(w, "skipped", skipped));
	json_array_foreach(json_object_get(m, "targets"), i, t) {
		W(target_suite(w, t, id++));
		json_array_foreach(json_object_get(m, "families"), j, f) {
			W(n = family_suite(w, m, t, model_str(f, "name"), id));
			id += n;
		}
	}
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterEndDocument(w));
	xmlFreeTextWriter(w);
	w = NULL;
	if (fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), out) !=
	    (size_t)xmlBufferLength(buf)) {
		snprintf(err, errlen, "cannot write the JUnit report");
		goto out;
	}
	rc = 0;
	goto out;
fail:
	snprintf(err, errlen, "the XML writer failed");
out:
	if (w != NULL)
		xmlFreeTextWriter(w);
	if (buf != NULL)
		xmlBufferFree(buf);
	return rc;
}
