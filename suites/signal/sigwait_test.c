/*
 * Waiting for signals: sigwaitinfo, sigtimedwait, sigwait, sigsuspend and
 * pause, each woken by a signal another process sends.
 */
#include "fx.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
block_signal(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
}

struct woken {
	volatile int handled;
	int ret, err, sig;
	siginfo_t si;
	int usr1_blocked_after;  /* sigsuspend restored the mask */
};

static struct woken *woken;

static void
on_usr1(int sig)
{
	(void)sig;
	woken->handled++;
}

static void
install_usr1_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
}

static void
in_sigwaitinfo(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	woken->ret = sigwaitinfo(&set, &woken->si);
	woken->err = errno;
}

FX_CASE(sigwaitinfo__blocks_until_signal, "posix", "sigwaitinfo blocks until a signal of its set is sent and returns it without running a handler",
    "POSIX.1-2017 XSH sigwaitinfo")
{
	struct fx_child *c;

	woken = fx_shared(sizeof *woken);
	block_signal(SIGUSR2);
	c = fx_spawn(in_sigwaitinfo, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "sigwaitinfo", FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(woken->ret, woken->err, 0);
	FX_OK(kill(fx_child_pid(c), SIGUSR2));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(woken->ret, woken->err, SIGUSR2);
	FX_REQUIRE_EQ(woken->si.si_signo, SIGUSR2);
	FX_REQUIRE_EQ(woken->si.si_pid, getpid());
}

FX_CASE(sigtimedwait__eagain_at_timeout, "posix", "sigtimedwait with nothing pending waits the whole timeout, then fails with EAGAIN",
    "POSIX.1-2017 XSH sigtimedwait: ERRORS [EAGAIN]")
{
	struct timespec timeout = { 0, 100 * 1000 * 1000 };
	long long start;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	start = fx_now_ms();
	FX_REQUIRE_ERRNO(EAGAIN, sigtimedwait(&set, NULL, &timeout));
	FX_REQUIRE(fx_now_ms() - start >= 99, "sigtimedwait returned after %lld ms, before "
	    "its 100 ms timeout", fx_now_ms() - start);
	timeout.tv_nsec = 0;
	FX_REQUIRE_ERRNO(EAGAIN, sigtimedwait(&set, NULL, &timeout));
}

FX_CASE(sigtimedwait__einval_bad_timeout, "posix", "sigtimedwait with tv_nsec outside 0..999999999 fails with EINVAL",
    "POSIX.1-2017 XSH sigtimedwait: ERRORS [EINVAL]")
{
	const long nsecs[] = { 1000 * 1000 * 1000, -1 };
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	for (i = 0; i < sizeof nsecs / sizeof nsecs[0]; i++) {
		struct timespec ts = { 0, nsecs[i] };

		FX_CHECK_ERRNO_MSG(EINVAL, sigtimedwait(&set, NULL, &ts),
		    "sigtimedwait({SIGUSR2}, {0, %ld})", nsecs[i]);
	}
}

FX_CASE(sigtimedwait__takes_pending_signal, "posix", "sigtimedwait removes the pending signal it returns: it is no longer pending and no handler runs on unblock",
    "POSIX.1-2017 XSH sigtimedwait: selects the pending signal and clears it")
{
	static const struct timespec zero;
	sigset_t set, pending;
	siginfo_t si;

	woken = fx_shared(sizeof *woken);
	install_usr1_handler();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	FX_OK(kill(getpid(), SIGUSR1));
	FX_REQUIRE_EQ(sigtimedwait(&set, &si, &zero), SIGUSR1);
	FX_REQUIRE_EQ(si.si_code, SI_USER);
	FX_OK(sigpending(&pending));
	FX_REQUIRE(sigismember(&pending, SIGUSR1) == 0, "SIGUSR1 still pending");
	FX_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	FX_REQUIRE_EQ(woken->handled, 0);
}

static void
in_sigwait(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	woken->ret = sigwait(&set, &woken->sig);
}

FX_CASE(sigwait__stores_signal_number, "posix", "sigwait blocks until a signal of its set arrives, returns 0 and stores the signal's number",
    "POSIX.1-2017 XSH sigwait")
{
	struct fx_child *c;
	sigset_t set;

	woken = fx_shared(sizeof *woken);
	woken->ret = -1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	c = fx_spawn(in_sigwait, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "sigtimedwait", FX_DEADLINE);
	FX_OK(kill(fx_child_pid(c), SIGUSR2));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(woken->ret, woken->err, 0);
	FX_REQUIRE_EQ(woken->sig, SIGUSR2);
}

/* SIGUSR1 is blocked since before the fork; sigsuspend lets it in for the wait only. */
static void
in_sigsuspend(void *arg)
{
	sigset_t during, after;

	(void)arg;
	install_usr1_handler();
	FX_OK(sigprocmask(SIG_BLOCK, NULL, &during));
	sigdelset(&during, SIGUSR1);
	woken->ret = sigsuspend(&during);
	woken->err = errno;
	FX_OK(sigprocmask(SIG_BLOCK, NULL, &after));
	woken->usr1_blocked_after = sigismember(&after, SIGUSR1);
}

FX_CASE(sigsuspend__returns_eintr_and_restores_mask, "posix", "sigsuspend returns -1 EINTR after the handler of a signal it let in, and restores the previous mask",
    "POSIX.1-2017 XSH sigsuspend")
{
	struct fx_child *c;

	woken = fx_shared(sizeof *woken);
	block_signal(SIGUSR1);
	c = fx_spawn(in_sigsuspend, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "sigsuspend", FX_DEADLINE);
	FX_OK(kill(fx_child_pid(c), SIGUSR1));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(woken->handled, 1);
	FX_REQUIRE_CHILD_RET(woken->ret, woken->err, -1);
	FX_REQUIRE(woken->err == EINTR, "sigsuspend failed with %s, expected EINTR",
	    fx_errno_name(woken->err));
	FX_REQUIRE_EQ(woken->usr1_blocked_after, 1);
}

static void
in_pause(void *arg)
{
	sigset_t usr1;

	(void)arg;
	install_usr1_handler();
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	FX_OK(sigprocmask(SIG_UNBLOCK, &usr1, NULL));
	woken->ret = pause();
	woken->err = errno;
}

FX_CASE(pause__returns_eintr_after_handler, "posix", "pause blocks until a caught signal arrives and returns -1 EINTR after its handler",
    "POSIX.1-2017 XSH pause")
{
	struct fx_child *c;

	woken = fx_shared(sizeof *woken);
	block_signal(SIGUSR1);
	c = fx_spawn(in_pause, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "pause", FX_DEADLINE);
	FX_OK(kill(fx_child_pid(c), SIGUSR1));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(woken->handled, 1);
	FX_REQUIRE_CHILD_RET(woken->ret, woken->err, -1);
	FX_REQUIRE(woken->err == EINTR, "pause failed with %s, expected EINTR",
	    fx_errno_name(woken->err));
}
