/*
 * sigaction(2): what a receiver's disposition does to a signal another
 * process sends: handlers with and without SA_RESTART or SA_SIGINFO,
 * SIG_IGN, SA_RESETHAND, and the signals whose action cannot change.
 */
#include "fx.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static void
block_signal(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
}

static void
unblock_signal(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	FX_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
}

struct observed {
	volatile int handled;
	int fd;
	int flags;        /* sa_flags of the handler */
	ssize_t n;        /* what read returned */
	int err;
	char got[8];
	int code, value, sender;   /* from the SA_SIGINFO handler */
};

static struct observed *shared;

static void
on_usr1(int sig)
{
	(void)sig;
	shared->handled++;
}

/* Installs the handler (SIGUSR1 is blocked since before the fork), unblocks, reads. */
static void
read_with_handler(void *arg)
{
	struct sigaction sa;

	(void)arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = shared->flags;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	unblock_signal(SIGUSR1);
	shared->n = read(shared->fd, shared->got, sizeof shared->got);
	shared->err = errno;
}

static bool
handler_ran(void *arg)
{
	return ((struct observed *)arg)->handled > 0;
}

/* Starts a reader blocked in read(2) on an empty pipe, then interrupts it with SIGUSR1. */
static struct fx_child *
interrupt_reader(int flags, int p[2])
{
	struct fx_child *c;

	shared = fx_shared(sizeof *shared);
	FX_OK(pipe(p));
	shared->fd = p[0];
	shared->flags = flags;
	block_signal(SIGUSR1);
	c = fx_spawn(read_with_handler, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_OK(kill(fx_child_pid(c), SIGUSR1));
	fx_wait_until(handler_ran, shared, FX_DEADLINE, "the reader's SIGUSR1 handler to run");
	return c;
}

FX_CASE(sigaction__sa_restart_restarts_read, "posix", "A handler installed with SA_RESTART resumes a read(2) blocked on a pipe, which then returns the data",
    "POSIX.1-2017 XSH sigaction: SA_RESTART; signal(7): Interruption of system calls")
{
	struct fx_child *c;
	int p[2];

	c = interrupt_reader(SA_RESTART, p);
	/* After the handler the reader is asleep in read(2) again, not returned. */
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_REQUIRE_EQ(write(p[1], "abc", 3), 3);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(shared->handled, 1);
	FX_REQUIRE_EQ(shared->n, 3);
	FX_REQUIRE_MEMEQ(shared->got, "abc", 3);
}

FX_CASE(sigaction__without_sa_restart_read_fails_eintr, "posix", "A handler installed without SA_RESTART makes a read(2) blocked on a pipe fail with EINTR",
    "POSIX.1-2017 XSH read: ERRORS [EINTR]; XSH sigaction: SA_RESTART")
{
	struct fx_child *c;
	int p[2];

	c = interrupt_reader(0, p);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(shared->handled, 1);
	FX_REQUIRE_EQ(shared->n, -1);
	FX_REQUIRE(shared->err == EINTR, "read() failed with %s, expected EINTR",
	    fx_errno_name(shared->err));
}

static void
on_rtmin_info(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	shared->code = si->si_code;
	shared->value = si->si_value.sival_int;
	shared->sender = si->si_pid;
	shared->handled = sig;
}

static void
suspend_with_info_handler(void *arg)
{
	struct sigaction sa;
	sigset_t during;

	(void)arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_rtmin_info;
	sa.sa_flags = SA_SIGINFO;
	FX_OK(sigaction(SIGRTMIN, &sa, NULL));
	FX_OK(sigprocmask(SIG_BLOCK, NULL, &during));
	sigdelset(&during, SIGRTMIN);
	sigsuspend(&during);
}

FX_CASE(sigaction__sa_siginfo_handler_gets_value, "posix", "An SA_SIGINFO handler receives the sigqueue(3) value, SI_QUEUE and the sender's pid",
    "POSIX.1-2017 XSH sigaction: SA_SIGINFO; XSH sigqueue")
{
	struct fx_child *c;

	shared = fx_shared(sizeof *shared);
	block_signal(SIGRTMIN);
	c = fx_spawn(suspend_with_info_handler, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "sigsuspend", FX_DEADLINE);
	FX_OK(sigqueue(fx_child_pid(c), SIGRTMIN, (union sigval){ .sival_int = 31337 }));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(shared->handled, SIGRTMIN);
	FX_REQUIRE_EQ(shared->code, SI_QUEUE);
	FX_REQUIRE_EQ(shared->value, 31337);
	FX_REQUIRE_EQ(shared->sender, getpid());
}

/* Ignores SIGUSR1, then waits for SIGUSR2 (blocked since before the fork). */
static void
ignore_usr1_wait_usr2(void *arg)
{
	int *got = arg;
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	got[0] = sigwaitinfo(&set, NULL);
	FX_OK(sigpending(&set));
	got[1] = sigismember(&set, SIGUSR1);
}

FX_CASE(sigaction__sig_ign_discards_signal, "posix", "A signal whose action is SIG_IGN is discarded: the receiver neither dies nor keeps it pending",
    "POSIX.1-2017 XSH 2.4.3 Signal Actions: SIG_IGN")
{
	int *got = fx_shared(2 * sizeof(int));
	struct fx_child *c;

	block_signal(SIGUSR2);
	c = fx_spawn(ignore_usr1_wait_usr2, got);
	fx_wait_blocked_in(fx_child_pid(c), "sigwaitinfo", FX_DEADLINE);
	FX_OK(kill(fx_child_pid(c), SIGUSR1));
	FX_OK(kill(fx_child_pid(c), SIGUSR2));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(got[0], SIGUSR2);
	FX_REQUIRE_EQ(got[1], 0);
}

static volatile sig_atomic_t resethand_calls;

static void
count_call(int sig)
{
	(void)sig;
	resethand_calls++;
}

FX_CASE(sigaction__sa_resethand_restores_default, "posix", "A handler installed with SA_RESETHAND runs once and the action is SIG_DFL afterwards",
    "POSIX.1-2017 XSH sigaction: SA_RESETHAND")
{
	struct sigaction sa, now;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = count_call;
	sa.sa_flags = SA_RESETHAND;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	unblock_signal(SIGUSR1);
	FX_OK(kill(getpid(), SIGUSR1));
	/* An unblocked signal sent to oneself is delivered before kill() returns. */
	FX_REQUIRE_EQ(resethand_calls, 1);
	FX_OK(sigaction(SIGUSR1, NULL, &now));
	FX_REQUIRE(now.sa_handler == SIG_DFL, "SIGUSR1's action is %p after the first "
	    "delivery, expected SIG_DFL", (void *)now.sa_handler);
}

FX_CASE(sigaction__einval_for_kill_stop_and_invalid, "posix", "sigaction(2) fails with EINVAL to catch SIGKILL or SIGSTOP, or for an invalid signal number",
    "POSIX.1-2017 XSH sigaction: ERRORS [EINVAL]")
{
	const struct { int sig; void (*action)(int); const char *text; } rows[] = {
		{ SIGKILL, count_call, "handler" }, { SIGSTOP, count_call, "handler" },
		{ SIGKILL, SIG_IGN, "SIG_IGN" }, { SIGSTOP, SIG_IGN, "SIG_IGN" },
		{ 0, count_call, "handler" }, { SIGRTMAX + 1, count_call, "handler" },
	};
	struct sigaction sa;
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = rows[i].action;
		FX_CHECK_ERRNO_MSG(EINVAL, sigaction(rows[i].sig, &sa, NULL),
		    "sigaction(%s, %s)", fx_signal_name(rows[i].sig), rows[i].text);
	}
}
