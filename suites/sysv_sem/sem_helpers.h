/*
 * Helpers shared by the sysv_sem test programs only: the semun union, value
 * and counter reads, waits on GETNCNT/GETZCNT, and a child that runs one
 * semop and records what it returned.
 */
#ifndef IPCCONF_SYSV_SEM_HELPERS_H
#define IPCCONF_SYSV_SEM_HELPERS_H

#include "fx.h"

#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

/* The caller defines it (XSH semctl); struct seminfo for IPC_INFO/SEM_INFO. */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

/* SEMVMX and SEMAEM are not in glibc's headers; these are Linux's values. */
#define SEMVMX_LINUX 32767
#define SEMAEM_LINUX SEMVMX_LINUX

/* A new private set of nsems semaphores, mode 0600, recorded for cleanup. */
static inline int
new_set(int nsems)
{
	return (int)FX_OK(fx_semget(IPC_PRIVATE, nsems, IPC_CREAT | 0600));
}

static inline void
set_val(int id, int num, int val)
{
	union semun a = { .val = val };

	FX_OK(semctl(id, num, SETVAL, a));
}

static inline int
get_val(int id, int num)
{
	return (int)FX_OK(semctl(id, num, GETVAL));
}

static inline void
stat_set(int id, struct semid_ds *ds)
{
	union semun a = { .buf = ds };

	FX_OK(semctl(id, 0, IPC_STAT, a));
}

/* SEMMSL, SEMMNS, SEMOPM, SEMMNI from /proc/sys/kernel/sem. */
static inline void
read_sem_limits(long lim[4])
{
	FILE *f = fx_fopen_documented("/proc/sys/kernel/sem");

	FX_REQUIRE(fscanf(f, "%ld %ld %ld %ld", &lim[0], &lim[1], &lim[2], &lim[3]) == 4,
	    "cannot parse /proc/sys/kernel/sem");
	fclose(f);
}

/* One semop of a single operation; returns what semop returned, errno kept. */
static inline int
sem_op1(int id, unsigned short num, short op, short flg)
{
	struct sembuf sb = { .sem_num = num, .sem_op = op, .sem_flg = flg };

	return semop(id, &sb, 1);
}

/* Waits until semctl(id, num, cmd) (GETNCNT, GETZCNT, GETVAL) equals want. */
struct sem_count { int id; int num; int cmd; int want; };

static inline bool
sem_count_is(void *arg)
{
	struct sem_count *c = arg;

	int v = semctl(c->id, c->num, c->cmd);

	if (v == -1)
		fx_wait_note("semctl failed: %s", fx_errno_name(errno));
	else
		fx_wait_note("%d", v);
	return v == c->want;
}

static inline void
wait_count(int id, int num, int cmd, int want)
{
	struct sem_count c = { id, num, cmd, want };
	char what[96];

	snprintf(what, sizeof what, "semctl(%d, %d, %s) == %d", id, num,
	    cmd == GETNCNT ? "GETNCNT" : cmd == GETZCNT ? "GETZCNT" : "GETVAL", want);
	fx_wait_until(sem_count_is, &c, FX_DEADLINE, what);
}

/*
 * A child that runs semop (or semtimedop when timeout is set) on ops[0..n)
 * and records the result; it lives in fx_shared memory.
 */
struct semop_call {
	int id;
	struct sembuf ops[4];
	size_t n;
	bool timed;
	struct timespec timeout;
	int ret, err;
	long long elapsed_ms;
};

static inline struct semop_call *
new_call(int id, unsigned short num, short op, short flg)
{
	struct semop_call *c = fx_shared(sizeof *c);

	c->id = id;
	c->ops[0] = (struct sembuf){ .sem_num = num, .sem_op = op, .sem_flg = flg };
	c->n = 1;
	c->ret = -2;
	return c;
}

static inline void
run_call(void *arg)
{
	struct semop_call *c = arg;
	long long t0 = fx_now_ms();

	errno = 0;
	c->ret = c->timed ? semtimedop(c->id, c->ops, c->n, &c->timeout) :
	    semop(c->id, c->ops, c->n);
	c->err = errno;
	c->elapsed_ms = fx_now_ms() - t0;
}

/*
 * Starts fn(arg) in a child whose only access to set id is the three bits
 * perm (r=4, a=2): as root, the child is the other user and perm is the set's
 * "other" bits; otherwise the child is the owner and perm its owner bits.
 */
static inline struct fx_child *
spawn_with_perm(int id, int perm, fx_child_fn *fn, void *arg)
{
	struct semid_ds ds;
	union semun a = { .buf = &ds };

	/* Not from IPC_STAT: an earlier call may have taken the owner's read bit. */
	memset(&ds, 0, sizeof ds);
	ds.sem_perm.uid = geteuid();
	ds.sem_perm.gid = getegid();
	ds.sem_perm.mode = fx_is_root() ? (unsigned short)(0600 | perm) :
	    (unsigned short)(perm << 6);
	FX_OK(semctl(id, 0, IPC_SET, a));
	return fx_spawn_unprivileged(fn, arg);
}

#endif
