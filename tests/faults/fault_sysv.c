/*
 * Faults of System V IPC: message queues, semaphore sets and shared memory
 * segments. Every successful creation is also logged for the self-test's own
 * leak check (fault_created).
 */
#include "fault.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

static void
log_created(const char *kind, int id, int flags, key_t key)
{
	char text[16], keytext[16];

	if (id >= 0 && (key == IPC_PRIVATE || (flags & IPC_CREAT))) {
		snprintf(text, sizeof text, "%d", id);
		snprintf(keytext, sizeof keytext, "%d", (int)key);
		fault_created(kind, text, keytext);
	}
}

int
msgget(key_t key, int flags)
{
	FAULT_REAL(msgget);
	int r = real_msgget(key, flags);

	if (r == -1 && errno == EEXIST && fault_is("msgget_excl_ignored")) {
		/* IPC_CREAT|IPC_EXCL on an existing key returns it instead of EEXIST. */
		fault_fired();
		r = real_msgget(key, flags & ~IPC_EXCL);
	}
	log_created("sysv_msg", r, flags, key);
	return r;
}

int
msgsnd(int id, const void *msg, size_t sz, int flags)
{
	FAULT_REAL(msgsnd);

	if (fault_is("msgsnd_msgmax_off_by_one")) {
		/* "msgsz >= msgmax" for "msgsz > msgmax": a message of exactly msgmax refused. */
		FILE *f = fopen("/proc/sys/kernel/msgmax", "r");
		long max = -1;

		if (f != NULL) {
			if (fscanf(f, "%ld", &max) != 1)
				max = -1;
			fclose(f);
		}
		if (max > 0 && sz == (size_t)max) {
			fault_fired();
			errno = EINVAL;
			return -1;
		}
	}
	if (fault_is("msgsnd_mtype_unchecked") && msg != NULL && *(const long *)msg < 1) {
		/* Sent as type 1: the mtype < 1 check is missing. */
		long *copy = malloc(sizeof(long) + sz);
		int r;

		if (copy == NULL)
			return real_msgsnd(id, msg, sz, flags);
		fault_fired();
		memcpy(copy, msg, sizeof(long) + sz);
		copy[0] = 1;
		r = real_msgsnd(id, copy, sz, flags);
		free(copy);
		return r;
	}
	return real_msgsnd(id, msg, sz, flags);
}

/*
 * For the *_ctime_frozen faults: the first change time this process saw for
 * each object id, reported ever after (a call that stops updating *_ctime).
 */
static time_t
frozen_ctime(int kind, int id, time_t seen)
{
	static struct { int kind, id; time_t t; } first[64];
	static int n;
	int i;

	for (i = 0; i < n; i++)
		if (first[i].kind == kind && first[i].id == id)
			return first[i].t;
	if (n < 64)
		first[n++] = (__typeof__(first[0])){ kind, id, seen };
	return seen;
}

ssize_t
msgrcv(int id, void *msg, size_t sz, long type, int flags)
{
	FAULT_REAL(msgrcv);
	ssize_t r;

	if (fault_is("msgrcv_noerror_ignored") && (flags & MSG_NOERROR)) {
		fault_fired();
		flags &= ~MSG_NOERROR;
	}
	if (fault_is("msgrcv_e2big_truncates") && !(flags & MSG_NOERROR)) {
		flags |= MSG_NOERROR;
		r = real_msgrcv(id, msg, sz, type, flags);
		if (r >= 0 && (size_t)r == sz)
			fault_fired();
		return r;
	}
	if (fault_is("msgrcv_negative_type_first_fit") && type < 0 && !(flags & MSG_COPY)) {
		/*
		 * The first message of any type <= |msgtyp| instead of the lowest
		 * type: right whenever the lowest comes first. Found with MSG_COPY,
		 * then taken by its exact type (it is the first of that type).
		 */
		struct { long mtype; char text[1]; } probe;
		long i;

		for (i = 0; i < 4096; i++) {
			if (real_msgrcv(id, &probe, sizeof probe.text, i,
			    MSG_COPY | IPC_NOWAIT | MSG_NOERROR) == -1)
				break;
			if (probe.mtype <= -type) {
				fault_fired();
				type = probe.mtype;
				break;
			}
		}
	}
	if (fault_is("msgrcv_negative_type_as_zero") && type < 0) {
		/* Any type <= 0 taken as 0: the first message, whatever its type. */
		fault_fired();
		type = 0;
	}
	r = real_msgrcv(id, msg, sz, type, flags);
	if (r == -1 && errno == ENOMSG && fault_is("msgrcv_nowait_eagain")) {
		fault_fired();
		errno = EAGAIN;
	}
	if (r == -1 && errno == ENOMSG && (flags & IPC_NOWAIT) && fault_is("msgrcv_nowait_waits"))
		fault_wait_first();
	if (r == -1 && errno == EIDRM && fault_is("msgrcv_removed_einval")) {
		fault_fired();
		errno = EINVAL;
	}
	return r;
}

int
msgctl(int id, int cmd, struct msqid_ds *buf)
{
	FAULT_REAL(msgctl);
	int r = real_msgctl(id, cmd, buf);

	if (r >= 0 && buf != NULL && (cmd == IPC_STAT || cmd == MSG_STAT) &&
	    fault_is("msgctl_stat_pids_zero") && (buf->msg_lspid != 0 || buf->msg_lrpid != 0)) {
		fault_fired();
		buf->msg_lspid = buf->msg_lrpid = 0;
	}
	if (r >= 0 && buf != NULL && cmd == IPC_STAT && fault_is("msgctl_ctime_frozen")) {
		time_t t = frozen_ctime(0, id, buf->msg_ctime);

		if (t != buf->msg_ctime)
			fault_fired();
		buf->msg_ctime = t;
	}
	if (r >= 0 && buf != NULL && cmd == IPC_STAT && fault_is("msgctl_lrpid_is_lspid") &&
	    buf->msg_lrpid != buf->msg_lspid && buf->msg_lrpid != 0) {
		/* The receiver's pid field filled from the sender's (a field mix-up). */
		fault_fired();
		buf->msg_lrpid = buf->msg_lspid;
	}
	return r;
}

int
semget(key_t key, int nsems, int flags)
{
	FAULT_REAL(semget);
	int r = real_semget(key, nsems, flags);

	if (r == -1 && errno == EEXIST && fault_is("semget_excl_ignored")) {
		fault_fired();
		r = real_semget(key, nsems, flags & ~IPC_EXCL);
	}
	log_created("sysv_sem", r, flags, key);
	return r;
}

/* SEM_UNDO dropped from every operation, or the array applied one operation at a time. */
static int
faulty_semop(int id, struct sembuf *ops, size_t n, const struct timespec *timeout, int timed)
{
	FAULT_REAL(semop);
	FAULT_REAL(semtimedop);
	struct sembuf *copy;
	size_t i;
	int r;

	if (fault_is("semop_undo_ignored")) {
		copy = malloc(n * sizeof *copy);
		if (copy != NULL) {
			memcpy(copy, ops, n * sizeof *copy);
			for (i = 0; i < n; i++) {
				if (copy[i].sem_flg & SEM_UNDO)
					fault_fired();
				copy[i].sem_flg &= (short)~SEM_UNDO;
			}
			r = timed ? real_semtimedop(id, copy, n, timeout) : real_semop(id, copy, n);
			free(copy);
			return r;
		}
	}
	if (fault_is("semop_array_not_atomic") && n > 1) {
		fault_fired();
		for (i = 0; i < n; i++) {
			r = timed ? real_semtimedop(id, &ops[i], 1, timeout) : real_semop(id, &ops[i], 1);
			if (r == -1)
				return -1;
		}
		return 0;
	}
	r = timed ? real_semtimedop(id, ops, n, timeout) : real_semop(id, ops, n);
	if (r == -1 && errno == EAGAIN && fault_is("semop_nowait_waits")) {
		/* IPC_NOWAIT on an operation that would block, or a zero timeout. */
		bool at_once = timed && timeout != NULL && timeout->tv_sec == 0 &&
		    timeout->tv_nsec == 0;

		for (i = 0; i < n; i++)
			at_once = at_once || (ops[i].sem_flg & IPC_NOWAIT);
		if (at_once)
			fault_wait_first();
	}
	if (r == -1 && errno == EAGAIN && timed && timeout != NULL &&
	    fault_is("semtimedop_timeout_etimedout")) {
		fault_fired();
		errno = ETIMEDOUT;
	}
	return r;
}

int
semop(int id, struct sembuf *ops, size_t n)
{
	return faulty_semop(id, ops, n, NULL, 0);
}

int
semtimedop(int id, struct sembuf *ops, size_t n, const struct timespec *timeout)
{
	return faulty_semop(id, ops, n, timeout, 1);
}

int
semctl(int id, int num, int cmd, ...)
{
	FAULT_REAL(semctl);
	union semun arg = { 0 };
	va_list ap;
	int r;

	va_start(ap, cmd);
	switch (cmd) {
	case SETVAL: case SETALL: case GETALL: case IPC_STAT: case IPC_SET: case IPC_INFO:
	case SEM_INFO: case SEM_STAT: case SEM_STAT_ANY:
		arg = va_arg(ap, union semun);
		break;
	}
	va_end(ap);
	if (cmd == SETVAL && fault_is("semctl_setval_unchecked") && (arg.val < 0 || arg.val > 32767)) {
		/* Clamped instead of ERANGE. */
		fault_fired();
		arg.val = arg.val < 0 ? 0 : 32767;
	}
	r = real_semctl(id, num, cmd, arg);
	if (r > 0 && cmd == GETPID && fault_is("semctl_getpid_zero")) {
		fault_fired();
		return 0;
	}
	return r;
}

/* The first IPC_PRIVATE segment this process created (shmget_private_shares_memory). */
static int first_private_shm = -1;

int
shmget(key_t key, size_t size, int flags)
{
	FAULT_REAL(shmget);
	int r = real_shmget(key, size, flags);

	if (r >= 0 && key == IPC_PRIVATE && first_private_shm < 0)
		first_private_shm = r;
	if (r == -1 && errno == EEXIST && fault_is("shmget_excl_ignored")) {
		fault_fired();
		r = real_shmget(key, size, flags & ~IPC_EXCL);
	}
	log_created("sysv_shm", r, flags, key);
	return r;
}

void *
shmat(int id, const void *addr, int flags)
{
	FAULT_REAL(shmat);

	if (fault_is("shmget_private_shares_memory") && first_private_shm >= 0 &&
	    id != first_private_shm) {
		/* Every IPC_PRIVATE segment backed by the first one's memory. */
		struct shmid_ds ds;

		if (shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_perm.__key == IPC_PRIVATE) {
			void *p = real_shmat(first_private_shm, addr, flags);

			if (p != (void *)-1)
				fault_fired();
			return p;
		}
	}

	if (fault_is("hang_shmat")) {
		fault_fired();
		for (;;)
			pause();
	}
	if (fault_is("shmat_rdonly_ignored") && (flags & SHM_RDONLY)) {
		void *p;

		flags &= ~SHM_RDONLY;
		p = real_shmat(id, addr, flags);
		if (p != (void *)-1) {
			fault_fired();
			return p;
		}
		flags |= SHM_RDONLY; /* no write permission: attach as asked */
	}
	return real_shmat(id, addr, flags);
}

int
shmdt(const void *addr)
{
	FAULT_REAL(shmdt);

	if (fault_is("shmdt_keeps_mapping")) {
		/* Detach reported, mapping kept (the segment's nattch too). */
		fault_fired();
		return 0;
	}
	return real_shmdt(addr);
}

int
shmctl(int id, int cmd, struct shmid_ds *buf)
{
	FAULT_REAL(shmctl);
	int r = real_shmctl(id, cmd, buf);

	if (r >= 0 && buf != NULL && (cmd == IPC_STAT || cmd == SHM_STAT) &&
	    fault_is("shmctl_stat_nattch_zero") && buf->shm_nattch != 0) {
		fault_fired();
		buf->shm_nattch = 0;
	}
	if (r >= 0 && buf != NULL && cmd == IPC_STAT && fault_is("shmctl_ctime_frozen")) {
		time_t t = frozen_ctime(1, id, buf->shm_ctime);

		if (t != buf->shm_ctime)
			fault_fired();
		buf->shm_ctime = t;
	}
	if (r >= 0 && buf != NULL && cmd == IPC_STAT && fault_is("shmctl_dtime_not_updated") &&
	    buf->shm_dtime != 0 && buf->shm_nattch != 0) {
		/* A detach that leaves shm_dtime as it was while others stay attached. */
		fault_fired();
		buf->shm_dtime = 0;
	}
	return r;
}
