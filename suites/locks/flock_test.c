/*
 * flock(2): whole-file advisory locks that belong to the open file
 * description. X-class linux (BSD interface, not in POSIX).
 */
#include "lk.h"

#include <signal.h>

#define PATH "lockfile"

struct fprobe { int op; int ret, err; };

static void
fprobe_run(void *arg)
{
	struct fprobe *p = arg;
	int fd = FX_OK(open(PATH, O_RDWR));

	errno = 0;
	p->ret = (p->op & LOCK_NB) ? (int)FX_AT_ONCE(flock(fd, p->op)) : flock(fd, p->op);
	p->err = errno;
}

/* flock(op) in another process on its own open file description; returns 0 or the errno. */
static int
flock_probe(int op)
{
	struct fprobe *p = fx_shared(sizeof *p);

	p->op = op;
	fx_child_join(fx_spawn(fprobe_run, p), FX_DEADLINE);
	FX_REQUIRE(p->ret == 0 || p->ret == -1, "flock returned %d", p->ret);
	return p->ret == 0 ? 0 : p->err;
}

/* flock(fd, op) in this process; returns 0 or the errno. */
static int
flock_err(int fd, int op)
{
	errno = 0;
	if (op & LOCK_NB)
		return FX_AT_ONCE(flock(fd, op)) == 0 ? 0 : errno;
	return flock(fd, op) == 0 ? 0 : errno;
}

#define REQUIRE_FLOCK(got, want, what) do { \
	int fl_g_ = (got); \
	FX_REQUIRE(fl_g_ == (want), "%s: got %s, expected %s", (what), \
	    fl_g_ == 0 ? "success" : fx_errno_name(fl_g_), \
	    (want) == 0 ? "success" : fx_errno_name(want)); \
} while (0)

/* Holds `held` on a fresh file and asks another process for `wanted` | LOCK_NB. */
static void
check_pair(int held, int wanted, int want_err)
{
	int fd = lk_create(PATH);

	FX_OK(flock(fd, held));
	REQUIRE_FLOCK(flock_probe(wanted | LOCK_NB), want_err,
	    "flock(LOCK_NB) in another process");
}

FX_CASE(flock__shared_locks_coexist, "linux", "LOCK_SH is granted while another process holds LOCK_SH",
    "flock(2): LOCK_SH: more than one process may hold a shared lock")
{
	check_pair(LOCK_SH, LOCK_SH, 0);
}

FX_CASE(flock__exclusive_excludes_exclusive, "linux", "LOCK_EX|LOCK_NB fails with EWOULDBLOCK while another process holds LOCK_EX",
    "flock(2): LOCK_EX; ERRORS EWOULDBLOCK")
{
	check_pair(LOCK_EX, LOCK_EX, EWOULDBLOCK);
}

FX_CASE(flock__exclusive_excludes_shared, "linux", "LOCK_SH|LOCK_NB fails with EWOULDBLOCK while another process holds LOCK_EX",
    "flock(2): LOCK_EX: only one process may hold an exclusive lock; ERRORS EWOULDBLOCK")
{
	check_pair(LOCK_EX, LOCK_SH, EWOULDBLOCK);
}

FX_CASE(flock__shared_excludes_exclusive, "linux", "LOCK_EX|LOCK_NB fails with EWOULDBLOCK while another process holds LOCK_SH",
    "flock(2): LOCK_SH; ERRORS EWOULDBLOCK")
{
	check_pair(LOCK_SH, LOCK_EX, EWOULDBLOCK);
}

FX_CASE(flock__blocks_until_unlock, "linux", "flock(LOCK_EX) without LOCK_NB waits for a conflicting lock and succeeds once it is released",
    "flock(2): a call may block if an incompatible lock is held by another process")
{
	struct lk_waiter *w = fx_shared(sizeof *w);
	struct fx_child *c;
	int fd = lk_create(PATH);

	FX_OK(flock(fd, LOCK_SH));
	w->path = PATH;
	w->flock_op = LOCK_EX;
	c = lk_start_waiter(w, "flock");
	FX_OK(flock(fd, LOCK_UN));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
}

FX_CASE(flock__interrupted_by_signal, "linux", "A signal caught while flock waits makes it fail with EINTR",
    "flock(2): ERRORS EINTR")
{
	struct lk_waiter *w = fx_shared(sizeof *w);
	struct fx_child *c;
	int fd = lk_create(PATH);

	FX_OK(flock(fd, LOCK_EX));
	w->path = PATH;
	w->flock_op = LOCK_SH;
	w->catch_usr1 = true;
	c = lk_start_waiter(w, "flock");
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE(w->ret == -1 && w->err == EINTR, "interrupted flock: %d (errno %s), "
	    "expected -1 with EINTR", w->ret, fx_errno_name(w->err));
}

FX_CASE(flock__descriptions_conflict_in_one_process, "linux", "Two open file descriptions of one process conflict: the second LOCK_EX|LOCK_NB fails",
    "flock(2): the lock is associated with an open file description; a process can open a file twice and lock each")
{
	int fd1 = lk_create(PATH);
	int fd2 = FX_OK(open(PATH, O_RDWR));

	FX_OK(flock(fd1, LOCK_EX));
	REQUIRE_FLOCK(flock_err(fd2, LOCK_EX | LOCK_NB), EWOULDBLOCK,
	    "LOCK_EX|LOCK_NB through a second description");
	REQUIRE_FLOCK(flock_err(fd2, LOCK_SH | LOCK_NB), EWOULDBLOCK,
	    "LOCK_SH|LOCK_NB through a second description");
}

struct inherited { int fd; int ret, err; int op; };

static void
inherited_flock(void *arg)
{
	struct inherited *in = arg;

	errno = 0;
	in->ret = flock(in->fd, in->op);
	in->err = errno;
}

FX_CASE(flock__lock_shared_across_fork, "linux", "A child's inherited descriptor refers to the locked description: its LOCK_EX|LOCK_NB succeeds and its exit keeps the lock",
    "flock(2): locks created by flock() are associated with an open file description; preserved across fork(2)")
{
	struct inherited *in = fx_shared(sizeof *in);
	int fd2;

	in->fd = lk_create(PATH);
	fd2 = FX_OK(open(PATH, O_RDWR));
	FX_OK(flock(in->fd, LOCK_EX));
	in->op = LOCK_EX | LOCK_NB;
	fx_child_join(fx_spawn(inherited_flock, in), FX_DEADLINE);
	FX_REQUIRE(in->ret == 0, "LOCK_EX|LOCK_NB on the inherited descriptor: %d (errno %s), "
	    "expected 0", in->ret, fx_errno_name(in->err));
	REQUIRE_FLOCK(flock_err(fd2, LOCK_EX | LOCK_NB), EWOULDBLOCK,
	    "LOCK_EX|LOCK_NB through another description after the child exited");
}

FX_CASE(flock__unlock_through_inherited_descriptor, "linux", "LOCK_UN by a child on its inherited descriptor releases the parent's lock",
    "flock(2): an explicit LOCK_UN on any of the duplicate descriptors releases the lock")
{
	struct inherited *in = fx_shared(sizeof *in);

	in->fd = lk_create(PATH);
	FX_OK(flock(in->fd, LOCK_EX));
	REQUIRE_FLOCK(flock_probe(LOCK_EX | LOCK_NB), EWOULDBLOCK, "probe before LOCK_UN");
	in->op = LOCK_UN;
	fx_child_join(fx_spawn(inherited_flock, in), FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(in->ret, in->err, 0);
	REQUIRE_FLOCK(flock_probe(LOCK_EX | LOCK_NB), 0, "probe after the child's LOCK_UN");
}

FX_CASE(flock__lock_shared_across_dup, "linux", "A flock lock stays while a dup of the descriptor is open and goes with the last one",
    "flock(2): the lock is released by an explicit LOCK_UN or when all such descriptors have been closed")
{
	int fd = lk_create(PATH);
	int fd2 = FX_OK(dup(fd));

	FX_OK(flock(fd, LOCK_EX));
	FX_OK(close(fd));
	REQUIRE_FLOCK(flock_probe(LOCK_EX | LOCK_NB), EWOULDBLOCK,
	    "probe after closing the locking descriptor, its dup still open");
	FX_OK(close(fd2));
	REQUIRE_FLOCK(flock_probe(LOCK_EX | LOCK_NB), 0, "probe after closing the last descriptor");
}

FX_CASE(flock__close_of_other_description_keeps_lock, "linux", "Closing another, separately opened descriptor for the file does not release a flock lock (unlike fcntl locks)",
    "flock(2): locks are associated with an open file description")
{
	int fd = lk_create(PATH);

	FX_OK(flock(fd, LOCK_EX));
	FX_OK(close(FX_OK(open(PATH, O_RDONLY))));
	REQUIRE_FLOCK(flock_probe(LOCK_EX | LOCK_NB), EWOULDBLOCK,
	    "probe after closing another description");
}

static void
open_and_lock(void *arg)
{
	int fd = FX_OK(open(PATH, O_RDWR));

	FX_OK(flock(fd, LOCK_EX));
}

FX_CASE(flock__lock_kept_across_exec, "linux", "A flock lock is kept across execve while the descriptor stays open, and goes when the new image exits",
    "flock(2): locks created by flock() are preserved across an execve(2)")
{
	struct fx_image im;

	FX_OK(close(lk_create(PATH)));
	im = fx_exec_waiting(open_and_lock, NULL);
	REQUIRE_FLOCK(flock_probe(LOCK_EX | LOCK_NB), EWOULDBLOCK,
	    "flock(LOCK_EX|LOCK_NB) in another process while the new image runs");
	fx_exec_finish(&im);
	REQUIRE_FLOCK(flock_probe(LOCK_EX | LOCK_NB), 0,
	    "flock(LOCK_EX|LOCK_NB) in another process after the new image exited");
}

FX_CASE(flock__released_when_holder_exits, "linux", "A flock lock goes when the only process with a descriptor for its description exits",
    "flock(2): released when all descriptors for the description have been closed")
{
	struct lk_holder *h = fx_shared(sizeof *h);
	struct fx_child *c;
	int fd = lk_create(PATH);

	h->path = PATH;
	h->flock_op = LOCK_EX;
	c = lk_hold(h);
	REQUIRE_FLOCK(flock_err(fd, LOCK_SH | LOCK_NB), EWOULDBLOCK, "LOCK_SH|LOCK_NB while held");
	lk_let_go(h, c);
	REQUIRE_FLOCK(flock_err(fd, LOCK_EX | LOCK_NB), 0, "LOCK_EX|LOCK_NB after the exit");
}

FX_CASE(flock__convert_shared_to_exclusive, "linux", "LOCK_EX on a descriptor holding LOCK_SH converts the lock: other descriptions then get no shared lock",
    "flock(2): a subsequent flock() call on an already locked file converts the lock mode")
{
	int fd = lk_create(PATH);

	FX_OK(flock(fd, LOCK_SH));
	REQUIRE_FLOCK(flock_probe(LOCK_SH | LOCK_NB), 0, "LOCK_SH probe before converting");
	REQUIRE_FLOCK(flock_err(fd, LOCK_EX | LOCK_NB), 0, "converting LOCK_SH to LOCK_EX");
	REQUIRE_FLOCK(flock_probe(LOCK_SH | LOCK_NB), EWOULDBLOCK, "LOCK_SH probe after converting");
}

FX_CASE(flock__convert_exclusive_to_shared, "linux", "LOCK_SH on a descriptor holding LOCK_EX converts the lock: others may share it, not take it",
    "flock(2): a subsequent flock() call on an already locked file converts the lock mode")
{
	int fd = lk_create(PATH);

	FX_OK(flock(fd, LOCK_EX));
	REQUIRE_FLOCK(flock_err(fd, LOCK_SH | LOCK_NB), 0, "converting LOCK_EX to LOCK_SH");
	REQUIRE_FLOCK(flock_probe(LOCK_SH | LOCK_NB), 0, "LOCK_SH probe after converting");
	REQUIRE_FLOCK(flock_probe(LOCK_EX | LOCK_NB), EWOULDBLOCK, "LOCK_EX probe after converting");
}

FX_CASE(flock__ignores_fcntl_locks, "linux", "On a local file, flock(LOCK_EX) is granted while another process holds an fcntl write lock on the whole file",
    "flock(2): NOTES: flock() and fcntl(2) locks do not interact on Linux (local file systems)")
{
	struct lk_holder *h;
	struct fx_child *c;
	int fd = lk_create(PATH);

	c = lk_hold_fcntl(PATH, F_SETLK, F_WRLCK, 0, 0, &h);
	REQUIRE_FLOCK(flock_err(fd, LOCK_EX | LOCK_NB), 0, "LOCK_EX|LOCK_NB beside an fcntl lock");
	lk_let_go(h, c);
}

FX_CASE(flock__invisible_to_fcntl_locks, "linux", "On a local file, another process's fcntl write lock and F_GETLK ignore a flock(LOCK_EX) lock",
    "flock(2): NOTES: flock() and fcntl(2) locks do not interact on Linux (local file systems)")
{
	int fd = lk_create(PATH);
	struct lk_probe *p;

	FX_OK(flock(fd, LOCK_EX));
	LK_REQUIRE_UNLOCKED(PATH, 0, 0);
	p = lk_probe(PATH, F_SETLK, F_WRLCK, 0, 0);
	FX_REQUIRE(p->ret == 0, "F_SETLK F_WRLCK beside a flock lock: %d (errno %s)", p->ret,
	    fx_errno_name(p->err));
}

FX_CASE(flock__any_open_mode, "linux", "LOCK_SH and LOCK_EX are granted whatever the descriptor's access mode",
    "flock(2): a lock can be placed on a file regardless of the mode in which it was opened")
{
	int rd, wr;

	FX_OK(close(lk_create(PATH)));
	rd = FX_OK(open(PATH, O_RDONLY));
	wr = FX_OK(open(PATH, O_WRONLY));
	REQUIRE_FLOCK(flock_err(rd, LOCK_EX | LOCK_NB), 0, "LOCK_EX on an O_RDONLY descriptor");
	FX_OK(flock(rd, LOCK_UN));
	REQUIRE_FLOCK(flock_err(wr, LOCK_SH | LOCK_NB), 0, "LOCK_SH on an O_WRONLY descriptor");
}

FX_CASE(flock__errors, "linux", "flock on a closed descriptor fails with EBADF, with an unknown operation with EINVAL",
    "flock(2): ERRORS EBADF, EINVAL")
{
	int fd = lk_create(PATH), closed = FX_OK(dup(fd));

	FX_OK(close(closed));
	FX_REQUIRE_ERRNO(EBADF, flock(closed, LOCK_SH));
	FX_REQUIRE_ERRNO(EINVAL, flock(fd, 0));
	FX_REQUIRE_ERRNO(EINVAL, flock(fd, LOCK_NB));
	FX_REQUIRE_ERRNO(EINVAL, flock(fd, LOCK_SH | LOCK_EX));
}
