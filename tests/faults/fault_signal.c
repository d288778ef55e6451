/*
 * Faults of signals: sigaction(2) flags, sigprocmask(2) argument checks,
 * sigsuspend(2) masks,
 * sigqueue(3) values, sigtimedwait(2) timeouts and kill(2) probes; and of
 * IPC namespaces: unshare(2) and setns(2).
 */
#include "fault.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

int
sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	FAULT_REAL(sigaction);

	if (act != NULL && (act->sa_flags & SA_RESTART) && fault_is("sigaction_sa_restart_ignored")) {
		struct sigaction a = *act;

		fault_fired();
		a.sa_flags &= ~SA_RESTART;
		return real_sigaction(sig, &a, old);
	}
	if (act != NULL && sig == SIGCHLD && (act->sa_flags & SA_NOCLDSTOP) &&
	    fault_is("sigaction_sa_nocldstop_ignored")) {
		struct sigaction a = *act;

		fault_fired();
		a.sa_flags &= ~SA_NOCLDSTOP;
		return real_sigaction(sig, &a, old);
	}
	if (act != NULL && (act->sa_flags & SA_RESETHAND) &&
	    fault_is("sigaction_sa_resethand_ignored")) {
		struct sigaction a = *act;

		fault_fired();
		a.sa_flags &= ~SA_RESETHAND;
		return real_sigaction(sig, &a, old);
	}
	return real_sigaction(sig, act, old);
}

int
sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	FAULT_REAL(sigprocmask);

	if (set != NULL && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK &&
	    fault_is("sigprocmask_bad_how_accepted")) {
		fault_fired();
		return real_sigprocmask(SIG_BLOCK, NULL, old);
	}
	return real_sigprocmask(how, set, old);
}

int
sigpending(sigset_t *set)
{
	FAULT_REAL(sigpending);
	int r = real_sigpending(set);

	if (r == 0 && fault_is("sigpending_always_empty") && !sigisemptyset(set)) {
		/* Pending signals not tracked where the caller can see them. */
		fault_fired();
		sigemptyset(set);
	}
	return r;
}

int
sigsuspend(const sigset_t *mask)
{
	FAULT_REAL(sigsuspend);
	FAULT_REAL(sigprocmask);

	if (fault_is("sigsuspend_mask_not_restored")) {
		/* The temporary mask stays installed after the handler returns. */
		fault_fired();
		real_sigprocmask(SIG_SETMASK, mask, NULL);
	}
	return real_sigsuspend(mask);
}

int
sigqueue(pid_t pid, int sig, const union sigval value)
{
	FAULT_REAL(sigqueue);

	if (sig > 0 && sig < SIGRTMIN && pid == getpid() &&
	    fault_is("sigqueue_standard_replaces_pending")) {
		/* A standard signal already pending: the new instance replaces it. */
		static const struct timespec zero;
		sigset_t one, pending;

		sigemptyset(&one);
		sigaddset(&one, sig);
		if (sigpending(&pending) == 0 && sigismember(&pending, sig) == 1 &&
		    sigtimedwait(&one, NULL, &zero) == sig)
			fault_fired();
	}
	if (sig != 0 && fault_is("sigqueue_value_lost")) {
		/* Delivered as by kill(2): si_code SI_USER, no value. */
		fault_fired();
		return kill(pid, sig);
	}
	return real_sigqueue(pid, sig, value);
}

int
sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	FAULT_REAL(sigtimedwait);
	sigset_t pending, rt;
	int r, s;

	if (fault_is("sigtimedwait_realtime_first") && sigpending(&pending) == 0) {
		/* Real-time signals taken before standard ones when both are pending. */
		bool standard = false, realtime = false;

		sigemptyset(&rt);
		for (s = 1; s < NSIG; s++) {
			if (sigismember(set, s) != 1 || sigismember(&pending, s) != 1)
				continue;
			if (s >= SIGRTMIN) {
				realtime = true;
				sigaddset(&rt, s);
			} else {
				standard = true;
			}
		}
		if (standard && realtime) {
			fault_fired();
			return real_sigtimedwait(&rt, info, timeout);
		}
	}
	r = real_sigtimedwait(set, info, timeout);

	if (r == -1 && errno == EAGAIN && fault_is("sigtimedwait_timeout_etimedout")) {
		fault_fired();
		errno = ETIMEDOUT;
	}
	return r;
}

int
kill(pid_t pid, int sig)
{
	FAULT_REAL(kill);
	int r;

	if (pid < -1 && sig != 0 && fault_is("kill_group_reaches_leader_only")) {
		/* -pgid taken as the group leader's pid alone. */
		fault_fired();
		pid = -pid;
	}
	r = real_kill(pid, sig);

	if (r == -1 && errno == EINVAL && fault_is("kill_bad_signal_accepted")) {
		fault_fired();
		return 0;
	}
	return r;
}

int
unshare(int flags)
{
	FAULT_REAL(unshare);
	int r;

	if ((flags & CLONE_NEWIPC) && fault_is("unshare_ipc_ignored")) {
		/*
		 * Success reported, the namespace never made (a filter that fakes
		 * it). A user namespace asked for with it is not made either: the
		 * objects the test then creates on the host keep the host's view of
		 * their creator, for the self-test to find and remove.
		 */
		fault_fired();
		flags &= ~(CLONE_NEWIPC | CLONE_NEWUSER);
		return flags == 0 ? 0 : real_unshare(flags);
	}
	r = real_unshare(flags);
	if (r == 0 && (flags & CLONE_NEWIPC))
		fault_entered_private_ipcns();
	return r;
}

int
setns(int fd, int type)
{
	FAULT_REAL(setns);
	int r;

	if ((type == CLONE_NEWIPC || type == 0) && fault_is("setns_ipc_ignored")) {
		fault_fired();
		return 0;
	}
	r = real_setns(fd, type);
	if (r == 0)
		fault_entered_private_ipcns(); /* conservatively: stop logging objects */
	return r;
}
