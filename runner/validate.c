/*
 * What `ipcconf run` checks before anything runs: option values, the output
 * directory, and each target's helper (ipcconf-user-target --check,
 * ipcconf-qemu-target --check). A refusal exits 2 with the reason on the
 * terminal, so that a run never starts only to fail later in a log.
 */
#include "runner.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

long
parse_number(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		die_usage("%s takes a whole number from %ld to %ld, not '%s'", opt, min, max, arg);
	return v;
}

/* Docker's own syntax (RAMInBytes): a number, an optional unit b k m g t p, "b" after it. */
void
validate_shm_size(const char *arg)
{
	const char *p = arg;
	bool digits = false;

	while (isdigit((unsigned char)*p))
		p++, digits = true;
	if (*p == '.' && isdigit((unsigned char)p[1]))
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == ' ')
		p++;
	if (*p != '\0' && strchr("kKmMgGtTpP", *p) != NULL) {
		p++;
		if (*p == 'i' || *p == 'I')
			p++;
	}
	if (*p == 'b' || *p == 'B')
		p++;
	if (!digits || *p != '\0' || strtod(arg, NULL) <= 0)
		die_usage("--shm-size takes a size such as 64m, 1g or 67108864 (bytes), not '%s'", arg);
}

/* UID[:GID], or names: what docker run --user takes. */
void
validate_docker_user(const char *arg)
{
	const char *colon = strchr(arg, ':');
	size_t i;

	for (i = 0; arg[i] != '\0'; i++)
		if (!isalnum((unsigned char)arg[i]) && strchr("_.-:", arg[i]) == NULL)
			break;
	if (arg[0] == '\0' || arg[i] != '\0' || colon == arg || (colon && colon[1] == '\0') ||
	    (colon && strchr(colon + 1, ':') != NULL))
		die_usage("--docker-user takes UID[:GID] (or a user and group name), not '%s'", arg);
}

void
validate_filter_text(const char *f)
{
	if (f[0] == '\0' || strspn(f, " \t") == strlen(f))
		die_usage("--filter takes a family (pipe), a program (pipe_test), PROGRAM:CASE or a "
		    "case name, not an empty string");
	if (strpbrk(f, " \t\n") != NULL)
		die_usage("--filter '%s': a filter has no spaces (give one --filter per name)", f);
}

void
validate_out_dir(const char *dir, char *abs, size_t len)
{
	char probe[PATH_MAX + 64], bundle[PATH_MAX + 16], err[1024];
	struct stat st;
	json_t *b;
	int fd;

	if (dir[0] == '\0')
		die_usage("--out needs a directory");
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
		die_usage("--out %s: that is a file, not a directory; name a new or empty "
		    "directory", dir);
	if (mkdir_p(dir, 0755) == -1)
		die_usage("--out %s: cannot create the directory: %s", dir, strerror(errno));
	if (len < PATH_MAX || realpath(dir, abs) == NULL)
		die_usage("--out %s: %s", dir, strerror(errno));
	/* Root passes access(W_OK) on a read-only directory: try it for real. */
	snprintf(probe, sizeof probe, "%s/.ipcconf-write-test.%d", abs, (int)getpid());
	if ((fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1)
		die_usage("--out %s: cannot write there: %s; name a writable directory", dir,
		    strerror(errno));
	close(fd);
	unlink(probe);
	snprintf(bundle, sizeof bundle, "%s/bundle.json", abs);
	if (access(bundle, F_OK) == 0) {
		if ((b = bundle_load(bundle, NULL, 0, err, sizeof err)) == NULL)
			die_usage("--out %s holds a bundle.json that is not an ipcconf bundle (%s): "
			    "refusing to replace it; name another directory", dir, err);
		json_decref(b);
	}
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	(void)remove(path);
	return 0;
}

/*
 * A run into a directory that holds an earlier bundle replaces that bundle
 * as a whole: old target directories must not sit beside a bundle that no
 * longer lists them. Only what ipcconf writes is removed.
 */
void
replace_old_bundle(const char *dir)
{
	static const char *const parts[] = { "bundle.json", "bundle.json.tmp", "report.html",
		"report.xml", "report.md", "flakes.json", "targets", "runs", NULL };
	char path[PATH_MAX + 32];
	bool replaced = false;
	int i;

	for (i = 0; parts[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, parts[i]);
		if (access(path, F_OK) != 0)
			continue;
		if (!replaced && strcmp(parts[i], "bundle.json") == 0)
			printf("ipcconf: %s holds an earlier bundle: it is replaced as a whole\n", dir);
		replaced = true;
		(void)nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
}

/* Runs argv with stdout and stderr into a pipe; the last meaningful line in out. */
static int
command_last_line(char *const argv[], char *out, size_t len)
{
	char tmpl[] = "/tmp/ipcconf-check.XXXXXX";
	int fd = mkstemp(tmpl), status;

	out[0] = '\0';
	if (fd == -1)
		return -1;
	close(fd);
	status = run_command(argv, tmpl);
	tool_last_line(tmpl, out, len);
	unlink(tmpl);
	return status;
}

void
validate_with_helper(const char *target_id, char *const argv[])
{
	char last[512];
	int status = command_last_line(argv, last, sizeof last);

	if (status != 0)
		die_usage("target %s: %s", target_id, last[0] ? last :
		    "its helper refused it without a message");
}

void
validate_cache_home(const char *target_id)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char path[PATH_MAX];

	struct stat st;

	if (xdg != NULL && xdg[0] != '\0')
		snprintf(path, sizeof path, "%s/ipcconf", xdg);
	else if (home != NULL && home[0] != '\0' && (stat(home, &st) == -1 || !S_ISDIR(st.st_mode)))
		die_usage("target %s keeps kernels, sysroots and builds in $HOME/.cache, and HOME "
		    "(%s) is not a directory: set HOME or XDG_CACHE_HOME to a writable directory",
		    target_id, home);
	else if (home != NULL && home[0] != '\0')
		snprintf(path, sizeof path, "%s/.cache/ipcconf", home);
	else
		die_usage("target %s keeps kernels, sysroots and builds in $XDG_CACHE_HOME or "
		    "$HOME/.cache: set HOME (or XDG_CACHE_HOME) to a writable directory", target_id);
	if (mkdir_p(path, 0755) == -1 || access(path, W_OK) != 0)
		die_usage("target %s keeps kernels, sysroots and builds in %s, which cannot be "
		    "created or written (%s): set HOME or XDG_CACHE_HOME to a writable directory",
		    target_id, path, strerror(errno));
}

/* Lines that point elsewhere rather than say what went wrong. */
static bool
is_pointer_line(const char *l)
{
	return strstr(l, "--help' for more information") != NULL ||
	    strstr(l, "--help'.") != NULL || strncmp(l, "See '", 5) == 0 ||
	    strstr(l, "(see the message above)") != NULL ||
	    strstr(l, "(the run's output is above)") != NULL;
}

void
tool_last_line(const char *log, char *out, size_t len)
{
	char line[1024], kyua_error[1024] = "";
	FILE *f = fopen(log, "re");

	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		char *p = line;

		line[strcspn(line, "\n")] = '\0';
		/* Kyua ends its message without a newline; a line may hold two. */
		if (strstr(p, "kyua: E: ") != NULL)
			snprintf(kyua_error, sizeof kyua_error, "%s", strstr(p, "kyua: E: "));
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0' && !is_pointer_line(p))
			snprintf(out, len, "%s", p);
	}
	fclose(f);
	if (kyua_error[0] != '\0') {
		char *again = strstr(kyua_error + 1, "kyua: E: ");

		if (again != NULL)
			*again = '\0';
		snprintf(out, len, "%s", kyua_error);
	}
}
