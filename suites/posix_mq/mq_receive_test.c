/*
 * mq_receive(3), mq_timedreceive(3): buffers, blocking on an empty queue.
 */
#include "mq.h"

FX_CASE(mq_receive__reports_length_and_priority, "posix", "mq_receive returns the message length and stores its priority in *msg_prio",
    "POSIX.1-2017 XSH mq_receive RETURN VALUE; msg_prio")
{
	mqd_t q = mq_small();
	char buf[16];
	unsigned prio = 0;

	MQ_SEND(q, "seven", 7);
	MQ_SEND(q, "x", 3);
	FX_REQUIRE_EQ(mq_receive(q, buf, sizeof buf, &prio), 5);
	FX_REQUIRE_EQ(prio, 7);
	FX_REQUIRE_MEMEQ(buf, "seven", 5);
	FX_REQUIRE_EQ(mq_receive(q, buf, sizeof buf, NULL), 1); /* msg_prio may be NULL */
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 0);
}

FX_CASE(mq_receive__short_buffer_emsgsize, "posix", "mq_receive with a buffer shorter than mq_msgsize fails with EMSGSIZE, even for a short message",
    "POSIX.1-2017 XSH mq_receive ERRORS [EMSGSIZE]")
{
	mqd_t q = mq_small();
	char buf[16];

	MQ_SEND(q, "ab", 0);
	FX_REQUIRE_ERRNO(EMSGSIZE, mq_receive(q, buf, 15, NULL));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
	MQ_EXPECT(q, "ab", 0);
}

FX_CASE(mq_receive__blocks_until_send, "posix", "mq_receive on an empty queue blocks until a message is sent",
    "POSIX.1-2017 XSH mq_receive: queue empty, O_NONBLOCK not set")
{
	mqd_t q = mq_small();
	struct mq_job *j = mq_job(q, NULL, 16, 0);
	struct fx_child *c = fx_spawn(mq_receive_job, j);

	fx_wait_blocked_in(fx_child_pid(c), "mq_receive", FX_DEADLINE);
	MQ_SEND(q, "wake", 6);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 4);
	FX_REQUIRE_MEMEQ(j->buf, "wake", 4);
	FX_REQUIRE_EQ(j->prio, 6);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 0);
}

FX_CASE(mq_receive__empty_nonblock_eagain, "posix", "mq_receive on an empty queue opened with O_NONBLOCK fails with EAGAIN",
    "POSIX.1-2017 XSH mq_receive ERRORS [EAGAIN]")
{
	char name[MQ_NAME_LEN], buf[16];
	mqd_t q = mq_new("q", O_RDONLY | O_NONBLOCK, 1, 16, name);

	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, mq_receive(q, buf, sizeof buf, NULL));
}

FX_CASE(mq_receive__write_only_ebadf, "posix", "mq_receive on a descriptor opened O_WRONLY fails with EBADF",
    "POSIX.1-2017 XSH mq_receive ERRORS [EBADF]: not open for reading")
{
	char name[MQ_NAME_LEN], buf[16];
	mqd_t q = mq_new("q", O_WRONLY, 1, 16, name);

	MQ_SEND(q, "kept", 0);
	FX_REQUIRE_ERRNO(EBADF, mq_receive(q, buf, sizeof buf, NULL));
	FX_REQUIRE_ERRNO(EBADF, mq_receive((mqd_t)-1, buf, sizeof buf, NULL));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
}

FX_CASE(mq_receive__signal_interrupts_eintr, "posix", "a caught signal interrupts a blocked mq_receive with EINTR",
    "POSIX.1-2017 XSH mq_receive ERRORS [EINTR]")
{
	mqd_t q = mq_small();
	struct mq_job *j = mq_job(q, NULL, 16, 0);
	struct fx_child *c;

	j->catch_signal = true;
	c = fx_spawn(mq_receive_job, j);
	fx_wait_blocked_in(fx_child_pid(c), "mq_receive", FX_DEADLINE);
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(j->ret, j->err, EINTR);
}

FX_CASE(mq_timedreceive__deadline_etimedout, "posix", "mq_timedreceive on an empty queue fails with ETIMEDOUT once the CLOCK_REALTIME deadline passes",
    "POSIX.1-2017 XSH mq_timedreceive ERRORS [ETIMEDOUT]")
{
	mqd_t q = mq_small();
	struct timespec past = { 0, 0 }, deadline = mq_realtime_in(100), now;
	char buf[16];

	FX_REQUIRE_ERRNO_AT_ONCE(ETIMEDOUT, mq_timedreceive(q, buf, sizeof buf, NULL, &past));
	FX_REQUIRE_ERRNO(ETIMEDOUT, mq_timedreceive(q, buf, sizeof buf, NULL, &deadline));
	clock_gettime(CLOCK_REALTIME, &now);
	FX_REQUIRE(now.tv_sec > deadline.tv_sec ||
	    (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec),
	    "mq_timedreceive returned ETIMEDOUT before its deadline");
}

FX_CASE(mq_timedreceive__bad_nsec_einval, "posix", "mq_timedreceive that would block with tv_nsec outside 0..999999999 fails with EINVAL",
    "POSIX.1-2017 XSH mq_timedreceive ERRORS [EINVAL]: abs_timeout tv_nsec")
{
	mqd_t q = mq_small();
	struct timespec big = mq_realtime_in(1000), neg = big;
	char buf[16];

	big.tv_nsec = 1000000000L;
	neg.tv_nsec = -1;
	FX_REQUIRE_ERRNO(EINVAL, mq_timedreceive(q, buf, sizeof buf, NULL, &big));
	FX_REQUIRE_ERRNO(EINVAL, mq_timedreceive(q, buf, sizeof buf, NULL, &neg));
}

FX_CASE(mq_timedreceive__blocks_then_receives, "posix", "mq_timedreceive with a far deadline blocks on an empty queue and returns the message sent",
    "POSIX.1-2017 XSH mq_timedreceive: wait terminated when a message arrives")
{
	mqd_t q = mq_small();
	struct mq_job *j = mq_job(q, NULL, 16, 0);
	struct fx_child *c;

	j->timed = true;
	j->deadline = mq_realtime_in(60000);
	c = fx_spawn(mq_receive_job, j);
	fx_wait_blocked_in(fx_child_pid(c), "mq_timedreceive", FX_DEADLINE);
	MQ_SEND(q, "in-time", 2);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 7);
	FX_REQUIRE_MEMEQ(j->buf, "in-time", 7);
	FX_REQUIRE_EQ(j->prio, 2);
}

FX_CASE(mq_receive__one_message_per_call, "posix", "one mq_receive returns exactly one message, never parts of several",
    "POSIX.1-2017 XSH mq_receive: the oldest of the highest priority messages")
{
	mqd_t q = mq_small();
	char buf[64];

	MQ_SEND(q, "ab", 0);
	MQ_SEND(q, "cd", 0);
	FX_REQUIRE_EQ(mq_receive(q, buf, sizeof buf, NULL), 2);
	FX_REQUIRE_MEMEQ(buf, "ab", 2);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
}

FX_CASE(mq_receive__waiting_readers_each_take_one, "posix", "two processes blocked in mq_receive each get one of two messages sent",
    "POSIX.1-2017 XSH mq_receive: more than one thread waiting")
{
	mqd_t q = mq_small();
	struct mq_job *a = mq_job(q, NULL, 16, 0), *b = mq_job(q, NULL, 16, 0);
	struct fx_child *ca = fx_spawn(mq_receive_job, a), *cb = fx_spawn(mq_receive_job, b);

	fx_wait_blocked_in(fx_child_pid(ca), "mq_receive", FX_DEADLINE);
	fx_wait_blocked_in(fx_child_pid(cb), "mq_receive", FX_DEADLINE);
	MQ_SEND(q, "one", 0);
	MQ_SEND(q, "two", 0);
	fx_child_join(ca, FX_DEADLINE);
	fx_child_join(cb, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(a->ret, a->err, 3);
	FX_REQUIRE_CHILD_RET(b->ret, b->err, 3);
	FX_REQUIRE(memcmp(a->buf, b->buf, 3) != 0, "both readers got '%.3s'", a->buf);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 0);
}

static void
receive_inherited(void *arg)
{
	MQ_EXPECT(*(mqd_t *)arg, "to-child", 1);
	MQ_SEND(*(mqd_t *)arg, "to-parent", 2);
}

FX_CASE(mq_receive__descriptor_inherited_by_fork, "posix", "a message queue descriptor open before fork(2) works in the child",
    "POSIX.1-2017 XSH fork: open message queue descriptors are inherited")
{
	mqd_t *q = fx_shared(sizeof *q);

	*q = mq_small();
	MQ_SEND(*q, "to-child", 1);
	fx_child_join(fx_spawn(receive_inherited, q), FX_DEADLINE);
	MQ_EXPECT(*q, "to-parent", 2);
}
