/*
 * sigqueue(3): real-time signals that carry a value, queue every instance
 * and are bounded by RLIMIT_SIGPENDING.
 */
#include "fx.h"

#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
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

/* Takes one of the pending signals of set without waiting, or -1 with EAGAIN. */
static int
take_pending_of(const sigset_t *set, siginfo_t *si)
{
	static const struct timespec zero;

	return sigtimedwait(set, si, &zero);
}

static int
take_pending(int sig, siginfo_t *si)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return take_pending_of(&set, si);
}

struct waited {
	int ret, err;
	siginfo_t si;
};

static void
wait_for_rtmin(void *arg)
{
	struct waited *w = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	w->ret = sigwaitinfo(&set, &w->si);
	w->err = errno;
}

FX_CASE(sigqueue__carries_value_and_sender, "posix", "sigqueue(3) delivers its value with si_code SI_QUEUE and the sender's pid and real uid",
    "POSIX.1-2017 XSH sigqueue; XSH 2.4.2 Realtime Signal Generation and Delivery")
{
	struct waited *w = fx_shared(sizeof *w);
	union sigval v = { .sival_int = 0x5eed };
	struct fx_child *c;

	block_signal(SIGRTMIN);
	c = fx_spawn(wait_for_rtmin, w);
	fx_wait_blocked_in(fx_child_pid(c), "sigwaitinfo", FX_DEADLINE);
	FX_OK(sigqueue(fx_child_pid(c), SIGRTMIN, v));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, SIGRTMIN);
	FX_REQUIRE_EQ(w->si.si_signo, SIGRTMIN);
	FX_REQUIRE_EQ(w->si.si_code, SI_QUEUE);
	FX_REQUIRE_EQ(w->si.si_value.sival_int, 0x5eed);
	FX_REQUIRE_EQ(w->si.si_pid, getpid());
	FX_REQUIRE_EQ(w->si.si_uid, getuid());
}

static void
queue_five_to_parent(void *arg)
{
	int i;

	(void)arg;
	for (i = 1; i <= 5; i++)
		FX_OK(sigqueue(getppid(), SIGRTMIN, (union sigval){ .sival_int = i }));
}

FX_CASE(sigqueue__rt_signal_queues_every_instance, "posix", "A real-time signal queued five times while blocked is taken five times, values in sending order",
    "POSIX.1-2017 XSH 2.4.2 Realtime Signal Generation and Delivery: queued, FIFO order")
{
	struct fx_child *c;
	siginfo_t si;
	int i;

	block_signal(SIGRTMIN);
	c = fx_spawn(queue_five_to_parent, NULL);
	fx_child_join(c, FX_DEADLINE);
	for (i = 1; i <= 5; i++) {
		FX_REQUIRE_EQ(take_pending(SIGRTMIN, &si), SIGRTMIN);
		FX_REQUIRE_EQ(si.si_value.sival_int, i);
		FX_REQUIRE_EQ(si.si_pid, fx_child_pid(c));
	}
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, take_pending(SIGRTMIN, &si));
}

static void
queue_high_to_low(void *arg)
{
	int i;

	(void)arg;
	for (i = 2; i >= 0; i--)
		FX_OK(sigqueue(getppid(), SIGRTMIN + i, (union sigval){ .sival_int = i }));
}

FX_CASE(sigqueue__lowest_rt_signal_first, "posix", "Pending real-time signals are taken lowest number first, whatever the sending order",
    "POSIX.1-2017 XSH 2.4.2 Realtime Signal Generation and Delivery: lowest numbered first")
{
	sigset_t set;
	siginfo_t si;
	int i;

	sigemptyset(&set);
	for (i = 0; i <= 2; i++)
		sigaddset(&set, SIGRTMIN + i);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	fx_child_join(fx_spawn(queue_high_to_low, NULL), FX_DEADLINE);
	for (i = 0; i <= 2; i++) {
		FX_REQUIRE_EQ(take_pending_of(&set, &si), SIGRTMIN + i);
		FX_REQUIRE_EQ(si.si_value.sival_int, i);
	}
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, take_pending_of(&set, &si));
}

static void exit_at_once(void *arg);

/* Queues sig with value v to this process (which has sig blocked). */
static void
queue_self(int sig, int v)
{
	FX_OK(sigqueue(getpid(), sig, (union sigval){ .sival_int = v }));
}

FX_CASE(sigqueue__rt_by_number_then_sending_order, "posix", "Pending real-time signals are taken lowest number first and, within one number, in the order they were sent, whatever the interleaving",
    "POSIX.1-2017 XSH 2.4.2 Realtime Signal Generation and Delivery: lowest numbered first; same number in the order generated")
{
	static const struct { int off, v; } want[] = { { 0, 2 }, { 0, 4 }, { 1, 1 }, { 1, 3 } };
	sigset_t set;
	siginfo_t si;
	size_t i;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 1);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	/* The higher number is sent first, and the two numbers interleave. */
	queue_self(SIGRTMIN + 1, 1);
	queue_self(SIGRTMIN, 2);
	queue_self(SIGRTMIN + 1, 3);
	queue_self(SIGRTMIN, 4);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		FX_REQUIRE_EQ(take_pending_of(&set, &si), SIGRTMIN + want[i].off);
		FX_REQUIRE_EQ(si.si_value.sival_int, want[i].v);
	}
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, take_pending_of(&set, &si));
}

FX_CASE(sigqueue__standard_before_realtime, "linux", "When a standard and a real-time signal are both pending, the standard one is taken first, though it was sent last",
    "signal(7) Real-time signals: Linux gives priority to standard signals when both are pending")
{
	sigset_t set;
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGUSR1);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	queue_self(SIGRTMIN, 1);
	queue_self(SIGUSR1, 2);
	FX_REQUIRE_EQ(take_pending_of(&set, &si), SIGUSR1);
	FX_REQUIRE_EQ(si.si_value.sival_int, 2);
	FX_REQUIRE_EQ(take_pending_of(&set, &si), SIGRTMIN);
	FX_REQUIRE_EQ(si.si_value.sival_int, 1);
}

FX_CASE(sigqueue__standard_signal_keeps_first_siginfo, "linux", "A standard signal sent twice while blocked is pending once, with the first instance's siginfo (its value); the second is discarded",
    "signal(7) Queueing and delivery semantics for standard signals: only one instance is queued")
{
	siginfo_t si;

	block_signal(SIGUSR2);
	queue_self(SIGUSR2, 1);
	queue_self(SIGUSR2, 2);
	FX_REQUIRE_EQ(take_pending(SIGUSR2, &si), SIGUSR2);
	FX_REQUIRE_EQ(si.si_code, SI_QUEUE);
	FX_REQUIRE_EQ(si.si_value.sival_int, 1);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, take_pending(SIGUSR2, &si));
}

FX_CASE(sigqueue__signal_zero_checks_existence, "posix", "sigqueue(3) with signal 0 succeeds for a live process and queues nothing; for a process that is gone it fails with ESRCH",
    "POSIX.1-2017 XSH sigqueue: signo zero, error checking performed but no signal sent")
{
	struct fx_child *c = fx_spawn(exit_at_once, NULL);
	sigset_t pending;
	pid_t gone;
	int i;

	FX_REQUIRE_EQ(sigqueue(getpid(), 0, (union sigval){ .sival_int = 7 }), 0);
	FX_OK(sigpending(&pending));
	for (i = 1; i < NSIG; i++)
		FX_REQUIRE(sigismember(&pending, i) != 1, "signal %s pending after sigqueue(0)",
		    fx_signal_name(i));
	gone = fx_child_pid(c);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_ERRNO(ESRCH, sigqueue(gone, 0, (union sigval){ .sival_int = 7 }));
}

struct limited {
	int queued;       /* sigqueue calls that succeeded before the first failure */
	int fail_err;     /* errno of that failure */
	int after_take;   /* sigqueue after taking one: 0 expected */
};

#define SIGPENDING_LIMIT 3

/*
 * Pending signals are counted per user and user namespace: in a fresh user
 * namespace only this child's signals count, so the limit is exact.
 */
static void
queue_until_limit(void *arg)
{
	struct limited *l = arg;
	struct rlimit rl = { SIGPENDING_LIMIT, SIGPENDING_LIMIT };
	union sigval v = { .sival_int = 1 };
	siginfo_t si;
	int i;

	/* A user namespace of its own counts pending signals from zero. */
	FX_SETUP(unshare(CLONE_NEWUSER));
	FX_SETUP(setrlimit(RLIMIT_SIGPENDING, &rl));
	for (i = 0; i < SIGPENDING_LIMIT + 2; i++) {
		if (sigqueue(getpid(), SIGRTMIN, v) == -1) {
			l->fail_err = errno;
			break;
		}
		l->queued++;
	}
	FX_REQUIRE_EQ(take_pending(SIGRTMIN, &si), SIGRTMIN);
	l->after_take = sigqueue(getpid(), SIGRTMIN, v);
}

FX_CASE(sigqueue__eagain_at_rlimit_sigpending, "posix", "sigqueue(3) fails with EAGAIN once RLIMIT_SIGPENDING signals are queued, and works again after one is taken",
    "POSIX.1-2017 XSH sigqueue: ERRORS [EAGAIN]; getrlimit(2): RLIMIT_SIGPENDING")
{
	struct limited *l = fx_shared(sizeof *l);

	block_signal(SIGRTMIN);
	fx_child_join(fx_spawn(queue_until_limit, l), FX_DEADLINE);
	FX_REQUIRE_EQ(l->queued, SIGPENDING_LIMIT);
	FX_REQUIRE(l->fail_err == EAGAIN, "sigqueue beyond RLIMIT_SIGPENDING=%d failed with %s, "
	    "expected EAGAIN", SIGPENDING_LIMIT, fx_errno_name(l->fail_err));
	FX_REQUIRE_EQ(l->after_take, 0);
}

static void
exit_at_once(void *arg)
{
	(void)arg;
}

FX_CASE(sigqueue__errors, "posix", "sigqueue(3) fails with EINVAL for an invalid signal and ESRCH for a process that is gone",
    "POSIX.1-2017 XSH sigqueue: ERRORS [EINVAL] [ESRCH]")
{
	struct fx_child *c = fx_spawn(exit_at_once, NULL);
	union sigval v = { .sival_int = 0 };
	pid_t gone = fx_child_pid(c);

	fx_child_join(c, FX_DEADLINE);
	FX_CHECK_ERRNO_MSG(EINVAL, sigqueue(getpid(), SIGRTMAX + 1, v),
	    "sigqueue(getpid(), SIGRTMAX + 1)");
	FX_CHECK_ERRNO_MSG(EINVAL, sigqueue(getpid(), -1, v),
	    "sigqueue(getpid(), -1)");
	FX_CHECK_ERRNO_MSG(ESRCH, sigqueue(gone, SIGRTMIN, v),
	    "sigqueue(%d (reaped), SIGRTMIN)", (int)gone);
	FX_CHECK_ERRNO_MSG(ESRCH, sigqueue(gone, 0, v),
	    "sigqueue(%d (reaped), 0)", (int)gone);
}
