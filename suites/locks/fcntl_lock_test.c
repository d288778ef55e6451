/*
 * fcntl(2) POSIX record locks: F_SETLK, F_SETLKW and F_GETLK between
 * processes. Every case locks a file of its own work directory.
 */
#include "lk.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define PATH "lockfile"

FX_CASE(fcntl__read_lock_shared, "posix", "A read lock does not keep another process from taking a read lock",
    "POSIX.1-2017 XSH fcntl: F_RDLCK shared lock")
{
	int fd = lk_create(PATH);
	struct lk_probe *p;

	FX_OK(lk_set(fd, F_SETLK, F_RDLCK, 0, 10));
	p = lk_probe(PATH, F_SETLK, F_RDLCK, 0, 10);
	FX_REQUIRE(p->ret == 0, "F_SETLK F_RDLCK over another process's read lock: %d "
	    "(errno %s), expected 0", p->ret, fx_errno_name(p->err));
}

/* A conflicting F_SETLK from another process fails at once, for each (held, wanted) pair. */
static void
check_conflict(short held, short wanted)
{
	int fd = lk_create(PATH);
	struct lk_probe *p;
	char what[64];

	FX_OK(lk_set(fd, F_SETLK, held, 0, 10));
	p = lk_probe(PATH, F_SETLK, wanted, 5, 10);
	snprintf(what, sizeof what, "F_SETLK %s over %s", lk_type_name(wanted),
	    lk_type_name(held));
	LK_REQUIRE_CONFLICT(what, p->ret, p->err);
}

FX_CASE(fcntl__write_lock_excludes_write, "posix", "F_SETLK of a write lock over another process's write lock fails with EAGAIN or EACCES",
    "POSIX.1-2017 XSH fcntl: F_SETLK; ERRORS [EACCES] or [EAGAIN]")
{
	check_conflict(F_WRLCK, F_WRLCK);
}

FX_CASE(fcntl__write_lock_excludes_read, "posix", "F_SETLK of a read lock over another process's write lock fails with EAGAIN or EACCES",
    "POSIX.1-2017 XSH fcntl: F_WRLCK exclusive lock; ERRORS [EACCES] or [EAGAIN]")
{
	check_conflict(F_WRLCK, F_RDLCK);
}

FX_CASE(fcntl__read_lock_excludes_write, "posix", "F_SETLK of a write lock over another process's read lock fails with EAGAIN or EACCES",
    "POSIX.1-2017 XSH fcntl: F_RDLCK; ERRORS [EACCES] or [EAGAIN]")
{
	check_conflict(F_RDLCK, F_WRLCK);
}

FX_CASE(fcntl__disjoint_ranges_do_not_conflict, "posix", "Write locks on adjacent, non-overlapping ranges of two processes do not conflict",
    "POSIX.1-2017 XSH fcntl: locked segment l_start, l_len")
{
	int fd = lk_create(PATH);
	struct lk_probe *p;

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	p = lk_probe(PATH, F_SETLK, F_WRLCK, 10, 10);
	FX_REQUIRE(p->ret == 0, "F_SETLK F_WRLCK on [10, 20) beside a write lock on [0, 10): "
	    "%d (errno %s), expected 0", p->ret, fx_errno_name(p->err));
}

FX_CASE(fcntl__setlkw_blocks_until_unlock, "posix", "F_SETLKW waits while another process holds a conflicting lock and succeeds once it is unlocked",
    "POSIX.1-2017 XSH fcntl: F_SETLKW")
{
	struct lk_waiter *w = fx_shared(sizeof *w);
	struct fx_child *c;
	int fd = lk_create(PATH);

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	w->path = PATH;
	w->cmd = F_SETLKW;
	w->fl = lk_flock(F_WRLCK, SEEK_SET, 5, 10);
	c = lk_start_waiter(w, "fcntl");
	FX_OK(lk_set(fd, F_SETLK, F_UNLCK, 0, 10));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
}

FX_CASE(fcntl__setlkw_read_waits_until_downgrade, "posix", "A read-lock waiter blocked by a write lock proceeds when the holder downgrades it to a read lock",
    "POSIX.1-2017 XSH fcntl: F_SETLKW; a new lock replaces an existing lock of the process")
{
	struct lk_waiter *w = fx_shared(sizeof *w);
	struct fx_child *c;
	int fd = lk_create(PATH);

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	w->path = PATH;
	w->cmd = F_SETLKW;
	w->fl = lk_flock(F_RDLCK, SEEK_SET, 0, 10);
	c = lk_start_waiter(w, "fcntl");
	FX_OK(lk_set(fd, F_SETLK, F_RDLCK, 0, 10));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
}

FX_CASE(fcntl__getlk_reports_conflicting_lock, "posix", "F_GETLK returns the conflicting lock's type, range and holder's pid",
    "POSIX.1-2017 XSH fcntl: F_GETLK")
{
	struct lk_holder *h;
	struct fx_child *c;
	int fd = lk_create(PATH);
	struct flock fl = lk_flock(F_RDLCK, SEEK_SET, 0, 0);

	c = lk_hold_fcntl(PATH, F_SETLK, F_WRLCK, 20, 30, &h);
	FX_OK(fcntl(fd, F_GETLK, &fl));
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 20, 30, fx_child_pid(c));
	lk_let_go(h, c);
}

FX_CASE(fcntl__getlk_no_conflict_leaves_struct, "posix", "F_GETLK without a conflicting lock sets l_type to F_UNLCK and leaves the rest unchanged",
    "POSIX.1-2017 XSH fcntl: F_GETLK: the structure shall be left unchanged except for the lock type")
{
	int fd = lk_create(PATH);
	struct flock fl = lk_flock(F_WRLCK, SEEK_CUR, 7, 11);

	fl.l_pid = 4242;
	FX_OK(fcntl(fd, F_GETLK, &fl));
	FX_REQUIRE_EQ(fl.l_type, F_UNLCK);
	FX_REQUIRE_EQ(fl.l_whence, SEEK_CUR);
	FX_REQUIRE_EQ(fl.l_start, 7);
	FX_REQUIRE_EQ(fl.l_len, 11);
	FX_REQUIRE_EQ(fl.l_pid, 4242);
}

FX_CASE(fcntl__getlk_read_locks_do_not_conflict, "posix", "F_GETLK for a read lock reports F_UNLCK when another process holds only a read lock",
    "POSIX.1-2017 XSH fcntl: F_GETLK")
{
	struct lk_holder *h;
	struct fx_child *c;
	int fd = lk_create(PATH);
	struct flock fl = lk_flock(F_RDLCK, SEEK_SET, 0, 0);

	c = lk_hold_fcntl(PATH, F_SETLK, F_RDLCK, 0, 10, &h);
	FX_OK(fcntl(fd, F_GETLK, &fl));
	FX_REQUIRE_EQ(fl.l_type, F_UNLCK);
	fl = lk_flock(F_WRLCK, SEEK_SET, 0, 0);
	FX_OK(fcntl(fd, F_GETLK, &fl));
	LK_REQUIRE_LOCK(&fl, F_RDLCK, 0, 10, fx_child_pid(c));
	lk_let_go(h, c);
}

FX_CASE(fcntl__own_locks_never_conflict, "posix", "A process's own locks never conflict with its new requests nor show in its F_GETLK",
    "POSIX.1-2017 XSH fcntl: locks held by the calling process do not block")
{
	int fd = lk_create(PATH);
	int fd2 = FX_OK(open(PATH, O_RDWR));
	struct flock fl = lk_flock(F_WRLCK, SEEK_SET, 0, 0);

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	FX_REQUIRE_EQ(lk_set(fd2, F_SETLK, F_WRLCK, 5, 10), 0);
	FX_REQUIRE_EQ(lk_set(fd, F_SETLKW, F_RDLCK, 2, 2), 0);
	FX_OK(fcntl(fd2, F_GETLK, &fl));
	FX_REQUIRE_EQ(fl.l_type, F_UNLCK);
}

FX_CASE(fcntl__relock_downgrades_write_to_read, "posix", "A read lock over the process's own write lock replaces it: others may then read-lock",
    "POSIX.1-2017 XSH fcntl: a new lock replaces an existing lock of the process")
{
	int fd = lk_create(PATH);
	struct lk_probe *p;
	struct flock fl;

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	FX_OK(lk_set(fd, F_SETLK, F_RDLCK, 0, 10));
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_RDLCK, 0, 10, getpid());
	p = lk_probe(PATH, F_SETLK, F_RDLCK, 0, 10);
	FX_REQUIRE(p->ret == 0, "F_SETLK F_RDLCK after the downgrade: %d (errno %s)", p->ret,
	    fx_errno_name(p->err));
}

FX_CASE(fcntl__relock_upgrades_read_to_write, "posix", "A write lock over the process's own read lock replaces it: others may no longer read-lock",
    "POSIX.1-2017 XSH fcntl: a new lock replaces an existing lock of the process")
{
	int fd = lk_create(PATH);
	struct lk_probe *p;
	struct flock fl;

	FX_OK(lk_set(fd, F_SETLK, F_RDLCK, 0, 10));
	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, getpid());
	p = lk_probe(PATH, F_SETLK, F_RDLCK, 0, 10);
	LK_REQUIRE_CONFLICT("F_SETLK F_RDLCK after the upgrade", p->ret, p->err);
}

FX_CASE(fcntl__unlock_middle_splits_lock, "posix", "Unlocking [3,5) of a write lock on [0,10) leaves two locks, [0,3) and [5,10)",
    "POSIX.1-2017 XSH fcntl: F_UNLCK of a segment; locks may be split")
{
	int fd = lk_create(PATH);
	struct flock fl;

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	FX_OK(lk_set(fd, F_SETLK, F_UNLCK, 3, 2));
	fl = lk_probe_getlk(PATH, 0, 1);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 3, getpid());
	fl = lk_probe_getlk(PATH, 9, 1);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 5, 5, getpid());
	LK_REQUIRE_UNLOCKED(PATH, 3, 2);
}

FX_CASE(fcntl__adjacent_locks_merge, "posix", "Two adjacent write locks of one process on [0,5) and [5,10) are reported as one lock on [0,10)",
    "fcntl(2): Advisory record locking (adjacent locks of one process are merged)")
{
	int fd = lk_create(PATH);
	struct flock fl;

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 5));
	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 5, 5));
	fl = lk_probe_getlk(PATH, 9, 1);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, getpid());
}

/* Locks with {whence, start, len} after seeking fd to `offset`; another process must see {want_start, want_len}. */
static void
check_range(off_t offset, short whence, off_t start, off_t len, off_t want_start, off_t want_len)
{
	int fd = lk_create(PATH);
	struct flock fl = lk_flock(F_WRLCK, whence, start, len);

	FX_OK(lseek(fd, offset, SEEK_SET));
	FX_OK(fcntl(fd, F_SETLK, &fl));
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, want_start, want_len, getpid());
}

FX_CASE(fcntl__whence_set_is_absolute, "posix", "With l_whence SEEK_SET, l_start is an absolute offset, whatever the file offset",
    "POSIX.1-2017 XSH fcntl: l_whence SEEK_SET")
{
	check_range(50, SEEK_SET, 5, 5, 5, 5);
}

FX_CASE(fcntl__whence_cur_is_relative_to_offset, "posix", "With l_whence SEEK_CUR, l_start counts from the file offset; F_GETLK reports it as SEEK_SET",
    "POSIX.1-2017 XSH fcntl: l_whence SEEK_CUR")
{
	check_range(20, SEEK_CUR, 5, 5, 25, 5);
}

FX_CASE(fcntl__whence_end_is_relative_to_size, "posix", "With l_whence SEEK_END, l_start counts from the end of the file; F_GETLK reports it as SEEK_SET",
    "POSIX.1-2017 XSH fcntl: l_whence SEEK_END")
{
	check_range(0, SEEK_END, -10, 5, LK_FILE_SIZE - 10, 5);
}

FX_CASE(fcntl__negative_len_locks_before_start, "posix", "A negative l_len locks the l_len bytes before l_start, not l_start itself",
    "POSIX.1-2017 XSH fcntl: if l_len is negative, the area from l_start+l_len to l_start-1")
{
	check_range(0, SEEK_SET, 20, -5, 15, 5);
	LK_REQUIRE_UNLOCKED(PATH, 20, 1);
}

FX_CASE(fcntl__len_zero_extends_past_eof, "posix", "l_len 0 locks to the end of the file and beyond, as the file grows",
    "POSIX.1-2017 XSH fcntl: l_len 0 extends to the largest possible file offset")
{
	int fd = lk_create(PATH);
	struct flock fl;

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 10, 0));
	FX_REQUIRE_EQ(pwrite(fd, "x", 1, 4096), 1);
	fl = lk_probe_getlk(PATH, 1000000, 1);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 10, 0, getpid());
	LK_REQUIRE_UNLOCKED(PATH, 0, 10);
}

FX_CASE(fcntl__unlock_of_unlocked_range_succeeds, "posix", "F_UNLCK of a range the process holds no lock on succeeds and changes nothing",
    "POSIX.1-2017 XSH fcntl: F_UNLCK")
{
	int fd = lk_create(PATH);
	struct flock fl;

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	FX_REQUIRE_EQ(lk_set(fd, F_SETLK, F_UNLCK, 50, 10), 0);
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, getpid());
}

FX_CASE(fcntl__range_beyond_eof, "posix", "A lock may start and end beyond the end of the file",
    "POSIX.1-2017 XSH fcntl: locks may start and extend beyond the current end of a file")
{
	int fd = lk_create(PATH);
	struct flock fl;
	struct stat st;

	FX_REQUIRE_EQ(lk_set(fd, F_SETLK, F_WRLCK, 1000, 10), 0);
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 1000, 10, getpid());
	FX_OK(fstat(fd, &st));
	FX_REQUIRE_EQ(st.st_size, LK_FILE_SIZE);
}

FX_CASE(fcntl__unlock_through_other_descriptor, "posix", "A POSIX lock belongs to the process: F_UNLCK through another descriptor for the file releases it",
    "POSIX.1-2017 XSH fcntl: record locks are owned by the process (l_pid)")
{
	int fd1 = lk_create(PATH);
	int fd2 = FX_OK(open(PATH, O_RDWR));
	struct flock fl;

	FX_OK(lk_set(fd1, F_SETLK, F_WRLCK, 0, 10));
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, getpid());
	FX_OK(lk_set(fd2, F_SETLK, F_UNLCK, 0, 10));
	LK_REQUIRE_UNLOCKED(PATH, 0, 0);
}

FX_CASE(fcntl__einval_bad_type, "posix", "F_SETLK, F_SETLKW and F_GETLK with an l_type that is no lock type fail with EINVAL",
    "POSIX.1-2017 XSH fcntl ERRORS [EINVAL]")
{
	static const struct { int cmd; const char *name; short type; } rows[] = {
		{ F_SETLK, "F_SETLK", 42 }, { F_SETLKW, "F_SETLKW", 42 },
		{ F_GETLK, "F_GETLK", 42 },
	};
	int fd = lk_create(PATH);
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct flock fl = lk_flock(rows[i].type, SEEK_SET, 0, 10);

		FX_CHECK_ERRNO_MSG(EINVAL, fcntl(fd, rows[i].cmd, &fl),
		    "fcntl(fd, %s, {l_type=%d})", rows[i].name, rows[i].type);
	}
}

FX_CASE(fcntl__einval_range_before_zero, "posix", "A lock range that would start before offset 0 fails with EINVAL",
    "POSIX.1-2017 XSH fcntl ERRORS [EINVAL]: the range begins before the start of the file")
{
	static const struct { short whence; off_t start, len; } rows[] = {
		{ SEEK_SET, -1, 1 }, { SEEK_CUR, -1, 1 }, { SEEK_SET, 5, -10 },
		{ SEEK_END, -(LK_FILE_SIZE + 1), 1 },
	};
	int fd = lk_create(PATH);
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct flock fl = lk_flock(F_WRLCK, rows[i].whence, rows[i].start, rows[i].len);

		FX_CHECK_ERRNO_MSG(EINVAL, fcntl(fd, F_SETLK, &fl),
		    "fcntl(fd at 0, F_SETLK, {whence %d, start %jd, len %jd})", rows[i].whence, (intmax_t)rows[i].start, (intmax_t)rows[i].len);
	}
}

FX_CASE(fcntl__einval_bad_whence, "posix", "An l_whence other than SEEK_SET, SEEK_CUR or SEEK_END fails with EINVAL",
    "POSIX.1-2017 XSH fcntl ERRORS [EINVAL]")
{
	int fd = lk_create(PATH);
	struct flock fl = lk_flock(F_WRLCK, 42, 0, 10);

	FX_REQUIRE_ERRNO(EINVAL, fcntl(fd, F_SETLK, &fl));
}

FX_CASE(fcntl__ebadf_read_lock_needs_read_access, "posix", "A read lock on a descriptor not open for reading fails with EBADF",
    "POSIX.1-2017 XSH fcntl ERRORS [EBADF]: F_RDLCK and not open for reading")
{
	int fd;

	FX_OK(close(lk_create(PATH)));
	fd = FX_OK(open(PATH, O_WRONLY));
	FX_REQUIRE_ERRNO(EBADF, lk_set(fd, F_SETLK, F_RDLCK, 0, 10));
	FX_REQUIRE_ERRNO(EBADF, lk_set(fd, F_SETLKW, F_RDLCK, 0, 10));
	FX_REQUIRE_EQ(lk_set(fd, F_SETLK, F_WRLCK, 0, 10), 0);
}

FX_CASE(fcntl__ebadf_write_lock_needs_write_access, "posix", "A write lock on a descriptor not open for writing fails with EBADF",
    "POSIX.1-2017 XSH fcntl ERRORS [EBADF]: F_WRLCK and not open for writing")
{
	int fd;

	FX_OK(close(lk_create(PATH)));
	fd = FX_OK(open(PATH, O_RDONLY));
	FX_REQUIRE_ERRNO(EBADF, lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	FX_REQUIRE_ERRNO(EBADF, lk_set(fd, F_SETLKW, F_WRLCK, 0, 10));
	FX_REQUIRE_EQ(lk_set(fd, F_SETLK, F_RDLCK, 0, 10), 0);
}

FX_CASE(fcntl__ebadf_closed_descriptor, "posix", "F_SETLK and F_GETLK on a closed descriptor fail with EBADF",
    "POSIX.1-2017 XSH fcntl ERRORS [EBADF]")
{
	int fd = lk_create(PATH);
	struct flock fl = lk_flock(F_WRLCK, SEEK_SET, 0, 10);

	FX_OK(close(fd));
	FX_REQUIRE_ERRNO(EBADF, fcntl(fd, F_SETLK, &fl));
	FX_REQUIRE_ERRNO(EBADF, fcntl(fd, F_GETLK, &fl));
}

/*
 * A cycle of n processes: member i write-locks byte i, then (when let go)
 * waits with F_SETLKW for byte i+1 mod n. The last member closes the cycle.
 */
struct cycle_member {
	int n, i;
	int go[2];
	int ret, err;
	bool done;
};

static void
cycle_run(void *arg)
{
	struct cycle_member *m = arg;
	int fd = FX_OK(open(PATH, O_RDWR));
	char c;

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, m->i, 1));
	FX_REQUIRE_EQ(read(m->go[0], &c, 1), 1);
	errno = 0;
	m->ret = lk_set(fd, F_SETLKW, F_WRLCK, (m->i + 1) % m->n, 1);
	m->err = errno;
	m->done = true;
	if (m->ret == -1) /* the victim keeps its own byte until let go again */
		FX_REQUIRE_EQ(read(m->go[0], &c, 1), 1);
}

static bool
member_done(void *arg)
{
	return ((volatile struct cycle_member *)arg)->done;
}

static void
check_deadlock_cycle(int n)
{
	struct cycle_member *m = fx_shared(n * sizeof *m);
	struct fx_child *c[3];
	struct flock fl;
	int fd = lk_create(PATH), i, v = n - 1;
	char why[128];

	for (i = 0; i < n; i++) {
		m[i].n = n;
		m[i].i = i;
		FX_OK(pipe(m[i].go));
		c[i] = fx_spawn(cycle_run, &m[i]);
		fx_wait_blocked_in(fx_child_pid(c[i]), "read", FX_DEADLINE);
	}
	for (i = 0; i < v; i++) {
		FX_REQUIRE_EQ(write(m[i].go[1], "x", 1), 1);
		fx_wait_blocked_in(fx_child_pid(c[i]), "fcntl", FX_DEADLINE);
	}
	FX_REQUIRE_EQ(write(m[v].go[1], "x", 1), 1);
	fx_wait_until(member_done, &m[v], FX_DEADLINE, "the last member's F_SETLKW to return");
	FX_REQUIRE(m[v].ret == -1 && m[v].err == EDEADLK, "F_SETLKW closing a cycle of %d "
	    "processes: %d (errno %s), expected -1 with EDEADLK", n, m[v].ret,
	    fx_errno_name(m[v].err));
	fl = lk_flock(F_WRLCK, SEEK_SET, v, 1);
	FX_OK(fcntl(fd, F_GETLK, &fl));
	LK_REQUIRE_LOCK(&fl, F_WRLCK, v, 1, fx_child_pid(c[v]));
	for (i = 0; i < v; i++)
		FX_REQUIRE(fx_is_blocked_in(fx_child_pid(c[i]), "fcntl", why, sizeof why),
		    "member %d should still wait in F_SETLKW: %s", i, why);
	FX_REQUIRE_EQ(write(m[v].go[1], "x", 1), 1);
	for (i = v; i >= 0; i--) {
		fx_child_join(c[i], FX_DEADLINE);
		if (i != v)
			FX_REQUIRE_CHILD_RET(m[i].ret, m[i].err, 0);
	}
}

FX_CASE(fcntl__edeadlk_two_processes, "posix", "F_SETLKW that would deadlock two processes fails with EDEADLK; the victim keeps its locks",
    "POSIX.1-2017 XSH fcntl ERRORS [EDEADLK]")
{
	check_deadlock_cycle(2);
}

FX_CASE(fcntl__edeadlk_three_process_cycle, "posix", "F_SETLKW closing a wait cycle of three processes fails with EDEADLK; the victim keeps its locks",
    "POSIX.1-2017 XSH fcntl ERRORS [EDEADLK]")
{
	check_deadlock_cycle(3);
}

struct forked { int fd; pid_t parent; struct flock fl; int ret, err; };

static void
forked_getlk(void *arg)
{
	struct forked *f = arg;

	f->fl = lk_flock(F_WRLCK, SEEK_SET, 0, 0);
	f->ret = fcntl(f->fd, F_GETLK, &f->fl);
	f->err = errno;
}

FX_CASE(fcntl__fork_child_sees_parent_lock, "posix", "Locks are not inherited: F_GETLK in a child, on the inherited descriptor, reports the parent's lock and pid",
    "POSIX.1-2017 XSH fork: file locks set by the parent shall not be inherited by the child")
{
	struct forked *f = fx_shared(sizeof *f);

	f->fd = lk_create(PATH);
	FX_OK(lk_set(f->fd, F_SETLK, F_WRLCK, 0, 10));
	fx_child_join(fx_spawn(forked_getlk, f), FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(f->ret, f->err, 0);
	LK_REQUIRE_LOCK(&f->fl, F_WRLCK, 0, 10, getpid());
}

static void
forked_setlk(void *arg)
{
	struct forked *f = arg;

	errno = 0;
	f->ret = (int)FX_AT_ONCE(lk_set(f->fd, F_SETLK, F_RDLCK, 0, 10));
	f->err = errno;
}

FX_CASE(fcntl__fork_child_cannot_take_parent_range, "posix", "Locks are not inherited: a child's F_SETLK on its parent's locked range fails, even on the inherited descriptor",
    "POSIX.1-2017 XSH fork: file locks set by the parent shall not be inherited by the child")
{
	struct forked *f = fx_shared(sizeof *f);

	f->fd = lk_create(PATH);
	FX_OK(lk_set(f->fd, F_SETLK, F_WRLCK, 0, 10));
	fx_child_join(fx_spawn(forked_setlk, f), FX_DEADLINE);
	LK_REQUIRE_CONFLICT("child's F_SETLK F_RDLCK on the parent's range", f->ret, f->err);
}

FX_CASE(fcntl__released_on_exit, "posix", "All of a process's locks are released when it exits",
    "POSIX.1-2017 XSH fcntl: locks removed when the process holding them terminates")
{
	struct lk_holder *h;
	struct fx_child *c;
	int fd = lk_create(PATH), r;

	c = lk_hold_fcntl(PATH, F_SETLK, F_WRLCK, 0, 10, &h);
	errno = 0;
	r = (int)FX_AT_ONCE(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	LK_REQUIRE_CONFLICT("F_SETLK while the child holds the lock", r, errno);
	lk_let_go(h, c);
	FX_REQUIRE_EQ(lk_set(fd, F_SETLK, F_WRLCK, 0, 10), 0);
}

FX_CASE(fcntl__setlkw_proceeds_when_holder_dies, "posix", "An F_SETLKW waiter gets the lock when the holder is killed",
    "POSIX.1-2017 XSH fcntl: locks removed when the process holding them terminates; F_SETLKW")
{
	struct lk_waiter *w = fx_shared(sizeof *w);
	struct lk_holder *h;
	struct fx_child *holder, *c;

	FX_OK(close(lk_create(PATH)));
	holder = lk_hold_fcntl(PATH, F_SETLK, F_RDLCK, 0, 10, &h);
	w->path = PATH;
	w->cmd = F_SETLKW;
	w->fl = lk_flock(F_WRLCK, SEEK_SET, 0, 0);
	c = lk_start_waiter(w, "fcntl");
	fx_child_kill(holder);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
}

/* Locks through fd1, proves it held, closes fd2 (another descriptor for the file), proves it gone. */
static void
check_close_releases(int fd1, int fd2)
{
	struct flock fl;

	FX_OK(lk_set(fd1, F_SETLK, F_WRLCK, 0, 10));
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, getpid());
	FX_OK(close(fd2));
	LK_REQUIRE_UNLOCKED(PATH, 0, 0);
}

FX_CASE(fcntl__released_on_close_of_other_descriptor, "posix", "Closing any descriptor for the file, even one opened separately and never locked, releases the process's locks",
    "POSIX.1-2017 XSH close: all outstanding record locks owned by the process on the file shall be removed")
{
	int fd1 = lk_create(PATH);

	check_close_releases(fd1, FX_OK(open(PATH, O_RDONLY)));
}

FX_CASE(fcntl__released_on_close_of_dup, "posix", "Closing a dup of the locking descriptor releases the process's locks",
    "POSIX.1-2017 XSH close: all outstanding record locks owned by the process on the file shall be removed")
{
	int fd1 = lk_create(PATH);

	check_close_releases(fd1, FX_OK(dup(fd1)));
}

struct execer { int go[2]; };

static void
lock_then_exec(void *arg)
{
	struct execer *e = arg;
	int fd = FX_OK(open(PATH, O_RDWR));

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	FX_OK(dup2(e->go[0], STDIN_FILENO));
	/* head blocks in read(2) whatever implements it (a shell's read may poll first). */
	execlp("head", "head", "-c", "1", (char *)NULL);
	FX_FAIL("execlp(head): %s", fx_errno_name(errno));
}

FX_CASE(fcntl__locks_survive_exec, "posix", "A process's record locks are kept across execve while the descriptor stays open",
    "fcntl(2): Advisory record locking: preserved across an execve(2)")
{
	struct execer *e = fx_shared(sizeof *e);
	int fd = lk_create(PATH);
	struct flock fl = lk_flock(F_WRLCK, SEEK_SET, 0, 0);
	struct fx_child *c;
	char comm[64], path[64];
	int cfd;
	ssize_t n;

	FX_OK(pipe(e->go));
	c = fx_spawn(lock_then_exec, e);
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE); /* only head reads */
	snprintf(path, sizeof path, "/proc/%d/comm", (int)fx_child_pid(c));
	cfd = FX_OK(open(path, O_RDONLY));
	n = FX_OK(read(cfd, comm, sizeof comm - 1));
	comm[n] = '\0';
	FX_REQUIRE(strcmp(comm, "head\n") == 0, "the child runs \"%s\", not head", comm);
	FX_OK(fcntl(fd, F_GETLK, &fl));
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, fx_child_pid(c));
	FX_REQUIRE_EQ(write(e->go[1], "x\n", 2), 2);
	fx_child_join(c, FX_DEADLINE);
}

FX_CASE(fcntl__setlkw_interrupted_by_signal, "posix", "A signal caught while F_SETLKW waits makes it fail with EINTR",
    "POSIX.1-2017 XSH fcntl ERRORS [EINTR]")
{
	struct lk_waiter *w = fx_shared(sizeof *w);
	struct fx_child *c;
	int fd = lk_create(PATH);

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	w->path = PATH;
	w->cmd = F_SETLKW;
	w->fl = lk_flock(F_WRLCK, SEEK_SET, 0, 10);
	w->catch_usr1 = true;
	c = lk_start_waiter(w, "fcntl");
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE(w->ret == -1 && w->err == EINTR, "interrupted F_SETLKW: %d (errno %s), "
	    "expected -1 with EINTR", w->ret, fx_errno_name(w->err));
}

/* The seed notes' example: ten records, each incremented by 10 under a write lock. */
#define RMW_RECORDS 10
#define RMW_PASSES 50

struct rmw { int go[2]; };

static void
rmw_run(void *arg)
{
	struct rmw *r = arg;
	int fd = FX_OK(open(PATH, O_RDWR)), pass, i, num;
	struct flock lock = lk_flock(F_WRLCK, SEEK_CUR, 0, sizeof(int));
	char c;

	FX_REQUIRE_EQ(read(r->go[0], &c, 1), 1);
	for (pass = 0; pass < RMW_PASSES; pass++) {
		FX_OK(lseek(fd, 0, SEEK_SET));
		for (i = 0; i < RMW_RECORDS; i++) {
			lock.l_type = F_WRLCK;
			lock.l_start = 0;
			FX_OK(fcntl(fd, F_SETLKW, &lock));
			FX_REQUIRE_EQ(read(fd, &num, sizeof num), sizeof num);
			num += 10;
			sched_yield(); /* invites the other process in, where the seed pauses a second */
			FX_OK(lseek(fd, -(off_t)sizeof num, SEEK_CUR));
			FX_REQUIRE_EQ(write(fd, &num, sizeof num), sizeof num);
			lock.l_type = F_UNLCK;
			lock.l_start = -(off_t)sizeof num;
			FX_OK(fcntl(fd, F_SETLK, &lock));
		}
	}
}

FX_CASE(fcntl__rmw_increments_no_lost_update, "posix", "Two processes incrementing ten records under F_SETLKW write locks (SEEK_CUR ranges) lose no update",
    "POSIX.1-2017 XSH fcntl: F_SETLKW, F_WRLCK exclusive lock, l_whence SEEK_CUR")
{
	struct rmw *r = fx_shared(sizeof *r);
	struct fx_child *c[2];
	int fd = lk_create(PATH), nums[RMW_RECORDS], i;

	FX_OK(pipe(r->go));
	for (i = 0; i < 2; i++) {
		c[i] = fx_spawn(rmw_run, r);
		fx_wait_blocked_in(fx_child_pid(c[i]), "read", FX_DEADLINE);
	}
	FX_REQUIRE_EQ(write(r->go[1], "xx", 2), 2);
	fx_child_join(c[0], fx_deadline(20000));
	fx_child_join(c[1], fx_deadline(20000));
	FX_REQUIRE_EQ(pread(fd, nums, sizeof nums, 0), sizeof nums);
	for (i = 0; i < RMW_RECORDS; i++)
		FX_REQUIRE(nums[i] == 2 * RMW_PASSES * 10, "record %d holds %d after %d "
		    "increments by 10 from two processes, expected %d: an update was lost",
		    i, nums[i], 2 * RMW_PASSES, 2 * RMW_PASSES * 10);
}

struct thread_lock { int fd; int ret, err; };

static void *
lock_from_thread(void *arg)
{
	struct thread_lock *t = arg;

	errno = 0;
	t->ret = (int)FX_AT_ONCE(lk_set(t->fd, F_SETLK, F_WRLCK, 5, 10));
	t->err = errno;
	return NULL;
}

FX_CASE(fcntl__threads_share_process_locks, "posix", "Record locks belong to the process: a second thread's F_SETLK over the first thread's write lock succeeds and replaces it, and another process sees one lock of the process",
    "POSIX.1-2017 XSH fcntl: record locks are owned by the process; a lock request by a process does not conflict with its own locks")
{
	struct thread_lock t = { .fd = lk_create(PATH), .ret = -2 };
	struct flock fl;
	pthread_t th;
	int r;

	FX_OK(lk_set(t.fd, F_SETLK, F_WRLCK, 0, 10));
	r = pthread_create(&th, NULL, lock_from_thread, &t);
	FX_REQUIRE(r == 0, "pthread_create: %s", fx_errno_name(r));
	FX_REQUIRE(pthread_join(th, NULL) == 0, "pthread_join failed");
	FX_REQUIRE_EQ(t.ret, 0);
	/* One owner, merged: [0, 15) as seen from another process. */
	fl = lk_probe_getlk(PATH, 0, 0);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 15, getpid());
}

struct exec_lock { int p[2]; };

static void
lock_then_exec_cat(void *arg)
{
	struct exec_lock *e = arg;
	int fd = FX_OK(open(PATH, O_RDWR));

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 0, 10));
	FX_OK(dup2(e->p[0], 0));
	FX_OK(close(e->p[1]));
	execlp("cat", "cat", (char *)NULL);
	FX_FAIL("execlp(cat) failed: %s", fx_errno_name(errno));
}

FX_CASE(fcntl__locks_kept_across_exec, "posix", "A process keeps its record locks across execve: while the new image runs, another process sees the lock with the same pid",
    "POSIX.1-2017 XSH exec: the new process image inherits ... file locks (record locks are not released by exec)")
{
	struct exec_lock *e = fx_shared(sizeof *e);
	struct fx_child *c;
	struct flock fl;

	(void)lk_create(PATH);
	FX_OK(pipe(e->p));
	c = fx_spawn(lock_then_exec_cat, e);
	FX_OK(close(e->p[0]));
	/* cat asleep reading its stdin: the exec has happened. */
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	fl = lk_probe_getlk(PATH, 0, 0);
	FX_OK(close(e->p[1]));
	(void)fx_child_wait(c, FX_DEADLINE);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, fx_child_pid(c));
}
