/*
 * fcntl(2) file leases (F_SETLEASE, F_GETLEASE): a holder is told by a
 * signal when another process opens the file in a conflicting way, and that
 * open waits until the holder gives the lease up. X-class linux.
 */
#include "lk.h"

#include <linux/capability.h>
#include <signal.h>
#include <sys/stat.h>

#define PATH "leasefile"

/*
 * F_SETLEASE `type` on fd; skips the case when leases are switched off
 * (/proc/sys/fs/leases-enable 0 makes the call fail with EINVAL).
 */
static void
lease_take(int fd, int type)
{
	if (fcntl(fd, F_SETLEASE, type) == -1 && errno == EINVAL &&
	    fx_read_sysctl("fs/leases-enable") == 0)
		fx_skip("leases are disabled: /proc/sys/fs/leases-enable is 0");
	FX_OK(fcntl(fd, F_SETLEASE, type));
}

/* Creates PATH (no descriptor open for writing is left) and opens it read-only. */
static int
lease_file(void)
{
	FX_OK(close(lk_create(PATH)));
	return FX_OK(open(PATH, O_RDONLY));
}

FX_CASE(lease__rdlck_on_own_file_reported, "linux", "F_SETLEASE F_RDLCK on a file its owner opened read-only succeeds, "
    "and F_GETLEASE then reports F_RDLCK",
    "fcntl(2): Leases: F_SETLEASE F_RDLCK; F_GETLEASE")
{
	int fd = lease_file();

	FX_REQUIRE_EQ(fcntl(fd, F_GETLEASE), F_UNLCK);
	lease_take(fd, F_RDLCK);
	FX_REQUIRE_EQ(fcntl(fd, F_GETLEASE), F_RDLCK);
}

/* A child that opens PATH for writing: the open that breaks the lease. */
struct opener {
	int fd;
	int err;
	bool done;
};

static void
opener_run(void *arg)
{
	struct opener *o = arg;

	errno = 0;
	o->fd = open(PATH, O_WRONLY);
	o->err = errno;
	o->done = true;
}

/*
 * Takes a read lease on PATH with `sig` blocked, has a child open PATH for
 * writing, proves the child waits in open, and returns the signal the holder
 * was sent (its siginfo in *si). The child is then still waiting: the caller
 * releases the lease and joins it.
 */
static struct fx_child *
break_read_lease(int fd, int sig, siginfo_t *si, struct opener **op)
{
	struct opener *o = fx_shared(sizeof *o);
	struct fx_child *c;
	sigset_t set;

	/* The break signal stays pending (SIGIO's default action ends the process). */
	sigemptyset(&set);
	sigaddset(&set, sig);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	lease_take(fd, F_RDLCK);
	c = fx_spawn(opener_run, o);
	fx_wait_blocked_in(fx_child_pid(c), "open", FX_DEADLINE);
	fx_wait_signal(sig, si, FX_DEADLINE);
	FX_REQUIRE(!o->done, "the opener's open returned %d (errno %s) while the lease was held",
	    o->fd, fx_errno_name(o->err));
	*op = o;
	return c;
}

/* Gives the lease up and fails unless the waiting opener's open then succeeds. */
static void
release_and_join(int fd, struct fx_child *c, const struct opener *o)
{
	FX_OK(fcntl(fd, F_SETLEASE, F_UNLCK));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE(o->done && o->fd >= 0, "the opener's open after the release: %d (errno %s)",
	    o->fd, fx_errno_name(o->err));
}

FX_CASE(lease__write_open_breaks_with_sigio, "linux", "an open for writing by another process breaks a read lease: the "
    "holder gets SIGIO and the open blocks until the lease is released",
    "fcntl(2): Leases: the lease holder is notified by a "
    "signal (SIGIO by default); the open is blocked until the holder releases the lease")
{
	int fd = lease_file();
	struct opener *o;
	struct fx_child *c;
	siginfo_t si;

	c = break_read_lease(fd, SIGIO, &si, &o);
	release_and_join(fd, c, o);
}

FX_CASE(lease__setsig_names_break_signal_and_fd, "linux", "after F_SETSIG, a lease break is signalled with the chosen signal, "
    "whose si_fd is the descriptor holding the lease",
    "fcntl(2): Leases: F_SETSIG; the si_fd field of the "
    "siginfo_t holds the file descriptor of the leased file")
{
	int fd = lease_file();
	struct opener *o;
	struct fx_child *c;
	siginfo_t si;

	FX_OK(fcntl(fd, F_SETSIG, SIGUSR1));
	c = break_read_lease(fd, SIGUSR1, &si, &o);
	FX_REQUIRE_EQ(si.si_fd, fd);
	release_and_join(fd, c, o);
}

/* In an unprivileged child: a read lease on a file of another owner. */
static void
lease_not_owner(void *arg)
{
	const char *path = arg;
	struct stat st;
	int fd;

	if (fx_has_capability(CAP_LEASE))
		fx_skip("the unprivileged process has CAP_LEASE, which bypasses the owner check");
	fd = FX_OK(open(path, O_RDONLY));
	FX_OK(fstat(fd, &st));
	if (st.st_uid == geteuid())
		fx_skip("%s is owned by the unprivileged user itself", path);
	FX_REQUIRE_ERRNO(EACCES, fcntl(fd, F_SETLEASE, F_RDLCK));
}

FX_CASE(lease__not_owner_eacces, "linux", "F_SETLEASE on a file the caller does not own fails with EACCES "
    "without CAP_LEASE",
    "fcntl(2): Leases: a process may take out a lease only on "
    "a file whose UID matches its filesystem UID, or with CAP_LEASE; ERRORS EACCES")
{
	static char path[512];

	/*
	 * As root, a file of root's that the child (the other user) may read; an
	 * unprivileged test runs the check itself on a system file of root's.
	 */
	if (fx_is_root()) {
		snprintf(path, sizeof path, "%s/%s", fx_public_dir(), PATH);
		FX_OK(close(FX_OK(open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644))));
	} else {
		snprintf(path, sizeof path, "/etc/passwd");
	}
	fx_child_join(fx_spawn_unprivileged(lease_not_owner, path), FX_DEADLINE);
}
