/*
 * Naming the case behind a leak (see runner.h). Kyua removes a case's work
 * directory, and the cleanup record in it, as soon as the case ends; so the
 * records are copied while Kyua runs: inotify reports each new directory
 * under TMPDIR (kyua.XXXX/N/work), and each record file is opened as soon as
 * it appears and read when its directory goes (an open descriptor still
 * reads a removed file; watching every write in the work directories would
 * cost the run more). The journal holds "N<TAB><record line>". Kyua numbers its control
 * directories in spawn order, and its log says which case each spawn was
 * ("Spawning PROG:CASE" then "Spawned subprocess"; a "(cleanup)" spawn reuses
 * the body's directory), which turns N into the case.
 */
#include "runner.h"
#include "fx_record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WATCHED 1024

struct watched {
	int wd, depth;           /* 1: kyua.XXXX, 2: N, 3: N/work */
	long n;                  /* the control directory's number (depth 2 and 3) */
	int fd;                  /* the record, once seen */
	off_t off;               /* what of it the journal has */
	char path[PATH_MAX];
};

struct watch {
	int ifd;
	FILE *journal;
	struct watched w[MAX_WATCHED];
	size_t count;
};

static void add_watch(struct watch *ws, const char *path, int depth, long n);

/* Copies the record's complete new lines into the journal. */
static void
read_record(struct watch *ws, struct watched *e)
{
	char buf[8192];
	ssize_t got;

	if (e->fd == -1) {
		char path[PATH_MAX + 32];

		snprintf(path, sizeof path, "%s/%s", e->path, FX_RECORD_FILE);
		if ((e->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			return;
	}
	while ((got = pread(e->fd, buf, sizeof buf - 1, e->off)) > 0) {
		char *line = buf, *nl;

		buf[got] = '\0';
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			fprintf(ws->journal, "%ld\t%s\n", e->n, line);
			e->off += nl - line + 1;
			line = nl + 1;
		}
		if (line == buf) /* no complete line yet */
			break;
	}
	fflush(ws->journal);
}

/* A directory already there when its watch came: its children are looked at now. */
static void
scan_existing(struct watch *ws, struct watched *e)
{
	struct dirent *d;
	DIR *dir;
	char path[PATH_MAX + 256];

	if (e->depth == 3) {
		read_record(ws, e);
		return;
	}
	if ((dir = opendir(e->path)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", e->path, d->d_name);
		if (e->depth == 1)
			add_watch(ws, path, 2, strtol(d->d_name, NULL, 10));
		else if (strcmp(d->d_name, "work") == 0)
			add_watch(ws, path, 3, e->n);
	}
	closedir(dir);
}

static void
add_watch(struct watch *ws, const char *path, int depth, long n)
{
	struct watched *e;
	int wd;

	if (ws->count == MAX_WATCHED)
		return;
	wd = inotify_add_watch(ws->ifd, path, IN_CREATE | IN_ONLYDIR);
	if (wd == -1)
		return;
	e = &ws->w[ws->count++];
	e->wd = wd;
	e->depth = depth;
	e->n = n;
	e->fd = -1;
	e->off = 0;
	snprintf(e->path, sizeof e->path, "%s", path);
	scan_existing(ws, e);
}

static struct watched *
find_wd(struct watch *ws, int wd)
{
	size_t i;

	for (i = 0; i < ws->count; i++)
		if (ws->w[i].wd == wd)
			return &ws->w[i];
	return NULL;
}

/* Forgets a watch whose directory went (its record read to the end first). */
static void
drop(struct watch *ws, struct watched *e)
{
	if (e->fd != -1) {
		read_record(ws, e);
		close(e->fd);
	}
	*e = ws->w[--ws->count];
}

static void
handle_events(struct watch *ws, int timeout_ms)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd p = { ws->ifd, POLLIN, 0 };
	ssize_t len;

	if (poll(&p, 1, timeout_ms) <= 0)
		return;
	while ((len = read(ws->ifd, buf, sizeof buf)) > 0) {
		char *ptr;

		for (ptr = buf; ptr < buf + len;) {
			struct inotify_event *ev = (struct inotify_event *)ptr;
			struct watched *e = find_wd(ws, ev->wd);
			char path[PATH_MAX + 256];

			ptr += sizeof *ev + ev->len;
			if (e == NULL)
				continue;
			if (ev->mask & IN_IGNORED) {
				drop(ws, e);
				continue;
			}
			if (ev->len == 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", e->path, ev->name);
			if (e->depth == 3 && strcmp(ev->name, FX_RECORD_FILE) == 0)
				read_record(ws, e);
			else if (e->depth == 2 && strcmp(ev->name, "work") == 0 && (ev->mask & IN_ISDIR))
				add_watch(ws, path, 3, e->n);
			else if (e->depth == 1 && (ev->mask & IN_ISDIR))
				add_watch(ws, path, 2, strtol(ev->name, NULL, 10));
			else if (e->depth == 0 && (ev->mask & IN_ISDIR) && strncmp(ev->name, "kyua.", 5) == 0)
				add_watch(ws, path, 1, 0);
		}
	}
}

int
run_kyua_watching(char *const argv[], const char *log, const char *tmpdir, const char *journal)
{
	static struct watch ws; /* big: not on the stack */
	int status = -1, wd;
	pid_t pid;

	ws.count = 0;
	ws.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ws.journal = fopen(journal, "we");
	if (ws.ifd == -1 || ws.journal == NULL ||
	    (wd = inotify_add_watch(ws.ifd, tmpdir, IN_CREATE | IN_ONLYDIR)) == -1) {
		/* No attribution then, but the run goes on. */
		if (ws.ifd != -1)
			close(ws.ifd);
		if (ws.journal != NULL)
			fclose(ws.journal);
		return run_command(argv, log);
	}
	ws.w[0] = (struct watched){ .wd = wd, .depth = 0, .fd = -1 };
	snprintf(ws.w[0].path, sizeof ws.w[0].path, "%s", tmpdir);
	ws.count = 1;
	/* In this process group: a stopped target's SIGINT must reach Kyua. */
	if ((pid = spawn_logged(argv, log, false)) == -1)
		goto out;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid) {
			status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		if (r == -1 && errno != EINTR) {
			status = -1;
			break;
		}
		handle_events(&ws, 100);
	}
	handle_events(&ws, 0);
out:
	while (ws.count > 0)
		drop(&ws, &ws.w[ws.count - 1]);
	close(ws.ifd);
	fclose(ws.journal);
	return status;
}

/* Kyua's log: control directory number -> "PROGRAM:CASE" (a JSON object keyed by the number). */
static json_t *
kyua_control_dirs(const char *kyua_log)
{
	json_t *map = json_object();
	char line[8192], pending[1024] = "", key[32];
	bool cleanup = false;
	long n = 0;
	FILE *f = fopen(kyua_log, "re");

	if (f == NULL)
		return map;
	while (fgets(line, sizeof line, f) != NULL) {
		char *p;

		line[strcspn(line, "\n")] = '\0';
		if ((p = strstr(line, ": Spawning ")) != NULL) {
			size_t l;

			snprintf(pending, sizeof pending, "%s", p + 11);
			l = strlen(pending);
			cleanup = l > 10 && strcmp(pending + l - 10, " (cleanup)") == 0;
			continue;
		}
		if (strstr(line, "Spawned subprocess with exec_handle") == NULL)
			continue;
		if (pending[0] != '\0' && cleanup) { /* a follow-up in the body's directory */
			pending[0] = '\0';
			continue;
		}
		n++;
		if (pending[0] != '\0') {
			char *slash = strrchr(pending, '/');

			snprintf(key, sizeof key, "%ld", n);
			json_object_set_new(map, key, json_string(slash ? slash + 1 : pending));
		}
		pending[0] = '\0';
	}
	fclose(f);
	return map;
}

/* The record line that names the same object as a leak line, in the journal's terms. */
static bool
record_matches(const char *kind_at, const char *what, const char *leak)
{
	char kind[64], name[PATH_MAX];
	long long id;

	/* The record's kind may carry the creator's uid: "sysv_shm@65534". */
	snprintf(kind, sizeof kind, "%.*s", (int)strcspn(kind_at, "@"), kind_at);
	if (strncmp(kind, "sysv_", 5) == 0) {
		size_t kl = strlen(kind);

		return strncmp(leak, kind, kl) == 0 && sscanf(leak + kl, " id=%lld", &id) == 1 &&
		    id == atoll(what);
	}
	if (what[0] != '/')
		return false;
	if (strcmp(kind, "posix_shm") == 0)
		snprintf(name, sizeof name, "dev_shm %s", what + 1);
	else if (strcmp(kind, "posix_sem") == 0)
		snprintf(name, sizeof name, "dev_shm sem.%s", what + 1);
	else if (strcmp(kind, "posix_mq") == 0)
		snprintf(name, sizeof name, "mqueue %s", what + 1);
	else
		return false;
	return strcmp(leak, name) == 0;
}

/* The case of one leak line: from the journal, else from an ipcconf POSIX name. */
static void
case_of_leak(const char *leak, const char *journal, json_t *dirs, char *out, size_t len)
{
	char line[PATH_MAX + 64], key[32];
	const char *p;
	FILE *f = fopen(journal, "re");

	out[0] = '\0';
	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		char *tab = strchr(line, '\t'), *sp;

		line[strcspn(line, "\n")] = '\0';
		if (tab == NULL || (sp = strchr(tab + 1, ' ')) == NULL)
			continue;
		*tab = *sp = '\0';
		if (!record_matches(tab + 1, sp + 1, leak))
			continue;
		snprintf(key, sizeof key, "%s", line);
		if (json_string_value(json_object_get(dirs, key)) != NULL)
			snprintf(out, len, "%s", json_string_value(json_object_get(dirs, key)));
	}
	if (f != NULL)
		fclose(f);
	/* fx_posix_name: "/ipcconf.CASE.PID.SERIAL.TAG" (sem. before it in /dev/shm). */
	if (out[0] == '\0' && (p = strstr(leak, "ipcconf.")) != NULL) {
		const char *end = strchr(p + 8, '.');

		if (end != NULL)
			snprintf(out, len, "%.*s", (int)(end - p - 8), p + 8);
	}
}

void
attribute_leaks(char *buf, size_t len, const char *journal, const char *kyua_log)
{
	json_t *dirs = kyua_control_dirs(kyua_log);
	char *copy = strdup(buf), *line, *save = NULL;
	size_t used = 0;

	if (copy == NULL) {
		json_decref(dirs);
		return;
	}
	buf[0] = '\0';
	for (line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char who[512] = "";
		int w;

		if (strncmp(line, "process ", 8) != 0)
			case_of_leak(line, journal, dirs, who, sizeof who);
		w = snprintf(buf + used, len - used, "%s%s%s%s\n", line, who[0] ? " (created by " : "",
		    who, who[0] ? ")" : "");
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	free(copy);
	json_decref(dirs);
}

void
case_of_process(const char *pid, const char *kyua_log, char *out, size_t len)
{
	char link[64], cwd[PATH_MAX], key[32];
	const char *p;
	ssize_t n;
	json_t *dirs;

	out[0] = '\0';
	snprintf(link, sizeof link, "/proc/%s/cwd", pid);
	if ((n = readlink(link, cwd, sizeof cwd - 1)) <= 0)
		return;
	cwd[n] = '\0';
	/* .../kyua.XXXXXX/N/work[/...] (" (deleted)" once Kyua removed it) */
	if ((p = strstr(cwd, "/kyua.")) == NULL || (p = strchr(p + 1, '/')) == NULL)
		return;
	snprintf(key, sizeof key, "%ld", strtol(p + 1, NULL, 10));
	dirs = kyua_control_dirs(kyua_log);
	if (json_string_value(json_object_get(dirs, key)) != NULL)
		snprintf(out, len, "%s", json_string_value(json_object_get(dirs, key)));
	json_decref(dirs);
}
