/*
 * The core of the interposer: which fault is active, whether this process is
 * a test program, and the log the self-test reads.
 */
#include "fault.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char active[64];
static bool is_test_program;
static bool logged_fire;
static bool private_ipcns;
static char program[64];

void *
fault_next(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p == NULL) {
		static const char msg[] = "ipcconf-faults: a wrapped function is missing\n";
		(void)!write(2, msg, sizeof msg - 1);
		abort();
	}
	return p;
}

/* The basename of the running executable, from /proc/self/exe. */
static void
read_program_name(void)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	const char *base;

	if (n <= 0)
		return;
	path[n] = '\0';
	base = strrchr(path, '/');
	snprintf(program, sizeof program, "%s", base ? base + 1 : path);
}

static void
read_fault_file(const char *file)
{
	FILE *f = fopen(file, "re");

	if (f == NULL)
		return;
	if (fgets(active, sizeof active, f) == NULL)
		active[0] = '\0';
	active[strcspn(active, " \t\r\n")] = '\0';
	fclose(f);
}

__attribute__((constructor)) static void
fault_init(void)
{
	const char *name = getenv("IPCCONF_FAULT");
	size_t len;

	read_program_name();
	len = strlen(program);
	is_test_program = len > 5 && strcmp(program + len - 5, "_test") == 0;
	if (!is_test_program)
		return;
	if (name != NULL && name[0] != '\0')
		snprintf(active, sizeof active, "%s", name);
	else if (getenv("IPCCONF_FAULT_FILE") != NULL)
		read_fault_file(getenv("IPCCONF_FAULT_FILE"));
}

bool
fault_is(const char *name)
{
	return is_test_program && active[0] != '\0' && strcmp(active, name) == 0;
}

static void
log_line(const char *line)
{
	const char *path = getenv("IPCCONF_FAULT_LOG");
	int saved = errno, fd;

	if (path == NULL || path[0] == '\0')
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd >= 0) {
		(void)!write(fd, line, strlen(line));
		close(fd);
	}
	errno = saved;
}

void
fault_fired(void)
{
	char line[160];

	if (logged_fire)
		return;
	logged_fire = true;
	snprintf(line, sizeof line, "fired %s %d %s\n", active, (int)getpid(), program);
	log_line(line);
}

void
fault_created(const char *kind, const char *id, const char *key)
{
	char line[400];

	if (!is_test_program || private_ipcns)
		return;
	snprintf(line, sizeof line, "created %s %s %d %u%s%s\n", kind, id, (int)getpid(),
	    (unsigned)geteuid(), key ? " " : "", key ? key : "");
	log_line(line);
}

void
fault_entered_private_ipcns(void)
{
	private_ipcns = true;
}

void
fault_wait_first(void)
{
	struct timespec ts = { 2, 0 };
	int err = errno;

	fault_fired();
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	errno = err;
}
