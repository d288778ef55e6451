/*
 * kill(2): sending a signal to another process, probing a process with
 * signal 0, and the permission and argument checks.
 */
#include "fx.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Blocks sig in the calling process (before a fork, so the child inherits it). */
static void
block_signal(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
}

/* Takes a pending sig without waiting: its number, or -1 with EAGAIN. */
static int
take_pending(int sig, siginfo_t *si)
{
	static const struct timespec zero;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigtimedwait(&set, si, &zero);
}

static bool
is_pending(int sig)
{
	sigset_t set;

	FX_OK(sigpending(&set));
	return sigismember(&set, sig) == 1;
}

struct caught {
	volatile int handled;   /* times the handler ran */
	volatile int signo;     /* the signal it was given */
	int ret, err;           /* what sigsuspend returned */
	siginfo_t si;           /* what sigwaitinfo returned */
};

static struct caught *caught;

static void
on_signal(int sig)
{
	caught->signo = sig;
	caught->handled++;
}

/* Catches SIGUSR1 (blocked by the parent before the fork) in sigsuspend. */
static void
catch_in_sigsuspend(void *arg)
{
	struct sigaction sa;
	sigset_t during;

	(void)arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	FX_OK(sigprocmask(SIG_BLOCK, NULL, &during));
	sigdelset(&during, SIGUSR1);
	caught->ret = sigsuspend(&during);
	caught->err = errno;
}

FX_CASE(kill__runs_handler_in_receiver, "posix", "kill(2) to another process runs that process's signal handler",
    "POSIX.1-2017 XSH kill; XSH 2.4.3 Signal Actions: pointer to a function")
{
	struct fx_child *c;

	caught = fx_shared(sizeof *caught);
	block_signal(SIGUSR1);
	c = fx_spawn(catch_in_sigsuspend, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "sigsuspend", FX_DEADLINE);
	FX_REQUIRE_EQ(caught->handled, 0);
	FX_OK(kill(fx_child_pid(c), SIGUSR1));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(caught->handled, 1);
	FX_REQUIRE_EQ(caught->signo, SIGUSR1);
	FX_REQUIRE_CHILD_ERRNO(caught->ret, caught->err, EINTR);
}

/* Waits for SIGUSR1 (blocked by the parent before the fork) with sigwaitinfo. */
static void
wait_for_usr1(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	caught->ret = sigwaitinfo(&set, &caught->si);
	caught->err = errno;
}

FX_CASE(kill__siginfo_names_sender, "posix", "A signal sent by kill(2) carries si_code SI_USER and the sender's pid and real uid",
    "POSIX.1-2017 XSH 2.4.3 Signal Actions: SI_USER; XBD <signal.h> siginfo_t")
{
	struct fx_child *c;

	caught = fx_shared(sizeof *caught);
	block_signal(SIGUSR1);
	c = fx_spawn(wait_for_usr1, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "sigwaitinfo", FX_DEADLINE);
	FX_OK(kill(fx_child_pid(c), SIGUSR1));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(caught->ret, caught->err, SIGUSR1);
	FX_REQUIRE_EQ(caught->si.si_signo, SIGUSR1);
	FX_REQUIRE_EQ(caught->si.si_code, SI_USER);
	FX_REQUIRE_EQ(caught->si.si_pid, getpid());
	FX_REQUIRE_EQ(caught->si.si_uid, getuid());
}

static void
wait_in_pause(void *arg)
{
	(void)arg;
	pause();
}

FX_CASE(kill__signal_zero_probes_existence, "posix", "kill(pid, 0) sends nothing, succeeds for a live process and fails with ESRCH once it is gone",
    "POSIX.1-2017 XSH kill: sig 0 (null signal); ERRORS [ESRCH]")
{
	struct fx_child *c;
	pid_t pid;

	c = fx_spawn(wait_in_pause, NULL);
	pid = fx_child_pid(c);
	fx_wait_blocked_in(pid, "pause", FX_DEADLINE);
	FX_REQUIRE_EQ(kill(pid, 0), 0);
	/* The null signal did not end the pause: the child is still blocked. */
	fx_wait_blocked_in(pid, "pause", FX_DEADLINE);
	fx_child_kill(c);
	FX_REQUIRE_ERRNO(ESRCH, kill(pid, 0));
}

static void
signal_parent(void *arg)
{
	int *result = arg;

	errno = 0;
	result[0] = kill(getppid(), 0);
	result[1] = errno;
	result[2] = kill(getppid(), SIGUSR1);
	result[3] = errno;
}

FX_CASE(kill__eperm_to_other_users_process, "posix", "kill(2) from an unprivileged user to another user's process fails with EPERM and sends nothing",
    "POSIX.1-2017 XSH kill: ERRORS [EPERM]")
{
	int *result = fx_shared(4 * sizeof(int));
	struct fx_child *c;

	block_signal(SIGUSR1);
	c = fx_spawn_as_other_user(signal_parent, result);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE(result[0] == -1 && result[1] == EPERM,
	    "kill(root's pid, 0) as uid %d: got %d (%s), expected -1 EPERM",
	    (int)fx_other_uid(), result[0], fx_errno_name(result[1]));
	FX_REQUIRE(result[2] == -1 && result[3] == EPERM,
	    "kill(root's pid, SIGUSR1) as uid %d: got %d (%s), expected -1 EPERM",
	    (int)fx_other_uid(), result[2], fx_errno_name(result[3]));
	FX_REQUIRE(!is_pending(SIGUSR1), "SIGUSR1 is pending although kill() failed");
}

static void
kill_init_unprivileged(void *arg)
{
	struct stat st;

	(void)arg;
	FX_OK(stat("/proc/1", &st));
	if (st.st_uid == getuid() || st.st_uid == geteuid())
		fx_skip("process 1 belongs to this user (uid %d): no other user's "
		    "process to probe", (int)st.st_uid);
	FX_REQUIRE_ERRNO(EPERM, kill(1, 0));
}
FX_CASE(kill__eperm_unprivileged_to_root, "posix", "kill(1, 0) from an unprivileged user fails with EPERM when init belongs to another user",
    "POSIX.1-2017 XSH kill: ERRORS [EPERM]")
{
	/* Root may signal any process: as root, the check runs as the other user. */
	fx_run_unprivileged(kill_init_unprivileged, NULL);
}

FX_CASE(kill__einval_invalid_signal, "posix", "kill(2) with a signal number that is not valid fails with EINVAL",
    "POSIX.1-2017 XSH kill: ERRORS [EINVAL]")
{
	const int bad[] = { -1, SIGRTMAX + 1, 1000, 0x7fffffff };
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		FX_CHECK_ERRNO_MSG(EINVAL, kill(getpid(), bad[i]),
		    "kill(getpid(), %d)", bad[i]);
	}
}

FX_CASE(kill__negative_pid_signals_process_group, "posix", "kill(-pgid, sig) delivers to every process of the group and to no other",
    "POSIX.1-2017 XSH kill: pid is negative, but not -1")
{
	struct caught *both;
	struct fx_child *c[2];
	pid_t pgid;
	int i;

	both = fx_shared(2 * sizeof *both);
	block_signal(SIGUSR1);
	for (i = 0; i < 2; i++) {
		caught = &both[i];
		c[i] = fx_spawn(wait_for_usr1, NULL);
	}
	pgid = fx_child_pid(c[0]);
	FX_OK(setpgid(pgid, pgid));
	FX_OK(setpgid(fx_child_pid(c[1]), pgid));
	for (i = 0; i < 2; i++)
		fx_wait_blocked_in(fx_child_pid(c[i]), "sigwaitinfo", FX_DEADLINE);
	FX_OK(kill(-pgid, SIGUSR1));
	for (i = 0; i < 2; i++) {
		fx_child_join(c[i], FX_DEADLINE);
		FX_REQUIRE_CHILD_RET(both[i].ret, both[i].err, SIGUSR1);
		FX_REQUIRE_EQ(both[i].si.si_pid, getpid());
	}
	FX_REQUIRE(!is_pending(SIGUSR1), "the sender, outside the group, got SIGUSR1 too");
}

static void
send_usr1_three_times(void *arg)
{
	(void)arg;
	FX_OK(kill(getppid(), SIGUSR1));
	FX_OK(kill(getppid(), SIGUSR1));
	FX_OK(kill(getppid(), SIGUSR1));
}

FX_CASE(kill__standard_signal_not_queued, "posix", "A standard signal sent three times while blocked is pending once and taken once",
    "POSIX.1-2017 XSH 2.4.1 Signal Generation and Delivery: a pending signal generated again (not queued)")
{
	siginfo_t si;

	block_signal(SIGUSR1);
	fx_child_join(fx_spawn(send_usr1_three_times, NULL), FX_DEADLINE);
	FX_REQUIRE(is_pending(SIGUSR1), "SIGUSR1 is not pending after three kill() calls");
	FX_REQUIRE_EQ(take_pending(SIGUSR1, &si), SIGUSR1);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, take_pending(SIGUSR1, &si));
}
