/* Small helpers of the ipcconf command. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void
die_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("ipcconf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): started above */
	va_end(ap);
	fputs("\n", stderr);
	exit(EXIT_USAGE);
}

int
mkdir_p(const char *path, int mode)
{
	char buf[PATH_MAX], *p;

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, (mode_t)mode) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, (mode_t)mode) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

pid_t
spawn_logged(char *const argv[], const char *log, bool own_group)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid != 0)
		return pid;
	if (own_group)
		setpgid(0, 0);
	if (log != NULL) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd == -1 || dup2(fd, 1) == -1 || dup2(fd, 2) == -1)
			_exit(127);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "ipcconf: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int
run_command(char *const argv[], const char *log)
{
	int status;
	pid_t pid = spawn_logged(argv, log, false);

	if (pid == -1)
		return -1;
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

pid_t
start_command(char *const argv[], const char *log)
{
	return spawn_logged(argv, log, true);
}

int
command_output(char *const argv[], char *out, size_t len)
{
	int p[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(p) == -1)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(p[1], 1);
		if (devnull >= 0)
			dup2(devnull, 2);
		close(p[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	/* Read to the end: closing early would kill a writer with SIGPIPE. */
	for (n = 0;;) {
		char sink[512];
		ssize_t r = (size_t)n < len - 1 ? read(p[0], out + n, len - 1 - (size_t)n)
		    : read(p[0], sink, sizeof sink);
		if (r > 0 && (size_t)n < len - 1)
			n += r;
		else if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (n < 0)
		n = 0;
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

const char *
find_in_path(const char *prog)
{
	static char buf[PATH_MAX];
	const char *path = getenv("PATH"), *p, *end;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		snprintf(buf, sizeof buf, "%.*s/%s", (int)(end - p), p, prog);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	return NULL;
}

/*
 * An installed ipcconf (<prefix>/bin/ipcconf) finds the suite in
 * <prefix>/libexec/ipcconf; one run from the build tree uses the build tree.
 */
const char *
default_suite_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX], probe[PATH_MAX + 32], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			snprintf(dir, sizeof dir, "%s/../%s", exe, IPCCONF_INSTALLED_SUITE_SUBDIR);
			snprintf(probe, sizeof probe, "%s/Kyuafile", dir);
			if (access(probe, R_OK) == 0)
				return dir;
		}
	}
	snprintf(dir, sizeof dir, "%s", IPCCONF_BUILD_SUITE_DIR);
	snprintf(probe, sizeof probe, "%s/Kyuafile", dir);
	return access(probe, R_OK) == 0 ? dir : NULL;
}
