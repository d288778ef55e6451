/*
 * sigprocmask(2) and sigpending(2): a blocked signal another process sends
 * stays pending until it is unblocked; what a mask cannot hold; what fork
 * passes on.
 */
#include "fx.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t delivered;

static void
count_delivery(int sig)
{
	(void)sig;
	delivered++;
}

static bool
is_member(const sigset_t *set, int sig)
{
	return sigismember(set, sig) == 1;
}

static void
send_usr1_to_parent(void *arg)
{
	(void)arg;
	FX_OK(kill(getppid(), SIGUSR1));
}

FX_CASE(sigprocmask__blocked_signal_stays_pending, "posix", "A blocked signal from another process stays pending (sigpending) and is delivered once, before sigprocmask returns, when unblocked",
    "POSIX.1-2017 XSH sigprocmask: delivered before the call returns; XSH sigpending")
{
	struct sigaction sa;
	sigset_t usr1, pending;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = count_delivery;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	FX_OK(sigprocmask(SIG_BLOCK, &usr1, NULL));
	fx_child_join(fx_spawn(send_usr1_to_parent, NULL), FX_DEADLINE);
	FX_OK(sigpending(&pending));
	FX_REQUIRE(is_member(&pending, SIGUSR1), "SIGUSR1 sent while blocked is not pending");
	FX_REQUIRE_EQ(delivered, 0);
	FX_OK(sigprocmask(SIG_UNBLOCK, &usr1, NULL));
	FX_REQUIRE_EQ(delivered, 1);
	FX_OK(sigpending(&pending));
	FX_REQUIRE(!is_member(&pending, SIGUSR1), "SIGUSR1 still pending after delivery");
}

FX_CASE(sigprocmask__cannot_block_sigkill_sigstop, "posix", "Blocking every signal succeeds but leaves SIGKILL and SIGSTOP out of the mask",
    "POSIX.1-2017 XSH sigprocmask: not possible to block signals which cannot be ignored")
{
	sigset_t all, old, now;

	sigfillset(&all);
	FX_REQUIRE_EQ(sigprocmask(SIG_BLOCK, &all, &old), 0);
	FX_OK(sigprocmask(SIG_BLOCK, NULL, &now));
	FX_OK(sigprocmask(SIG_SETMASK, &old, NULL));
	FX_REQUIRE(!is_member(&now, SIGKILL), "SIGKILL is in the signal mask");
	FX_REQUIRE(!is_member(&now, SIGSTOP), "SIGSTOP is in the signal mask");
	FX_REQUIRE(is_member(&now, SIGUSR1), "SIGUSR1 is not in the mask after blocking all");
	FX_REQUIRE(is_member(&now, SIGRTMIN), "SIGRTMIN is not in the mask after blocking all");
}

FX_CASE(sigprocmask__einval_bad_how, "posix", "sigprocmask(2) with a `how` that is not SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK fails with EINVAL and keeps the mask",
    "POSIX.1-2017 XSH sigprocmask: ERRORS [EINVAL]")
{
	sigset_t usr1, now;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	FX_OK(sigprocmask(SIG_UNBLOCK, &usr1, NULL));
	FX_REQUIRE_ERRNO(EINVAL, sigprocmask(SIG_BLOCK + SIG_UNBLOCK + SIG_SETMASK + 1, &usr1, NULL));
	FX_OK(sigprocmask(SIG_BLOCK, NULL, &now));
	FX_REQUIRE(!is_member(&now, SIGUSR1), "SIGUSR1 became blocked by a failed call");
}

struct inherited {
	int blocked;   /* SIGUSR1 in the child's mask */
	int pending;   /* SIGUSR1 in the child's pending set */
};

static void
look_at_mask(void *arg)
{
	struct inherited *in = arg;
	sigset_t set;

	FX_OK(sigprocmask(SIG_BLOCK, NULL, &set));
	in->blocked = sigismember(&set, SIGUSR1);
	FX_OK(sigpending(&set));
	in->pending = sigismember(&set, SIGUSR1);
}

FX_CASE(sigprocmask__fork_keeps_mask_clears_pending, "posix", "A child of fork(2) inherits the signal mask but not the parent's pending signals",
    "POSIX.1-2017 XSH fork: signal mask inherited, pending set empty")
{
	struct inherited *in = fx_shared(sizeof *in);
	sigset_t usr1, pending;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	FX_OK(sigprocmask(SIG_BLOCK, &usr1, NULL));
	FX_OK(kill(getpid(), SIGUSR1));
	FX_OK(sigpending(&pending));
	FX_REQUIRE(is_member(&pending, SIGUSR1), "SIGUSR1 is not pending in the parent");
	fx_child_join(fx_spawn(look_at_mask, in), FX_DEADLINE);
	FX_REQUIRE_EQ(in->blocked, 1);
	FX_REQUIRE_EQ(in->pending, 0);
}
