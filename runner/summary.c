/* The terminal summary of a bundle: per target and family, then what did not pass. */
#include "runner.h"

#include <stdio.h>
#include <string.h>

static const char *const cols[] = { "passed", "failed", "skipped", "expected_failure",
	"broken", "timed_out" };
#define NCOLS (sizeof cols / sizeof cols[0])

static void
print_row(const char *label, const long long *n)
{
	size_t k;

	printf("  %-14s", label);
	for (k = 0; k < NCOLS; k++)
		printf(" %8lld", n[k]);
	printf("\n");
}

/*
 * The target's failures by kind: what is not implemented, per family ("mq_send
 * (ENOSYS) in 3 cases"), apart from the failures of wrong behaviour.
 */
static void
print_failure_kinds(json_t *b, const char *id)
{
	json_t *fam = json_object(), *c, *v, *w;
	long long nyi = 0, wrong = 0;
	const char *key, *what;
	size_t i;

	json_array_foreach(json_object_get(b, "cases"), i, c) {
		json_t *r = json_object_get(json_object_get(c, "results"), id), *g;
		const char *kind = json_string_value(json_object_get(r, "kind"));
		const char *miss = json_string_value(json_object_get(r, "missing"));
		const char *f = json_string_value(json_object_get(c, "family"));

		if (kind == NULL)
			continue;
		if (strcmp(kind, "not_implemented") != 0) {
			wrong++;
			continue;
		}
		nyi++;
		if ((g = json_object_get(fam, f ? f : "?")) == NULL) {
			g = json_object();
			json_object_set_new(fam, f ? f : "?", g);
		}
		v = json_object_get(g, miss ? miss : "?");
		json_object_set_new(g, miss ? miss : "?", json_integer(v ? json_integer_value(v) + 1 : 1));
	}
	if (nyi > 0) {
		printf("  Not implemented (%lld failure%s):\n", nyi, nyi == 1 ? "" : "s");
		json_object_foreach(fam, key, v) {
			const char *sep = "";

			printf("    %-14s", key);
			json_object_foreach(v, what, w) {
				long long n = json_integer_value(w);

				printf(n > 1 ? "%s%s in %lld cases" : "%s%s", sep, what, n);
				sep = ", ";
			}
			printf("\n");
		}
		printf("  Wrong behaviour: %lld failure%s\n", wrong, wrong == 1 ? "" : "s");
	}
	json_decref(fam);
}

static bool
target_completed(json_t *t)
{
	const char *status = json_string_value(json_object_get(t, "status"));

	return status == NULL || strcmp(status, "completed") == 0;
}

/*
 * Whether "nothing left behind" can be said: a completed target checked
 * itself; a host target that was stopped is checked by the runner after its
 * sweep. A target that errored, or a container or guest stopped half-way,
 * was not checked.
 */
static bool
leak_check_done(json_t *t)
{
	const char *status = json_string_value(json_object_get(t, "status"));
	const char *kind = json_string_value(json_object_get(t, "kind"));

	if (target_completed(t))
		return true;
	return kind != NULL && strcmp(kind, "host") == 0 && strcmp(status, "error") != 0;
}

static void
print_target(json_t *b, json_t *t)
{
	const char *id = json_string_value(json_object_get(t, "id"));
	json_t *p = json_object_get(t, "provenance"), *c, *leaks = json_object_get(t, "leaks");
	json_t *fam = json_object();
	long long total[NCOLS] = { 0 };
	const char *key, *status = json_string_value(json_object_get(t, "status"));
	json_t *v;
	size_t i, k;

	if (json_string_value(json_object_get(p, "kernel_release")) == NULL) {
		/* Nothing came back from the target: say so rather than print "? ?". */
		printf("\nTarget %s: did not run%s%s\n", id, status ? " -- " : "",
		    json_string_value(json_object_get(t, "status_reason")) ?: status ?: "");
	} else
	printf("\nTarget %s: %s %s, %s %s, %s, uid %lld%s%s\n", id,
	    json_string_value(json_object_get(p, "kernel_release")) ?: "?",
	    json_string_value(json_object_get(p, "arch")) ?: "?",
	    json_string_value(json_object_get(p, "libc")) ?: "?",
	    json_string_value(json_object_get(p, "libc_version")) ?: "?",
	    json_string_value(json_object_get(p, "distribution")) ?: "?",
	    (long long)json_integer_value(json_object_get(p, "uid")),
	    status && strcmp(status, "completed") != 0 ? " -- " : "",
	    status && strcmp(status, "completed") != 0 ?
	    json_string_value(json_object_get(t, "status_reason")) ?: status : "");
	printf("  %-14s", "family");
	for (k = 0; k < NCOLS; k++)
		printf(" %8.8s", strcmp(cols[k], "expected_failure") == 0 ? "xfail" :
		    strcmp(cols[k], "timed_out") == 0 ? "timeout" : cols[k]);
	printf("\n");
	json_array_foreach(json_object_get(b, "cases"), i, c) {
		json_t *r = json_object_get(json_object_get(c, "results"), id), *row;
		const char *o = json_string_value(json_object_get(r, "outcome"));
		const char *f = json_string_value(json_object_get(c, "family"));

		if (o == NULL || f == NULL)
			continue;
		row = json_object_get(fam, f);
		if (row == NULL) {
			row = json_pack("[iiiiii]", 0, 0, 0, 0, 0, 0);
			json_object_set_new(fam, f, row);
		}
		for (k = 0; k < NCOLS; k++)
			if (strcmp(o, cols[k]) == 0) {
				json_t *n = json_array_get(row, k);
				json_integer_set(n, json_integer_value(n) + 1);
				total[k]++;
			}
	}
	json_object_foreach(fam, key, v) {
		long long n[NCOLS];
		for (k = 0; k < NCOLS; k++)
			n[k] = json_integer_value(json_array_get(v, k));
		print_row(key, n);
	}
	print_row("total", total);
	print_failure_kinds(b, id);
	if (json_array_size(leaks) > 0) {
		printf("  Left behind by the run (%zu):\n", json_array_size(leaks));
		json_array_foreach(leaks, i, v)
			printf("    %s\n", json_string_value(v));
	} else if (!leak_check_done(t)) {
		printf("  Not checked for IPC objects left behind: the target did not complete.\n");
	} else {
		printf("  No IPC objects or processes left behind.\n");
	}
	json_decref(fam);
}

int
print_bundle_summary(json_t *b)
{
	json_t *t, *c;
	size_t i, j;
	int bad = 0, header = 0;
	long long n[NCOLS] = { 0 };

	json_array_foreach(json_object_get(b, "targets"), i, t)
		print_target(b, t);
	json_array_foreach(json_object_get(b, "cases"), i, c) {
		json_array_foreach(json_object_get(b, "targets"), j, t) {
			const char *id = json_string_value(json_object_get(t, "id"));
			json_t *r = json_object_get(json_object_get(c, "results"), id);
			const char *o = json_string_value(json_object_get(r, "outcome"));
			size_t k;

			for (k = 0; o && k < NCOLS; k++)
				if (strcmp(o, cols[k]) == 0)
					n[k]++;
			if (!outcome_is_bad(o))
				continue;
			if (!header++)
				printf("\nCases that did not pass:\n");
			bad++;
			printf("  [%s] %s  %s%s: %s\n", id, json_string_value(json_object_get(c, "id")),
			    o, strcmp(json_string_value(json_object_get(r, "kind")) ?: "",
			    "not_implemented") == 0 ? " (not implemented)" : "",
			    json_string_value(json_object_get(r, "reason")) ?: "");
		}
	}
	print_reasons(b);
	printf("\n%lld passed, %lld failed, %lld skipped, %lld expected failures, %lld broken, "
	    "%lld timed out\n", n[0], n[1], n[2], n[3], n[4], n[5]);
	return bad;
}

#define MAX_REASON_GROUPS 25

/* One outcome's reasons: "  COUNT  reason  [targets]", most frequent first. */
static void
print_reason_groups(json_t *b, const char *outcome, const char *title)
{
	json_t *groups = json_object(), *c, *t, *sorted = json_array(), *g;
	const char *key;
	size_t i, j, total = 0;

	json_array_foreach(json_object_get(b, "cases"), i, c) {
		json_array_foreach(json_object_get(b, "targets"), j, t) {
			const char *id = json_string_value(json_object_get(t, "id"));
			json_t *r = json_object_get(json_object_get(c, "results"), id);
			const char *o = json_string_value(json_object_get(r, "outcome"));
			const char *why = json_string_value(json_object_get(r, "reason"));

			if (o == NULL || strcmp(o, outcome) != 0)
				continue;
			total++;
			why = why && why[0] ? why : "(no reason given)";
			if ((g = json_object_get(groups, why)) == NULL) {
				g = json_pack("{s:s, s:i, s:{}}", "reason", why, "n", 0, "targets");
				json_object_set_new(groups, why, g);
			}
			json_object_set_new(g, "n", json_integer(json_integer_value(json_object_get(g,
			    "n")) + 1));
			json_object_set_new(json_object_get(g, "targets"), id, json_true());
		}
	}
	if (total == 0) {
		json_decref(groups);
		json_decref(sorted);
		return;
	}
	json_object_foreach(groups, key, g)
		json_array_append(sorted, g);
	/* Most frequent first; then by reason, so that the output is stable. */
	for (i = 1; i < json_array_size(sorted); i++)
		for (j = i; j > 0; j--) {
			json_t *a = json_array_get(sorted, j - 1), *z = json_array_get(sorted, j);
			long long na = json_integer_value(json_object_get(a, "n"));
			long long nz = json_integer_value(json_object_get(z, "n"));

			if (na > nz || (na == nz && strcmp(json_string_value(json_object_get(a,
			    "reason")), json_string_value(json_object_get(z, "reason"))) <= 0))
				break;
			json_incref(a);
			json_array_set(sorted, j - 1, z);
			json_array_set_new(sorted, j, a);
		}
	printf("\n%s (%zu), by reason:\n", title, total);
	json_array_foreach(sorted, i, g) {
		const char *tid;
		json_t *v;
		size_t k = 0;

		if (i == MAX_REASON_GROUPS) {
			printf("  ... and %zu more reasons (ipcconf report DIR --format markdown, or "
			    "the HTML report, has every case)\n", json_array_size(sorted) - i);
			break;
		}
		printf("  %4lld  %s  [", (long long)json_integer_value(json_object_get(g, "n")),
		    json_string_value(json_object_get(g, "reason")));
		json_object_foreach(json_object_get(g, "targets"), tid, v)
			printf("%s%s", k++ ? ", " : "", tid);
		printf("]\n");
	}
	json_decref(sorted);
	json_decref(groups);
}

void
print_reasons(json_t *b)
{
	print_reason_groups(b, "skipped", "Skipped");
	print_reason_groups(b, "expected_failure", "Expected failures");
}

void
print_verdict(json_t *b, bool interrupted)
{
	json_t *t, *ts = json_object_get(b, "targets");
	size_t i, n = 0, leaks = 0;
	long long bad = 0;

	json_array_foreach(ts, i, t) {
		json_t *tot = json_object_get(t, "totals");

		bad += json_integer_value(json_object_get(tot, "failed")) +
		    json_integer_value(json_object_get(tot, "broken")) +
		    json_integer_value(json_object_get(tot, "timed_out"));
		leaks += json_array_size(json_object_get(t, "leaks"));
		n += !target_completed(t);
	}
	printf("\n%s", interrupted ? "Interrupted: the bundle keeps the cases that finished. " : "");
	if (n > 0) {
		size_t k = 0;

		printf("%zu of %zu target(s) did not complete: ", n, json_array_size(ts));
		json_array_foreach(ts, i, t)
			if (!target_completed(t))
				printf("%s%s (%s)", k++ ? ", " : "",
				    json_string_value(json_object_get(t, "id")),
				    json_string_value(json_object_get(t, "status")));
		printf("; ");
	} else {
		printf("%zu target(s) completed; ", json_array_size(ts));
	}
	printf("%lld result(s) failed, broke or timed out; %zu left behind\n", bad, leaks);
}
