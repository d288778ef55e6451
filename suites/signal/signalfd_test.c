/*
 * signalfd(2): reading signals another process sends as data from a file
 * descriptor (X-class linux).
 */
#include "fx.h"

#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* Blocks sig (signalfd needs it blocked) and returns a signalfd for it. */
static int
signalfd_for(int sig, int flags)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	return FX_OK(signalfd(-1, &set, SFD_CLOEXEC | flags));
}

static void
send_usr1_to_parent(void *arg)
{
	(void)arg;
	FX_OK(kill(getppid(), SIGUSR1));
}

FX_CASE(signalfd__read_returns_siginfo, "linux", "read(2) on a signalfd returns the pending signal's signalfd_siginfo (signo, sender pid and uid, SI_USER) and consumes it",
    "signalfd(2): read(2), struct signalfd_siginfo")
{
	struct signalfd_siginfo ssi;
	struct fx_child *c;
	sigset_t pending;
	int fd;

	fd = signalfd_for(SIGUSR1, 0);
	c = fx_spawn(send_usr1_to_parent, NULL);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(read(fd, &ssi, sizeof ssi), sizeof ssi);
	FX_REQUIRE_EQ(ssi.ssi_signo, SIGUSR1);
	FX_REQUIRE_EQ(ssi.ssi_code, SI_USER);
	FX_REQUIRE_EQ(ssi.ssi_pid, fx_child_pid(c));
	FX_REQUIRE_EQ(ssi.ssi_uid, getuid());
	FX_OK(sigpending(&pending));
	FX_REQUIRE(sigismember(&pending, SIGUSR1) == 0, "SIGUSR1 still pending after the read");
}

struct got {
	ssize_t n;
	int err;
	struct signalfd_siginfo ssi;
};

/* SIGRTMIN is blocked since before the fork: read it from a signalfd. */
static void
read_signalfd(void *arg)
{
	struct got *g = arg;
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	fd = FX_OK(signalfd(-1, &set, SFD_CLOEXEC));
	g->n = read(fd, &g->ssi, sizeof g->ssi);
	g->err = errno;
}

FX_CASE(signalfd__read_blocks_until_signal, "linux", "read(2) on a signalfd blocks until a signal comes, then returns the sigqueue value and SI_QUEUE",
    "signalfd(2): read(2) blocks; ssi_int, ssi_code")
{
	struct got *g = fx_shared(sizeof *g);
	struct fx_child *c;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	c = fx_spawn(read_signalfd, g);
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_OK(sigqueue(fx_child_pid(c), SIGRTMIN, (union sigval){ .sival_int = 77 }));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(g->n, sizeof g->ssi);
	FX_REQUIRE_EQ(g->ssi.ssi_signo, SIGRTMIN);
	FX_REQUIRE_EQ(g->ssi.ssi_code, SI_QUEUE);
	FX_REQUIRE_EQ(g->ssi.ssi_int, 77);
	FX_REQUIRE_EQ(g->ssi.ssi_pid, getpid());
}

FX_CASE(signalfd__nonblock_read_eagain, "linux", "read(2) on an SFD_NONBLOCK signalfd with no pending signal fails with EAGAIN",
    "signalfd(2): SFD_NONBLOCK; read(2) EAGAIN")
{
	struct signalfd_siginfo ssi;
	int fd;

	fd = signalfd_for(SIGUSR2, SFD_NONBLOCK);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, read(fd, &ssi, sizeof ssi));
}

FX_CASE(signalfd__poll_reports_pending_signal, "linux", "poll(2) reports a signalfd readable exactly when one of its signals is pending",
    "signalfd(2): poll(2), select(2) (and similar)")
{
	struct pollfd pfd;

	pfd.fd = signalfd_for(SIGUSR1, 0);
	pfd.events = POLLIN;
	FX_REQUIRE_EQ(poll(&pfd, 1, 0), 0);
	fx_child_join(fx_spawn(send_usr1_to_parent, NULL), FX_DEADLINE);
	FX_REQUIRE_EQ(poll(&pfd, 1, 0), 1);
	FX_REQUIRE_EQ(pfd.revents, POLLIN);
}

FX_CASE(signalfd__einval_short_buffer, "linux", "read(2) on a signalfd into a buffer smaller than struct signalfd_siginfo fails with EINVAL",
    "signalfd(2): read(2) EINVAL")
{
	struct signalfd_siginfo ssi;
	int fd;

	fd = signalfd_for(SIGUSR1, 0);
	FX_OK(kill(getpid(), SIGUSR1));
	FX_REQUIRE_ERRNO(EINVAL, read(fd, &ssi, sizeof ssi - 1));
	/* The signal is still there for a read with room for it. */
	FX_REQUIRE_EQ(read(fd, &ssi, sizeof ssi), sizeof ssi);
	FX_REQUIRE_EQ(ssi.ssi_signo, SIGUSR1);
}

FX_CASE(signalfd__reports_only_its_mask, "linux", "A signalfd reports only the signals of its mask; another pending signal stays pending",
    "signalfd(2): mask specifies the set of signals")
{
	struct signalfd_siginfo ssi;
	sigset_t usr2, pending;
	int fd;

	fd = signalfd_for(SIGUSR1, SFD_NONBLOCK);
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	FX_OK(sigprocmask(SIG_BLOCK, &usr2, NULL));
	FX_OK(kill(getpid(), SIGUSR2));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, read(fd, &ssi, sizeof ssi));
	FX_OK(sigpending(&pending));
	FX_REQUIRE(sigismember(&pending, SIGUSR2) == 1, "SIGUSR2 is no longer pending");
}

struct inherited {
	ssize_t n;
	uint32_t signo, pid;
};

static int inherited_fd;

/* Reads from the signalfd inherited from the parent. */
static void
read_inherited(void *arg)
{
	struct inherited *in = arg;
	struct signalfd_siginfo ssi;

	in->n = read(inherited_fd, &ssi, sizeof ssi);
	in->signo = ssi.ssi_signo;
	in->pid = ssi.ssi_pid;
}

FX_CASE(signalfd__fork_child_reads_own_signals, "linux", "A signalfd inherited across fork(2) returns the signals sent to the child that reads it, not the parent's",
    "signalfd(2): fork(2) semantics")
{
	struct inherited *in = fx_shared(sizeof *in);
	struct fx_child *c;
	sigset_t pending;

	inherited_fd = signalfd_for(SIGUSR1, 0);
	c = fx_spawn(read_inherited, in);
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_OK(kill(fx_child_pid(c), SIGUSR1));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(in->n, sizeof(struct signalfd_siginfo));
	FX_REQUIRE_EQ(in->signo, SIGUSR1);
	FX_REQUIRE_EQ(in->pid, getpid());
	FX_OK(sigpending(&pending));
	FX_REQUIRE(sigismember(&pending, SIGUSR1) == 0, "the parent has SIGUSR1 pending");
}
