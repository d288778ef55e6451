/*
 * msgsnd(2): sending System V messages, limits and blocking on a full queue.
 */
#include "msgq.h"

#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Lowers the queue's msg_qbytes (no privilege needed to lower it). */
static void
set_qbytes(int id, unsigned long qbytes)
{
	struct msqid_ds ds = msgq_stat(id);

	ds.msg_qbytes = qbytes;
	FX_OK(msgctl(id, IPC_SET, &ds));
}

FX_CASE(msgsnd__mtype_below_one_einval, "xsi", "msgsnd with mtype < 1 fails with EINVAL and queues nothing",
    "POSIX.1-2017 XSH msgsnd ERRORS [EINVAL]: mtype less than 1")
{
	static const long types[] = { 0, -1, LONG_MIN };
	int id = msgq_new();
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		struct msgq_buf m = { .mtype = types[i], .mtext = "x" };

		FX_CHECK_ERRNO_MSG(EINVAL, msgsnd(id, &m, 1, IPC_NOWAIT),
		    "msgsnd(id, {mtype=%ld}, 1, IPC_NOWAIT)", types[i]);
	}
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 0);
}

FX_CASE(msgsnd__size_above_msgmax_einval, "xsi", "msgsnd with msgsz above msgmax (or negative as a long) fails with EINVAL",
    "msgsnd(2) ERRORS: EINVAL, msgsz greater than MSGMAX")
{
	long msgmax = fx_read_sysctl("kernel/msgmax");
	struct msgq_buf *m = calloc(1, sizeof(long) + (size_t)msgmax + 1);
	int id = msgq_new();

	FX_REQUIRE(m != NULL, "calloc failed");
	m->mtype = 1;
	FX_REQUIRE_ERRNO(EINVAL, msgsnd(id, m, (size_t)msgmax + 1, IPC_NOWAIT));
	FX_REQUIRE_ERRNO(EINVAL, msgsnd(id, m, (size_t)-1, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 0);
	free(m);
}

FX_CASE(msgsnd__size_msgmax_accepted, "linux", "a message of exactly msgmax bytes is accepted and received whole",
    "msgsnd(2) ERRORS: EINVAL only when msgsz exceeds MSGMAX")
{
	long msgmax = fx_read_sysctl("kernel/msgmax");
	struct msgq_buf *m = calloc(1, sizeof(long) + (size_t)msgmax);
	int id = msgq_new();

	FX_REQUIRE(m != NULL, "calloc failed");
	if (msgq_stat(id).msg_qbytes < (unsigned long)msgmax)
		fx_skip("msgmnb (%lu) is below msgmax (%ld)", msgq_stat(id).msg_qbytes, msgmax);
	m->mtype = 1;
	memset(m->mtext, 'm', 1);
	FX_OK(msgsnd(id, m, (size_t)msgmax, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).__msg_cbytes, msgmax);
	FX_REQUIRE_EQ(msgrcv(id, m, (size_t)msgmax, 0, IPC_NOWAIT), msgmax);
	free(m);
}

FX_CASE(msgsnd__invalid_id_einval, "xsi", "msgsnd on a negative or removed queue id fails with EINVAL",
    "POSIX.1-2017 XSH msgsnd ERRORS [EINVAL]: msqid not valid")
{
	struct msgq_buf m = { .mtype = 1 };
	int gone = msgq_new();

	FX_OK(msgctl(gone, IPC_RMID, NULL));
	FX_REQUIRE_ERRNO(EINVAL, msgsnd(-1, &m, 1, IPC_NOWAIT));
	FX_REQUIRE_ERRNO(EINVAL, msgsnd(gone, &m, 1, IPC_NOWAIT));
}

FX_CASE(msgsnd__bad_address_efault, "linux", "msgsnd from an unmapped buffer fails with EFAULT and queues nothing",
    "msgsnd(2) ERRORS: EFAULT")
{
	int id = msgq_new();

	FX_REQUIRE_ERRNO(EFAULT, msgsnd(id, (void *)8, 4, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 0);
}

static void
send_denied(void *arg)
{
	struct msgq_buf m = { .mtype = 1 };

	FX_REQUIRE_ERRNO(EACCES, msgsnd(*(int *)arg, &m, 1, IPC_NOWAIT));
}

FX_CASE(msgsnd__no_write_permission_eacces, "xsi", "msgsnd without write permission on the queue fails with EACCES",
    "POSIX.1-2017 XSH msgsnd ERRORS [EACCES]")
{
	int *id = fx_shared(sizeof *id);

	*id = (int)FX_OK(fx_msgget(IPC_PRIVATE, IPC_CREAT | 0444));
	msgq_run_unprivileged(send_denied, id);
	FX_REQUIRE_EQ(msgq_stat(*id).msg_qnum, 0);
}

FX_CASE(msgsnd__updates_stat, "xsi", "a successful msgsnd increments msg_qnum and sets msg_lspid and msg_stime",
    "POSIX.1-2017 XSH msgsnd: upon successful completion")
{
	int id = msgq_new();
	time_t t0 = fx_kernel_seconds();
	struct msqid_ds ds;

	MSGQ_SEND(id, 1, "hello");
	MSGQ_SEND(id, 2, "abc");
	ds = msgq_stat(id);
	FX_REQUIRE_EQ(ds.msg_qnum, 2);
	FX_REQUIRE_EQ(ds.__msg_cbytes, 8);
	FX_REQUIRE_EQ(ds.msg_lspid, getpid());
	FX_REQUIRE(ds.msg_stime >= t0 && ds.msg_stime <= fx_kernel_seconds(),
	    "msg_stime %lld is not the time of the send (%lld..now)", (long long)ds.msg_stime,
	    (long long)t0);
	FX_REQUIRE_EQ(ds.msg_lrpid, 0);
	FX_REQUIRE_EQ(ds.msg_rtime, 0);
}

FX_CASE(msgsnd__zero_length, "xsi", "a message with msgsz 0 is queued and received with length 0",
    "POSIX.1-2017 XSH msgsnd: msgsz from 0 to the system limit")
{
	struct msgq_buf m = { .mtype = 3 };
	int id = msgq_new();

	FX_OK(msgsnd(id, &m, 0, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
	FX_REQUIRE_EQ(msgq_stat(id).__msg_cbytes, 0);
	m.mtype = 0;
	FX_REQUIRE_EQ(msgrcv(id, &m, MSGQ_TEXT, 0, IPC_NOWAIT), 0);
	FX_REQUIRE_EQ(m.mtype, 3);
}

static void
send_and_exit(void *arg)
{
	MSGQ_SEND(*(int *)arg, 6, "kept by the kernel");
}

FX_CASE(msgsnd__message_outlives_sender, "xsi", "a sent message stays on the queue after its sender has exited, until someone receives it",
    "POSIX.1-2017 XSH 2.7 XSI Interprocess Communication: queues persist")
{
	int *id = fx_shared(sizeof *id);
	struct fx_child *c;

	*id = msgq_new();
	c = fx_spawn(send_and_exit, id);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(msgq_stat(*id).msg_qnum, 1);
	MSGQ_EXPECT(*id, 0, 0, 6, "kept by the kernel");
}

FX_CASE(msgsnd__full_nowait_eagain, "xsi", "msgsnd with IPC_NOWAIT on a queue without room for the message fails with EAGAIN",
    "POSIX.1-2017 XSH msgsnd ERRORS [EAGAIN]")
{
	struct msgq_buf m = { .mtype = 1 };
	int id = msgq_new();

	set_qbytes(id, 8);
	FX_OK(msgsnd(id, &m, 8, IPC_NOWAIT));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, msgsnd(id, &m, 1, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
	FX_REQUIRE_EQ(msgq_stat(id).__msg_cbytes, 8);
}

FX_CASE(msgsnd__message_count_limited_by_qbytes, "linux", "the number of messages, not only their bytes, is bounded by msg_qbytes",
    "msgsnd(2): the queue is full when msg_qnum would exceed msg_qbytes (ipc/msg.c)")
{
	struct msgq_buf m = { .mtype = 1 };
	int id = msgq_new(), i;

	set_qbytes(id, 3);
	for (i = 0; i < 3; i++)
		FX_OK(msgsnd(id, &m, 0, IPC_NOWAIT));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, msgsnd(id, &m, 0, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 3);
}

FX_CASE(msgsnd__msgmax_set_in_namespace_exact, "linux", "with kernel/msgmax set to 100 in a private IPC namespace, a 100-byte message is accepted and a 101-byte one fails with EINVAL at once",
    "msgsnd(2) ERRORS: EINVAL msgsz greater than the system value MSGMAX; proc(5): /proc/sys/kernel/msgmax; ipc_namespaces(7)")
{
	struct { long mtype; char mtext[128]; } m = { .mtype = 1 };
	int id;

	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/msgmax", "100");
	id = (int)FX_OK(msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	FX_OK(msgsnd(id, &m, 100, IPC_NOWAIT));
	FX_REQUIRE_ERRNO_AT_ONCE(EINVAL, msgsnd(id, &m, 101, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
	FX_REQUIRE_EQ(msgrcv(id, &m, sizeof m.mtext, 0, IPC_NOWAIT), 100);
}

FX_CASE(msgsnd__msgmnb_set_in_namespace_bounds_bytes, "linux", "with kernel/msgmnb set to 300 in a private IPC namespace, a new queue's msg_qbytes is 300: it takes exactly 300 bytes and the next byte fails with EAGAIN at once",
    "msgget(2): msg_qbytes is set to MSGMNB; msgsnd(2) ERRORS: EAGAIN; proc(5): /proc/sys/kernel/msgmnb")
{
	struct { long mtype; char mtext[100]; } m = { .mtype = 1 };
	int id, i;

	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/msgmnb", "300");
	id = (int)FX_OK(msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qbytes, 300);
	for (i = 0; i < 3; i++)
		FX_OK(msgsnd(id, &m, 100, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).__msg_cbytes, 300);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, msgsnd(id, &m, 1, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 3);
}

FX_CASE(msgsnd__full_blocks_until_space, "xsi", "msgsnd on a full queue blocks until a receive frees enough room",
    "POSIX.1-2017 XSH msgsnd: IPC_NOWAIT clear, suspend until space")
{
	struct msgq_buf m = { .mtype = 1 };
	int id = msgq_new();
	struct msgq_job *j = msgq_job(id, 2, 0, 6);
	struct fx_child *c;

	set_qbytes(id, 10);
	FX_OK(msgsnd(id, &m, 6, IPC_NOWAIT));
	c = fx_spawn(msgq_send_job, j);
	fx_wait_blocked_in(fx_child_pid(c), "msgsnd", FX_DEADLINE);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
	FX_REQUIRE_EQ(msgrcv(id, &m, MSGQ_TEXT, 1, IPC_NOWAIT), 6);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 0);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
	FX_REQUIRE_EQ(msgq_stat(id).msg_lspid, fx_child_pid(c));
}

FX_CASE(msgsnd__sets_lspid_stime_in_other_process, "xsi", "msgsnd by a process that neither created the queue nor sent last sets msg_lspid to its pid, msg_stime to now, msg_qnum and msg_cbytes, and leaves msg_lrpid, msg_rtime and msg_ctime alone",
    "POSIX.1-2017 XSH msgsnd: upon successful completion msg_qnum incremented, msg_lspid, msg_stime set")
{
	int id = msgq_new();
	struct msgq_job *a = msgq_job(id, 1, 0, 3), *b = msgq_job(id, 2, 0, 5);
	struct msqid_ds before = msgq_stat(id), ds;
	struct fx_child *cb;
	time_t t0;

	fx_child_join(fx_spawn(msgq_send_job, a), FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(a->ret, a->err, 0);
	/* The clock ticks after the creation and the first send: stale stamps show. */
	t0 = fx_wait_kernel_tick(fx_kernel_seconds());
	cb = fx_spawn(msgq_send_job, b);
	fx_child_join(cb, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(b->ret, b->err, 0);
	ds = msgq_stat(id);
	FX_REQUIRE_EQ(ds.msg_lspid, fx_child_pid(cb));
	FX_REQUIRE_STAMP(ds.msg_stime, t0);
	FX_REQUIRE_EQ(ds.msg_qnum, 2);
	FX_REQUIRE_EQ(ds.__msg_cbytes, 8);
	FX_REQUIRE_EQ(ds.msg_lrpid, 0);
	FX_REQUIRE_EQ(ds.msg_rtime, 0);
	FX_REQUIRE_EQ(ds.msg_ctime, before.msg_ctime);
}

static void
receive_type_one(void *arg)
{
	struct msgq_buf m;

	FX_REQUIRE_EQ(msgrcv(*(int *)arg, &m, MSGQ_TEXT, 1, IPC_NOWAIT), 6);
}

FX_CASE(msgsnd__blocked_sender_stamps_on_completion, "xsi", "a msgsnd that blocked on a full queue sets msg_lspid to its own pid (not the receiver's that made room) and msg_stime to when it completed",
    "POSIX.1-2017 XSH msgsnd: upon successful completion msg_lspid, msg_stime set")
{
	struct msgq_buf m = { .mtype = 1 };
	int *id = fx_shared(sizeof *id);
	struct msgq_job *j;
	struct fx_child *s, *r;
	struct msqid_ds ds;
	time_t t0;

	*id = msgq_new();
	j = msgq_job(*id, 2, 0, 6);
	set_qbytes(*id, 10);
	FX_OK(msgsnd(*id, &m, 6, IPC_NOWAIT));
	t0 = fx_wait_kernel_tick(fx_kernel_seconds());
	s = fx_spawn(msgq_send_job, j);
	fx_wait_blocked_in(fx_child_pid(s), "msgsnd", FX_DEADLINE);
	r = fx_spawn(receive_type_one, id);
	fx_child_join(r, FX_DEADLINE);
	fx_child_join(s, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 0);
	ds = msgq_stat(*id);
	FX_REQUIRE_EQ(ds.msg_lspid, fx_child_pid(s));
	FX_REQUIRE_EQ(ds.msg_lrpid, fx_child_pid(r));
	FX_REQUIRE_STAMP(ds.msg_stime, t0);
	FX_REQUIRE_EQ(ds.msg_qnum, 1);
	FX_REQUIRE_EQ(ds.__msg_cbytes, 6);
}

FX_CASE(msgsnd__removed_while_blocked_eidrm, "xsi", "removing the queue wakes a blocked msgsnd, which fails with EIDRM",
    "POSIX.1-2017 XSH msgsnd ERRORS [EIDRM]")
{
	struct msgq_buf m = { .mtype = 1 };
	int id = msgq_new();
	struct msgq_job *j = msgq_job(id, 1, 0, 4);
	struct fx_child *c;

	set_qbytes(id, 4);
	FX_OK(msgsnd(id, &m, 4, IPC_NOWAIT));
	c = fx_spawn(msgq_send_job, j);
	fx_wait_blocked_in(fx_child_pid(c), "msgsnd", FX_DEADLINE);
	FX_OK(msgctl(id, IPC_RMID, NULL));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(j->ret, j->err, EIDRM);
}

/* Blocks a sender on a full queue, interrupts it with SIGUSR1 caught with sa_flags. */
static void
interrupt_blocked_send(int sa_flags)
{
	struct msgq_buf m = { .mtype = 1 };
	int id = msgq_new();
	struct msgq_job *j = msgq_job(id, 1, 0, 4);
	struct fx_child *c;

	j->catch_signal = true;
	j->sa_flags = sa_flags;
	set_qbytes(id, 4);
	FX_OK(msgsnd(id, &m, 4, IPC_NOWAIT));
	c = fx_spawn(msgq_send_job, j);
	fx_wait_blocked_in(fx_child_pid(c), "msgsnd", FX_DEADLINE);
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(j->ret, j->err, EINTR);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
}

FX_CASE(msgsnd__signal_interrupts_eintr, "xsi", "a caught signal interrupts a blocked msgsnd with EINTR and nothing is sent",
    "POSIX.1-2017 XSH msgsnd ERRORS [EINTR]")
{
	interrupt_blocked_send(0);
}

FX_CASE(msgsnd__not_restarted_by_sa_restart, "linux", "a blocked msgsnd fails with EINTR even when the handler has SA_RESTART",
    "signal(7): System V IPC interfaces are never restarted")
{
	interrupt_blocked_send(SA_RESTART);
}
