/*
 * Spec traceability (Markdown): every POSIX/XSI interface in the suite's
 * scope with the cases that cite it and their outcomes per target, so that
 * thin interfaces show; then the points of the seed notes (the IPC notes the
 * suite started from, reports/seed_points.tsv) with the case that checks each.
 *
 * A case cites an interface when its name starts with `<interface>__`, when
 * its X-spec names it after "XSH " (also in a list: "XSH msgsnd, msgrcv"),
 * or when the X-spec refers to its manual page ("msgget(2)").
 */
#include "report_model.h"
#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

extern const char ipcconf_seed_points_tsv[];

#define THIN 3

static const struct {
	const char *name, *option, *area;
} interfaces[] = {
	{ "pipe", "POSIX", "pipes" }, { "read", "POSIX", "pipes and FIFOs" },
	{ "write", "POSIX", "pipes and FIFOs" }, { "close", "POSIX", "pipes and FIFOs" },
	{ "open", "POSIX", "FIFOs" }, { "mkfifo", "POSIX", "FIFOs" },
	{ "mkfifoat", "POSIX", "FIFOs" }, { "mknod", "XSI", "FIFOs" },
	{ "mknodat", "XSI", "FIFOs" }, { "unlink", "POSIX", "FIFOs" },
	{ "ftok", "XSI", "System V IPC" }, { "msgget", "XSI", "System V messages" },
	{ "msgsnd", "XSI", "System V messages" }, { "msgrcv", "XSI", "System V messages" },
	{ "msgctl", "XSI", "System V messages" }, { "mq_open", "POSIX", "message queues" },
	{ "mq_close", "POSIX", "message queues" }, { "mq_unlink", "POSIX", "message queues" },
	{ "mq_send", "POSIX", "message queues" }, { "mq_timedsend", "POSIX", "message queues" },
	{ "mq_receive", "POSIX", "message queues" },
	{ "mq_timedreceive", "POSIX", "message queues" },
	{ "mq_getattr", "POSIX", "message queues" }, { "mq_setattr", "POSIX", "message queues" },
	{ "mq_notify", "POSIX", "message queues" }, { "shmget", "XSI", "System V shared memory" },
	{ "shmat", "XSI", "System V shared memory" }, { "shmdt", "XSI", "System V shared memory" },
	{ "shmctl", "XSI", "System V shared memory" }, { "shm_open", "POSIX", "shared memory" },
	{ "shm_unlink", "POSIX", "shared memory" }, { "ftruncate", "POSIX", "shared memory" },
	{ "mmap", "POSIX", "mapping" }, { "munmap", "POSIX", "mapping" },
	{ "msync", "POSIX", "mapping" }, { "mprotect", "POSIX", "mapping" },
	{ "posix_madvise", "POSIX", "mapping" }, { "semget", "XSI", "System V semaphores" },
	{ "semop", "XSI", "System V semaphores" }, { "semctl", "XSI", "System V semaphores" },
	{ "sem_open", "POSIX", "semaphores" }, { "sem_close", "POSIX", "semaphores" },
	{ "sem_unlink", "POSIX", "semaphores" }, { "sem_init", "POSIX", "semaphores" },
	{ "sem_destroy", "POSIX", "semaphores" }, { "sem_wait", "POSIX", "semaphores" },
	{ "sem_trywait", "POSIX", "semaphores" }, { "sem_timedwait", "POSIX", "semaphores" },
	{ "sem_post", "POSIX", "semaphores" }, { "sem_getvalue", "POSIX", "semaphores" },
	{ "fcntl", "POSIX", "record locks (and pipe/FIFO flags)" }, { "lockf", "XSI", "record locks" },
	{ "socketpair", "POSIX", "sockets" }, { "socket", "POSIX", "sockets" },
	{ "bind", "POSIX", "sockets" }, { "listen", "POSIX", "sockets" },
	{ "accept", "POSIX", "sockets" }, { "connect", "POSIX", "sockets" },
	{ "send", "POSIX", "sockets" }, { "recv", "POSIX", "sockets" },
	{ "sendto", "POSIX", "sockets" }, { "recvfrom", "POSIX", "sockets" },
	{ "sendmsg", "POSIX", "sockets" }, { "recvmsg", "POSIX", "sockets" },
	{ "shutdown", "POSIX", "sockets" }, { "getsockopt", "POSIX", "sockets" },
	{ "setsockopt", "POSIX", "sockets" }, { "getpeername", "POSIX", "sockets" },
	{ "poll", "POSIX", "multiplexing" }, { "select", "POSIX", "multiplexing" },
	{ "kill", "POSIX", "signals" }, { "sigaction", "POSIX", "signals" },
	{ "sigqueue", "POSIX", "signals" }, { "sigprocmask", "POSIX", "signals" },
	{ "sigsuspend", "POSIX", "signals" }, { "sigwait", "POSIX", "signals" },
	{ "sigwaitinfo", "POSIX", "signals" }, { "sigtimedwait", "POSIX", "signals" },
	{ "sigpending", "POSIX", "signals" }, { "pause", "POSIX", "signals" },
	{ "fork", "POSIX", "inheritance" },
};
#define NINTERFACES (sizeof interfaces / sizeof interfaces[0])

static bool
ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Whether spec names iface after "XSH " (possibly in a list) or as "iface(". */
static bool
spec_cites(const char *spec, const char *iface)
{
	size_t n = strlen(iface);
	const char *p;

	for (p = spec; (p = strstr(p, iface)) != NULL; p += n) {
		const char *q = p;

		if (p > spec && ident_char(p[-1]))
			continue;
		if (ident_char(p[n]))
			continue;
		if (p[n] == '(')
			return true;
		/* Walk back over "a, b, " or "a/b/" to "XSH ". */
		while (q > spec) {
			if (q - spec >= 4 && strncmp(q - 4, "XSH ", 4) == 0)
				return true;
			if (q - spec >= 2 && (strncmp(q - 2, ", ", 2) == 0)) {
				q -= 2;
			} else if (q[-1] == '/') {
				q -= 1;
			} else {
				break;
			}
			while (q > spec && ident_char(q[-1]))
				q--;
		}
	}
	return false;
}

static bool
case_cites(json_t *c, const char *iface)
{
	const char *name = model_str(c, "name");
	size_t n = strlen(iface);

	return (strncmp(name, iface, n) == 0 && strncmp(name + n, "__", 2) == 0) ||
	    spec_cites(model_str(c, "spec"), iface);
}

static const char *
label(const char *o)
{
	return strcmp(o, "expected_failure") == 0 ? "xfail" : strcmp(o, "not_run") == 0 ?
	    "not run" : strcmp(o, "timed_out") == 0 ? "timed out" : o;
}

/* "12 passed, 1 skipped" for the cases in `cited` on one target. */
static void
outcomes_cell(FILE *out, json_t *cited, const char *tid)
{
	long long n[REPORT_NOUTCOMES] = { 0 };
	bool first = true;
	json_t *c;
	size_t i;
	int k;

	json_array_foreach(cited, i, c)
		for (k = 0; report_outcomes[k] != NULL; k++)
			if (strcmp(model_outcome(c, tid), report_outcomes[k]) == 0)
				n[k]++;
	for (k = 0; report_outcomes[k] != NULL; k++) {
		if (n[k] == 0)
			continue;
		fprintf(out, model_outcome_is_bad(report_outcomes[k]) ? "%s**%lld %s**" :
		    "%s%lld %s", first ? "" : ", ", n[k], label(report_outcomes[k]));
		first = false;
	}
	if (first)
		fprintf(out, "–");
}

static void
target_header(FILE *out, json_t *m, const char *lead, const char *rule)
{
	json_t *t;
	size_t j;

	fprintf(out, "%s", lead);
	json_array_foreach(json_object_get(m, "targets"), j, t) {
		fprintf(out, " ");
		text_md_code(out, model_str(t, "id"), 60);
		fprintf(out, " |");
	}
	fprintf(out, "\n%s", rule);
	json_array_foreach(json_object_get(m, "targets"), j, t)
		fprintf(out, "---|");
	fprintf(out, "\n");
}

static void
interface_table(FILE *out, json_t *m)
{
	json_t *cited, *c, *t, *thin = json_array();
	size_t i, j, k;

	fprintf(out, "## POSIX/XSI interfaces in scope\n\nA case cites an interface when "
	    "its name starts with it or its clause names it. Interfaces with fewer than %d "
	    "cases are thin.\n\n", THIN);
	target_header(out, m, "| interface | option | area | cases |", "|---|---|---|--:|");
	for (k = 0; k < NINTERFACES; k++) {
		cited = json_array();
		json_array_foreach(json_object_get(m, "cases"), i, c)
			if (case_cites(c, interfaces[k].name))
				json_array_append(cited, c);
		if (json_array_size(cited) < THIN)
			json_array_append_new(thin, json_string(interfaces[k].name));
		fprintf(out, "| `%s` | %s | %s | %s%zu%s |", interfaces[k].name,
		    interfaces[k].option, interfaces[k].area,
		    json_array_size(cited) < THIN ? "**" : "", json_array_size(cited),
		    json_array_size(cited) < THIN ? "**" : "");
		json_array_foreach(json_object_get(m, "targets"), j, t) {
			fprintf(out, " ");
			outcomes_cell(out, cited, model_str(t, "id"));
			fprintf(out, " |");
		}
		fprintf(out, "\n");
		json_decref(cited);
	}
	fprintf(out, "\nThin (fewer than %d cases, %zu):", THIN, json_array_size(thin));
	json_array_foreach(thin, i, c)
		fprintf(out, "%s `%s`", i ? "," : "", json_string_value(c));
	fprintf(out, "\n\n");
	json_decref(thin);
}

/* The case whose id ends with ref (PROGRAM:CASE without the suites/ path), or NULL. */
static json_t *
find_case(json_t *m, const char *ref)
{
	size_t n = strlen(ref), i;
	json_t *c;

	json_array_foreach(json_object_get(m, "cases"), i, c) {
		const char *id = model_str(c, "id");
		size_t len = strlen(id);
		if (len >= n && strcmp(id + len - n, ref) == 0 && (len == n || id[len - n - 1] == '/'))
			return c;
	}
	return NULL;
}

static void
seed_table(FILE *out, json_t *m)
{
	char *copy = strdup(ipcconf_seed_points_tsv), *line, *save = NULL;
	json_t *t;
	size_t j;
	int covered = 0, total = 0;

	if (copy == NULL)
		return;
	fprintf(out, "## The seed notes' points\n\nEach point of the IPC notes the suite "
	    "started from (seed notes 000 to 004), with the case that checks it "
	    "(`reports/seed_points.tsv`).\n\n");
	target_header(out, m, "| note | point | case |", "|---|---|---|");
	for (line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *note = line, *point = strchr(line, '\t'), *ref;
		json_t *c;

		if (line[0] == '#' || point == NULL)
			continue;
		*point++ = '\0';
		ref = strchr(point, '\t');
		if (ref == NULL)
			continue;
		*ref++ = '\0';
		c = ref[0] != '-' ? find_case(m, ref) : NULL;
		total++;
		covered += c != NULL;
		fprintf(out, "| %s | %s | ", note, point);
		if (ref[0] == '-')
			fprintf(out, "no case: %s", ref + 1);
		else if (c == NULL)
			fprintf(out, "`%s` (not in this bundle)", ref);
		else
			text_md_code(out, model_str(c, "name"), 200);
		fprintf(out, " |");
		json_array_foreach(json_object_get(m, "targets"), j, t) {
			fprintf(out, " ");
			const char *o = c != NULL ? model_outcome(c, model_str(t, "id")) : NULL;

			if (o != NULL)
				fprintf(out, model_outcome_is_bad(o) ? "**%s**" : "%s", label(o));
			else
				fprintf(out, "–");
			fprintf(out, " |");
		}
		fprintf(out, "\n");
	}
	fprintf(out, "\n%d of %d points have a case in this bundle.\n", covered, total);
	free(copy);
}

int
render_spec(json_t *m, FILE *out, char *err, size_t errlen)
{
	fprintf(out, "# ipcconf: spec traceability (%zu cases, %zu target(s))\n\n",
	    json_array_size(json_object_get(m, "cases")),
	    json_array_size(json_object_get(m, "targets")));
	interface_table(out, m);
	seed_table(out, m);
	(void)err;
	(void)errlen;
	return 0;
}
