/*
 * mq_send(3), mq_timedsend(3): priorities, limits and blocking on a full queue.
 */
#include "mq.h"

#include <limits.h>

/* A queue of `maxmsg` 16-byte messages, filled up. */
static mqd_t
full_queue(long maxmsg)
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("full", O_RDWR, maxmsg, 16, name);
	long i;

	for (i = 0; i < maxmsg; i++)
		MQ_SEND(q, "filler", 0);
	return q;
}

FX_CASE(mq_send__higher_priority_first, "posix", "messages are received highest priority first, whatever the order of sending",
    "POSIX.1-2017 XSH mq_send: inserted according to msg_prio")
{
	mqd_t q = mq_small();

	MQ_SEND(q, "low", 1);
	MQ_SEND(q, "high", 9);
	MQ_SEND(q, "zero", 0);
	MQ_SEND(q, "mid", 5);
	MQ_EXPECT(q, "high", 9);
	MQ_EXPECT(q, "mid", 5);
	MQ_EXPECT(q, "low", 1);
	MQ_EXPECT(q, "zero", 0);
}

FX_CASE(mq_send__fifo_within_priority, "posix", "messages of equal priority are received in the order they were sent",
    "POSIX.1-2017 XSH mq_send: after other messages of equal priority")
{
	mqd_t q = mq_small();

	MQ_SEND(q, "a1", 3);
	MQ_SEND(q, "b1", 7);
	MQ_SEND(q, "a2", 3);
	MQ_SEND(q, "b2", 7);
	MQ_EXPECT(q, "b1", 7);
	MQ_EXPECT(q, "b2", 7);
	MQ_EXPECT(q, "a1", 3);
	MQ_EXPECT(q, "a2", 3);
}

FX_CASE(mq_send__priority_max_einval, "posix", "a priority >= MQ_PRIO_MAX fails with EINVAL; MQ_PRIO_MAX - 1 is accepted",
    "POSIX.1-2017 XSH mq_send ERRORS [EINVAL]: msg_prio outside range")
{
	long prio_max = sysconf(_SC_MQ_PRIO_MAX);
	mqd_t q = mq_small();

	FX_REQUIRE(prio_max >= 32, "sysconf(_SC_MQ_PRIO_MAX) = %ld, POSIX requires >= 32", prio_max);
	FX_REQUIRE_ERRNO(EINVAL, mq_send(q, "x", 1, (unsigned)prio_max));
	FX_REQUIRE_ERRNO(EINVAL, mq_send(q, "x", 1, (unsigned)-1));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 0);
	MQ_SEND(q, "top", (unsigned)prio_max - 1);
	MQ_EXPECT(q, "top", (unsigned)prio_max - 1);
}

FX_CASE(mq_send__linux_prio_max_32768, "linux", "on Linux MQ_PRIO_MAX is 32768: a send at priority 32767 is accepted and received first, one at 32768 fails with EINVAL",
    "mq_send(3): msg_prio 0 to sysconf(_SC_MQ_PRIO_MAX) - 1 (32768 on Linux)")
{
	mqd_t q = mq_small();

	FX_REQUIRE_EQ(sysconf(_SC_MQ_PRIO_MAX), 32768);
#ifdef MQ_PRIO_MAX
	FX_REQUIRE_EQ(MQ_PRIO_MAX, 32768);
#endif
	/* Not the constants alone: the kernel's own bound, on both sides of it. */
	MQ_SEND(q, "low", 32766);
	MQ_SEND(q, "top", 32767);
	FX_REQUIRE_ERRNO(EINVAL, mq_send(q, "over", 4, 32768));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 2);
	MQ_EXPECT(q, "top", 32767);
	MQ_EXPECT(q, "low", 32766);
}

FX_CASE(mq_send__too_long_emsgsize, "posix", "a message longer than mq_msgsize fails with EMSGSIZE; exactly mq_msgsize is accepted",
    "POSIX.1-2017 XSH mq_send ERRORS [EMSGSIZE]")
{
	char buf[17] = "0123456789abcdef";
	mqd_t q = mq_small();

	FX_REQUIRE_ERRNO(EMSGSIZE, mq_send(q, buf, 17, 0));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 0);
	FX_OK(mq_send(q, buf, 16, 0));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
}

FX_CASE(mq_send__zero_length, "posix", "a zero-length message is queued and received with length 0",
    "POSIX.1-2017 XSH mq_send: msg_len less than or equal to mq_msgsize")
{
	mqd_t q = mq_small();

	FX_OK(mq_send(q, "", 0, 2));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
	MQ_EXPECT(q, "", 2);
}

FX_CASE(mq_send__full_blocks_until_receive, "posix", "mq_send on a full queue blocks until a receive makes room",
    "POSIX.1-2017 XSH mq_send: queue full, O_NONBLOCK not set")
{
	mqd_t q = full_queue(2);
	struct mq_job *j = mq_job(q, "late", 4, 1);
	struct fx_child *c = fx_spawn(mq_send_job, j);
	struct mq_count two = { q, 2 };

	fx_wait_blocked_in(fx_child_pid(c), "mq_send", FX_DEADLINE);
	FX_REQUIRE(mq_has_curmsgs(&two), "the queue is no longer full");
	MQ_EXPECT(q, "filler", 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 0);
	MQ_EXPECT(q, "late", 1);
}

FX_CASE(mq_send__full_nonblock_eagain, "posix", "mq_send on a full queue opened with O_NONBLOCK fails with EAGAIN",
    "POSIX.1-2017 XSH mq_send ERRORS [EAGAIN]")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_WRONLY | O_NONBLOCK, 1, 8, name);

	MQ_SEND(q, "one", 0);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, mq_send(q, "two", 3, 0));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
}

FX_CASE(mq_send__read_only_ebadf, "posix", "mq_send on a descriptor opened O_RDONLY fails with EBADF",
    "POSIX.1-2017 XSH mq_send ERRORS [EBADF]: not open for writing")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDONLY, 1, 8, name);

	FX_REQUIRE_ERRNO(EBADF, mq_send(q, "x", 1, 0));
	FX_REQUIRE_ERRNO(EBADF, mq_send((mqd_t)-1, "x", 1, 0));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 0);
}

FX_CASE(mq_send__signal_interrupts_eintr, "posix", "a caught signal interrupts a blocked mq_send with EINTR and nothing is sent",
    "POSIX.1-2017 XSH mq_send ERRORS [EINTR]")
{
	mqd_t q = full_queue(1);
	struct mq_job *j = mq_job(q, "late", 4, 0);
	struct fx_child *c;

	j->catch_signal = true;
	c = fx_spawn(mq_send_job, j);
	fx_wait_blocked_in(fx_child_pid(c), "mq_send", FX_DEADLINE);
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(j->ret, j->err, EINTR);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
}

FX_CASE(mq_timedsend__deadline_etimedout, "posix", "mq_timedsend on a full queue fails with ETIMEDOUT once the CLOCK_REALTIME deadline passes",
    "POSIX.1-2017 XSH mq_timedsend ERRORS [ETIMEDOUT]")
{
	mqd_t q = full_queue(1);
	struct timespec past = { 0, 0 }, deadline = mq_realtime_in(100), now;

	FX_REQUIRE_ERRNO_AT_ONCE(ETIMEDOUT, mq_timedsend(q, "x", 1, 0, &past));
	FX_REQUIRE_ERRNO(ETIMEDOUT, mq_timedsend(q, "x", 1, 0, &deadline));
	clock_gettime(CLOCK_REALTIME, &now);
	FX_REQUIRE(now.tv_sec > deadline.tv_sec ||
	    (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec),
	    "mq_timedsend returned ETIMEDOUT before its deadline");
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
}

FX_CASE(mq_timedsend__bad_nsec_einval, "posix", "mq_timedsend that would block with tv_nsec outside 0..999999999 fails with EINVAL",
    "POSIX.1-2017 XSH mq_timedsend ERRORS [EINVAL]: abs_timeout tv_nsec")
{
	mqd_t q = full_queue(1);
	struct timespec big = mq_realtime_in(1000), neg = big;

	big.tv_nsec = 1000000000L;
	neg.tv_nsec = -1;
	FX_REQUIRE_ERRNO(EINVAL, mq_timedsend(q, "x", 1, 0, &big));
	FX_REQUIRE_ERRNO(EINVAL, mq_timedsend(q, "x", 1, 0, &neg));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
}

FX_CASE(mq_timedsend__blocks_then_sends, "posix", "mq_timedsend with a far deadline blocks on a full queue and sends once room is made",
    "POSIX.1-2017 XSH mq_timedsend: wait terminated when space is available")
{
	mqd_t q = full_queue(1);
	struct mq_job *j = mq_job(q, "timed", 5, 4);
	struct fx_child *c;

	j->timed = true;
	j->deadline = mq_realtime_in(60000);
	c = fx_spawn(mq_send_job, j);
	fx_wait_blocked_in(fx_child_pid(c), "mq_timedsend", FX_DEADLINE);
	MQ_EXPECT(q, "filler", 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 0);
	MQ_EXPECT(q, "timed", 4);
}
