/*
 * fcntl(2) open file description locks (F_OFD_SETLK, F_OFD_SETLKW,
 * F_OFD_GETLK): byte-range locks owned by the open file description rather
 * than the process. X-class linux (Linux 3.15; proposed for POSIX).
 */
#include "lk.h"

#include <signal.h>

#define PATH "lockfile"

/* lk_create, skipping the case when the kernel has no OFD locks. */
static int
ofd_create(void)
{
	int fd = lk_create(PATH);
	struct flock fl = lk_flock(F_WRLCK, SEEK_SET, 0, 0);

	fx_require_kernel_feature(3, 15, "open file description locks",
	    !(fcntl(fd, F_OFD_GETLK, &fl) == -1 && errno == EINVAL), "F_OFD_GETLK fails with EINVAL");
	return fd;
}

/* F_OFD_* on a SEEK_SET range, l_pid 0; returns 0 or the errno. */
static int
ofd_err(int fd, int cmd, short type, off_t start, off_t len)
{
	errno = 0;
	if (cmd != F_OFD_SETLKW)
		return FX_AT_ONCE(lk_set(fd, cmd, type, start, len)) == 0 ? 0 : errno;
	return lk_set(fd, cmd, type, start, len) == 0 ? 0 : errno;
}

#define REQUIRE_OFD(got, want, what) do { \
	int ofd_g_ = (got); \
	FX_REQUIRE(ofd_g_ == (want), "%s: got %s, expected %s", (what), \
	    ofd_g_ == 0 ? "success" : fx_errno_name(ofd_g_), \
	    (want) == 0 ? "success" : fx_errno_name(want)); \
} while (0)

/* F_OFD_GETLK for a write lock on the whole file through fd. */
static struct flock
ofd_getlk(int fd)
{
	struct flock fl = lk_flock(F_WRLCK, SEEK_SET, 0, 0);

	FX_OK(fcntl(fd, F_OFD_GETLK, &fl));
	return fl;
}

FX_CASE(ofd__descriptions_conflict_in_one_process, "linux", "Two open file descriptions of one process conflict: F_OFD_SETLK through the second fails with EAGAIN",
    "fcntl(2): Open file description locks: conflict even when acquired by the same process on different descriptions")
{
	int fd1 = ofd_create();
	int fd2 = FX_OK(open(PATH, O_RDWR));

	FX_OK(lk_set(fd1, F_OFD_SETLK, F_WRLCK, 0, 10));
	REQUIRE_OFD(ofd_err(fd2, F_OFD_SETLK, F_WRLCK, 5, 10), EAGAIN,
	    "F_OFD_SETLK through a second description");
	REQUIRE_OFD(ofd_err(fd2, F_OFD_SETLK, F_RDLCK, 5, 10), EAGAIN,
	    "F_OFD_SETLK F_RDLCK through a second description");
}

FX_CASE(ofd__read_locks_shared, "linux", "Read OFD locks through two descriptions coexist",
    "fcntl(2): Open file description locks: F_RDLCK")
{
	int fd1 = ofd_create();
	int fd2 = FX_OK(open(PATH, O_RDWR));

	FX_OK(lk_set(fd1, F_OFD_SETLK, F_RDLCK, 0, 10));
	REQUIRE_OFD(ofd_err(fd2, F_OFD_SETLK, F_RDLCK, 0, 10), 0,
	    "F_OFD_SETLK F_RDLCK beside another description's read lock");
}

FX_CASE(ofd__getlk_reports_pid_minus_one, "linux", "F_OFD_GETLK reports a conflicting OFD lock's type and range with l_pid -1",
    "fcntl(2): F_OFD_GETLK: l_pid set to -1 for an open file description lock")
{
	struct lk_holder *h;
	struct fx_child *c;
	int fd = ofd_create();
	struct flock fl;

	c = lk_hold_fcntl(PATH, F_OFD_SETLK, F_WRLCK, 20, 30, &h);
	fl = ofd_getlk(fd);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 20, 30, -1);
	lk_let_go(h, c);
}

FX_CASE(ofd__getlk_no_conflict_reports_unlck, "linux", "F_OFD_GETLK reports F_UNLCK for the caller's own description's lock",
    "fcntl(2): F_OFD_GETLK")
{
	int fd = ofd_create();
	struct flock fl;

	FX_OK(lk_set(fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	fl = ofd_getlk(fd);
	FX_REQUIRE_EQ(fl.l_type, F_UNLCK);
}

FX_CASE(ofd__einval_nonzero_pid, "linux", "F_OFD_SETLK, F_OFD_SETLKW and F_OFD_GETLK with l_pid other than 0 fail with EINVAL",
    "fcntl(2): Open file description locks: l_pid must be set to zero; ERRORS EINVAL")
{
	static const struct { int cmd; const char *name; pid_t pid; } rows[] = {
		{ F_OFD_SETLK, "F_OFD_SETLK", 1 }, { F_OFD_SETLKW, "F_OFD_SETLKW", 1 },
		{ F_OFD_GETLK, "F_OFD_GETLK", 1 }, { F_OFD_SETLK, "F_OFD_SETLK", -1 },
	};
	int fd = ofd_create();
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct flock fl = lk_flock(F_WRLCK, SEEK_SET, 0, 10);

		fl.l_pid = rows[i].pid;
		FX_CHECK_ERRNO_MSG(EINVAL, fcntl(fd, rows[i].cmd, &fl),
		    "fcntl(fd, %s, {F_WRLCK, l_pid=%d})", rows[i].name, (int)rows[i].pid);
	}
}

FX_CASE(ofd__einval_bad_type, "linux", "F_OFD_SETLK and F_OFD_GETLK with an l_type that is no lock type fail with EINVAL",
    "fcntl(2): ERRORS EINVAL")
{
	int fd = ofd_create();
	struct flock fl = lk_flock(42, SEEK_SET, 0, 10);

	FX_REQUIRE_ERRNO(EINVAL, fcntl(fd, F_OFD_SETLK, &fl));
	FX_REQUIRE_ERRNO(EINVAL, fcntl(fd, F_OFD_GETLK, &fl));
}

FX_CASE(ofd__ebadf_access_mode, "linux", "An OFD write lock needs a descriptor open for writing, a read lock one open for reading (EBADF)",
    "fcntl(2): ERRORS EBADF: the type of lock does not match the open mode")
{
	int rd, wr;

	FX_OK(close(ofd_create()));
	rd = FX_OK(open(PATH, O_RDONLY));
	wr = FX_OK(open(PATH, O_WRONLY));
	FX_REQUIRE_ERRNO(EBADF, lk_set(rd, F_OFD_SETLK, F_WRLCK, 0, 10));
	FX_REQUIRE_ERRNO(EBADF, lk_set(wr, F_OFD_SETLK, F_RDLCK, 0, 10));
}

FX_CASE(ofd__relock_replaces_type, "linux", "A new OFD lock through the same description replaces the old one's type (read to write)",
    "fcntl(2): Open file description locks: requests through the same description do not conflict and convert")
{
	int fd1 = ofd_create();
	int fd2 = FX_OK(open(PATH, O_RDWR));
	struct flock fl;

	FX_OK(lk_set(fd1, F_OFD_SETLK, F_RDLCK, 0, 10));
	REQUIRE_OFD(ofd_err(fd1, F_OFD_SETLK, F_WRLCK, 0, 10), 0, "upgrade through fd1");
	fl = ofd_getlk(fd2);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, -1);
}

FX_CASE(ofd__setlkw_blocks_until_release, "linux", "F_OFD_SETLKW waits while another description holds a conflicting lock and succeeds once it is unlocked",
    "fcntl(2): F_OFD_SETLKW")
{
	struct lk_waiter *w = fx_shared(sizeof *w);
	struct fx_child *c;
	int fd = ofd_create();

	FX_OK(lk_set(fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	w->path = PATH;
	w->cmd = F_OFD_SETLKW;
	w->fl = lk_flock(F_WRLCK, SEEK_SET, 5, 10);
	c = lk_start_waiter(w, "fcntl");
	FX_OK(lk_set(fd, F_OFD_SETLK, F_UNLCK, 0, 10));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
}

FX_CASE(ofd__setlkw_interrupted_by_signal, "linux", "A signal caught while F_OFD_SETLKW waits makes it fail with EINTR",
    "fcntl(2): F_OFD_SETLKW; ERRORS EINTR")
{
	struct lk_waiter *w = fx_shared(sizeof *w);
	struct fx_child *c;
	int fd = ofd_create();

	FX_OK(lk_set(fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	w->path = PATH;
	w->cmd = F_OFD_SETLKW;
	w->fl = lk_flock(F_RDLCK, SEEK_SET, 0, 10);
	w->catch_usr1 = true;
	c = lk_start_waiter(w, "fcntl");
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE(w->ret == -1 && w->err == EINTR, "interrupted F_OFD_SETLKW: %d (errno %s), "
	    "expected -1 with EINTR", w->ret, fx_errno_name(w->err));
}

struct inherited { int fd; short type; int ret, err; int go[2]; bool closed; };

static void
inherited_setlk(void *arg)
{
	struct inherited *in = arg;

	errno = 0;
	in->ret = lk_set(in->fd, F_OFD_SETLK, in->type, 0, 10);
	in->err = errno;
}

FX_CASE(ofd__lock_shared_across_fork, "linux", "A child's inherited descriptor owns the parent's OFD lock: its F_OFD_SETLK succeeds and its exit keeps the lock",
    "fcntl(2): Open file description locks are inherited across fork(2) (shared by duplicates of the description)")
{
	struct inherited *in = fx_shared(sizeof *in);
	int fd2;
	struct flock fl;

	in->fd = ofd_create();
	fd2 = FX_OK(open(PATH, O_RDWR));
	FX_OK(lk_set(in->fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	in->type = F_WRLCK;
	fx_child_join(fx_spawn(inherited_setlk, in), FX_DEADLINE);
	FX_REQUIRE(in->ret == 0, "the child's F_OFD_SETLK on the inherited descriptor: %d "
	    "(errno %s), expected 0", in->ret, fx_errno_name(in->err));
	fl = ofd_getlk(fd2);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, -1);
}

FX_CASE(ofd__unlock_through_inherited_descriptor, "linux", "F_UNLCK by a child on its inherited descriptor releases the parent's OFD lock",
    "fcntl(2): Open file description locks: owned by the open file description")
{
	struct inherited *in = fx_shared(sizeof *in);
	int fd2;
	struct flock fl;

	in->fd = ofd_create();
	fd2 = FX_OK(open(PATH, O_RDWR));
	FX_OK(lk_set(in->fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	in->type = F_UNLCK;
	fx_child_join(fx_spawn(inherited_setlk, in), FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(in->ret, in->err, 0);
	fl = ofd_getlk(fd2);
	FX_REQUIRE(fl.l_type == F_UNLCK, "F_OFD_GETLK after the child's F_UNLCK reports %s",
	    lk_type_name(fl.l_type));
}

static void
keep_inherited(void *arg)
{
	struct inherited *in = arg;
	char c;

	FX_REQUIRE_EQ(read(in->go[0], &c, 1), 1);
	FX_OK(close(in->fd));
	in->closed = true;
	FX_REQUIRE_EQ(read(in->go[0], &c, 1), 1);
}

static bool
child_closed(void *arg)
{
	return ((volatile struct inherited *)arg)->closed;
}

FX_CASE(ofd__released_on_last_close_across_processes, "linux", "An OFD lock outlives the locking process's close while a child still has the description open, and goes at the last close",
    "fcntl(2): Open file description locks are released on the last close of the open file description")
{
	struct inherited *in = fx_shared(sizeof *in);
	struct fx_child *c;
	struct flock fl;

	in->fd = ofd_create();
	FX_OK(pipe(in->go));
	FX_OK(lk_set(in->fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	c = fx_spawn(keep_inherited, in);
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_OK(close(in->fd));
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, -1);
	FX_REQUIRE_EQ(write(in->go[1], "x", 1), 1); /* the child closes the last descriptor */
	fx_wait_until(child_closed, in, FX_DEADLINE, "the child to close its descriptor");
	fl = lk_probe_getlk(PATH, 0, 0);
	FX_REQUIRE(fl.l_type == F_UNLCK, "F_GETLK after the last close reports a %s lock",
	    lk_type_name(fl.l_type));
	FX_REQUIRE_EQ(write(in->go[1], "x", 1), 1);
	fx_child_join(c, FX_DEADLINE);
}

FX_CASE(ofd__lock_shared_across_dup, "linux", "Closing the locking descriptor keeps an OFD lock while a dup is open; closing the dup releases it",
    "fcntl(2): Open file description locks are released on the last close of the open file description")
{
	int fd = ofd_create();
	int fd2 = FX_OK(dup(fd));
	struct flock fl;

	FX_OK(lk_set(fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	FX_OK(close(fd));
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, -1);
	FX_OK(close(fd2));
	LK_REQUIRE_UNLOCKED(PATH, 0, 0);
}

FX_CASE(ofd__close_of_other_descriptor_keeps_lock, "linux", "Closing another, separately opened descriptor for the file keeps an OFD lock (unlike a POSIX lock)",
    "fcntl(2): Open file description locks: not released when another descriptor for the file is closed")
{
	int fd = ofd_create();
	struct flock fl;

	FX_OK(lk_set(fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	FX_OK(close(FX_OK(open(PATH, O_RDONLY))));
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, -1);
}

FX_CASE(ofd__conflicts_with_posix_lock, "linux", "F_OFD_SETLK conflicts with another process's POSIX lock; F_OFD_GETLK reports that lock with its pid",
    "fcntl(2): Open file description locks and traditional record locks conflict with each other")
{
	struct lk_holder *h;
	struct fx_child *c;
	int fd = ofd_create();
	struct flock fl;

	c = lk_hold_fcntl(PATH, F_SETLK, F_WRLCK, 0, 10, &h);
	REQUIRE_OFD(ofd_err(fd, F_OFD_SETLK, F_RDLCK, 5, 10), EAGAIN,
	    "F_OFD_SETLK beside a POSIX write lock");
	fl = ofd_getlk(fd);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, fx_child_pid(c));
	lk_let_go(h, c);
}

FX_CASE(ofd__posix_lock_conflicts_with_ofd, "linux", "A POSIX F_SETLK conflicts with an OFD lock; F_GETLK reports it with l_pid -1",
    "fcntl(2): Open file description locks and traditional record locks conflict with each other")
{
	int fd = ofd_create();
	struct lk_probe *p;
	struct flock fl;

	FX_OK(lk_set(fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	p = lk_probe(PATH, F_SETLK, F_RDLCK, 5, 10);
	LK_REQUIRE_CONFLICT("F_SETLK beside an OFD write lock", p->ret, p->err);
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, -1);
}
