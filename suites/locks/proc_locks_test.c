/*
 * /proc/locks: the kernel's list of the file locks currently held, one line
 * per lock ("1: POSIX  ADVISORY  WRITE 1234 08:01:5678 10 19"). X-class linux.
 */
#include "lk.h"

#include <stdio.h>
#include <sys/stat.h>

#define PATH "lockfile"

/* One line of /proc/locks, as its fields are printed. */
struct proc_lock {
	char class[16];  /* POSIX, OFDLCK, FLOCK, LEASE... */
	char mode[16];   /* ADVISORY, MANDATORY, ... */
	char type[16];   /* READ, WRITE, UNLCK */
	int pid;
	unsigned long ino;
	long long start;
	char end[24];    /* the last byte, or EOF */
};

/*
 * Finds the lock of class `class` held on the file open as fd (matched by
 * inode number: the device's numbers are those of the superblock, which a
 * stacked filesystem may report otherwise in st_dev); fails when there is none.
 */
static struct proc_lock
proc_lock_of(int fd, const char *class)
{
	struct proc_lock l;
	struct stat st;
	char line[256];
	FILE *f;

	FX_OK(fstat(fd, &st));
	f = fx_fopen_documented("/proc/locks");
	while (fgets(line, sizeof line, f) != NULL) {
		/* Waiters' lines ("2: -> POSIX ...") and locks without an inode do not parse. */
		if (sscanf(line, "%*d: %15s %15s %15s %d %*x:%*x:%lu %lld %23s", l.class, l.mode,
		    l.type, &l.pid, &l.ino, &l.start, l.end) == 7 && l.ino == st.st_ino &&
		    strcmp(l.class, class) == 0) {
			fclose(f);
			return l;
		}
	}
	fclose(f);
	FX_FAIL("/proc/locks has no %s line for inode %lu", class, (unsigned long)st.st_ino);
}

/* Fails unless the line says {ADVISORY, type, pid, start, end}. */
static void
require_proc_lock(const struct proc_lock *l, const char *type, int pid, long long start,
    const char *end)
{
	FX_REQUIRE(strcmp(l->mode, "ADVISORY") == 0 && strcmp(l->type, type) == 0 &&
	    l->pid == pid && l->start == start && strcmp(l->end, end) == 0,
	    "/proc/locks shows %s %s %s pid %d from %lld to %s, expected %s ADVISORY %s "
	    "pid %d from %lld to %s", l->class, l->mode, l->type, l->pid, l->start, l->end,
	    l->class, type, pid, start, end);
}

FX_CASE(proc_locks__lists_posix_lock, "linux", "a held fcntl(2) record lock appears in /proc/locks as POSIX "
    "ADVISORY with its type, the holder's pid and its first and last byte",
    "proc(5): /proc/locks: the current file locks "
    "(flock(2) and fcntl(2)) and leases")
{
	int fd = lk_create(PATH);
	struct proc_lock l;

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 10, 10));
	l = proc_lock_of(fd, "POSIX");
	require_proc_lock(&l, "WRITE", getpid(), 10, "19");
}

FX_CASE(proc_locks__lists_ofd_lock_as_ofdlck, "linux", "a held open file description lock appears in /proc/locks as "
    "OFDLCK, with pid -1 and its range (EOF for a lock to the end of the file)",
    "proc(5): /proc/locks: OFDLCK for open file "
    "description locks; fcntl(2): Open file description locks")
{
	int fd = lk_create(PATH);
	struct proc_lock l;

	fx_require_kernel_feature(3, 15, "open file description locks",
	    !(lk_set(fd, F_OFD_SETLK, F_RDLCK, 50, 0) == -1 && errno == EINVAL),
	    "F_OFD_SETLK fails with EINVAL");
	l = proc_lock_of(fd, "OFDLCK");
	require_proc_lock(&l, "READ", -1, 50, "EOF");
}
