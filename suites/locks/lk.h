/*
 * Helpers shared by the locks family's test programs (fcntl record locks,
 * OFD locks, flock, lockf). Static functions: each program includes this once.
 *
 * A "probe" runs one lock call in a fresh child that opens the file itself,
 * so it is another process (another POSIX lock owner) and another open file
 * description (another OFD/flock owner). A "holder" is a child that takes a
 * lock and then waits in read(2) on a pipe until the test lets it go.
 */
#ifndef IPCCONF_LOCKS_LK_H
#define IPCCONF_LOCKS_LK_H

#include "fx.h"

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Size of the files lk_create makes. */
#define LK_FILE_SIZE 100

/* Creates (or truncates) `path` in the work directory, LK_FILE_SIZE zero bytes; returns an O_RDWR fd. */
static inline int
lk_create(const char *path)
{
	int fd = FX_OK(open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));

	FX_OK(ftruncate(fd, LK_FILE_SIZE));
	return fd;
}

static inline struct flock
lk_flock(short type, short whence, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = whence;
	fl.l_start = start;
	fl.l_len = len;
	return fl;
}

/* fcntl(fd, cmd) with a SEEK_SET range; returns what fcntl returned. */
static inline int
lk_set(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = lk_flock(type, SEEK_SET, start, len);

	return fcntl(fd, cmd, &fl);
}

static inline const char *
lk_type_name(int type)
{
	switch (type) {
	case F_RDLCK: return "F_RDLCK";
	case F_WRLCK: return "F_WRLCK";
	case F_UNLCK: return "F_UNLCK";
	default: return "bad type";
	}
}

static inline const char *
lk_whence_name(int whence)
{
	switch (whence) {
	case SEEK_SET: return "SEEK_SET";
	case SEEK_CUR: return "SEEK_CUR";
	case SEEK_END: return "SEEK_END";
	default: return "bad whence";
	}
}

/* Fails unless fl describes exactly this lock (l_whence normalised to SEEK_SET). */
#define LK_REQUIRE_LOCK(fl, type, start, len, pid) \
	lk_require_lock_(__FILE__, __LINE__, (fl), (type), (start), (len), (pid))
static inline void
lk_require_lock_(const char *file, int line, const struct flock *fl, short type,
    off_t start, off_t len, pid_t pid)
{
	if (fl->l_type != type || fl->l_whence != SEEK_SET || fl->l_start != start ||
	    fl->l_len != len || fl->l_pid != pid)
		fx_fail_at(file, line, "lock reported as {%s, %s, start %jd, len %jd, "
		    "pid %d}, expected {%s, SEEK_SET, start %jd, len %jd, pid %d}",
		    lk_type_name(fl->l_type), lk_whence_name(fl->l_whence), (intmax_t)fl->l_start,
		    (intmax_t)fl->l_len, (int)fl->l_pid, lk_type_name(type),
		    (intmax_t)start, (intmax_t)len, (int)pid);
}

/*
 * Fails unless a lock call returned -1 with EAGAIN or EACCES (POSIX allows
 * either for F_SETLK and lockf F_TLOCK/F_TEST); says on stderr which was seen.
 */
#define LK_REQUIRE_CONFLICT(what, ret, err) \
	lk_require_conflict_(__FILE__, __LINE__, (what), (ret), (err))
static inline void
lk_require_conflict_(const char *file, int line, const char *what, int ret, int err)
{
	if (ret != -1 || (err != EAGAIN && err != EACCES))
		fx_fail_at(file, line, "%s: expected -1 with errno EAGAIN or EACCES, got %d "
		    "(errno %s)", what, ret, fx_errno_name(err));
	fprintf(stderr, "%s: conflict reported with %s\n", what, fx_errno_name(err));
}

struct lk_probe {
	const char *path;
	int cmd;             /* F_GETLK, F_SETLK, F_OFD_GETLK, ... */
	struct flock fl;     /* in: the request; out: what the call left there */
	int ret, err;
	pid_t pid;
};

static inline void
lk_probe_run(void *arg)
{
	struct lk_probe *p = arg;
	int fd = FX_OK(open(p->path, O_RDWR));

	p->pid = getpid();
	errno = 0;
	/* Every command but the W ones is non-blocking: it must answer at once. */
	if (p->cmd == F_SETLKW || p->cmd == F_OFD_SETLKW)
		p->ret = fcntl(fd, p->cmd, &p->fl);
	else
		p->ret = (int)FX_AT_ONCE(fcntl(fd, p->cmd, &p->fl));
	p->err = errno;
}

/*
 * Runs fcntl(fd, cmd, {type, SEEK_SET, start, len}) in a new child with its
 * own O_RDWR descriptor for path and returns the shared result.
 */
static inline struct lk_probe *
lk_probe(const char *path, int cmd, short type, off_t start, off_t len)
{
	struct lk_probe *p = fx_shared(sizeof *p);

	p->path = path;
	p->cmd = cmd;
	p->fl = lk_flock(type, SEEK_SET, start, len);
	fx_child_join(fx_spawn(lk_probe_run, p), FX_DEADLINE);
	return p;
}

/* F_GETLK for a write lock on [start, start+len) from another process. */
static inline struct flock
lk_probe_getlk(const char *path, off_t start, off_t len)
{
	struct lk_probe *p = lk_probe(path, F_GETLK, F_WRLCK, start, len);

	FX_REQUIRE(p->ret == 0, "F_GETLK in the probe child: %d (errno %s)", p->ret,
	    fx_errno_name(p->err));
	return p->fl;
}

/* Fails unless another process sees no lock on [start, start+len). */
#define LK_REQUIRE_UNLOCKED(path, start, len) do { \
	struct flock lk_u_ = lk_probe_getlk((path), (start), (len)); \
	FX_REQUIRE(lk_u_.l_type == F_UNLCK, "F_GETLK on [%jd, +%jd) from another process " \
	    "reported a %s lock of pid %d, expected none", (intmax_t)(start), \
	    (intmax_t)(len), lk_type_name(lk_u_.l_type), (int)lk_u_.l_pid); \
} while (0)

struct lk_holder {
	const char *path;
	int cmd;             /* F_SETLK, F_OFD_SETLK, or 0 for flock */
	struct flock fl;
	int flock_op;        /* for cmd 0 */
	int go[2];
	bool locked;
};

static inline void
lk_holder_run(void *arg)
{
	struct lk_holder *h = arg;
	int fd = FX_OK(open(h->path, O_RDWR));
	char c;

	if (h->cmd == 0)
		FX_OK(flock(fd, h->flock_op));
	else
		FX_OK(fcntl(fd, h->cmd, &h->fl));
	h->locked = true;
	FX_REQUIRE_EQ(read(h->go[0], &c, 1), 1);
}

struct lk_watch { struct fx_child *c; const char *call; volatile bool *flag; };

/* True once the flag is set, the child has ended, or (with a call) it sleeps in that call. */
static inline bool
lk_watch_done(void *arg)
{
	struct lk_watch *w = arg;
	char why[128];

	if (*w->flag || fx_child_exited(w->c))
		return true;
	if (w->call == NULL) {
		fx_wait_note("the child still running, its flag not set");
		return false;
	}
	if (fx_is_blocked_in(fx_child_pid(w->c), w->call, why, sizeof why))
		return true;
	fx_wait_note("the child %s", why);
	return false;
}

/*
 * Starts a child that takes the lock described by h on its own descriptor
 * and waits (proven: asleep in read) until lk_let_go.
 */
static inline struct fx_child *
lk_hold(struct lk_holder *h)
{
	struct fx_child *c;

	struct lk_watch watch;

	FX_OK(pipe(h->go));
	c = fx_spawn(lk_holder_run, h);
	watch = (struct lk_watch){ c, NULL, &h->locked };
	fx_wait_until(lk_watch_done, &watch, FX_DEADLINE, "the holder child to take its lock");
	if (!h->locked)
		fx_child_join(c, FX_DEADLINE); /* fails the case with the child's report */
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	return c;
}

/* A holder child of a fcntl-family lock on [start, start+len). */
static inline struct fx_child *
lk_hold_fcntl(const char *path, int cmd, short type, off_t start, off_t len,
    struct lk_holder **hp)
{
	struct lk_holder *h = fx_shared(sizeof *h);

	h->path = path;
	h->cmd = cmd;
	h->fl = lk_flock(type, SEEK_SET, start, len);
	*hp = h;
	return lk_hold(h);
}

/* Lets a holder child return (it then exits, and its locks go) and joins it. */
static inline void
lk_let_go(struct lk_holder *h, struct fx_child *c)
{
	FX_REQUIRE_EQ(write(h->go[1], "x", 1), 1);
	fx_child_join(c, FX_DEADLINE);
}

/* A child that makes one (blocking) lock call on its own descriptor. */
struct lk_waiter {
	const char *path;
	int cmd;             /* F_SETLKW, F_OFD_SETLKW, or 0 for flock */
	struct flock fl;
	int flock_op;
	bool catch_usr1;     /* installs a SIGUSR1 handler without SA_RESTART */
	int ret, err;
	bool done;
};

static inline void
lk_on_usr1(int sig)
{
	(void)sig;
}

static inline void
lk_waiter_run(void *arg)
{
	struct lk_waiter *w = arg;
	int fd = FX_OK(open(w->path, O_RDWR));

	if (w->catch_usr1) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = lk_on_usr1;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = 0;
		FX_OK(sigaction(SIGUSR1, &sa, NULL));
	}
	errno = 0;
	if (w->cmd == 0)
		w->ret = flock(fd, w->flock_op);
	else
		w->ret = fcntl(fd, w->cmd, &w->fl);
	w->err = errno;
	w->done = true;
}

/* Starts a waiter child and proves it is asleep in `call` ("fcntl" or "flock"). */
static inline struct fx_child *
lk_start_waiter(struct lk_waiter *w, const char *call)
{
	struct fx_child *c = fx_spawn(lk_waiter_run, w);
	struct lk_watch watch = { c, call, &w->done };

	fx_wait_until(lk_watch_done, &watch, FX_DEADLINE, "the waiter to block or return");
	FX_REQUIRE(!w->done, "the waiter's %s returned %d (errno %s) instead of blocking",
	    call, w->ret, fx_errno_name(w->err));
	if (fx_child_exited(c))
		fx_child_join(c, FX_DEADLINE); /* fails the case with the child's report */
	fx_wait_blocked_in(fx_child_pid(c), call, FX_DEADLINE);
	return c;
}

#endif
