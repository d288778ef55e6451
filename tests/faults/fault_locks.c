/*
 * Faults of record locks and file locks: fcntl(2) (F_SETLK, F_SETLKW, F_GETLK,
 * F_OFD_*, and F_[GS]ETPIPE_SZ for the pipe family), flock(2), lockf(3), and
 * fork(2) for the lock-inheritance fault (and the signal mask one).
 */
#include "fault.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Files this process holds a process-associated lock on (for lock inheritance). */
#define MAX_LOCKED 64
static struct { dev_t dev; ino_t ino; } locked[MAX_LOCKED];
static int nlocked;
static bool forked_child;

static bool
file_of(int fd, dev_t *dev, ino_t *ino)
{
	struct stat st;
	FAULT_REAL(fstat);

	if (real_fstat(fd, &st) != 0)
		return false;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return true;
}

static void
remember_lock(int fd)
{
	dev_t dev;
	ino_t ino;
	int i;

	if (!fault_is("locks_inherited_by_fork") || !file_of(fd, &dev, &ino))
		return;
	for (i = 0; i < nlocked; i++)
		if (locked[i].dev == dev && locked[i].ino == ino)
			return;
	if (nlocked < MAX_LOCKED) {
		locked[nlocked].dev = dev;
		locked[nlocked++].ino = ino;
	}
}

/* True in a forked child on a file its parent had locked: the child acts as the owner. */
static bool
inherited(int fd)
{
	dev_t dev;
	ino_t ino;
	int i;

	if (!forked_child || !fault_is("locks_inherited_by_fork") || !file_of(fd, &dev, &ino))
		return false;
	for (i = 0; i < nlocked; i++)
		if (locked[i].dev == dev && locked[i].ino == ino)
			return true;
	return false;
}

pid_t
fork(void)
{
	FAULT_REAL(fork);
	pid_t pid = real_fork();

	if (pid == 0) {
		forked_child = true;
		if (fault_is("fork_clears_signal_mask")) {
			/* The child starts with an empty mask instead of its parent's. */
			sigset_t none;
			FAULT_REAL(sigprocmask);

			fault_fired();
			sigemptyset(&none);
			real_sigprocmask(SIG_SETMASK, &none, NULL);
		}
		if (fault_is("fork_resets_handlers")) {
			/* The child starts with default actions where its parent had handlers. */
			struct sigaction sa;
			int s;

			for (s = 1; s < NSIG; s++) {
				if (s == SIGKILL || s == SIGSTOP || sigaction(s, NULL, &sa) != 0 ||
				    sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)
					continue;
				sa.sa_handler = SIG_DFL;
				sa.sa_flags &= ~SA_SIGINFO;
				if (sigaction(s, &sa, NULL) == 0)
					fault_fired();
			}
		}
	}
	return pid;
}

/* F_SETLKW that never reports EDEADLK: it waits, as a kernel without detection would. */
static int
setlkw_without_deadlock_detection(int fd, struct flock *fl)
{
	FAULT_REAL(fcntl);
	struct timespec ms = { 0, 1000 * 1000 };
	int r;

	for (;;) {
		r = real_fcntl(fd, F_SETLK, fl);
		if (r == 0 || (errno != EAGAIN && errno != EACCES))
			return r;
		if (nanosleep(&ms, NULL) == -1)
			return -1; /* EINTR, as F_SETLKW would */
	}
}

int
fcntl(int fd, int cmd, ...)
{
	FAULT_REAL(fcntl);
	struct flock *fl;
	va_list ap;
	void *arg;
	int r;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	fl = arg;
	switch (cmd) {
	case F_SETLK:
	case F_SETLKW:
		if (fl->l_type == F_UNLCK && fault_is("fcntl_unlock_whole_file") &&
		    (fl->l_start != 0 || fl->l_len != 0 || fl->l_whence != SEEK_SET)) {
			/* Locks kept per file, not per byte range: any unlock frees all. */
			struct flock all = { .l_type = F_UNLCK, .l_whence = SEEK_SET };

			fault_fired();
			return real_fcntl(fd, cmd, &all);
		}
		if (fl->l_type != F_UNLCK && inherited(fd)) {
			fault_fired();
			return 0;
		}
		if (fl->l_type == F_RDLCK && fault_is("fcntl_read_locks_exclusive")) {
			struct flock w = *fl;

			fault_fired();
			w.l_type = F_WRLCK;
			return real_fcntl(fd, cmd, &w);
		}
		r = real_fcntl(fd, cmd, arg);
		if (r == -1 && errno == EDEADLK && cmd == F_SETLKW &&
		    fault_is("fcntl_setlkw_no_edeadlk")) {
			fault_fired();
			return setlkw_without_deadlock_detection(fd, fl);
		}
		if (r == 0 && fl->l_type != F_UNLCK)
			remember_lock(fd);
		return r;
	case F_GETLK:
		if (inherited(fd)) {
			fault_fired();
			fl->l_type = F_UNLCK;
			return 0;
		}
		r = real_fcntl(fd, cmd, arg);
		if (r == 0 && fl->l_type != F_UNLCK && fl->l_pid > 0 &&
		    fault_is("fcntl_getlk_pid_zero")) {
			fault_fired();
			fl->l_pid = 0;
		}
		return r;
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
	case F_OFD_GETLK:
		if (fault_is("ofd_locks_per_process")) {
			/* Open file description locks mapped onto process-associated ones. */
			fault_fired();
			fl->l_pid = 0;
			return real_fcntl(fd, cmd == F_OFD_SETLK ? F_SETLK :
			    cmd == F_OFD_SETLKW ? F_SETLKW : F_GETLK, arg);
		}
		return real_fcntl(fd, cmd, arg);
	case F_SETPIPE_SZ:
		if (fault_is("setpipe_sz_max_off_by_one") && geteuid() != 0) {
			/* "size >= pipe-max-size" for "size > pipe-max-size" when unprivileged. */
			FILE *f = fopen("/proc/sys/fs/pipe-max-size", "r");
			long max = -1;

			if (f != NULL) {
				if (fscanf(f, "%ld", &max) != 1)
					max = -1;
				fclose(f);
			}
			if (max > 0 && (long)(intptr_t)arg == max) {
				fault_fired();
				errno = EPERM;
				return -1;
			}
		}
		r = real_fcntl(fd, cmd, arg);
		if (r > 0 && r != (int)(intptr_t)arg && fault_is("pipe_setpipe_sz_echoes_request")) {
			/* The requested size reported instead of the one set. */
			fault_fired();
			return (int)(intptr_t)arg;
		}
		return r;
	case F_GETPIPE_SZ:
		r = real_fcntl(fd, cmd, arg);
		if (r > 4096 && fault_is("pipe_getpipe_sz_one_page")) {
			fault_fired();
			return 4096;
		}
		return r;
	default:
		return real_fcntl(fd, cmd, arg);
	}
}

int
fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return fcntl(fd, cmd, arg);
}

int
flock(int fd, int op)
{
	FAULT_REAL(flock);
	FAULT_REAL(fcntl);

	if (fault_is("flock_emulated_with_fcntl")) {
		/* flock(2) built on whole-file fcntl locks, as NFS and old C libraries do. */
		struct flock fl = { .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };

		fault_fired();
		fl.l_type = (op & LOCK_UN) ? F_UNLCK : (op & LOCK_EX) ? F_WRLCK : F_RDLCK;
		if (!(op & (LOCK_SH | LOCK_EX | LOCK_UN))) {
			errno = EINVAL;
			return -1;
		}
		if (real_fcntl(fd, (op & LOCK_NB) ? F_SETLK : F_SETLKW, &fl) == 0)
			return 0;
		if (errno == EACCES)
			errno = EWOULDBLOCK;
		return -1;
	}
	if (fault_is("flock_shared_as_exclusive") && (op & LOCK_SH)) {
		fault_fired();
		op = (op & ~LOCK_SH) | LOCK_EX;
	}
	if (fault_is("flock_nb_waits") && (op & LOCK_NB)) {
		int r = real_flock(fd, op);

		if (r == -1 && errno == EWOULDBLOCK)
			fault_wait_first();
		return r;
	}
	return real_flock(fd, op);
}

int
lockf(int fd, int cmd, off_t len)
{
	FAULT_REAL(lockf);
	int r;

	if (cmd != F_ULOCK && inherited(fd)) {
		fault_fired();
		return 0;
	}
	r = real_lockf(fd, cmd, len);
	if (r == -1 && cmd == F_TEST && (errno == EACCES || errno == EAGAIN) &&
	    fault_is("lockf_test_always_free")) {
		fault_fired();
		return 0;
	}
	if (r == 0 && (cmd == F_LOCK || cmd == F_TLOCK))
		remember_lock(fd);
	return r;
}
