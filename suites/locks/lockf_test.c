/*
 * lockf(3): XSI record locks from the file offset, the same locks as
 * fcntl(2) F_SETLK/F_SETLKW write locks on Linux.
 */
#include "lk.h"

#define PATH "lockfile"

/* lockf on a fresh file after seeking to offset; returns the descriptor. */
static int
locked_at(off_t offset, off_t len)
{
	int fd = lk_create(PATH);

	FX_OK(lseek(fd, offset, SEEK_SET));
	FX_REQUIRE_EQ(lockf(fd, F_LOCK, len), 0);
	return fd;
}

/* Another process must see the caller's write lock on exactly [start, start+len). */
static void
require_locked(off_t start, off_t len)
{
	struct flock fl = lk_probe_getlk(PATH, 0, 0);

	LK_REQUIRE_LOCK(&fl, F_WRLCK, start, len, getpid());
}

FX_CASE(lockf__lock_is_fcntl_write_lock, "xsi", "lockf(F_LOCK, n) places a write lock that another process's F_GETLK reports with the caller's pid",
    "POSIX.1-2017 XSH lockf: F_LOCK; interaction with fcntl() locks (Linux: the same locks)")
{
	(void)locked_at(0, 10);
	require_locked(0, 10);
}

FX_CASE(lockf__section_starts_at_offset, "xsi", "lockf locks the section of size bytes that starts at the current file offset",
    "POSIX.1-2017 XSH lockf: the section starts at the current offset and extends forward for size bytes")
{
	(void)locked_at(30, 5);
	require_locked(30, 5);
}

FX_CASE(lockf__size_zero_to_end_and_beyond, "xsi", "lockf with size 0 locks from the current offset through the largest possible file offset",
    "POSIX.1-2017 XSH lockf: if size is 0, the section extends to the largest possible offset")
{
	struct flock fl;

	(void)locked_at(10, 0);
	require_locked(10, 0);
	fl = lk_probe_getlk(PATH, 1000000, 1);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 10, 0, getpid());
}

FX_CASE(lockf__negative_size_locks_before_offset, "xsi", "lockf with a negative size locks the bytes before the current offset",
    "POSIX.1-2017 XSH lockf: if size is negative, the section from offset+size to offset-1")
{
	(void)locked_at(30, -5);
	require_locked(25, 5);
}

FX_CASE(lockf__ulock_releases, "xsi", "lockf(F_ULOCK) over a locked section releases it for other processes",
    "POSIX.1-2017 XSH lockf: F_ULOCK")
{
	int fd = locked_at(0, 10);

	require_locked(0, 10);
	FX_REQUIRE_EQ(lockf(fd, F_ULOCK, 10), 0);
	LK_REQUIRE_UNLOCKED(PATH, 0, 0);
}

FX_CASE(lockf__ulock_middle_splits, "xsi", "F_ULOCK of the middle of a locked section leaves the two outer parts locked",
    "POSIX.1-2017 XSH lockf: F_ULOCK may divide a locked section into two")
{
	int fd = locked_at(0, 10);
	struct flock fl;

	FX_OK(lseek(fd, 3, SEEK_SET));
	FX_REQUIRE_EQ(lockf(fd, F_ULOCK, 2), 0);
	fl = lk_probe_getlk(PATH, 0, 5);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 3, getpid());
	fl = lk_probe_getlk(PATH, 5, 5);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 5, 5, getpid());
	LK_REQUIRE_UNLOCKED(PATH, 3, 2);
}

FX_CASE(lockf__tlock_fails_when_held, "xsi", "lockf(F_TLOCK) on a section another process holds an fcntl lock on fails with EAGAIN or EACCES",
    "POSIX.1-2017 XSH lockf: F_TLOCK; ERRORS [EACCES] or [EAGAIN]")
{
	struct lk_holder *h;
	struct fx_child *c;
	int fd = lk_create(PATH), r;

	c = lk_hold_fcntl(PATH, F_SETLK, F_RDLCK, 5, 10, &h);
	errno = 0;
	r = (int)FX_AT_ONCE(lockf(fd, F_TLOCK, 10));
	LK_REQUIRE_CONFLICT("lockf(F_TLOCK) over another process's read lock", r, errno);
	lk_let_go(h, c);
}

FX_CASE(lockf__test_reports_other_holder, "xsi", "lockf(F_TEST) fails with EAGAIN or EACCES when another process holds a lock on the section",
    "POSIX.1-2017 XSH lockf: F_TEST; ERRORS [EACCES] or [EAGAIN]")
{
	struct lk_holder *h;
	struct fx_child *c;
	int fd = lk_create(PATH), r;

	c = lk_hold_fcntl(PATH, F_SETLK, F_WRLCK, 5, 10, &h);
	errno = 0;
	r = (int)FX_AT_ONCE(lockf(fd, F_TEST, 10));
	LK_REQUIRE_CONFLICT("lockf(F_TEST) over another process's lock", r, errno);
	lk_let_go(h, c);
}

FX_CASE(lockf__test_passes_for_own_or_free_section, "xsi", "lockf(F_TEST) returns 0 for an unlocked section and for one the caller locked itself",
    "POSIX.1-2017 XSH lockf: F_TEST: test a section for locks by other processes")
{
	int fd = lk_create(PATH);

	FX_REQUIRE_EQ(lockf(fd, F_TEST, 10), 0);
	FX_REQUIRE_EQ(lockf(fd, F_LOCK, 10), 0);
	FX_REQUIRE_EQ(lockf(fd, F_TEST, 10), 0);
}

struct lockf_waiter { int ret, err; bool done; };

static void
lockf_wait_run(void *arg)
{
	struct lockf_waiter *w = arg;
	int fd = FX_OK(open(PATH, O_RDWR));

	errno = 0;
	w->ret = lockf(fd, F_LOCK, 10);
	w->err = errno;
	w->done = true;
}

FX_CASE(lockf__lock_blocks_until_unlock, "xsi", "lockf(F_LOCK) waits while another process holds a lock on the section and succeeds once it is unlocked",
    "POSIX.1-2017 XSH lockf: F_LOCK: the calling thread shall block until the section is available")
{
	struct lockf_waiter *w = fx_shared(sizeof *w);
	struct fx_child *c;
	int fd = lk_create(PATH);

	FX_REQUIRE_EQ(lockf(fd, F_LOCK, 0), 0);
	c = fx_spawn(lockf_wait_run, w);
	fx_wait_blocked_in(fx_child_pid(c), "fcntl", FX_DEADLINE);
	FX_REQUIRE(!w->done, "lockf(F_LOCK) returned %d (errno %s) instead of blocking", w->ret,
	    fx_errno_name(w->err));
	FX_REQUIRE_EQ(lockf(fd, F_ULOCK, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
}

struct forked { int fd; int ret, err; };

static void
forked_tlock(void *arg)
{
	struct forked *f = arg;

	errno = 0;
	f->ret = (int)FX_AT_ONCE(lockf(f->fd, F_TLOCK, 10));
	f->err = errno;
}

FX_CASE(lockf__not_inherited_by_fork, "xsi", "A child's lockf(F_TLOCK) on its parent's locked section fails, even on the inherited descriptor",
    "POSIX.1-2017 XSH fork: file locks set by the parent shall not be inherited by the child")
{
	struct forked *f = fx_shared(sizeof *f);

	f->fd = locked_at(0, 10);
	FX_OK(lseek(f->fd, 0, SEEK_SET));
	fx_child_join(fx_spawn(forked_tlock, f), FX_DEADLINE);
	LK_REQUIRE_CONFLICT("child's lockf(F_TLOCK) on the parent's section", f->ret, f->err);
}

FX_CASE(lockf__released_on_close_of_any_descriptor, "xsi", "Closing another descriptor for the file releases a lockf lock, as for any record lock",
    "POSIX.1-2017 XSH lockf: locks are released on the first close by the locking process of any descriptor for the file")
{
	(void)locked_at(0, 10);
	require_locked(0, 10);
	FX_OK(close(FX_OK(open(PATH, O_RDONLY))));
	LK_REQUIRE_UNLOCKED(PATH, 0, 0);
}

FX_CASE(lockf__ebadf_needs_write_access, "xsi", "lockf F_LOCK and F_TLOCK on a descriptor not open for writing fail with EBADF",
    "POSIX.1-2017 XSH lockf ERRORS [EBADF]: function is F_LOCK or F_TLOCK and fildes is not open for writing")
{
	int fd;

	FX_OK(close(lk_create(PATH)));
	fd = FX_OK(open(PATH, O_RDONLY));
	FX_REQUIRE_ERRNO(EBADF, lockf(fd, F_LOCK, 10));
	FX_REQUIRE_ERRNO(EBADF, lockf(fd, F_TLOCK, 10));
}

FX_CASE(lockf__einval_bad_function, "xsi", "lockf with a function that is not F_ULOCK, F_LOCK, F_TLOCK or F_TEST fails with EINVAL",
    "POSIX.1-2017 XSH lockf ERRORS [EINVAL]")
{
	int fd = lk_create(PATH);

	FX_REQUIRE_ERRNO(EINVAL, lockf(fd, 42, 10));
}
