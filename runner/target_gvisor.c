/*
 * The gvisor[:PLATFORM] target: the suite inside gVisor's runsc, run by
 * <suite>/gvisor/ipcconf-gvisor-target (Docker with --runtime=runsc where a
 * daemon runs, else `runsc run` of an OCI bundle). This file holds what run.c
 * asks of that helper: the check before the run, its command line, how to
 * stop it, and what it records about the sandbox.
 */
#include "runner.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GVISOR_HELPER "gvisor/ipcconf-gvisor-target"

bool
gvisor_parse_spec(const char *spec, char *platform, size_t len)
{
	if (strcmp(spec, "gvisor") == 0) {
		snprintf(platform, len, "default");
		return true;
	}
	if (strncmp(spec, "gvisor:", 7) != 0)
		return false;
	if (spec[7] == '\0' || strspn(spec + 7, "abcdefghijklmnopqrstuvwxyz0123456789") !=
	    strlen(spec + 7))
		die_usage("target %s: '%s' is not a platform name (gvisor:ptrace, gvisor:kvm)",
		    spec, spec + 7);
	snprintf(platform, len, "%s", spec + 7);
	return true;
}

/* The suite's helper, or for a suite without one (a test's sample suite) this ipcconf's. */
static void
helper_path(const char *suite, char *out, size_t len)
{
	const char *own = default_suite_dir();

	snprintf(out, len, "%s/%s", suite, GVISOR_HELPER);
	if (access(out, X_OK) != 0 && own != NULL)
		snprintf(out, len, "%s/%s", own, GVISOR_HELPER);
}

void
gvisor_check(const char *id, const char *suite, const char *platform)
{
	char helper[PATH_MAX + 64], log[64], line[1024], last[1024] = "";
	char *argv[] = { helper, "--check", (char *)platform, NULL };
	FILE *f;
	int status, fd;

	helper_path(suite, helper, sizeof helper);
	if (access(helper, X_OK) != 0)
		die_usage("target %s: %s is missing (build or install the suite)", id, helper);
	snprintf(log, sizeof log, "/tmp/ipcconf-gvisor-check.XXXXXX");
	if ((fd = mkstemp(log)) == -1)
		die_usage("target %s: cannot make a file in /tmp", id);
	close(fd);
	status = run_command(argv, log);
	if ((f = fopen(log, "re")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0] != '\0')
				snprintf(last, sizeof last, "%s", line);
		}
		fclose(f);
	}
	unlink(log);
	if (status != 0)
		die_usage("target %s: %s", id, strncmp(last, "ipcconf-gvisor-target: ", 23) == 0 ?
		    last + 23 : last[0] ? last : "the gVisor check failed");
}

int
gvisor_argv(char **argv, char *bufs, size_t blen, const struct gvisor_args *a)
{
	char *p = bufs, self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	int k = 0, i;

	if (n <= 0)
		return -1;
	self[n] = '\0';
#define ADD(s) (argv[k++] = (char *)(s))
#define FMT(...) (snprintf(p, blen - (size_t)(p - bufs), __VA_ARGS__), argv[k++] = p, p += strlen(p) + 1)
	helper_path(a->suite, p, blen);
	argv[k++] = p;
	p += strlen(p) + 1;
	ADD(a->platform);
	ADD(a->dir);
	FMT("--ipcconf=%s", self);
	FMT("--suite=%s", a->suite);
	FMT("--name=%s", a->name);
	FMT("--jobs=%ld", a->jobs);
	FMT("--timeout=%ld", a->timeout_s);
	for (i = 0; i < a->nfilters; i++)
		FMT("--filter=%s", a->filters[i]);
	argv[k] = NULL;
#undef ADD
#undef FMT
	return 0;
}

void
gvisor_stop(const char *suite, const char *name)
{
	char helper[PATH_MAX + 64];
	char *argv[] = { helper, "--stop", (char *)name, NULL };

	helper_path(suite, helper, sizeof helper);
	(void)run_command(argv, "/dev/null");
}

/* What the helper recorded about the sandbox (dir/gvisor.json) goes into prov. */
void
gvisor_add_provenance(json_t *prov, const char *dir)
{
	char path[PATH_MAX + 16];
	json_t *g;

	snprintf(path, sizeof path, "%s/gvisor.json", dir);
	if ((g = json_load_file(path, 0, NULL)) == NULL) {
		json_object_set_new(prov, "sandbox", json_string("gvisor"));
		return;
	}
	json_object_set(prov, "sandbox", json_object_get(g, "sandbox"));
	json_object_set(prov, "sandbox_runtime", json_object_get(g, "runtime"));
	json_object_set(prov, "sandbox_version", json_object_get(g, "runsc_version"));
	json_object_set(prov, "sandbox_platform", json_object_get(g, "platform"));
	json_decref(g);
	/* The kernel_release is the one the sandbox reported to the suite (uname in it). */
}

/*
 * The run inside the sandbox stops its own Kyua at the deadline: its target's
 * status (timed_out, interrupted) is this target's, with its reason.
 */
void
gvisor_inner_status(json_t *inner, const char **status, char *reason, size_t len)
{
	json_t *it = json_array_get(json_object_get(inner, "targets"), 0);
	const char *st = json_string_value(json_object_get(it, "status"));
	const char *why = json_string_value(json_object_get(it, "status_reason"));
	static const char *const known[] = { "timed_out", "interrupted", "error" };
	size_t i;

	if (st == NULL || strcmp(*status, "completed") != 0)
		return;
	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(st, known[i]) == 0) {
			*status = known[i];
			snprintf(reason, len, "in the sandbox: %s", why ? why : st);
		}
}
