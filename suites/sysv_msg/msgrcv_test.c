/*
 * msgrcv(2): selecting, truncating and waiting for System V messages.
 */
#include "msgq.h"

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

/* Skips the case unless the kernel implements MSG_COPY (CONFIG_CHECKPOINT_RESTORE). */
static void
require_msg_copy(void)
{
	struct msgq_buf m;
	int id = msgq_new();

	MSGQ_SEND(id, 1, "probe");
	errno = 0;
	if (msgrcv(id, &m, MSGQ_TEXT, 0, MSG_COPY | IPC_NOWAIT) == -1 && errno == ENOSYS) {
		/* The kernel says whether it was built with it: msg_next_id comes with MSG_COPY. */
		if (access("/proc/sys/kernel/msg_next_id", F_OK) == 0)
			FX_FAIL(FX_NOT_IMPLEMENTED "MSG_COPY (ENOSYS): msgrcv(MSG_COPY) fails with "
			    "ENOSYS, yet /proc/sys/kernel/msg_next_id shows CONFIG_CHECKPOINT_RESTORE");
		fx_skip("needs MSG_COPY: msgrcv(MSG_COPY) fails with ENOSYS and there is no "
		    "/proc/sys/kernel/msg_next_id (a kernel without CONFIG_CHECKPOINT_RESTORE)");
	}
	FX_OK(msgctl(id, IPC_RMID, NULL));
}

FX_CASE(msgrcv__fifo_order, "xsi", "messages of one type come out in the order they were sent",
    "POSIX.1-2017 XSH msgrcv: msgtyp 0, first message on the queue")
{
	int id = msgq_new();

	MSGQ_SEND(id, 1, "one");
	MSGQ_SEND(id, 1, "two");
	MSGQ_SEND(id, 1, "three");
	MSGQ_EXPECT(id, 0, 0, 1, "one");
	MSGQ_EXPECT(id, 0, 0, 1, "two");
	MSGQ_EXPECT(id, 0, 0, 1, "three");
}

FX_CASE(msgrcv__type_zero_takes_first, "xsi", "msgtyp 0 takes the first message whatever its type",
    "POSIX.1-2017 XSH msgrcv: msgtyp is 0")
{
	int id = msgq_new();

	MSGQ_SEND(id, 7, "seven");
	MSGQ_SEND(id, 2, "two");
	MSGQ_EXPECT(id, 0, 0, 7, "seven");
	MSGQ_EXPECT(id, 0, 0, 2, "two");
}

FX_CASE(msgrcv__type_positive_takes_first_of_type, "xsi", "msgtyp > 0 takes the first message of that type, passing over others",
    "POSIX.1-2017 XSH msgrcv: msgtyp is greater than 0")
{
	int id = msgq_new();

	MSGQ_SEND(id, 1, "a1");
	MSGQ_SEND(id, 2, "b1");
	MSGQ_SEND(id, 2, "b2");
	MSGQ_SEND(id, 1, "a2");
	MSGQ_EXPECT(id, 2, 0, 2, "b1");
	MSGQ_EXPECT(id, 2, 0, 2, "b2");
	MSGQ_EXPECT(id, 0, 0, 1, "a1");
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
}

FX_CASE(msgrcv__type_negative_takes_lowest, "xsi", "msgtyp < 0 takes the first message of the lowest type <= |msgtyp|",
    "POSIX.1-2017 XSH msgrcv: msgtyp is less than 0")
{
	int id = msgq_new();
	struct msgq_buf m;

	MSGQ_SEND(id, 3, "c");
	MSGQ_SEND(id, 5, "e");
	MSGQ_SEND(id, 2, "b1");
	MSGQ_SEND(id, 2, "b2");
	MSGQ_EXPECT(id, -3, 0, 2, "b1");
	MSGQ_EXPECT(id, -3, 0, 2, "b2");
	MSGQ_EXPECT(id, -3, 0, 3, "c");
	FX_REQUIRE_ERRNO_AT_ONCE(ENOMSG, msgrcv(id, &m, MSGQ_TEXT, -3, IPC_NOWAIT));
	MSGQ_EXPECT(id, -5, 0, 5, "e");
}

/* A client of the seed notes' server: sends its number as type id, waits for type id+3. */
struct client { int qid; long id; int reply; };

static void
client_main(void *arg)
{
	struct client *c = arg;
	struct { long mtype; int data; } m = { c->id, (int)c->id * 10 };

	FX_OK(msgsnd(c->qid, &m, sizeof m.data, 0));
	FX_REQUIRE_EQ(msgrcv(c->qid, &m, sizeof m.data, c->id + 3, 0), sizeof m.data);
	c->reply = m.data;
}

/* The server: three requests by msgtyp -3 (types 1..3), each answered with type +3 and data +8. */
static void
server_main(void *arg)
{
	struct { long mtype; int data; } m;
	int id = *(int *)arg, i;

	for (i = 0; i < 3; i++) {
		FX_REQUIRE_EQ(msgrcv(id, &m, sizeof m.data, -3, 0), sizeof m.data);
		FX_REQUIRE(m.mtype >= 1 && m.mtype <= 3, "server got a reply type %ld", m.mtype);
		m.mtype += 3;
		m.data += 8;
		FX_OK(msgsnd(id, &m, sizeof m.data, 0));
	}
}

FX_CASE(msgrcv__type_negative_server_pattern, "xsi", "a server reading msgtyp -3 serves clients 1..3 that wait for type id+3 on one queue",
    "POSIX.1-2017 XSH msgrcv: msgtyp less than 0 and greater than 0")
{
	struct client *cl = fx_shared(3 * sizeof *cl);
	struct fx_child *c[3], *server;
	int id = msgq_new(), i, status;

	for (i = 0; i < 3; i++) {
		cl[i] = (struct client){ .qid = id, .id = i + 1 };
		c[i] = fx_spawn(client_main, &cl[i]);
	}
	/* The server blocks in msgrcv: in a child, so that a receive that never returns has a deadline. */
	server = fx_spawn(server_main, &id);
	status = fx_child_wait_status(server, FX_DEADLINE);
	FX_REQUIRE(status != -1, "the server's msgrcv(id, &m, %zu, -3, 0) still blocked after %d ms "
	    "with %lu message(s) queued (requests of types 1..3)", sizeof(int), FX_DEADLINE,
	    (unsigned long)msgq_stat(id).msg_qnum);
	FX_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0, "server: %s",
	    fx_child_report(server));
	for (i = 0; i < 3; i++) {
		fx_child_join(c[i], FX_DEADLINE);
		FX_REQUIRE_EQ(cl[i].reply, (i + 1) * 10 + 8);
	}
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 0);
}

FX_CASE(msgrcv__except_takes_other_type, "linux", "MSG_EXCEPT with msgtyp > 0 takes the first message of any other type",
    "msgrcv(2): MSG_EXCEPT")
{
	int id = msgq_new();
	struct msgq_buf m;

	MSGQ_SEND(id, 1, "skip");
	MSGQ_SEND(id, 4, "four");
	MSGQ_SEND(id, 2, "two");
	MSGQ_EXPECT(id, 1, MSG_EXCEPT, 4, "four");
	MSGQ_EXPECT(id, 1, MSG_EXCEPT, 2, "two");
	FX_REQUIRE_ERRNO_AT_ONCE(ENOMSG, msgrcv(id, &m, MSGQ_TEXT, 1, MSG_EXCEPT | IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
}

FX_CASE(msgrcv__one_message_per_call, "xsi", "a queue is not a byte stream: one msgrcv returns one whole message, however large the buffer",
    "POSIX.1-2017 XSH msgrcv: reads a message from the queue")
{
	int id = msgq_new();
	struct msgq_buf m;

	MSGQ_SEND(id, 1, "ab");
	MSGQ_SEND(id, 1, "cd");
	FX_REQUIRE_EQ(msgrcv(id, &m, MSGQ_TEXT, 0, IPC_NOWAIT), 2);
	FX_REQUIRE_MEMEQ(m.mtext, "ab", 2);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
}

FX_CASE(msgrcv__too_long_e2big_keeps_message, "xsi", "a message longer than msgsz fails with E2BIG and stays on the queue",
    "POSIX.1-2017 XSH msgrcv ERRORS [E2BIG]")
{
	int id = msgq_new();
	struct msgq_buf m;

	MSGQ_SEND(id, 1, "0123456789");
	FX_REQUIRE_ERRNO(E2BIG, msgrcv(id, &m, 4, 0, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
	MSGQ_EXPECT(id, 0, 0, 1, "0123456789");
}

FX_CASE(msgrcv__noerror_truncates, "xsi", "MSG_NOERROR truncates a too-long message to msgsz and removes it",
    "POSIX.1-2017 XSH msgrcv: MSG_NOERROR")
{
	int id = msgq_new();
	struct msgq_buf m;

	memset(&m, 0, sizeof m);
	MSGQ_SEND(id, 1, "0123456789");
	FX_REQUIRE_EQ(msgrcv(id, &m, 4, 0, MSG_NOERROR | IPC_NOWAIT), 4);
	FX_REQUIRE_MEMEQ(m.mtext, "0123\0", 5);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 0);
	FX_REQUIRE_EQ(msgq_stat(id).__msg_cbytes, 0);
}

FX_CASE(msgrcv__returns_mtext_length, "xsi", "msgrcv returns the number of bytes placed in mtext, mtype not included",
    "POSIX.1-2017 XSH msgrcv RETURN VALUE")
{
	int id = msgq_new();
	struct msgq_buf m;

	MSGQ_SEND(id, 9, "abcdefg");
	FX_REQUIRE_EQ(msgrcv(id, &m, MSGQ_TEXT, 0, IPC_NOWAIT), 7);
	FX_REQUIRE_EQ(m.mtype, 9);
}

FX_CASE(msgrcv__nowait_empty_enomsg, "xsi", "msgrcv with IPC_NOWAIT on an empty queue fails with ENOMSG",
    "POSIX.1-2017 XSH msgrcv ERRORS [ENOMSG]")
{
	struct msgq_buf m;

	FX_REQUIRE_ERRNO_AT_ONCE(ENOMSG, msgrcv(msgq_new(), &m, MSGQ_TEXT, 0, IPC_NOWAIT));
}

FX_CASE(msgrcv__nowait_no_such_type_enomsg, "xsi", "msgrcv with IPC_NOWAIT fails with ENOMSG when no message has the type asked for",
    "POSIX.1-2017 XSH msgrcv ERRORS [ENOMSG]")
{
	int id = msgq_new();
	struct msgq_buf m;

	MSGQ_SEND(id, 2, "two");
	FX_REQUIRE_ERRNO_AT_ONCE(ENOMSG, msgrcv(id, &m, MSGQ_TEXT, 1, IPC_NOWAIT));
	FX_REQUIRE_ERRNO_AT_ONCE(ENOMSG, msgrcv(id, &m, MSGQ_TEXT, -1, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
}

FX_CASE(msgrcv__blocks_until_message, "xsi", "msgrcv on an empty queue blocks until a message arrives",
    "POSIX.1-2017 XSH msgrcv: IPC_NOWAIT clear, suspend until a message")
{
	int id = msgq_new();
	struct msgq_job *j = msgq_job(id, 0, 0, 0);
	struct fx_child *c = fx_spawn(msgq_receive_job, j);

	fx_wait_blocked_in(fx_child_pid(c), "msgrcv", FX_DEADLINE);
	MSGQ_SEND(id, 5, "wake");
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 4);
	FX_REQUIRE_EQ(j->msg.mtype, 5);
	FX_REQUIRE_MEMEQ(j->msg.mtext, "wake", 4);
	FX_REQUIRE_EQ(msgq_stat(id).msg_lrpid, fx_child_pid(c));
}

FX_CASE(msgrcv__stays_blocked_for_other_type, "xsi", "a msgrcv waiting for one type stays blocked when a message of another type arrives",
    "POSIX.1-2017 XSH msgrcv: suspend until a message of the desired type")
{
	int id = msgq_new();
	struct msgq_job *j = msgq_job(id, 2, 0, 0);
	struct fx_child *c = fx_spawn(msgq_receive_job, j);
	struct msgq_count one = { id, 1 };

	fx_wait_blocked_in(fx_child_pid(c), "msgrcv", FX_DEADLINE);
	MSGQ_SEND(id, 1, "other");
	fx_wait_until(msgq_has_qnum, &one, FX_DEADLINE, "the type-1 message on the queue");
	fx_wait_blocked_in(fx_child_pid(c), "msgrcv", FX_DEADLINE);
	FX_REQUIRE(!fx_child_exited(c), "the receiver returned for a message of another type");
	MSGQ_SEND(id, 2, "mine");
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 4);
	FX_REQUIRE_EQ(j->msg.mtype, 2);
	FX_REQUIRE(msgq_has_qnum(&one), "the type-1 message is no longer alone on the queue");
}

FX_CASE(msgrcv__message_goes_to_the_receiver_of_its_type, "xsi", "of two blocked receivers, a message of type 1 goes to the later one waiting for type 1, not to the earlier one waiting for type 2",
    "POSIX.1-2017 XSH msgrcv: suspend until a message of the desired type is placed on the queue")
{
	int id = msgq_new();
	struct msgq_job *two = msgq_job(id, 2, 0, 0), *one = msgq_job(id, 1, 0, 0);
	struct fx_child *t, *o;

	/* The receiver a first-come implementation would serve waits first. */
	t = fx_spawn(msgq_receive_job, two);
	fx_wait_blocked_in(fx_child_pid(t), "msgrcv", FX_DEADLINE);
	o = fx_spawn(msgq_receive_job, one);
	fx_wait_blocked_in(fx_child_pid(o), "msgrcv", FX_DEADLINE);
	MSGQ_SEND(id, 1, "for one");
	fx_child_join(o, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(one->ret, one->err, 7);
	FX_REQUIRE_EQ(one->msg.mtype, 1);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 0);
	fx_wait_blocked_in(fx_child_pid(t), "msgrcv", FX_DEADLINE);
	FX_REQUIRE(!fx_child_exited(t), "the type-2 receiver returned %zd for a type-1 message",
	    two->ret);
	MSGQ_SEND(id, 2, "for two");
	fx_child_join(t, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(two->ret, two->err, 7);
	FX_REQUIRE_EQ(two->msg.mtype, 2);
}

FX_CASE(msgrcv__removed_while_blocked_eidrm, "xsi", "removing the queue wakes a blocked msgrcv, which fails with EIDRM",
    "POSIX.1-2017 XSH msgrcv ERRORS [EIDRM]")
{
	int id = msgq_new();
	struct msgq_job *j = msgq_job(id, 0, 0, 0);
	struct fx_child *c = fx_spawn(msgq_receive_job, j);

	fx_wait_blocked_in(fx_child_pid(c), "msgrcv", FX_DEADLINE);
	FX_OK(msgctl(id, IPC_RMID, NULL));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(j->ret, j->err, EIDRM);
}

FX_CASE(msgrcv__signal_interrupts_eintr, "xsi", "a caught signal interrupts a blocked msgrcv with EINTR",
    "POSIX.1-2017 XSH msgrcv ERRORS [EINTR]")
{
	int id = msgq_new();
	struct msgq_job *j = msgq_job(id, 0, 0, 0);
	struct fx_child *c;

	j->catch_signal = true;
	j->sa_flags = SA_RESTART; /* System V IPC calls are never restarted (signal(7)) */
	c = fx_spawn(msgq_receive_job, j);
	fx_wait_blocked_in(fx_child_pid(c), "msgrcv", FX_DEADLINE);
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(j->ret, j->err, EINTR);
}

FX_CASE(msgrcv__updates_stat, "xsi", "a successful msgrcv decrements msg_qnum and sets msg_lrpid and msg_rtime",
    "POSIX.1-2017 XSH msgrcv: upon successful completion")
{
	int id = msgq_new();
	time_t t0 = fx_kernel_seconds();
	struct msqid_ds ds;

	MSGQ_SEND(id, 1, "abc");
	MSGQ_SEND(id, 1, "de");
	MSGQ_EXPECT(id, 0, 0, 1, "abc");
	ds = msgq_stat(id);
	FX_REQUIRE_EQ(ds.msg_qnum, 1);
	FX_REQUIRE_EQ(ds.__msg_cbytes, 2);
	FX_REQUIRE_EQ(ds.msg_lrpid, getpid());
	FX_REQUIRE(ds.msg_rtime >= t0 && ds.msg_rtime <= fx_kernel_seconds(),
	    "msg_rtime %lld is not the time of the receive (%lld..now)", (long long)ds.msg_rtime,
	    (long long)t0);
}

FX_CASE(msgrcv__sets_lrpid_rtime_in_other_process, "xsi", "msgrcv by a process that neither created the queue, nor sent, nor received last sets msg_lrpid to its pid, msg_rtime to now, msg_qnum and msg_cbytes, and leaves msg_lspid, msg_stime and msg_ctime alone",
    "POSIX.1-2017 XSH msgrcv: upon successful completion msg_qnum decremented, msg_lrpid, msg_rtime set")
{
	int id = msgq_new();
	struct msgq_job *a = msgq_job(id, 0, IPC_NOWAIT, 0), *b = msgq_job(id, 0, IPC_NOWAIT, 0);
	struct msqid_ds before, ds;
	struct fx_child *cb;
	time_t t0;

	MSGQ_SEND(id, 1, "abc");
	MSGQ_SEND(id, 2, "defgh");
	before = msgq_stat(id);
	fx_child_join(fx_spawn(msgq_receive_job, a), FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(a->ret, a->err, 3);
	t0 = fx_wait_kernel_tick(fx_kernel_seconds());
	cb = fx_spawn(msgq_receive_job, b);
	fx_child_join(cb, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(b->ret, b->err, 5);
	ds = msgq_stat(id);
	FX_REQUIRE_EQ(ds.msg_lrpid, fx_child_pid(cb));
	FX_REQUIRE_STAMP(ds.msg_rtime, t0);
	FX_REQUIRE_EQ(ds.msg_qnum, 0);
	FX_REQUIRE_EQ(ds.__msg_cbytes, 0);
	FX_REQUIRE_EQ(ds.msg_lspid, getpid());
	FX_REQUIRE_EQ(ds.msg_stime, before.msg_stime);
	FX_REQUIRE_EQ(ds.msg_ctime, before.msg_ctime);
}

static void
send_three_bytes(void *arg)
{
	MSGQ_SEND(*(int *)arg, 4, "xyz");
}

FX_CASE(msgrcv__blocked_receiver_sets_lrpid, "xsi", "a msgrcv that blocked on an empty queue sets msg_lrpid to its own pid (not the sender's that woke it) and msg_rtime to when it completed",
    "POSIX.1-2017 XSH msgrcv: upon successful completion msg_lrpid, msg_rtime set")
{
	int *id = fx_shared(sizeof *id);
	struct msgq_job *j;
	struct fx_child *r, *s;
	struct msqid_ds ds;
	time_t t0;

	*id = msgq_new();
	j = msgq_job(*id, 0, 0, 0);
	r = fx_spawn(msgq_receive_job, j);
	fx_wait_blocked_in(fx_child_pid(r), "msgrcv", FX_DEADLINE);
	t0 = fx_wait_kernel_tick(fx_kernel_seconds());
	s = fx_spawn(send_three_bytes, id);
	fx_child_join(s, FX_DEADLINE);
	fx_child_join(r, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 3);
	ds = msgq_stat(*id);
	FX_REQUIRE_EQ(ds.msg_lrpid, fx_child_pid(r));
	FX_REQUIRE_EQ(ds.msg_lspid, fx_child_pid(s));
	FX_REQUIRE_STAMP(ds.msg_rtime, t0);
	FX_REQUIRE_STAMP(ds.msg_stime, t0);
	FX_REQUIRE_EQ(ds.msg_qnum, 0);
}

FX_CASE(msgrcv__invalid_id_einval, "xsi", "msgrcv on a negative or removed queue id fails with EINVAL",
    "POSIX.1-2017 XSH msgrcv ERRORS [EINVAL]: msqid not valid")
{
	struct msgq_buf m;
	int gone = msgq_new();

	FX_OK(msgctl(gone, IPC_RMID, NULL));
	FX_REQUIRE_ERRNO(EINVAL, msgrcv(-1, &m, MSGQ_TEXT, 0, IPC_NOWAIT));
	FX_REQUIRE_ERRNO(EINVAL, msgrcv(gone, &m, MSGQ_TEXT, 0, IPC_NOWAIT));
}

FX_CASE(msgrcv__negative_size_einval, "linux", "msgrcv with msgsz negative as a long fails with EINVAL",
    "msgrcv(2) ERRORS: EINVAL, msgsz less than 0")
{
	int id = msgq_new();
	struct msgq_buf m;

	MSGQ_SEND(id, 1, "x");
	FX_REQUIRE_ERRNO(EINVAL, msgrcv(id, &m, (size_t)-1, 0, IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
}

static void
receive_denied(void *arg)
{
	struct msgq_buf m;

	FX_REQUIRE_ERRNO(EACCES, msgrcv(*(int *)arg, &m, MSGQ_TEXT, 0, IPC_NOWAIT));
}

FX_CASE(msgrcv__no_read_permission_eacces, "xsi", "msgrcv without read permission on the queue fails with EACCES",
    "POSIX.1-2017 XSH msgrcv ERRORS [EACCES]")
{
	int *id = fx_shared(sizeof *id);

	*id = msgq_new();
	MSGQ_SEND(*id, 1, "secret");
	msgq_chmod(*id, 0222);
	msgq_run_unprivileged(receive_denied, id);
	msgq_chmod(*id, 0600);
	FX_REQUIRE_EQ(msgq_stat(*id).msg_qnum, 1);
}

FX_CASE(msgrcv__copy_takes_nth_without_removing, "linux", "MSG_COPY|IPC_NOWAIT copies the message at index msgtyp and leaves the queue alone",
    "msgrcv(2): MSG_COPY (since Linux 3.8)")
{
	int id = msgq_new();

	require_msg_copy();
	MSGQ_SEND(id, 1, "zero");
	MSGQ_SEND(id, 2, "one");
	MSGQ_SEND(id, 3, "two");
	MSGQ_EXPECT(id, 1, MSG_COPY, 2, "one");
	MSGQ_EXPECT(id, 2, MSG_COPY, 3, "two");
	MSGQ_EXPECT(id, 0, MSG_COPY, 1, "zero");
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 3);
	MSGQ_EXPECT(id, 0, 0, 1, "zero");
}

FX_CASE(msgrcv__copy_past_end_enomsg, "linux", "MSG_COPY of an index past the last message fails with ENOMSG",
    "msgrcv(2) ERRORS: ENOMSG, IPC_NOWAIT and MSG_COPY, queue shorter")
{
	int id = msgq_new();
	struct msgq_buf m;

	require_msg_copy();
	MSGQ_SEND(id, 1, "zero");
	MSGQ_SEND(id, 1, "one");
	FX_REQUIRE_ERRNO_AT_ONCE(ENOMSG, msgrcv(id, &m, MSGQ_TEXT, 2, MSG_COPY | IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 2);
}

FX_CASE(msgrcv__copy_needs_nowait_einval, "linux", "MSG_COPY without IPC_NOWAIT fails with EINVAL",
    "msgrcv(2) ERRORS: EINVAL, MSG_COPY without IPC_NOWAIT")
{
	int id = msgq_new();
	struct msgq_buf m;

	require_msg_copy();
	MSGQ_SEND(id, 1, "zero");
	FX_REQUIRE_ERRNO(EINVAL, msgrcv(id, &m, MSGQ_TEXT, 0, MSG_COPY));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
}

FX_CASE(msgrcv__copy_with_except_einval, "linux", "MSG_COPY together with MSG_EXCEPT fails with EINVAL",
    "msgrcv(2) ERRORS: EINVAL, MSG_COPY and MSG_EXCEPT")
{
	int id = msgq_new();
	struct msgq_buf m;

	require_msg_copy();
	MSGQ_SEND(id, 1, "zero");
	FX_REQUIRE_ERRNO(EINVAL, msgrcv(id, &m, MSGQ_TEXT, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT));
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 1);
}
