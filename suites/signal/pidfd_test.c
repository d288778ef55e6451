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

ATF_TC(pidfd_send_signal__delivers_to_process);
ATF_TC_HEAD(pidfd_send_signal__delivers_to_process, tc)
{
	fx_meta(tc, "linux", "pidfd_send_signal(2) delivers a signal to the process the pidfd refers to, as kill(2) would (SI_USER, sender's pid)");
	atf_tc_set_md_var(tc, "X-spec", "pidfd_send_signal(2): info is NULL");
}
ATF_TC_BODY(pidfd_send_signal__delivers_to_process, tc)
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

ATF_TC(pidfd_send_signal__esrch_after_exit);
ATF_TC_HEAD(pidfd_send_signal__esrch_after_exit, tc)
{
	fx_meta(tc, "linux", "pidfd_send_signal(2) through the pidfd of a process that has exited and been reaped fails with ESRCH");
	atf_tc_set_md_var(tc, "X-spec", "pidfd_send_signal(2) ERRORS: ESRCH");
}
ATF_TC_BODY(pidfd_send_signal__esrch_after_exit, tc)
{
	struct fx_child *c;
	int fd;

	c = fx_spawn(wait_for_usr1, fx_shared(sizeof(struct waited)));
	fd = open_pidfd(fx_child_pid(c));
	fx_child_kill(c);
	FX_REQUIRE_ERRNO(ESRCH, pidfd_send_signal(fd, SIGUSR1, NULL));
}

ATF_TC(pidfd_open__poll_reports_exit);
ATF_TC_HEAD(pidfd_open__poll_reports_exit, tc)
{
	fx_meta(tc, "linux", "A pidfd polls readable once its process has exited, and not before");
	atf_tc_set_md_var(tc, "X-spec", "pidfd_open(2): Use cases for PID file descriptors, poll(2)");
}
ATF_TC_BODY(pidfd_open__poll_reports_exit, tc)
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

ATF_TC(pidfd_send_signal__errors);
ATF_TC_HEAD(pidfd_send_signal__errors, tc)
{
	fx_meta(tc, "linux", "pidfd_send_signal(2) fails with EBADF for a bad descriptor or one that is no pidfd, and EINVAL for an invalid signal or flags");
	atf_tc_set_md_var(tc, "X-spec", "pidfd_send_signal(2) ERRORS: EBADF, EINVAL");
}
ATF_TC_BODY(pidfd_send_signal__errors, tc)
{
	int fd, p[2], r;

	fd = open_pidfd(getpid());
	FX_OK(pipe(p));
	errno = 0;
	r = pidfd_send_signal(-1, 0, NULL);
	fx_errno_row(FX_ROW("pidfd_send_signal(-1, 0)"), EBADF, r, errno);
	errno = 0;
	r = pidfd_send_signal(fd, 1000, NULL);
	fx_errno_row(FX_ROW("pidfd_send_signal(own pidfd, 1000)"), EINVAL, r, errno);
	errno = 0;
	r = (int)syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0x80000000u);
	fx_errno_row(FX_ROW("pidfd_send_signal(own pidfd, 0, NULL, flags 0x80000000)"), EINVAL,
	    r, errno);
	errno = 0;
	r = pidfd_send_signal(p[0], 0, NULL);
	fx_errno_row(FX_ROW("pidfd_send_signal(pipe fd, 0)"), EBADF, r, errno);
	fx_errno_rows_done();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, pidfd_send_signal__delivers_to_process);
	ATF_TP_ADD_TC(tp, pidfd_send_signal__esrch_after_exit);
	ATF_TP_ADD_TC(tp, pidfd_open__poll_reports_exit);
	ATF_TP_ADD_TC(tp, pidfd_send_signal__errors);
	return atf_no_error();
}
