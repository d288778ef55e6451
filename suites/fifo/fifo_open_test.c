/*
 * open(2) on a FIFO: the rendezvous of readers and writers. A blocking open
 * waits for the other side; O_NONBLOCK changes that differently for each
 * side; O_RDWR (Linux) never waits. Children that block are proven blocked
 * in open (openat on most architectures) before the test releases them.
 */
#include "fx.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a child that opens the FIFO hands back. */
struct opener {
	char path[PATH_MAX];
	int flags;
	int fd;        /* open's result */
	int err;       /* errno after open */
	int opened;    /* set once open has returned */
};

static struct opener *
new_opener(const char *path, int flags)
{
	struct opener *o = fx_shared(sizeof *o);

	snprintf(o->path, sizeof o->path, "%s", path);
	o->flags = flags;
	o->fd = -2;
	return o;
}

/* Child: opens the FIFO, then writes "w" (writer) or reads one byte (reader). */
static void
open_then_transfer(void *arg)
{
	struct opener *o = arg;
	char c;

	errno = 0;
	o->fd = open(o->path, o->flags);
	o->err = errno;
	o->opened = 1;
	FX_REQUIRE(o->fd >= 0, "open(%s, 0%o) failed: %s", o->path, (unsigned)o->flags,
	    fx_errno_name(o->err));
	if ((o->flags & O_ACCMODE) == O_WRONLY) {
		FX_REQUIRE_EQ(write(o->fd, "w", 1), 1);
	} else {
		FX_REQUIRE_EQ(read(o->fd, &c, 1), 1);
		FX_REQUIRE_EQ(c, 'w');
	}
}

/* Child: an open that only has to return. */
static void
open_only(void *arg)
{
	struct opener *o = arg;

	o->fd = FX_OK(open(o->path, o->flags));
	o->opened = 1;
}

FX_CASE(open__rdonly_blocks_until_writer, "posix", "open(O_RDONLY) of a FIFO blocks until a process opens it for writing",
    "POSIX.1-2017 XSH open: O_NONBLOCK clear, FIFO, open for reading-only blocks the calling thread until a thread opens the file for writing")
{
	struct opener *o = new_opener("f", O_RDONLY);
	struct fx_child *c;
	int w;

	FX_OK(mkfifo("f", 0600));
	c = fx_spawn(open_then_transfer, o);
	fx_wait_blocked_in(fx_child_pid(c), "open", FX_DEADLINE);
	FX_REQUIRE_EQ(o->opened, 0);
	/* Non-blocking, so a reader that is not there shows as ENXIO, not a hang. */
	w = FX_OK(open("f", O_WRONLY | O_NONBLOCK));
	FX_REQUIRE_EQ(write(w, "w", 1), 1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE(o->fd >= 0, "reader's open returned %d", o->fd);
}

FX_CASE(open__wronly_blocks_until_reader, "posix", "open(O_WRONLY) of a FIFO blocks until a process opens it for reading",
    "POSIX.1-2017 XSH open: O_NONBLOCK clear, FIFO, open for writing-only blocks the calling thread until a thread opens the file for reading")
{
	struct opener *o = new_opener("f", O_WRONLY);
	struct fx_child *c;
	char got;
	int r;

	FX_OK(mkfifo("f", 0600));
	c = fx_spawn(open_then_transfer, o);
	fx_wait_blocked_in(fx_child_pid(c), "open", FX_DEADLINE);
	FX_REQUIRE_EQ(o->opened, 0);
	r = FX_OK(open("f", O_RDONLY | O_NONBLOCK));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE(o->fd >= 0, "writer's open returned %d", o->fd);
	FX_REQUIRE_EQ(read(r, &got, 1), 1);
	FX_REQUIRE_EQ(got, 'w');
}

FX_CASE(open__rdonly_nonblock_without_writer, "posix", "open(O_RDONLY | O_NONBLOCK) of a FIFO returns at once when no process has it open for writing",
    "POSIX.1-2017 XSH open: O_NONBLOCK set, open for reading-only shall return without delay")
{
	struct opener *o = new_opener("f", O_RDONLY | O_NONBLOCK);

	FX_OK(mkfifo("f", 0600));
	/* In a child, so that a wrongly blocking open fails the join, not the case's timeout. */
	fx_child_join(fx_spawn(open_only, o), FX_DEADLINE);
	FX_REQUIRE_EQ(o->opened, 1);
}

FX_CASE(open__wronly_nonblock_without_reader_enxio, "posix", "open(O_WRONLY | O_NONBLOCK) of a FIFO fails with ENXIO when no process has it open for reading, even after a reader has come and gone",
    "POSIX.1-2017 XSH open ERRORS: [ENXIO] O_NONBLOCK set, named file is a FIFO, O_WRONLY set, no process has the file open for reading")
{
	int r;

	FX_OK(mkfifo("f", 0600));
	FX_REQUIRE_ERRNO_AT_ONCE(ENXIO, open("f", O_WRONLY | O_NONBLOCK));
	r = FX_OK(open("f", O_RDONLY | O_NONBLOCK));
	FX_OK(close(r));
	FX_REQUIRE_ERRNO_AT_ONCE(ENXIO, open("f", O_WRONLY | O_NONBLOCK));
}

FX_CASE(open__wronly_nonblock_with_reader, "posix", "open(O_WRONLY | O_NONBLOCK) of a FIFO succeeds at once while a process has it open for reading",
    "POSIX.1-2017 XSH open: O_NONBLOCK set, open for writing-only returns without delay when the file is open for reading")
{
	char got[2];
	int r, w;

	FX_OK(mkfifo("f", 0600));
	r = FX_OK(open("f", O_RDONLY | O_NONBLOCK));
	w = open("f", O_WRONLY | O_NONBLOCK);
	FX_REQUIRE(w >= 0, "open(f, O_WRONLY|O_NONBLOCK) with a reader: %s", fx_errno_name(errno));
	FX_REQUIRE_EQ(write(w, "ok", 2), 2);
	FX_REQUIRE_EQ(read(r, got, 2), 2);
	FX_REQUIRE_MEMEQ(got, "ok", 2);
}

/* Child: opens the FIFO read-write; must not block with nobody else around. */
static void
open_rdwr_alone(void *arg)
{
	struct opener *o = arg;
	char got[3];

	o->fd = FX_OK(open(o->path, O_RDWR));
	o->opened = 1;
	FX_REQUIRE_EQ(write(o->fd, "rw", 2), 2);
	FX_REQUIRE_EQ(read(o->fd, got, sizeof got), 2);
	FX_REQUIRE_MEMEQ(got, "rw", 2);
}

FX_CASE(open__rdwr_does_not_block, "linux", "open(O_RDWR) of a FIFO succeeds at once with no other opener, and the descriptor is both ends",
    "fifo(7): under Linux, opening a FIFO for read and write will succeed both in blocking and nonblocking mode (POSIX leaves it undefined)")
{
	struct opener *o = new_opener("f", O_RDWR);

	FX_OK(mkfifo("f", 0600));
	fx_child_join(fx_spawn(open_rdwr_alone, o), FX_DEADLINE);
	FX_REQUIRE_EQ(o->opened, 1);
}

FX_CASE(open__two_readers_both_block, "posix", "two processes opening a FIFO for reading both stay blocked (each waits for a writer) until a writer opens it",
    "POSIX.1-2017 XSH open: O_NONBLOCK clear, open for reading-only blocks until a thread opens the file for writing")
{
	struct opener *o1 = new_opener("f", O_RDONLY), *o2 = new_opener("f", O_RDONLY);
	struct fx_child *c1, *c2;
	char why[256];

	FX_OK(mkfifo("f", 0600));
	c1 = fx_spawn(open_only, o1);
	c2 = fx_spawn(open_only, o2);
	fx_wait_blocked_in(fx_child_pid(c1), "open", FX_DEADLINE);
	fx_wait_blocked_in(fx_child_pid(c2), "open", FX_DEADLINE);
	/* Another reader did not release the first one. */
	FX_REQUIRE(fx_is_blocked_in(fx_child_pid(c1), "open", why, sizeof why),
	    "first reader no longer blocked once the second one waited: %s", why);
	FX_REQUIRE_EQ(o1->opened + o2->opened, 0);
	FX_OK(open("f", O_WRONLY | O_NONBLOCK));
	fx_child_join(c1, FX_DEADLINE);
	fx_child_join(c2, FX_DEADLINE);
	FX_REQUIRE_EQ(o1->opened + o2->opened, 2);
}

static volatile sig_atomic_t handled;

static void
on_usr1(int sig)
{
	(void)sig;
	handled++;
}

/* Child: blocks in open with a SIGUSR1 handler that does not restart calls. */
static void
open_until_interrupted(void *arg)
{
	struct opener *o = arg;
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = 0; /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	FX_REQUIRE_ERRNO(EINTR, open(o->path, o->flags));
	FX_REQUIRE_EQ(handled, 1);
	o->opened = 1;
}

FX_CASE(open__signal_interrupts_with_eintr, "posix", "a signal caught by a handler without SA_RESTART interrupts a blocked FIFO open with EINTR",
    "POSIX.1-2017 XSH open ERRORS: [EINTR] a signal was caught during open(); signal(7): interruption of system calls")
{
	struct opener *o = new_opener("f", O_RDONLY);
	struct fx_child *c;

	FX_OK(mkfifo("f", 0600));
	c = fx_spawn(open_until_interrupted, o);
	fx_wait_blocked_in(fx_child_pid(c), "open", FX_DEADLINE);
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(o->opened, 1);
}

/* Child (as the other user): sees the FIFO, yet may not open it for writing. */
static void
open_without_permission(void *arg)
{
	struct opener *o = arg;
	struct stat st;

	/* stat succeeds, so the path can be searched: EACCES below is the FIFO's own mode. */
	FX_OK(stat(o->path, &st));
	FX_REQUIRE(S_ISFIFO(st.st_mode), "%s is not a FIFO", o->path);
	FX_REQUIRE_ERRNO(EACCES, open(o->path, O_WRONLY | O_NONBLOCK));
	FX_REQUIRE_ERRNO(EACCES, open(o->path, O_RDWR));
	if ((st.st_mode & S_IROTH) == 0)
		FX_REQUIRE_ERRNO(EACCES, open(o->path, O_RDONLY | O_NONBLOCK));
	else
		FX_OK(open(o->path, O_RDONLY | O_NONBLOCK));
}

FX_CASE(open__eacces_other_user, "posix", "opening a FIFO without the needed permission bits fails with EACCES for another user; granting read lets it open for reading only",
    "POSIX.1-2017 XSH open ERRORS: [EACCES] permissions specified by oflag are denied")
{
	char path[PATH_MAX];
	struct opener *o;

	fx_require_root("a FIFO owned by root opened by a child running as nobody");
	snprintf(path, sizeof path, "%s/f", fx_public_dir());
	o = new_opener(path, 0);
	FX_OK(mkfifo(path, 0600));
	FX_OK(chmod(path, 0600));
	fx_child_join(fx_spawn_as_other_user(open_without_permission, o), FX_DEADLINE);
	FX_OK(chmod(path, 0604));
	fx_child_join(fx_spawn_as_other_user(open_without_permission, o), FX_DEADLINE);
}

static void
owner_mode_eacces(void *arg)
{
	const char *f = arg;

	FX_OK(mkfifo(f, 0600));
	FX_OK(chmod(f, 0200));
	FX_REQUIRE_ERRNO(EACCES, open(f, O_RDONLY | O_NONBLOCK));
	FX_REQUIRE_ERRNO(EACCES, open(f, O_RDWR));
	/* Write permission is there: the open gets past the check and fails for want of a reader. */
	FX_REQUIRE_ERRNO_AT_ONCE(ENXIO, open(f, O_WRONLY | O_NONBLOCK));
}
FX_CASE(open__eacces_owner_mode, "posix", "the owner is refused (EACCES) an open its own FIFO's mode does not allow, and allowed the one it does",
    "POSIX.1-2017 XSH open ERRORS: [EACCES]; XBD 4.5 File Access Permissions")
{
	static char f[PATH_MAX];
	const char *dir = fx_public_dir();

	/*
	 * The owner's bits are checked only for a caller without CAP_DAC_OVERRIDE:
	 * as root, the owner is the other user, in a directory it may write.
	 */
	if (fx_is_root())
		FX_OK(chown(dir, fx_other_uid(), fx_other_gid()));
	snprintf(f, sizeof f, "%s/f", dir);
	fx_run_unprivileged(owner_mode_eacces, f);
}
