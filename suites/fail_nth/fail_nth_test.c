/*
 * The error paths of allocation failures, reached with the kernel's fault
 * injection: /proc/thread-self/fail-nth makes the Nth fault site (a slab or
 * page allocation, a user copy) of the thread's next calls fail. Each case
 * fails the 1st, 2nd, ... site of one call until the call runs through with no
 * fault left, and asserts each time that a failing call reports a documented
 * error, that it left nothing half-made (no object in /proc/sysvipc, no queue
 * name, no descriptor, no message) and, at the end, that the next call works.
 *
 * Root only (the fault attributes are set in debugfs). The cases skip where
 * the kernel lacks fail-nth (CONFIG_FAULT_INJECTION: no Debian kernel has it);
 * they run in ipcconf-coverage-kernel's kernel and its mutants. X-class linux.
 */
#include "fx.h"

#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SITES 4000
#define DBG "/sys/kernel/debug"

/* Writes value to a debugfs fault attribute; false when it is missing. */
static bool
set_attr(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd == -1)
		return false;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	(void)close(fd);
	return ok;
}

/*
 * The calling thread's fail-nth file, with slab and page allocation faults
 * enabled for every allocation (not only those that cannot sleep, and pages
 * of order 0) and their console reports off. Skips with the reason where the
 * kernel or the caller cannot.
 */
static int
fail_nth_open(void)
{
	struct stat st;
	int fd;

	fx_require_root("the fault attributes are set in debugfs");
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd == -1)
		fx_skip("this kernel has no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION): "
		    "open failed with %s", fx_errno_name(errno));
	if (stat(DBG "/failslab", &st) == -1)
		(void)mount("debugfs", DBG, "debugfs", 0, NULL);
	if (!set_attr(DBG "/failslab/ignore-gfp-wait", "N") || !set_attr(DBG "/failslab/verbose", "0"))
		fx_skip("cannot configure " DBG "/failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS): %s",
		    fx_errno_name(errno));
	if (!set_attr(DBG "/fail_page_alloc/ignore-gfp-wait", "N") ||
	    !set_attr(DBG "/fail_page_alloc/min-order", "0") ||
	    !set_attr(DBG "/fail_page_alloc/verbose", "0"))
		fx_skip("cannot configure " DBG "/fail_page_alloc (CONFIG_FAIL_PAGE_ALLOC): %s",
		    fx_errno_name(errno));
	(void)set_attr(DBG "/fail_usercopy/verbose", "0");
	return fd;
}

/*
 * After the call: whether the armed fault was injected (fail-nth reads 0),
 * then fail-nth cleared. Reading and clearing are calls too: a count left
 * over may fail their own user copy (EFAULT), which means it was not 0.
 */
static bool
fail_nth_injected(int fd)
{
	char buf[16] = "";
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	bool injected = n > 0 && atoi(buf) == 0;

	(void)pwrite(fd, "0", 1, 0);
	return injected;
}

/* One call under fault injection. */
struct site_call {
	const char *what;
	void (*prepare)(void *arg);       /* before arming (may be NULL) */
	long (*call)(void *arg);          /* -1 with errno on failure */
	void (*undo)(void *arg, long ret); /* removes what a successful call made */
	long (*state)(void *arg);         /* what a failed call must leave unchanged */
	int errs[4];                      /* the documented errors, 0-terminated */
};

static bool
documented(const struct site_call *c, int err)
{
	int i;

	for (i = 0; i < 4 && c->errs[i] != 0; i++)
		if (c->errs[i] == err)
			return true;
	return false;
}

static void
run_sites(const struct site_call *c, void *arg)
{
	int fd = fail_nth_open(), n, err, failed = 0, tolerated = 0;
	long before, ret;
	char num[16];
	bool injected;

	for (n = 1; n <= MAX_SITES; n++) {
		if (c->prepare != NULL)
			c->prepare(arg);
		before = c->state(arg);
		snprintf(num, sizeof num, "%d", n);
		FX_REQUIRE_EQ(pwrite(fd, num, strlen(num), 0), (ssize_t)strlen(num));
		errno = 0;
		ret = c->call(arg);
		err = errno;
		injected = fail_nth_injected(fd);
		if (ret == -1) {
			FX_REQUIRE(injected, "%s failed with %s with no fault injected (site %d)",
			    c->what, fx_errno_name(err), n);
			FX_REQUIRE(documented(c, err), "%s with fault site %d failing: %s, which is not "
			    "an error its page documents for a lack of memory", c->what, n, fx_errno_name(err));
			FX_REQUIRE(c->state(arg) == before, "%s with fault site %d failing (%s) left something "
			    "behind: %ld before, %ld after", c->what, n, fx_errno_name(err), before, c->state(arg));
			failed++;
			continue;
		}
		c->undo(arg, ret);
		if (!injected)
			break; /* fewer than n fault sites: the call ran through */
		tolerated++;
	}
	FX_REQUIRE(n <= MAX_SITES, "%s still reached a fault site after %d", c->what, MAX_SITES);
	FX_REQUIRE(failed > 0, "%s: none of its %d fault sites made it fail", c->what, n - 1);
	fprintf(stderr, "%s: %d fault sites, %d failed with a documented error, %d tolerated\n",
	    c->what, n - 1, failed, tolerated);
	if (c->prepare != NULL)
		c->prepare(arg);
	ret = c->call(arg);
	FX_REQUIRE(ret != -1, "%s after the faults failed with %s", c->what, fx_errno_name(errno));
	c->undo(arg, ret);
	(void)close(fd);
}

/* Rows of /proc/sysvipc/FILE (without the header): the objects of this IPC namespace. */
static long
sysvipc_rows(const char *file)
{
	char path[64], line[512];
	long rows = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/sysvipc/%s", file);
	f = fopen(path, "r");
	FX_REQUIRE(f != NULL, "cannot open %s: %s", path, fx_errno_name(errno));
	while (fgets(line, sizeof line, f) != NULL)
		rows++;
	(void)fclose(f);
	return rows;
}

/* Entries of /proc/self/fd (less the one opendir holds). */
static long
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	long n = 0;

	FX_REQUIRE(d != NULL, "cannot open /proc/self/fd: %s", fx_errno_name(errno));
	while (readdir(d) != NULL)
		n++;
	(void)closedir(d);
	return n;
}

/* ---- msgget ---- */
static long call_msgget(void *arg) { (void)arg; return msgget(IPC_PRIVATE, IPC_CREAT | 0600); }
static void undo_msgget(void *arg, long id) { (void)arg; FX_OK(msgctl((int)id, IPC_RMID, NULL)); }
static long msg_rows(void *arg) { (void)arg; return sysvipc_rows("msg"); }

FX_CASE_AS_ROOT(fail_nth__msgget_enomem_leaves_no_queue, "linux", "msgget(IPC_PRIVATE) with each of its allocations failing in turn fails with "
    "ENOMEM and leaves no queue; the next msgget works",
    "msgget(2) ERRORS: ENOMEM, a message queue has to be created but "
    "the system does not have enough memory")
{
	static const struct site_call c = { "msgget(IPC_PRIVATE)", NULL, call_msgget, undo_msgget,
		msg_rows, { ENOMEM } };

	fx_enter_private_ipcns();
	run_sites(&c, NULL);
}

/* ---- semget ---- */
static long call_semget(void *arg) { (void)arg; return semget(IPC_PRIVATE, 8, IPC_CREAT | 0600); }
static void undo_semget(void *arg, long id) { (void)arg; FX_OK(semctl((int)id, 0, IPC_RMID)); }
static long sem_rows(void *arg) { (void)arg; return sysvipc_rows("sem"); }

FX_CASE_AS_ROOT(fail_nth__semget_enomem_leaves_no_set, "linux", "semget(IPC_PRIVATE, 8) with each of its allocations failing in turn fails "
    "with ENOMEM and leaves no set; the next semget works",
    "semget(2) ERRORS: ENOMEM, a semaphore set has to be created but "
    "the system does not have enough memory")
{
	static const struct site_call c = { "semget(IPC_PRIVATE, 8)", NULL, call_semget, undo_semget,
		sem_rows, { ENOMEM } };

	fx_enter_private_ipcns();
	run_sites(&c, NULL);
}

/* ---- shmget ---- */
static long call_shmget(void *arg) { (void)arg; return shmget(IPC_PRIVATE, 3 * fx_page_size(), IPC_CREAT | 0600); }
static void undo_shmget(void *arg, long id) { (void)arg; FX_OK(shmctl((int)id, IPC_RMID, NULL)); }
static long shm_rows(void *arg) { (void)arg; return sysvipc_rows("shm"); }

FX_CASE_AS_ROOT(fail_nth__shmget_enomem_leaves_no_segment, "linux", "shmget(IPC_PRIVATE, 3 pages) with each of its allocations failing in turn "
    "fails with ENOMEM or ENOSPC (tmpfs reports a failed inode allocation as ENOSPC) and leaves "
    "no segment; the next shmget works",
    "shmget(2) ERRORS: ENOMEM, no memory could be allocated for "
    "segment overhead; ENOSPC, allocating the segment would exceed a system-wide limit")
{
	static const struct site_call c = { "shmget(IPC_PRIVATE, 3 pages)", NULL, call_shmget, undo_shmget,
		shm_rows, { ENOMEM, ENOSPC } };

	fx_enter_private_ipcns();
	run_sites(&c, NULL);
}

/* ---- msgsnd of a message longer than one segment ---- */
#define LONG_MSG 8000
struct long_msg { long mtype; char mtext[LONG_MSG]; };
static int msgsnd_q;
static long
call_msgsnd(void *arg)
{
	return msgsnd(msgsnd_q, arg, LONG_MSG, IPC_NOWAIT);
}
static void
undo_msgsnd(void *arg, long ret)
{
	static struct long_msg back;

	(void)ret;
	FX_REQUIRE_EQ(msgrcv(msgsnd_q, &back, LONG_MSG, 0, IPC_NOWAIT), LONG_MSG);
	FX_REQUIRE_MEMEQ(back.mtext, ((struct long_msg *)arg)->mtext, LONG_MSG);
}
static long
queued(void *arg)
{
	struct msqid_ds ds;

	(void)arg;
	FX_OK(msgctl(msgsnd_q, IPC_STAT, &ds));
	return (long)ds.msg_qnum * 1000000 + (long)ds.__msg_cbytes;
}

FX_CASE_AS_ROOT(fail_nth__msgsnd_enomem_queues_nothing, "linux", "msgsnd of an 8000-byte message (several kernel segments) with each of its "
    "allocations and copies failing in turn fails with ENOMEM or EFAULT and queues nothing; "
    "a message that went through comes out whole",
    "msgsnd(2) ERRORS: ENOMEM, not enough memory to make a copy of "
    "the message; EFAULT, msgp not accessible")
{
	static const struct site_call c = { "msgsnd(8000 bytes)", NULL, call_msgsnd, undo_msgsnd,
		queued, { ENOMEM, EFAULT } };
	static struct long_msg m = { .mtype = 3 };
	int i;

	for (i = 0; i < LONG_MSG; i++)
		m.mtext[i] = (char)('a' + i % 23);
	fx_enter_private_ipcns();
	msgsnd_q = FX_OK(msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	run_sites(&c, &m);
}

/* ---- semop with SEM_UNDO on a new set (allocates the undo structure) ---- */
static int semop_set = -1;
static void
prepare_semop(void *arg)
{
	(void)arg;
	if (semop_set != -1)
		FX_OK(semctl(semop_set, 0, IPC_RMID));
	semop_set = FX_OK(semget(IPC_PRIVATE, 2, IPC_CREAT | 0600));
}
static long
call_semop(void *arg)
{
	struct sembuf op = { .sem_num = 1, .sem_op = 2, .sem_flg = SEM_UNDO };

	(void)arg;
	return semop(semop_set, &op, 1);
}
static void undo_semop(void *arg, long ret) { (void)arg; (void)ret; }
static long semval1(void *arg) { (void)arg; return FX_OK(semctl(semop_set, 1, GETVAL)); }

FX_CASE_AS_ROOT(fail_nth__semop_undo_enomem_changes_nothing, "linux", "semop with SEM_UNDO on a new set, with each of its allocations and copies "
    "failing in turn, fails with ENOMEM or EFAULT and leaves the value unchanged",
    "semop(2) ERRORS: ENOMEM, SEM_UNDO and not enough memory for the "
    "undo structure; EFAULT, sops not accessible")
{
	static const struct site_call c = { "semop(+2, SEM_UNDO) on a new set", prepare_semop, call_semop,
		undo_semop, semval1, { ENOMEM, EFAULT } };

	fx_enter_private_ipcns();
	run_sites(&c, NULL);
}

/* ---- mq_open(O_CREAT) ---- */
static char mq_name[64];
static long
call_mq_open(void *arg)
{
	struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 64 };

	(void)arg;
	return (long)mq_open(mq_name, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
}
static void
undo_mq_open(void *arg, long q)
{
	(void)arg;
	FX_OK(mq_close((mqd_t)q));
	FX_OK(mq_unlink(mq_name));
}
/*
 * The descriptors. A queue name left by a failed mq_open is removed and
 * counted, not failed: the queue's file is made before its open can fail
 * (6.1 leaves it when the file allocation fails), and no page promises the
 * call is all or nothing.
 */
static int mq_names_left;
static long
mq_state(void *arg)
{
	(void)arg;
	if (mq_unlink(mq_name) == 0)
		mq_names_left++;
	else
		FX_REQUIRE(errno == ENOENT, "mq_unlink(%s): %s", mq_name, fx_errno_name(errno));
	return open_fds();
}

FX_CASE_AS_ROOT(fail_nth__mq_open_enomem_leaves_no_descriptor, "linux", "mq_open(O_CREAT) with each of its allocations and copies failing in turn "
    "fails with ENOMEM, ENOSPC or EFAULT and leaves no descriptor; the next mq_open works",
    "mq_open(3) ERRORS: ENOMEM insufficient memory; ENOSPC "
    "insufficient space for a new queue")
{
	static const struct site_call c = { "mq_open(O_CREAT)", NULL, call_mq_open, undo_mq_open,
		mq_state, { ENOMEM, ENOSPC, EFAULT } };

	fx_posix_name(FX_POSIX_MQ, "q", mq_name, sizeof mq_name);
	run_sites(&c, NULL);
	if (mq_names_left > 0)
		fprintf(stderr, "mq_open: %d failed calls left the queue's name behind\n", mq_names_left);
}

/* ---- socketpair(AF_UNIX, SOCK_STREAM) ---- */
static long
call_socketpair(void *arg)
{
	return socketpair(AF_UNIX, SOCK_STREAM, 0, arg);
}
static void
undo_socketpair(void *arg, long ret)
{
	int *sv = arg;

	(void)ret;
	FX_REQUIRE_EQ(write(sv[0], "x", 1), 1);
	FX_OK(close(sv[0]));
	FX_OK(close(sv[1]));
}
static long fds(void *arg) { (void)arg; return open_fds(); }

FX_CASE_AS_ROOT(fail_nth__socketpair_enomem_leaves_no_descriptor, "linux", "socketpair(AF_UNIX, SOCK_STREAM) with each of its allocations and copies "
    "failing in turn fails with ENOMEM, ENOBUFS, ENFILE or EFAULT and leaves no descriptor",
    "socketpair(2), socket(2) ERRORS: ENOBUFS or ENOMEM, insufficient "
    "memory; ENFILE; EFAULT, sv not accessible")
{
	static const struct site_call c = { "socketpair(AF_UNIX, SOCK_STREAM)", NULL, call_socketpair,
		undo_socketpair, fds, { ENOMEM, ENOBUFS, ENFILE, EFAULT } };
	static int sv[2];

	run_sites(&c, sv);
}
