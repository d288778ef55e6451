/*
 * pidfd_open(2) and pidfd_send_signal(2): signalling a process through a
 * descriptor, which cannot reach a recycled pid (X-class linux).
 */
#include "fx.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* A pidfd for pid; skips on a release without pidfd_open (before 5.3), fails on a later one. */
static int
open_pidfd(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	fx_require_kernel_feature(5, 3, "pidfd_open(2)", !(fd == -1 && errno == ENOSYS),
	    "pidfd_open fails with ENOSYS");
	return FX_OK(fd);
}

static int
pidfd_send_signal(int pidfd, int sig, siginfo_t *info)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, info, 0);
}

struct waited {
	int ret;
	siginfo_t si;
};

/* Waits for SIGUSR1, blocked by the parent before the fork. */
static void
wait_for_usr1(void *arg)
{
	struct waited *w = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	w->ret = sigwaitinfo(&set, &w->si);
}

FX_CASE(pidfd_send_signal__delivers_to_process, "linux", "pidfd_send_signal(2) delivers a signal to the process the pidfd refers to, as kill(2) would (SI_USER, sender's pid)",
    "pidfd_send_signal(2): info is NULL")
{
	struct waited *w = fx_shared(sizeof *w);
	struct fx_child *c;
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	c = fx_spawn(wait_for_usr1, w);
	fd = open_pidfd(fx_child_pid(c));
	fx_wait_blocked_in(fx_child_pid(c), "sigwaitinfo", FX_DEADLINE);
	FX_REQUIRE_EQ(pidfd_send_signal(fd, SIGUSR1, NULL), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(w->ret, SIGUSR1);
	FX_REQUIRE_EQ(w->si.si_code, SI_USER);
	FX_REQUIRE_EQ(w->si.si_pid, getpid());
}

FX_CASE(pidfd_send_signal__esrch_after_exit, "linux", "pidfd_send_signal(2) through the pidfd of a process that has exited and been reaped fails with ESRCH",
    "pidfd_send_signal(2) ERRORS: ESRCH")
{
	struct fx_child *c;
	int fd;

	c = fx_spawn(wait_for_usr1, fx_shared(sizeof(struct waited)));
	fd = open_pidfd(fx_child_pid(c));
	fx_child_kill(c);
	FX_REQUIRE_ERRNO(ESRCH, pidfd_send_signal(fd, SIGUSR1, NULL));
}

FX_CASE(pidfd_open__poll_reports_exit, "linux", "A pidfd polls readable once its process has exited, and not before",
    "pidfd_open(2): Use cases for PID file descriptors, poll(2)")
{
	struct pollfd pfd;
	struct fx_child *c;

	c = fx_spawn(wait_for_usr1, fx_shared(sizeof(struct waited)));
	pfd.fd = open_pidfd(fx_child_pid(c));
	pfd.events = POLLIN;
	fx_wait_blocked_in(fx_child_pid(c), "sigwaitinfo", FX_DEADLINE);
	FX_REQUIRE_EQ(poll(&pfd, 1, 0), 0);
	FX_OK(kill(fx_child_pid(c), SIGTERM));
	FX_REQUIRE_EQ(poll(&pfd, 1, FX_DEADLINE), 1);
	FX_REQUIRE(pfd.revents & POLLIN, "revents 0x%x without POLLIN after the exit",
	    (unsigned)pfd.revents);
	fx_child_wait(c, FX_DEADLINE);
}

FX_CASE(pidfd_send_signal__errors, "linux", "pidfd_send_signal(2) fails with EBADF for a bad descriptor or one that is no pidfd, and EINVAL for an invalid signal or flags",
    "pidfd_send_signal(2) ERRORS: EBADF, EINVAL")
{
	int fd, p[2];

	fd = open_pidfd(getpid());
	FX_OK(pipe(p));
	FX_CHECK_ERRNO_MSG(EBADF, pidfd_send_signal(-1, 0, NULL),
	    "pidfd_send_signal(-1, 0)");
	FX_CHECK_ERRNO_MSG(EINVAL, pidfd_send_signal(fd, 1000, NULL),
	    "pidfd_send_signal(own pidfd, 1000)");
	FX_CHECK_ERRNO_MSG(EINVAL, (int)syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0x80000000u),
	    "pidfd_send_signal(own pidfd, 0, NULL, flags 0x80000000)");
	FX_CHECK_ERRNO_MSG(EBADF, pidfd_send_signal(p[0], 0, NULL),
	    "pidfd_send_signal(pipe fd, 0)");
}
