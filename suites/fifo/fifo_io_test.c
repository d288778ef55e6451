/*
 * What only a named pipe does once it is open: processes that share no
 * descriptor meet through its path, the file stays empty on the file system,
 * it outlives its name, and its data dies with its last descriptor. EOF,
 * EPIPE and SIGPIPE are checked here on FIFOs opened by path; the same
 * behaviour on pipe(2) is in suites/pipe.
 */
#include "fx.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Both ends of a FIFO opened by path without blocking: the reader first. */
static void
open_both_ends(const char *path, int *r, int *w)
{
	*r = FX_OK(open(path, O_RDONLY | O_NONBLOCK));
	*w = FX_OK(open(path, O_WRONLY));
}

/* An orphaned writer: a grandchild whose parent has exited. */
struct orphan {
	pid_t parent;     /* the fx child that forked it, then exited */
	pid_t pid;        /* the grandchild */
	pid_t ppid_after; /* the grandchild's parent once its open returned */
	int opened;
};

static pid_t orphan_pid; /* killed at exit if the case ends before reaping it */

static void
kill_orphan(void)
{
	if (orphan_pid > 0 && !fx_in_child()) {
		(void)kill(orphan_pid, SIGKILL);
		(void)waitpid(orphan_pid, NULL, 0);
	}
}

/*
 * Child: forks the writer and exits at once, so the writer shares no
 * descriptor with any process; it knows the FIFO only by its path. The
 * writer cannot use FX_* checks (its report page belongs to an exited
 * child): it hands its progress back in the shared struct.
 */
static void
fork_orphan_writer(void *arg)
{
	struct orphan *o = arg;
	pid_t pid = fork();

	FX_REQUIRE(pid != -1, "fork failed: %s", fx_errno_name(errno));
	if (pid == 0) {
		char msg[64];
		int fd, len;

		alarm(60); /* a last resort should the test process vanish */
		fd = open("f", O_WRONLY);
		o->ppid_after = getppid();
		o->opened = fd >= 0;
		len = snprintf(msg, sizeof msg, "from %d", (int)getpid());
		_exit(fd >= 0 && write(fd, msg, (size_t)len) == len ? 0 : 1);
	}
	o->parent = getpid();
	o->pid = pid;
}

static bool
orphan_reaped(void *arg)
{
	struct orphan *o = arg;
	int status;

	if (waitpid(o->pid, &status, WNOHANG) != o->pid)
		return false;
	orphan_pid = 0;
	FX_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the orphaned writer did not exit with 0 (status 0x%x)", (unsigned)status);
	return true;
}

FX_CASE(fifo__unrelated_processes_meet_by_path, "posix", "a process that inherited no descriptor (a grandchild whose parent exited) reaches a reader through the FIFO's path alone",
    "POSIX.1-2017 XBD 3.163 FIFO Special File; fifo(7): accessed as part of the filesystem, by unrelated processes")
{
	struct orphan *o = fx_shared(sizeof *o);
	char want[64], got[64];
	ssize_t n;
	int r;

	FX_OK(mkfifo("f", 0600));
	/* Orphans are re-parented to us, so they can be proven blocked and reaped. */
	FX_SETUP(prctl(PR_SET_CHILD_SUBREAPER, 1));
	atexit(kill_orphan);
	fx_child_join(fx_spawn(fork_orphan_writer, o), FX_DEADLINE);
	orphan_pid = o->pid;
	fx_wait_blocked_in(o->pid, "open", FX_DEADLINE);
	r = FX_OK(open("f", O_RDONLY));
	n = read(r, got, sizeof got);
	fx_wait_until(orphan_reaped, o, FX_DEADLINE, "the orphaned writer to exit");
	FX_REQUIRE_EQ(o->opened, 1);
	FX_REQUIRE(o->ppid_after != o->parent, "the writer's parent %d had not exited",
	    (int)o->parent);
	snprintf(want, sizeof want, "from %d", (int)o->pid);
	FX_REQUIRE_EQ(n, (ssize_t)strlen(want));
	FX_REQUIRE_MEMEQ(got, want, strlen(want));
	FX_REQUIRE_EQ(read(r, got, sizeof got), 0);
}

FX_CASE(stat__size_stays_zero, "linux", "a FIFO's st_size stays 0 while it holds data: the data is in the kernel, not in the file",
    "fifo(7): the FIFO special file has no contents on the filesystem; the kernel passes all data internally")
{
	static char data[1000], back[1000];
	struct stat st;
	int r, w, held;

	memset(data, 'd', sizeof data);
	FX_OK(mkfifo("f", 0600));
	open_both_ends("f", &r, &w);
	FX_REQUIRE_EQ(write(w, data, sizeof data), sizeof data);
	FX_OK(ioctl(r, FIONREAD, &held));
	FX_REQUIRE_EQ(held, sizeof data);
	FX_OK(stat("f", &st));
	FX_REQUIRE_EQ(st.st_size, 0);
	FX_OK(fstat(w, &st));
	FX_REQUIRE_EQ(st.st_size, 0);
	FX_REQUIRE_EQ(read(r, back, sizeof back), sizeof back);
	FX_REQUIRE_MEMEQ(back, data, sizeof data);
}

struct eof_reader { int r, w; ssize_t first, last; char got[8]; };

/* Child: drops its copy of the write end, drains the data, then waits for EOF. */
static void
read_until_eof(void *arg)
{
	struct eof_reader *e = arg;

	FX_OK(close(e->w));
	e->first = read(e->r, e->got, sizeof e->got);
	e->last = read(e->r, e->got + 3, sizeof e->got - 3);
}

FX_CASE(read__eof_when_writer_closes, "posix", "a reader blocked on an empty FIFO gets 0 (end-of-file) when the last writer closes",
    "POSIX.1-2017 XSH read: empty pipe or FIFO, no process has it open for writing, read() shall return 0")
{
	struct eof_reader *e = fx_shared(sizeof *e);
	struct fx_child *c;

	FX_OK(mkfifo("f", 0600));
	open_both_ends("f", &e->r, &e->w);
	FX_OK(fcntl(e->r, F_SETFL, 0));
	FX_REQUIRE_EQ(write(e->w, "abc", 3), 3);
	c = fx_spawn(read_until_eof, e);
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_OK(close(e->w));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(e->first, 3);
	FX_REQUIRE_MEMEQ(e->got, "abc", 3);
	FX_REQUIRE_EQ(e->last, 0);
}

FX_CASE(read__no_writer_yet_returns_eof, "posix", "read on a FIFO opened O_RDONLY|O_NONBLOCK that no process has open for writing returns 0, not EAGAIN",
    "POSIX.1-2017 XSH read: empty pipe or FIFO, no process has it open for writing, read() shall return 0")
{
	char c;
	int r, w;

	FX_OK(mkfifo("f", 0600));
	r = FX_OK(open("f", O_RDONLY | O_NONBLOCK));
	FX_REQUIRE_EQ(read(r, &c, 1), 0);
	/* Contrast: with a writer present the same read would block, hence EAGAIN. */
	w = FX_OK(open("f", O_WRONLY));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, read(r, &c, 1));
	FX_OK(close(w));
}

FX_CASE(write__epipe_when_reader_closes, "posix", "write to a FIFO whose last reader has closed fails with EPIPE when SIGPIPE is ignored",
    "POSIX.1-2017 XSH write ERRORS: [EPIPE] write to a pipe or FIFO not open for reading by any process")
{
	int r, w;

	FX_REQUIRE(signal(SIGPIPE, SIG_IGN) != SIG_ERR, "signal(SIGPIPE, SIG_IGN) failed");
	FX_OK(mkfifo("f", 0600));
	open_both_ends("f", &r, &w);
	FX_REQUIRE_EQ(write(w, "x", 1), 1);
	FX_OK(close(r));
	FX_REQUIRE_ERRNO(EPIPE, write(w, "x", 1));
}

/* Child: default SIGPIPE disposition, unblocked; writes after the reader has gone. */
static void
write_without_reader(void *arg)
{
	sigset_t set;
	ssize_t n;
	int r, w;

	(void)arg;
	FX_REQUIRE(signal(SIGPIPE, SIG_DFL) != SIG_ERR, "signal(SIGPIPE, SIG_DFL) failed");
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	FX_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	open_both_ends("f", &r, &w);
	FX_OK(close(r));
	n = write(w, "x", 1);
	FX_FAIL("write to a FIFO without reader returned %zd (%s) instead of raising SIGPIPE",
	    n, fx_errno_name(errno));
}

FX_CASE(write__sigpipe_when_reader_closes, "posix", "write to a FIFO whose last reader has closed raises SIGPIPE, which kills a process with the default action",
    "POSIX.1-2017 XSH write: SIGPIPE shall also be sent to the thread; XBD <signal.h> SIGPIPE default action T")
{
	char text[96];
	int status;

	FX_OK(mkfifo("f", 0600));
	status = fx_child_wait(fx_spawn(write_without_reader, NULL), FX_DEADLINE);
	FX_REQUIRE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
	    "writer expected to be killed by SIGPIPE, %s",
	    fx_status_text(status, text, sizeof text));
}

FX_CASE(unlink__fifo_keeps_working, "posix", "an open FIFO keeps passing data after its path is unlinked; the path is gone for new openers",
    "POSIX.1-2017 XSH unlink: when the link count becomes 0 with the file open, removal of the contents is postponed until all references are closed")
{
	struct stat st;
	char got[8];
	int r, w;

	FX_OK(mkfifo("f", 0600));
	open_both_ends("f", &r, &w);
	FX_OK(unlink("f"));
	FX_REQUIRE_ERRNO(ENOENT, open("f", O_RDONLY | O_NONBLOCK));
	FX_OK(fstat(w, &st));
	FX_REQUIRE_EQ(st.st_nlink, 0);
	FX_REQUIRE(S_ISFIFO(st.st_mode), "fstat after unlink: st_mode 0%o is not a FIFO",
	    (unsigned)st.st_mode);
	FX_REQUIRE_EQ(write(w, "after", 5), 5);
	FX_REQUIRE_EQ(read(r, got, sizeof got), 5);
	FX_REQUIRE_MEMEQ(got, "after", 5);
	FX_OK(close(w));
	FX_REQUIRE_EQ(read(r, got, sizeof got), 0);
}

FX_CASE(close__last_close_discards_data, "posix", "data left in a FIFO is discarded when its last descriptor is closed: the next opener finds it empty",
    "POSIX.1-2017 XSH close: when all file descriptors associated with a pipe or FIFO special file are closed, any data remaining shall be discarded")
{
	char got[8];
	int r, w, held;

	FX_OK(mkfifo("f", 0600));
	open_both_ends("f", &r, &w);
	FX_REQUIRE_EQ(write(w, "stale", 5), 5);
	FX_OK(ioctl(r, FIONREAD, &held));
	FX_REQUIRE_EQ(held, 5);
	FX_OK(close(w));
	FX_OK(close(r));
	open_both_ends("f", &r, &w);
	FX_OK(ioctl(r, FIONREAD, &held));
	FX_REQUIRE_EQ(held, 0);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, read(r, got, sizeof got));
}

FX_CASE(close__data_survives_while_one_end_open, "posix", "data written to a FIFO stays readable after the writer closes, as long as the reader keeps it open",
    "POSIX.1-2017 XSH close: data is discarded only when all descriptors are closed; XSH read: pipe or FIFO")
{
	char got[8];
	int r, w;

	FX_OK(mkfifo("f", 0600));
	open_both_ends("f", &r, &w);
	FX_REQUIRE_EQ(write(w, "kept", 4), 4);
	FX_OK(close(w));
	FX_REQUIRE_EQ(read(r, got, sizeof got), 4);
	FX_REQUIRE_MEMEQ(got, "kept", 4);
	FX_REQUIRE_EQ(read(r, got, sizeof got), 0);
}
