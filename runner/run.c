/*
 * `ipcconf run`: the suite on each target (this machine, Docker images),
 * targets side by side up to --jobs, each under a deadline, merged into one
 * result bundle. An interrupted run still writes the bundle of what finished.
 */
#include "runner.h"
#include "farm.h"
#include "reports.h"
#include "fx_record.h"
#include "fx_snapshot.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <sys/mount.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TARGETS 32
/* A shard's cases arrive as filters (shard.c), one per case. */
#define MAX_FILTERS 4096

enum target_kind { T_HOST, T_DOCKER, T_QEMU, T_USER, T_GVISOR };
enum target_state { S_PENDING, S_RUNNING, S_DONE };

struct target {
	char id[256];
	enum target_kind kind;
	char image[200];         /* docker: the image; qemu: the kernel (path or debian-X) */
	char image_id[160];
	char arch[32];           /* qemu: the guest's architecture, empty for the host's; user: ARCH;
	                            gvisor: the platform */
	char dname[256];
	char dir[PATH_MAX];
	char log[PATH_MAX + 32];
	char container[64];
	char tmpdir[64];         /* host: Kyua's TMPDIR, where the work directories live */
	char suite[PATH_MAX];    /* gvisor: the suite whose helper runs (and stops) it */
	pid_t pid;
	long long started, ended;
	enum target_state state;
	int exit_status;
	bool stopped;
	const char *status;      /* completed, timed_out, interrupted, error */
	char reason[512];
};

struct run_opts {
	const char *out, *suite, *filters[MAX_FILTERS];
	int nfilters;
	long jobs;
	long timeout_s;
	const char *docker_ipc, *shm_size, *docker_user;
	bool isolate;
};

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	interrupted = 1;
}

/* Turns "pipe", "pipe_test" or "pipe_test:case" into a Kyua filter under suite. */
static char *
kyua_filter(const char *suite, const char *f)
{
	char path[PATH_MAX], prog[256], *out;
	const char *colon = strchr(f, ':');
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (strchr(f, '/') != NULL)
		return strdup(f);
	snprintf(prog, sizeof prog, "%.*s", colon ? (int)(colon - f) : (int)strlen(f), f);
	snprintf(path, sizeof path, "%s/suites/%s/Kyuafile", suite, prog);
	if (colon == NULL && stat(path, &st) == 0)
		return asprintf(&out, "suites/%s", prog) < 0 ? NULL : out;
	/* A program: look in each family the suite has (its directories under suites/). */
	snprintf(path, sizeof path, "%s/suites", suite);
	if ((d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/suites/%s/%s", suite, e->d_name, prog);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				char *r = asprintf(&out, "suites/%s/%s", e->d_name, f) < 0 ? NULL : out;
				closedir(d);
				return r;
			}
		}
		closedir(d);
	}
	/* The project's own test suites keep programs at the top of their root. */
	snprintf(path, sizeof path, "%s/%s", suite, prog);
	if (stat(path, &st) == 0)
		return strdup(f);
	return filter_from_case_name(suite, f);
}

/* True when the suite's catalogue has the case "PROGRAM:CASE" (a Kyua filter). */
static bool
catalogue_has(const char *suite, const char *id)
{
	static json_t *cat; /* read once: a run may check thousands of case filters */
	json_t *c;
	bool found = false;
	size_t i;

	if (cat == NULL)
		cat = catalogue_read(suite, NULL);
	json_array_foreach(cat, i, c)
		if (strcmp(json_string_value(json_object_get(c, "id")), id) == 0)
			found = true;
	return found;
}

#define KYUA_DEBUG_LOG "kyua-debug.log"
#define TARGET_ERROR_FILE "error.txt"

/* Refuses a --filter that matches nothing (Kyua only warns about it, and passes). */
static void
check_filters(const struct run_opts *o)
{
	int j;

	for (j = 0; j < o->nfilters; j++) {
		char *kf = kyua_filter(o->suite, o->filters[j]);

		if (strchr(o->filters[j], ':') != NULL && !catalogue_has(o->suite, kf))
			filter_refuse_unknown_case(o->suite, o->filters[j], kf);
		free(kf);
	}
}

/* Names the cases behind the leaks of a target that was stopped (see attribute.c). */
static void
attribute_leaks_of(const struct target *t, char *leaks, size_t len)
{
	char journal[PATH_MAX + 32], kyua_log[PATH_MAX + 32];

	snprintf(journal, sizeof journal, "%s/%s", t->dir, RECORD_JOURNAL);
	snprintf(kyua_log, sizeof kyua_log, "%s/%s", t->dir, KYUA_DEBUG_LOG);
	attribute_leaks(leaks, len, journal, kyua_log);
}

/* A qemu: or user: target's helper checks what it can before the run (--check). */
static void
check_helper_target(const struct target *t, const char *helper)
{
	char *argv[8];
	int k = 0;

	validate_cache_home(t->id);
	argv[k++] = (char *)helper;
	argv[k++] = "--check";
	argv[k++] = (char *)(t->kind == T_QEMU ? t->image : t->arch);
	if (t->kind == T_QEMU && t->arch[0] != '\0') {
		argv[k++] = "--arch";
		argv[k++] = (char *)t->arch;
	}
	argv[k] = NULL;
	validate_with_helper(t->id, argv);
}

/* The host worker's reason for ending with status 2, for the parent (see target_failure_reason). */
static void __attribute__((format(printf, 2, 3)))
write_target_error(const struct target *t, const char *fmt, ...)
{
	char path[PATH_MAX + 32];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", t->dir, TARGET_ERROR_FILE);
	if ((f = fopen(path, "we")) == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized): started above */
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

/*
 * Why a target's run ended with status 2 or more, on one line for the
 * terminal and the reports: the tool's own last meaningful line (the host
 * worker's error, docker's, the qemu or user helper's), and only logs that exist.
 */
static void
target_failure_reason(struct target *t)
{
	static const char *const logs[] = { "docker.log", "qemu.log", "user.log", "gvisor.log",
		"console.log", "kyua.log", NULL };
	char path[PATH_MAX + 32], last[512] = "", seen[256] = "";
	const char *main_log = t->kind == T_DOCKER ? "docker.log" : t->kind == T_QEMU ?
	    "qemu.log" : t->kind == T_USER ? "user.log" : t->kind == T_GVISOR ? "gvisor.log" :
	    "kyua.log";
	int i;

	snprintf(path, sizeof path, "%s/%s", t->dir, TARGET_ERROR_FILE);
	tool_last_line(path, last, sizeof last);
	if (last[0] == '\0') {
		snprintf(path, sizeof path, "%s/%s", t->dir, main_log);
		tool_last_line(path, last, sizeof last);
	}
	for (i = 0; logs[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/%s", t->dir, logs[i]);
		if (access(path, F_OK) == 0 && strlen(seen) + strlen(logs[i]) + 8 < sizeof seen)
			snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s%s",
			    seen[0] ? ", " : "", logs[i]);
	}
	snprintf(t->reason, sizeof t->reason, "the target's run ended with status %d: %s%s%s%s",
	    t->exit_status, last[0] ? last : "it gave no reason", seen[0] ? " (more in " : "",
	    seen, seen[0] ? ")" : "");
}

/*
 * The snapshots are system-wide, so an object another program creates during
 * the run shows up too; such objects usually go away again. A new object
 * counts as left behind only if it is still there after up to 3 s.
 */
static int
take_after_snapshot(const struct fx_ipc_snapshot *before, struct fx_ipc_snapshot *after)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	char dummy[1];
	int i;

	for (i = 0;; i++) {
		if (fx_snapshot_take(after) == -1)
			return -1;
		if (fx_snapshot_diff(before, after, dummy, sizeof dummy) == 0 || i == 60)
			return 0;
		fx_snapshot_free(after);
		nanosleep(&pause, NULL);
	}
}

#define RUN_MARK_VAR "IPCCONF_RUN_MARK"

/* True when /proc/PID/environ holds RUN_MARK_VAR=mark. */
static bool
process_has_mark(const char *pid, const char *mark)
{
	char path[64], want[128], buf[65536];
	size_t wlen, off;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%s/environ", pid);
	snprintf(want, sizeof want, "%s=%s", RUN_MARK_VAR, mark);
	wlen = strlen(want) + 1; /* with its NUL */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	n = read(fd, buf, sizeof buf);
	close(fd);
	for (off = 0; n > 0 && off + wlen <= (size_t)n; off += strlen(buf + off) + 1)
		if (memcmp(buf + off, want, wlen) == 0)
			return true;
	return false;
}

/*
 * Processes of the run still alive after Kyua ended (a child a case failed to
 * reap or kill): lists them as leaks ("process 123 (pipe_io_test)") and kills
 * them, so that none outlives the run. Returns how many.
 */
static size_t
marked_processes(const char *mark, char *out, size_t outlen, bool kill_them,
    const char *kyua_log);

static size_t
leftover_processes(const char *mark, char *out, size_t outlen, const char *kyua_log)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	int i;

	/* Kyua kills what a case leaves, but a killed process takes a moment to go. */
	for (i = 0; i < 40; i++) {
		if (marked_processes(mark, NULL, 0, false, kyua_log) == 0)
			return 0;
		nanosleep(&pause, NULL);
	}
	return marked_processes(mark, out, outlen, true, kyua_log);
}

static size_t
marked_processes(const char *mark, char *out, size_t outlen, bool kill_them,
    const char *kyua_log)
{
	struct dirent *e;
	DIR *d = opendir("/proc");
	size_t n = 0, used = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char comm[64] = "?", path[64], who[512];
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9' || atoi(e->d_name) == getpid() ||
		    !process_has_mark(e->d_name, mark))
			continue;
		snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
		if ((f = fopen(path, "re")) != NULL) {
			if (fgets(comm, sizeof comm, f) != NULL)
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		n++;
		if (!kill_them)
			continue;
		case_of_process(e->d_name, kyua_log, who, sizeof who);
		(void)kill(atoi(e->d_name), SIGKILL);
		if (used < outlen) {
			int w = snprintf(out + used, outlen - used, "process %s (%s) still running "
			    "after the run: killed%s%s%s\n", e->d_name, comm,
			    who[0] ? " (left by " : "", who, who[0] ? ")" : "");
			if (w > 0)
				used += (size_t)w;
		}
	}
	closedir(d);
	return n;
}

/*
 * As root, the host target runs in its own IPC namespace with its own
 * /dev/shm and mqueue mount: runs side by side (CI jobs, a soak beside a
 * self-test) then cannot see each other's objects, the leak check sees only
 * this run's, and whatever a run leaks still goes when it ends. Writes what
 * was done into note for the bundle; falls back to the machine's namespace.
 */
static void
isolate_ipc(const struct target *t, char *note, size_t len)
{
	static char mq[PATH_MAX]; /* the snapshots keep reading it */

	if (geteuid() != 0) {
		snprintf(note, len, "none: not root (a user namespace would change who the cases run as)");
		return;
	}
	if (unshare(CLONE_NEWIPC | CLONE_NEWNS) == -1) {
		snprintf(note, len, "none: unshare(CLONE_NEWIPC|CLONE_NEWNS) failed with %s",
		    strerror(errno));
		return;
	}
	snprintf(mq, sizeof mq, "%s/mqueue", t->tmpdir);
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1 ||
	    mount("ipcconf-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") == -1 ||
	    mkdir(mq, 0755) == -1 || mount("mqueue", mq, "mqueue", 0, NULL) == -1) {
		snprintf(note, len, "IPC namespace only: a private /dev/shm or mqueue mount "
		    "failed with %s", strerror(errno));
		return;
	}
	fx_snapshot_set_mqueue_dir(mq);
	snprintf(note, len, "private IPC namespace, /dev/shm and mqueue mount");
}

/*
 * The worker of the host target (a child process, leader of its own process
 * group): Kyua, the leak check and Kyua's HTML report, all in t->dir.
 */
static int
host_worker(const struct target *t, const struct run_opts *o)
{
	char store[PATH_MAX + 16], html[PATH_MAX + 16], kyuafile[PATH_MAX + 16];
	char hlog[PATH_MAX + 32], leakfile[PATH_MAX + 16], jobs_var[64], logfile_opt[PATH_MAX + 48];
	char *kargv[16 + MAX_FILTERS], *leaks, run_mark[64], journal[PATH_MAX + 32];
	char kyua_log[PATH_MAX + 32];
	struct fx_ipc_snapshot before, after;
	int k = 0, i, status;
	FILE *f;

	snprintf(store, sizeof store, "%s/results.db", t->dir);
	snprintf(html, sizeof html, "%s/html", t->dir);
	snprintf(kyuafile, sizeof kyuafile, "%s/Kyuafile", o->suite);
	snprintf(hlog, sizeof hlog, "%s/report-html.log", t->dir);
	snprintf(leakfile, sizeof leakfile, "%s/leaks.txt", t->dir);
	snprintf(jobs_var, sizeof jobs_var, "--variable=parallelism=%ld", o->jobs);
	snprintf(logfile_opt, sizeof logfile_opt, "--logfile=%s/%s", t->dir, KYUA_DEBUG_LOG);
	kargv[k++] = "kyua";
	/* Kyua's own log: in the target's directory, not in a HOME that may not exist. */
	kargv[k++] = logfile_opt;
	kargv[k++] = jobs_var;
	if (geteuid() == 0)
		kargv[k++] = "--variable=unprivileged_user=nobody";
	kargv[k++] = "test";
	kargv[k++] = "--kyuafile";
	kargv[k++] = kyuafile;
	kargv[k++] = "--results-file";
	kargv[k++] = store;
	for (i = 0; i < o->nfilters; i++)
		kargv[k++] = kyua_filter(o->suite, o->filters[i]);
	kargv[k] = NULL;

	/* A new run replaces what an earlier run left in the same directory. */
	(void)unlink(store);
	(void)unlink(leakfile);
	{
		char note[256], path[PATH_MAX + 16];
		FILE *nf;

		if (o->isolate)
			isolate_ipc(t, note, sizeof note);
		else
			snprintf(note, sizeof note, "none: --no-ipc-isolation");
		snprintf(path, sizeof path, "%s/isolation.txt", t->dir);
		if ((nf = fopen(path, "we")) != NULL) {
			fprintf(nf, "%s\n", note);
			fclose(nf);
		}
	}
	if (fx_snapshot_take(&before) == -1) {
		write_target_error(t, "cannot list the machine's IPC objects: %s", strerror(errno));
		return EXIT_USAGE;
	}
	/* Every process of the run carries this mark: see leftover_processes. */
	snprintf(run_mark, sizeof run_mark, "%d.%lld", (int)getpid(), now_ms());
	setenv(RUN_MARK_VAR, run_mark, 1);
	snprintf(journal, sizeof journal, "%s/%s", t->dir, RECORD_JOURNAL);
	snprintf(kyua_log, sizeof kyua_log, "%s/%s", t->dir, KYUA_DEBUG_LOG);
	status = run_kyua_watching(kargv, t->log, t->tmpdir, journal);
	unsetenv(RUN_MARK_VAR);
	if (status != 0 && status != 1) {
		char last[512] = "";

		tool_last_line(t->log, last, sizeof last);
		write_target_error(t, "kyua failed with status %d: %s", status,
		    last[0] ? last : "it printed nothing");
		return EXIT_USAGE;
	}
	if (take_after_snapshot(&before, &after) == -1)
		return EXIT_USAGE;
	leaks = malloc(65536);
	if (leaks != NULL) {
		size_t n = fx_snapshot_diff(&before, &after, leaks, 65536);
		size_t used;

		attribute_leaks(leaks, 65536, journal, kyua_log);
		used = strlen(leaks);
		n += leftover_processes(run_mark, leaks + used, 65536 - used, kyua_log);
		if (n > 0 && (f = fopen(leakfile, "we")) != NULL) {
			fputs(leaks, f);
			fclose(f);
		}
	}
	free(leaks);
	{
		char hlogfile[PATH_MAX + 48];
		char *hargv[] = { "kyua", hlogfile, "report-html", "--force", "--results-file", store,
		    "--output", html, NULL };

		snprintf(hlogfile, sizeof hlogfile, "--logfile=%s/report-html-debug.log", t->dir);
		(void)run_command(hargv, hlog);
	}
	return status;
}

static void
docker_argv(const struct target *t, const struct run_opts *o, char **argv, char *bufs, size_t blen)
{
	int k = 0, i;
	char *p = bufs;

#define ADD(s) (argv[k++] = (s))
#define FMT(...) (snprintf(p, blen - (size_t)(p - bufs), __VA_ARGS__), argv[k++] = p, p += strlen(p) + 1)
	ADD("docker"); ADD("run"); ADD("--rm");
	FMT("--name=%s", t->container);
	FMT("--ipc=%s", o->docker_ipc);
	if (o->shm_size)
		FMT("--shm-size=%s", o->shm_size);
	if (o->docker_user)
		FMT("--user=%s", o->docker_user);
	FMT("--volume=%s:/results", t->dir);
	FMT("--env=IPCCONF_CONTAINER_IMAGE=%s", t->image);
	if (getenv("IPCCONF_TIME_SCALE"))
		FMT("--env=IPCCONF_TIME_SCALE=%s", getenv("IPCCONF_TIME_SCALE"));
	ADD((char *)t->image);
	ADD("ipcconf"); ADD("run"); ADD("--out"); ADD("/results");
	FMT("--jobs=%ld", o->jobs);
	for (i = 0; i < o->nfilters; i++)
		FMT("--filter=%s", o->filters[i]);
	argv[k] = NULL;
#undef ADD
#undef FMT
}

static const char *
kind_name(enum target_kind k)
{
	return k == T_HOST ? "host" : k == T_DOCKER ? "docker" : k == T_QEMU ? "qemu" :
	    k == T_GVISOR ? "gvisor" : "user";
}

/* The gvisor target: its helper runs the suite in a sandbox (target_gvisor.c). */
static void
start_gvisor(struct target *t, const struct run_opts *o)
{
	char *argv[16 + MAX_FILTERS], bufs[16384];
	struct gvisor_args a = { .suite = o->suite, .platform = t->arch, .dir = t->dir,
	    .name = t->container, .jobs = o->jobs, .timeout_s = o->timeout_s,
	    .filters = o->filters, .nfilters = o->nfilters };

	snprintf(t->suite, sizeof t->suite, "%s", o->suite);
	if (gvisor_argv(argv, bufs, sizeof bufs, &a) == -1) {
		t->pid = -1;
		return;
	}
	snprintf(t->log, sizeof t->log, "%s/gvisor.log", t->dir);
	t->pid = start_command(argv, t->log);
	snprintf(t->log, sizeof t->log, "%s/targets/host/kyua.log", t->dir);
}

static void
start_target(struct target *t, const struct run_opts *o)
{
	mkdir_p(t->dir, 0755);
	t->started = now_ms();
	t->state = S_RUNNING;
	if (t->kind == T_HOST) {
		/* World-searchable: Kyua hands some work directories to nobody. */
		snprintf(t->tmpdir, sizeof t->tmpdir, "/tmp/ipcconf-run.XXXXXX");
		if (mkdtemp(t->tmpdir) == NULL || chmod(t->tmpdir, 0755) == -1) {
			t->state = S_DONE;
			t->status = "error";
			snprintf(t->reason, sizeof t->reason, "cannot make a directory in /tmp: %s",
			    strerror(errno));
			return;
		}
		fflush(NULL);
		t->pid = fork();
		if (t->pid == 0) {
			setpgid(0, 0);
			signal(SIGINT, SIG_DFL);
			setenv("TMPDIR", t->tmpdir, 1);
			_exit(host_worker(t, o));
		}
		if (t->pid > 0)
			setpgid(t->pid, t->pid);
	} else if (t->kind == T_QEMU || t->kind == T_USER) {
		char cmd[PATH_MAX + 32], timeout[32], jobs[32], *argv[16 + MAX_FILTERS];
		int k = 0, i;

		snprintf(cmd, sizeof cmd, "%s/qemu/%s", o->suite, t->kind == T_QEMU ?
		    "ipcconf-qemu-target" : "ipcconf-user-target");
		snprintf(timeout, sizeof timeout, "%ld", o->timeout_s);
		snprintf(jobs, sizeof jobs, "%ld", o->jobs);
		argv[k++] = cmd;
		argv[k++] = t->kind == T_QEMU ? t->image : t->arch;
		argv[k++] = t->dir;
		argv[k++] = "--jobs";
		argv[k++] = jobs;
		argv[k++] = "--timeout";
		argv[k++] = timeout;
		if (t->kind == T_QEMU && t->arch[0] != '\0') {
			argv[k++] = "--arch";
			argv[k++] = t->arch;
		}
		for (i = 0; i < o->nfilters; i++) {
			argv[k++] = "--filter";
			argv[k++] = (char *)o->filters[i];
		}
		argv[k] = NULL;
		snprintf(t->log, sizeof t->log, "%s/%s.log", t->dir, kind_name(t->kind));
		t->pid = start_command(argv, t->log);
		/* The guest streams Kyua's lines to its console: progress reads them there. */
		if (t->kind == T_QEMU)
			snprintf(t->log, sizeof t->log, "%s/console.log", t->dir);
		else
			snprintf(t->log, sizeof t->log, "%s/targets/host/kyua.log", t->dir);
	} else if (t->kind == T_GVISOR) {
		start_gvisor(t, o);
	} else {
		static char *argv[32 + MAX_FILTERS], bufs[8192 + MAX_FILTERS * 320];
		/* Anyone in the container (--user) must be able to write the results. */
		chmod(t->dir, 0777);
		docker_argv(t, o, argv, bufs, sizeof bufs);
		snprintf(t->log, sizeof t->log, "%s/docker.log", t->dir);
		t->pid = start_command(argv, t->log);
		snprintf(t->log, sizeof t->log, "%s/targets/host/kyua.log", t->dir);
	}
	if (t->pid == -1) {
		t->state = S_DONE;
		t->status = "error";
		snprintf(t->reason, sizeof t->reason, "cannot start: %s", strerror(errno));
	}
}

/* Stops a target's whole process group (and its container): gently, then for good. */
static void
stop_target(struct target *t)
{
	long long end;
	int status;

	if (t->kind == T_DOCKER) {
		char *argv[] = { "docker", "kill", t->container, NULL };
		run_command(argv, "/dev/null");
	}
	if (t->kind == T_GVISOR)
		gvisor_stop(t->suite, t->container);
	kill(-t->pid, SIGINT); /* Kyua stops its running cases and runs their cleanups */
	for (end = now_ms() + 10000; now_ms() < end;) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
			kill(-t->pid, SIGKILL);
			return;
		}
		nanosleep(&ts, NULL);
	}
	kill(-t->pid, SIGKILL);
	waitpid(t->pid, &status, 0);
}

static int
sweep_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *base = path + ftw->base;

	if (flag == FTW_F && strcmp(base, FX_RECORD_FILE) == 0)
		fx_cleanup_record(path);
	return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)remove(path);
	return 0;
}

/*
 * After a host target ends: Kyua removes the work directories of the cases
 * it finished, but a stopped Kyua runs no cleanup for the cases it was in
 * the middle of. Their records of created objects are still in the work
 * directories: remove what they list, then the directories.
 */
static bool
target_was_isolated(const struct target *t)
{
	char path[PATH_MAX + 16], note[64] = "";
	FILE *f;

	snprintf(path, sizeof path, "%s/isolation.txt", t->dir);
	if ((f = fopen(path, "re")) == NULL)
		return false;
	if (fgets(note, sizeof note, f) == NULL)
		note[0] = '\0';
	fclose(f);
	return strncmp(note, "private IPC namespace", 21) == 0;
}

static void
sweep_target_tmp(struct target *t)
{
	if (t->tmpdir[0] == '\0')
		return;
	/*
	 * In a private namespace the objects died with it, and the ids in the
	 * records would name other objects out here: remove only the files.
	 */
	if (!target_was_isolated(t))
		(void)nftw(t->tmpdir, sweep_entry, 32, FTW_PHYS);
	(void)nftw(t->tmpdir, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

/* Lines of a Kyua log that report a finished case, and how many of them failed. */
static void
count_progress(const char *log, int *done, int *bad)
{
	char line[4096];
	FILE *f = fopen(log, "re");

	*done = *bad = 0;
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strstr(line, "  ->  ") == NULL)
			continue;
		(*done)++;
		if (strstr(line, "->  failed") || strstr(line, "->  broken"))
			(*bad)++;
	}
	fclose(f);
}

static void
show_progress(struct target *ts, int n)
{
	int i, done, bad;

	printf("\r");
	for (i = 0; i < n; i++) {
		count_progress(ts[i].log, &done, &bad);
		printf("%s%s: %d done, %d failed%s", i ? " | " : "", ts[i].id, done, bad,
		    ts[i].state == S_DONE ? " (finished)" : ts[i].state == S_PENDING ? " (waiting)" : "");
	}
	printf("\033[K");
	fflush(stdout);
}

static void
read_leaks(const char *file, json_t *arr)
{
	char line[512];
	FILE *f = fopen(file, "re");

	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0')
			json_array_append_new(arr, json_string(line));
	}
	fclose(f);
}

/* Adds what target t left in its directory to the bundle. */
static void
collect_target(struct target *t, json_t *bundle, const char *out, const char *suite)
{
	char store[PATH_MAX + 32], rel[PATH_MAX], err[1024], inner_dir[PATH_MAX];
	json_t *prov = NULL, *leaks = json_array(), *cases = NULL, *target, *inner = NULL;

	if (t->kind == T_HOST) {
		snprintf(store, sizeof store, "%s/results.db", t->dir);
		snprintf(rel, sizeof rel, "targets/%s/results.db", t->dname);
		prov = provenance_here();
		snprintf(err, sizeof err, "%s/leaks.txt", t->dir);
		read_leaks(err, leaks);
		{
			char note[256] = "unknown", path[PATH_MAX + 16];
			FILE *nf;

			snprintf(path, sizeof path, "%s/isolation.txt", t->dir);
			if ((nf = fopen(path, "re")) != NULL) {
				if (fgets(note, sizeof note, nf) != NULL)
					note[strcspn(note, "\n")] = '\0';
				fclose(nf);
			}
			json_object_set_new(prov, "ipc_isolation", json_string(note));
		}
	} else {
		/* A container or a guest ran `ipcconf run` itself: its bundle is inside. */
		snprintf(store, sizeof store, "%s/targets/host/results.db", t->dir);
		snprintf(rel, sizeof rel, "targets/%s/targets/host/results.db", t->dname);
		inner = bundle_load(t->dir, inner_dir, sizeof inner_dir, err, sizeof err);
		if (inner != NULL) {
			json_t *it = json_array_get(json_object_get(inner, "targets"), 0);
			prov = json_deep_copy(json_object_get(it, "provenance"));
			json_decref(leaks);
			leaks = json_deep_copy(json_object_get(it, "leaks"));
		} else {
			prov = json_object();
		}
		if (t->kind == T_DOCKER) {
			json_object_set_new(prov, "container", json_string("docker"));
			json_object_set_new(prov, "container_image", json_string(t->image));
			json_object_set_new(prov, "container_image_id", json_string(t->image_id));
		} else if (t->kind == T_QEMU &&
		    json_string_value(json_object_get(prov, "vm_kernel_image")) == NULL) {
			json_object_set_new(prov, "vm_kernel_image", json_string(t->image));
		} else if (t->kind == T_GVISOR) {
			gvisor_add_provenance(prov, t->dir);
			if (inner != NULL)
				gvisor_inner_status(inner, &t->status, t->reason, sizeof t->reason);
		}
	}
	if (access(store, R_OK) == 0)
		cases = store_read_cases(store, t->id, err, sizeof err);
	else
		snprintf(err, sizeof err, "no results store at %s", store);
	if ((cases == NULL || json_array_size(cases) == 0) && strcmp(t->status, "completed") != 0) {
		/* Kyua saves no store when stopped: rebuild what finished from its log. */
		json_decref(cases);
		cases = log_read_cases(t->log, t->id);
		if (suite != NULL) {
			json_t *cat = catalogue_read(suite, NULL);
			cases_add_metadata(cases, cat);
			json_decref(cat);
		}
		snprintf(rel, sizeof rel, "%s", "");
		if (json_array_size(cases) > 0)
			strncat(t->reason, " (results rebuilt from kyua.log: Kyua saves no store "
			    "when stopped)", sizeof t->reason - strlen(t->reason) - 1);
	}
	if (cases == NULL) {
		cases = json_array();
		if (strcmp(t->status, "completed") == 0) {
			t->status = "error";
			snprintf(t->reason, sizeof t->reason, "%s%s%s%s", err,
			    access(t->log, F_OK) == 0 ? " (see " : "",
			    access(t->log, F_OK) == 0 ? t->log : "", access(t->log, F_OK) == 0 ? ")" : "");
		}
	}
	target = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:f}", "id", t->id,
	    "kind", kind_name(t->kind),
	    "status", t->status,
	    "status_reason", t->reason, "provenance", prov, "store", rel, "leaks", leaks,
	    "duration_s", (t->ended - t->started) / 1000.0);
	bundle_add_target(bundle, target, cases);
	json_decref(target);
	json_decref(cases);
	json_decref(inner);
	(void)out;
}

/* Checks a docker:IMAGE target before anything runs; exits 2 with what to do. */
static void
check_docker(struct target *t)
{
	char *ver[] = { "docker", "version", "--format", "{{.Server.Version}}", NULL };
	char *insp[] = { "docker", "image", "inspect", "--format", "{{.Id}}", t->image, NULL };
	char buf[256];

	if (find_in_path("docker") == NULL)
		die_usage("target %s: docker is not installed (apt-get install docker.io)", t->id);
	if (command_output(ver, buf, sizeof buf) == -1)
		die_usage("target %s: the Docker daemon is not running or not reachable "
		    "(start it: dockerd &, or systemctl start docker)", t->id);
	if (command_output(insp, t->image_id, sizeof t->image_id) == -1)
		die_usage("target %s: no image '%s' here; build it with docker/build.sh "
		    "(see docker/README.md)", t->id, t->image);
}

static void
parse_target(struct target *t, const char *spec, const char *out, int n)
{
	memset(t, 0, sizeof *t);
	snprintf(t->id, sizeof t->id, "%s", spec);
	if (strcmp(spec, "host") == 0) {
		t->kind = T_HOST;
	} else if (strncmp(spec, "docker:", 7) == 0 && spec[7] != '\0') {
		t->kind = T_DOCKER;
		snprintf(t->image, sizeof t->image, "%s", spec + 7);
		snprintf(t->container, sizeof t->container, "ipcconf-%d-%d", (int)getpid(), n);
	} else if (strncmp(spec, "qemu:", 5) == 0 && spec[5] != '\0') {
		t->kind = T_QEMU;
		snprintf(t->image, sizeof t->image, "%s", spec + 5);
	} else if (strncmp(spec, "qemu-", 5) == 0 && strchr(spec, ':') != NULL &&
	    strchr(spec, ':')[1] != '\0') {
		t->kind = T_QEMU;
		snprintf(t->arch, sizeof t->arch, "%.*s", (int)(strchr(spec, ':') - spec - 5), spec + 5);
		snprintf(t->image, sizeof t->image, "%s", strchr(spec, ':') + 1);
	} else if (strncmp(spec, "user:", 5) == 0 && spec[5] != '\0') {
		t->kind = T_USER;
		snprintf(t->arch, sizeof t->arch, "%s", spec + 5);
	} else if (gvisor_parse_spec(spec, t->arch, sizeof t->arch)) {
		t->kind = T_GVISOR;
		snprintf(t->container, sizeof t->container, "ipcconf-gvisor-%d-%d", (int)getpid(), n);
	} else {
		die_usage("unknown target '%s' (targets: host, docker:IMAGE, qemu:KERNEL, "
		    "qemu-ARCH:KERNEL, user:ARCH, gvisor[:PLATFORM])", spec);
	}
	target_dir_name(t->id, t->dname, sizeof t->dname);
	snprintf(t->dir, sizeof t->dir, "%s/targets/%s", out, t->dname);
	snprintf(t->log, sizeof t->log, "%s/kyua.log", t->dir);
	t->status = "completed";
}

static void
usage_run(FILE *f)
{
	fprintf(f,
	    "usage: ipcconf run [--target T]... [--jobs N] [--out DIR] [--filter F]...\n"
	    "                   [--timeout SECONDS] [--suite DIR]\n"
	    "                   [--docker-ipc private|host|shareable] [--shm-size SIZE]\n"
	    "                   [--docker-user UID[:GID]] [--no-ipc-isolation] [--repeat N]\n"
	    "  T: host (default); docker:IMAGE (a container shares this kernel: it tests\n"
	    "     the C library and the container's isolation, not another kernel);\n"
	    "     qemu:KERNEL and qemu-ARCH:KERNEL (another kernel booted under QEMU:\n"
	    "     a bzImage/Image path, or debian-5.10, debian-6.1, debian-6.1-rt,\n"
	    "     debian-6.12, debian-6.12-rt, and each with -generic for Debian's generic\n"
	    "     flavour; ARCH x86_64 (the default), aarch64, s390x or ppc64el; -rt for\n"
	    "     x86_64 and aarch64 only); user:ARCH (the suite built for ARCH in a root\n"
	    "     of its Debian userland on this kernel, under QEMU's user-mode emulation:\n"
	    "     aarch64, armhf, ppc64el, riscv64, s390x; or i686 and i686-time64 on the\n"
	    "     kernel's 32-bit compat layer; needs root and the ARCH's cross compiler);\n"
	    "     gvisor[:PLATFORM] (the suite inside gVisor's runsc, as root: Docker\n"
	    "     --runtime=runsc where a daemon and the ipcconf-glibc image are there, else\n"
	    "     runsc run of an OCI bundle; PLATFORM ptrace or kvm as runsc has them)\n"
	    "  F: a family (pipe), a program (pipe_test), PROGRAM:CASE or a case name\n"
	    "  --out DIR     an earlier bundle in DIR is replaced as a whole (its reports,\n"
	    "                targets/ and runs/ go; other files stay); default ./ipcconf-out\n"
	    "  --jobs N      cases run side by side in a target, and targets at once\n"
	    "  --timeout S   a target still running after S seconds is stopped (default 1800)\n"
	    "  --repeat N    the whole run N times (into DIR/runs/K); lists every case whose\n"
	    "                outcome changed between runs (a flake) in DIR/flakes.json, and\n"
	    "                writes DIR/bundle.json with every run's targets (TARGET@runK)\n"
	    "  --no-ipc-isolation  as root, run the host target in the machine's own IPC\n"
	    "                namespace and /dev/shm (by default it gets private ones, so\n"
	    "                that concurrent runs cannot disturb its leak check)\n"
	    "  --ktap        KTAP version 1 on standard output while the run goes (one\n"
	    "                subtest per family, then its cases; the run's own output goes\n"
	    "                to standard error); exits 4 when every case was skipped\n"
	    "  --lava        LAVA test-case signals on standard output while the run goes\n"
	    "                (one test set per family), then the run's own result as the\n"
	    "                case ipcconf-run\n"
	    "  --shard I/N   only the I-th of N parts of the selected cases: the same split on\n"
	    "                every machine; merge joins the shards of a target again\n"
	    "  --shard-durations BUNDLE  balance the parts by the durations measured there\n"
	    "  --expect FILE a baseline of known deviations (TARGET-PATTERN CASE-PATTERN\n"
	    "                OUTCOME REASON lines): a failure it names is a known deviation\n"
	    "                (exit 0 if all are), a pass where it expects a failure is stale\n"

	    "Targets, options and DIR are checked before anything runs (exit 2 with the\n"
	    "reason). Exit 0 clean; 1 a case failed or broke, something was left behind or\n"
	    "a target did not complete (named in the last line); 130 interrupted.\n");
}

int
cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "target", required_argument, NULL, 't' }, { "out", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' }, { "suite", required_argument, NULL, 's' },
		{ "filter", required_argument, NULL, 'f' }, { "timeout", required_argument, NULL, 'T' },
		{ "docker-ipc", required_argument, NULL, 'I' },
		{ "shm-size", required_argument, NULL, 'M' },
		{ "docker-user", required_argument, NULL, 'U' },
		{ "no-ipc-isolation", no_argument, NULL, 'N' },
		{ "repeat", required_argument, NULL, 'R' },
		{ "ktap", no_argument, NULL, 'K' }, { "lava", no_argument, NULL, 'L' },
		{ "shard", required_argument, NULL, 'S' },
		{ "shard-durations", required_argument, NULL, 'D' },
		{ "expect", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct run_opts o = { .out = "ipcconf-out", .jobs = sysconf(_SC_NPROCESSORS_ONLN),
	    .timeout_s = 1800, .docker_ipc = "private", .isolate = true };
	const char *specs[MAX_TARGETS];
	static struct target ts[MAX_TARGETS];
	int nspecs = 0, c, i, running = 0, failures;
	bool progress = isatty(1) && getenv("CI") == NULL;
	char err[1024], kyuafile[PATH_MAX + 16], outabs[PATH_MAX];
	struct sigaction sa;
	json_t *bundle;
	long long t0 = now_ms(), last_progress = 0;
	int leaked = 0, unfinished = 0;
	long repeat = 0;
	struct fx_ipc_snapshot run_before;
	bool have_before;
	int stream_format = -1, rc; /* --ktap, --lava: farm.h */
	struct farm_stream *stream = NULL;
	struct shard shard = { 0, 0 };
	const char *shard_durations = NULL;
	struct expect *expect = NULL; /* --expect FILE: expect.c */

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:o:j:s:f:T:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (nspecs == MAX_TARGETS)
				die_usage("at most %d targets", MAX_TARGETS);
			specs[nspecs++] = optarg;
			break;
		case 'o': o.out = optarg; break;
		case 'j': o.jobs = parse_number("--jobs", optarg, 1, 256); break;
		case 's': o.suite = optarg; break;
		case 'f':
			if (o.nfilters == MAX_FILTERS)
				die_usage("at most %d --filter options", MAX_FILTERS);
			validate_filter_text(optarg);
			o.filters[o.nfilters++] = optarg;
			break;
		case 'T': o.timeout_s = parse_number("--timeout (seconds)", optarg, 1, 604800); break;
		case 'I':
			if (strcmp(optarg, "private") != 0 && strcmp(optarg, "host") != 0 &&
			    strcmp(optarg, "shareable") != 0)
				die_usage("--docker-ipc takes private, host or shareable, not '%s'", optarg);
			o.docker_ipc = optarg;
			break;
		case 'M': validate_shm_size(optarg); o.shm_size = optarg; break;
		case 'U': validate_docker_user(optarg); o.docker_user = optarg; break;
		case 'N': o.isolate = false; break;
		case 'R': repeat = parse_number("--repeat", optarg, 1, 10000); break;
		case 'K': stream_format = STREAM_KTAP; break;
		case 'L': stream_format = STREAM_LAVA; break;
		case 'S': shard_parse(optarg, &shard); break;
		case 'D': shard_durations = optarg; break;
		case 'E': expect = expect_load(expect, optarg); break;
		case 'h': usage_run(stdout); return EXIT_CLEAN;
		default: usage_run(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc)
		die_usage("run: unexpected argument '%s' (see ipcconf run --help)", argv[optind]);
	if (nspecs == 0)
		specs[nspecs++] = "host";
	validate_out_dir(o.out, outabs, sizeof outabs);
	o.out = outabs;
	for (i = 0; i < nspecs; i++) {
		int j;
		parse_target(&ts[i], specs[i], o.out, i);
		for (j = 0; j < i; j++)
			if (strcmp(ts[j].id, ts[i].id) == 0)
				die_usage("target %s is named twice", ts[i].id);
		if (ts[i].kind == T_DOCKER)
			check_docker(&ts[i]);
		if (ts[i].kind == T_GVISOR) {
			if (o.suite == NULL && (o.suite = default_suite_dir()) == NULL)
				die_usage("no suite found for target %s: build it or name it with "
				    "--suite DIR", ts[i].id);
			gvisor_check(ts[i].id, o.suite, ts[i].arch);
		}
		if (ts[i].kind == T_QEMU || ts[i].kind == T_USER) {
			char qcmd[PATH_MAX + 32];

			if (o.suite == NULL && (o.suite = default_suite_dir()) == NULL)
				die_usage("no suite found for target %s: build it or name it with "
				    "--suite DIR", ts[i].id);
			if (ts[i].kind == T_USER && strspn(ts[i].arch,
			    "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(ts[i].arch))
				die_usage("target %s: '%s' is not an architecture name (user:aarch64, "
				    "user:armhf, user:i686, user:ppc64el, ...)", ts[i].id, ts[i].arch);
			if (ts[i].kind == T_QEMU && strchr(ts[i].image, '/') != NULL &&
			    access(ts[i].image, R_OK) != 0)
				die_usage("target %s: no kernel image at %s (%s); give a bzImage/Image "
				    "path or a name such as debian-6.1", ts[i].id, ts[i].image,
				    strerror(errno));
			snprintf(qcmd, sizeof qcmd, "%s/qemu/%s", o.suite, ts[i].kind == T_QEMU ?
			    "ipcconf-qemu-target" : "ipcconf-user-target");
			if (access(qcmd, X_OK) != 0)
				die_usage("target %s: %s is missing (build or install the suite)",
				    ts[i].id, qcmd);
			check_helper_target(&ts[i], qcmd);
		}
		if (ts[i].kind == T_HOST) {
			if (o.suite == NULL && (o.suite = default_suite_dir()) == NULL)
				die_usage("no suite found: build it (cmake --build build) or install "
				    "it, or name its directory with --suite DIR");
			snprintf(kyuafile, sizeof kyuafile, "%s/Kyuafile", o.suite);
			if (access(kyuafile, R_OK) != 0)
				die_usage("--suite %s: no readable Kyuafile there (%s)", o.suite,
				    strerror(errno));
			if (find_in_path("kyua") == NULL)
				die_usage("kyua is not installed: apt-get install kyua "
				    "(or run ci/bootstrap.sh)");
		}
	}
	if (o.suite != NULL)
		check_filters(&o);
	replace_old_bundle(o.out);
	if (repeat > 0)
		return run_repeated(argc, argv, repeat, o.out);

	if (shard_durations != NULL && shard.count == 0)
		die_usage("--shard-durations needs --shard I/N");
	if (shard.count > 0) {
		const char *sdir = o.suite != NULL ? o.suite : default_suite_dir();

		if (sdir == NULL)
			die_usage("--shard: no suite found to divide (build it, or --suite DIR)");
		shard_filters(sdir, o.filters, &o.nfilters, MAX_FILTERS, &shard, shard_durations);
	}
	if (stream_format != -1)
		stream = farm_stream_open((enum stream_format)stream_format,
		    o.suite != NULL ? o.suite : default_suite_dir(), o.filters, o.nfilters, nspecs);
	if (stream != NULL && expect != NULL)
		farm_stream_expect(stream, expect, ts[0].id);
	have_before = fx_snapshot_take(&run_before) == 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("ipcconf %s: %d target(s), %ld job(s), results in %s\n", IPCCONF_VERSION, nspecs,
	    o.jobs, o.out);

	for (;;) {
		int done = 0, status;
		struct timespec pause = { 0, 50 * 1000 * 1000 };

		for (i = 0; i < nspecs; i++) {
			struct target *t = &ts[i];

			if (t->state == S_PENDING && !interrupted && running < o.jobs) {
				start_target(t, &o);
				if (t->state == S_RUNNING)
					running++;
			}
			if (t->state == S_PENDING && interrupted) {
				t->state = S_DONE;
				t->status = "interrupted";
				snprintf(t->reason, sizeof t->reason, "not started: the run was interrupted");
			}
			if (t->state != S_RUNNING)
				continue;
			if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
				t->state = S_DONE;
				t->ended = now_ms();
				running--;
				t->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
				if (t->exit_status > 1) {
					t->status = "error";
					target_failure_reason(t);
				}
			} else if (interrupted || now_ms() - t->started >
			    (o.timeout_s + (t->kind == T_QEMU || t->kind == T_USER ||
			    t->kind == T_GVISOR ? 30 : 0)) * 1000) {
				stop_target(t);
				t->stopped = true;
				t->state = S_DONE;
				t->ended = now_ms();
				running--;
				t->status = interrupted ? "interrupted" : "timed_out";
				snprintf(t->reason, sizeof t->reason, interrupted ?
				    "interrupted; results of the cases that finished are kept" :
				    "still running after %ld s: stopped; results of the cases that "
				    "finished are kept", o.timeout_s);
			}
		}
		for (i = 0; i < nspecs; i++)
			done += ts[i].state == S_DONE;
		if (stream != NULL)
			farm_stream_poll(stream, ts[0].log);
		if (progress && now_ms() - last_progress > 250) {
			show_progress(ts, nspecs);
			last_progress = now_ms();
		}
		if (done == nspecs)
			break;
		nanosleep(&pause, NULL);
	}
	if (progress) {
		show_progress(ts, nspecs);
		printf("\n");
	}

	for (i = 0; i < nspecs; i++) {
		if (ts[i].kind != T_HOST)
			continue;
		sweep_target_tmp(&ts[i]);
		/* A stopped worker did no leak check of its own: do it now, after the sweep. */
		if (ts[i].stopped && have_before && !target_was_isolated(&ts[i])) {
			struct fx_ipc_snapshot after;
			char leakfile[PATH_MAX + 16], *leaks = malloc(65536);
			FILE *f;

			snprintf(leakfile, sizeof leakfile, "%s/leaks.txt", ts[i].dir);
			if (leaks != NULL && take_after_snapshot(&run_before, &after) == 0) {
				if (fx_snapshot_diff(&run_before, &after, leaks, 65536) > 0 &&
				    (f = fopen(leakfile, "we")) != NULL) {
					attribute_leaks_of(&ts[i], leaks, 65536);
					fputs(leaks, f);
					fclose(f);
				}
				fx_snapshot_free(&after);
			}
			free(leaks);
		}
	}
	if (have_before)
		fx_snapshot_free(&run_before);

	bundle = bundle_new();
	for (i = 0; i < nspecs; i++) {
		collect_target(&ts[i], bundle, o.out, o.suite);
		leaked += json_array_size(json_object_get(bundle_find_target(bundle, ts[i].id),
		    "leaks")) > 0;
		unfinished += strcmp(ts[i].status, "completed") != 0;
	}
	if (shard.count > 0)
		shard_mark(bundle, &shard);
	if (bundle_save(bundle, o.out, err, sizeof err) == -1) {
		fprintf(stderr, "ipcconf: %s\n", err);
		return EXIT_USAGE;
	}
	if (expect != NULL) { /* from here on, the run as the baseline judges it */
		json_t *view = expect_rewrite(expect, bundle);
		json_decref(bundle);
		bundle = view;
	}
	failures = print_bundle_summary(bundle);
	if (expect != NULL)
		expect_print(expect, stdout);
	printf("\nBundle:        %s/bundle.json\n", o.out);
	if (reports_write_all(bundle, o.out, err, sizeof err) == 0)
		printf("Reports:       %s/report.html, report.xml (JUnit), report.md\n", o.out);
	else
		fprintf(stderr, "ipcconf: the reports were not written: %s\n", err);
	for (i = 0; i < nspecs; i++)
		printf("Target %-8s %s (%s%s%s)\n", ts[i].id, ts[i].dir, ts[i].status,
		    ts[i].reason[0] ? ": " : "", ts[i].reason);
	printf("Time:          %.2f s\n", (now_ms() - t0) / 1000.0);
	print_verdict(bundle, interrupted);
	if (interrupted)
		rc = EXIT_INTERRUPTED;
	else
		rc = failures > 0 || leaked > 0 || unfinished > 0 ? EXIT_FAILURES : EXIT_CLEAN;
	if (stream != NULL)
		rc = farm_stream_finish(stream, bundle, rc);
	json_decref(bundle);
	return rc;
}
