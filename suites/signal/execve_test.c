/*
 * What execve(2) and fork(2) do to a process's signals: caught signals go
 * back to their default action across exec, ignored ones stay ignored, the
 * mask and the pending signals are kept; fork copies the dispositions.
 * The new image is cat waiting on its standard input, whose signal state the
 * parent reads in /proc/PID/status (SigCgt, SigIgn, SigBlk, SigPnd, ShdPnd).
 */
#include "fx.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
on_signal(int sig)
{
	(void)sig;
}

/* What the child sets up before it execs cat with the read end of p as stdin. */
struct exec_setup {
	int p[2];
	int caught, ignored, blocked;  /* signals (0: none) */
	bool raise_blocked;             /* make `blocked` pending too */
};

static void
set_up_and_exec_cat(void *arg)
{
	struct exec_setup *e = arg;
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof sa);
	if (e->caught != 0) {
		sa.sa_handler = on_signal;
		FX_OK(sigaction(e->caught, &sa, NULL));
	}
	if (e->ignored != 0) {
		sa.sa_handler = SIG_IGN;
		FX_OK(sigaction(e->ignored, &sa, NULL));
	}
	if (e->blocked != 0) {
		sigemptyset(&set);
		sigaddset(&set, e->blocked);
		FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
		if (e->raise_blocked)
			FX_OK(kill(getpid(), e->blocked));
	}
	FX_OK(dup2(e->p[0], 0));
	FX_OK(close(e->p[1]));
	execlp("cat", "cat", (char *)NULL);
	FX_FAIL("execlp(cat) failed: %s", fx_errno_name(errno));
}

/* The mask on line `field` ("SigCgt") of /proc/PID/status. */
static unsigned long long
status_mask(pid_t pid, const char *field)
{
	char path[64], line[256];
	unsigned long long m = 0;
	size_t n = strlen(field);
	bool found = false;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	FX_REQUIRE(f != NULL, "fopen(%s): %s", path, fx_errno_name(errno));
	while (!found && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			found = sscanf(line + n + 1, "%llx", &m) == 1;
	fclose(f);
	/* proc(5) documents the field: a /proc/PID/status without it cannot show the masks. */
	FX_REQUIRE(found, FX_NOT_IMPLEMENTED "/proc/PID/status %s (absent): %s has no %s line",
	    field, path, field);
	return m;
}

static bool
has(unsigned long long mask, int sig)
{
	return (mask >> (sig - 1)) & 1;
}

/*
 * Starts the child, waits until the new image (cat) sleeps reading its
 * standard input, and returns it; the caller reads its status, then
 * lets it go with exec_done.
 */
static struct fx_child *
exec_cat_with(struct exec_setup *e)
{
	struct fx_child *c;

	if (fx_emulated_on() != NULL)
		fx_skip("under user-mode emulation (%s host) /proc/PID/status shows the emulator's "
		    "own signal state, not the emulated process's", fx_emulated_on());
	FX_OK(pipe(e->p));
	c = fx_spawn(set_up_and_exec_cat, e);
	FX_OK(close(e->p[0]));
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	return c;
}

static void
exec_done(struct exec_setup *e, struct fx_child *c)
{
	FX_OK(close(e->p[1]));
	(void)fx_child_wait(c, FX_DEADLINE);
}

FX_CASE(execve__caught_signal_reset_to_default, "posix", "a signal caught by the calling image is set to the default action in the new image",
    "POSIX.1-2017 XSH exec: signals set to be caught shall be set to the default action in the new process image")
{
	struct exec_setup *e = fx_shared(sizeof *e);
	struct fx_child *c;
	unsigned long long cgt, ign;

	e->caught = SIGUSR1;
	c = exec_cat_with(e);
	cgt = status_mask(fx_child_pid(c), "SigCgt");
	ign = status_mask(fx_child_pid(c), "SigIgn");
	exec_done(e, c);
	FX_REQUIRE(!has(cgt, SIGUSR1) && !has(ign, SIGUSR1), "SIGUSR1 still %s after exec "
	    "(SigCgt %llx, SigIgn %llx)", has(cgt, SIGUSR1) ? "caught" : "ignored", cgt, ign);
}

FX_CASE(execve__ignored_signal_stays_ignored, "posix", "a signal ignored by the calling image (other than SIGCHLD) stays ignored in the new image",
    "POSIX.1-2017 XSH exec: except for SIGCHLD, signals set to be ignored shall be set to be ignored by the new process image")
{
	struct exec_setup *e = fx_shared(sizeof *e);
	struct fx_child *c;
	unsigned long long ign;

	e->ignored = SIGUSR2;
	c = exec_cat_with(e);
	ign = status_mask(fx_child_pid(c), "SigIgn");
	exec_done(e, c);
	FX_REQUIRE(has(ign, SIGUSR2), "SIGUSR2 not ignored after exec (SigIgn %llx)", ign);
}

FX_CASE(execve__keeps_mask_and_pending, "posix", "the new image inherits the signal mask and the signals pending at the exec",
    "POSIX.1-2017 XSH exec: the new process shall inherit the process signal mask and the pending signals")
{
	struct exec_setup *e = fx_shared(sizeof *e);
	struct fx_child *c;
	unsigned long long blk, pnd;

	e->blocked = SIGTERM;
	e->raise_blocked = true;
	c = exec_cat_with(e);
	blk = status_mask(fx_child_pid(c), "SigBlk");
	pnd = status_mask(fx_child_pid(c), "SigPnd") | status_mask(fx_child_pid(c), "ShdPnd");
	exec_done(e, c);
	FX_REQUIRE(has(blk, SIGTERM), "SIGTERM not blocked after exec (SigBlk %llx)", blk);
	FX_REQUIRE(has(pnd, SIGTERM), "SIGTERM not pending after exec (SigPnd|ShdPnd %llx)", pnd);
}

struct forked_dispositions { void (*usr1)(int); void (*usr2)(int); };

static void
read_dispositions(void *arg)
{
	struct forked_dispositions *d = arg;
	struct sigaction sa;

	FX_OK(sigaction(SIGUSR1, NULL, &sa));
	d->usr1 = sa.sa_handler;
	FX_OK(sigaction(SIGUSR2, NULL, &sa));
	d->usr2 = sa.sa_handler;
}

FX_CASE(fork__copies_dispositions, "posix", "a forked child has its parent's signal handlers and ignored signals",
    "POSIX.1-2017 XSH fork: the child is an exact copy except as listed (signal actions are not among the exceptions); sigaction(2): a child created via fork inherits the dispositions")
{
	struct forked_dispositions *d = fx_shared(sizeof *d);
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	sa.sa_handler = SIG_IGN;
	FX_OK(sigaction(SIGUSR2, &sa, NULL));
	fx_child_join(fx_spawn(read_dispositions, d), FX_DEADLINE);
	FX_REQUIRE(d->usr1 == on_signal, "the child's SIGUSR1 handler is %p, the parent's %p",
	    (void *)d->usr1, (void *)on_signal);
	FX_REQUIRE(d->usr2 == SIG_IGN, "SIGUSR2 is not ignored in the child");
}
