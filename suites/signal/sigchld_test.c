/*
 * SIGCHLD: the signal a parent receives when a child exits, is killed,
 * stops or continues, with what happened in its siginfo.
 */
#include "fx.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
block_sigchld(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
}

/* Waits (with the suite's deadline) for the next SIGCHLD; fails the case at the deadline. */
static void
take_sigchld(siginfo_t *si)
{
	fx_wait_signal(SIGCHLD, si, FX_DEADLINE);
}

static void
exit_with_7(void *arg)
{
	(void)arg;
	_exit(7);
}

FX_CASE(sigchld__reports_child_exit, "posix", "A child's _exit(7) sends its parent SIGCHLD with si_code CLD_EXITED, si_status 7 and the child's pid",
    "POSIX.1-2017 XBD <signal.h>: CLD_EXITED; XSH _exit: SIGCHLD sent to the parent")
{
	struct fx_child *c;
	siginfo_t si;

	block_sigchld();
	c = fx_spawn(exit_with_7, NULL);
	take_sigchld(&si);
	FX_REQUIRE_EQ(si.si_code, CLD_EXITED);
	FX_REQUIRE_EQ(si.si_status, 7);
	FX_REQUIRE_EQ(si.si_pid, fx_child_pid(c));
	FX_REQUIRE_EQ(WEXITSTATUS(fx_child_wait(c, FX_DEADLINE)), 7);
}

static void
wait_in_pause(void *arg)
{
	(void)arg;
	pause();
}

FX_CASE(sigchld__reports_child_killed, "posix", "A child killed by SIGTERM sends its parent SIGCHLD with si_code CLD_KILLED and si_status SIGTERM",
    "POSIX.1-2017 XBD <signal.h>: CLD_KILLED")
{
	struct fx_child *c;
	siginfo_t si;
	int status;

	block_sigchld();
	c = fx_spawn(wait_in_pause, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "pause", FX_DEADLINE);
	FX_OK(kill(fx_child_pid(c), SIGTERM));
	take_sigchld(&si);
	FX_REQUIRE_EQ(si.si_code, CLD_KILLED);
	FX_REQUIRE_EQ(si.si_status, SIGTERM);
	FX_REQUIRE_EQ(si.si_pid, fx_child_pid(c));
	status = fx_child_wait(c, FX_DEADLINE);
	FX_REQUIRE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	    "the child was expected to die of SIGTERM (status 0x%x)", status);
}

FX_CASE(sigchld__reports_stop_and_continue, "xsi", "A child stopped by SIGSTOP, then continued by SIGCONT, sends SIGCHLD with CLD_STOPPED, then CLD_CONTINUED",
    "POSIX.1-2017 XBD <signal.h>: CLD_STOPPED, CLD_CONTINUED; XSH sigaction: SA_NOCLDSTOP")
{
	struct fx_child *c;
	siginfo_t si;

	block_sigchld();
	c = fx_spawn(wait_in_pause, NULL);
	fx_wait_blocked_in(fx_child_pid(c), "pause", FX_DEADLINE);
	FX_OK(kill(fx_child_pid(c), SIGSTOP));
	take_sigchld(&si);
	FX_REQUIRE_EQ(si.si_code, CLD_STOPPED);
	FX_REQUIRE_EQ(si.si_status, SIGSTOP);
	FX_REQUIRE_EQ(si.si_pid, fx_child_pid(c));
	FX_OK(kill(fx_child_pid(c), SIGCONT));
	take_sigchld(&si);
	FX_REQUIRE_EQ(si.si_code, CLD_CONTINUED);
	FX_REQUIRE_EQ(si.si_status, SIGCONT);
	/* Continued, the child is back asleep in pause(). */
	fx_wait_blocked_in(fx_child_pid(c), "pause", FX_DEADLINE);
	fx_child_kill(c);
}

static void
ignore_call(int sig)
{
	(void)sig;
}

/* True once the child (pid in arg) is stopped, leaving its state for waitpid. */
static bool
child_stopped(void *arg)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	FX_OK(waitid(P_PID, (id_t)*(pid_t *)arg, &si, WSTOPPED | WNOWAIT | WNOHANG));
	return si.si_pid != 0 && si.si_code == CLD_STOPPED;
}

FX_CASE(sigchld__sa_nocldstop_silences_stop, "posix", "With SA_NOCLDSTOP a child's stop sends no SIGCHLD, while its exit still does",
    "POSIX.1-2017 XSH sigaction: SA_NOCLDSTOP")
{
	struct sigaction sa;
	struct fx_child *c;
	sigset_t pending;
	siginfo_t si;
	pid_t pid;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ignore_call;
	sa.sa_flags = SA_NOCLDSTOP;
	FX_OK(sigaction(SIGCHLD, &sa, NULL));
	block_sigchld();
	c = fx_spawn(wait_in_pause, NULL);
	pid = fx_child_pid(c);
	fx_wait_blocked_in(pid, "pause", FX_DEADLINE);
	FX_OK(kill(pid, SIGSTOP));
	fx_wait_until(child_stopped, &pid, FX_DEADLINE, "the child to stop");
	FX_OK(sigpending(&pending));
	FX_REQUIRE(sigismember(&pending, SIGCHLD) == 0, "SIGCHLD pending after a stop "
	    "despite SA_NOCLDSTOP");
	fx_child_kill(c);
	/* Had the stop sent one, the pending SIGCHLD would still say CLD_STOPPED. */
	take_sigchld(&si);
	FX_REQUIRE_EQ(si.si_code, CLD_KILLED);
}
