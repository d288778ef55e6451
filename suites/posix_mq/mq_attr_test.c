/*
 * mq_getattr(3), mq_setattr(3): a queue's attributes and its descriptor's flags.
 */
#include "mq.h"

FX_CASE(mq_getattr__reports_creation_attrs, "posix", "mq_getattr reports the mq_maxmsg and mq_msgsize given at creation and 0 flags",
    "POSIX.1-2017 XSH mq_getattr: mq_maxmsg, mq_msgsize set at creation")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 3, 40, name);
	struct mq_attr a = mq_attr_of(q);

	FX_REQUIRE_EQ(a.mq_maxmsg, 3);
	FX_REQUIRE_EQ(a.mq_msgsize, 40);
	FX_REQUIRE_EQ(a.mq_flags, 0);
	FX_REQUIRE_EQ(a.mq_curmsgs, 0);
}

FX_CASE(mq_getattr__curmsgs_follows_queue, "posix", "mq_curmsgs counts the messages on the queue as sends and receives happen",
    "POSIX.1-2017 XSH mq_getattr: mq_curmsgs")
{
	mqd_t q = mq_small();
	char buf[16];

	MQ_SEND(q, "a", 0);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
	MQ_SEND(q, "b", 0);
	MQ_SEND(q, "c", 0);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 3);
	FX_OK(mq_receive(q, buf, sizeof buf, NULL));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 2);
}

/* Opens the queue by name in this (child) process and sends two messages, or receives one. */
static void
send_two_by_name(void *arg)
{
	mqd_t q = (mqd_t)FX_OK(mq_open((const char *)arg, O_WRONLY));

	MQ_SEND(q, "x", 1);
	MQ_SEND(q, "y", 2);
}

static void
receive_one_by_name(void *arg)
{
	mqd_t q = (mqd_t)FX_OK(mq_open((const char *)arg, O_RDONLY));
	char buf[16];
	unsigned prio;

	FX_REQUIRE_EQ(mq_receive(q, buf, sizeof buf, &prio), 1);
	FX_REQUIRE_EQ(prio, 2);
}

FX_CASE(mq_getattr__curmsgs_counts_other_processes, "posix", "mq_curmsgs seen through the creator's descriptor counts the sends and receives other processes make through their own opens of the queue",
    "POSIX.1-2017 XSH mq_getattr: mq_curmsgs, the number of messages currently on the queue")
{
	char *name = fx_shared(MQ_NAME_LEN);
	mqd_t q = mq_new("q", O_RDWR, 4, 16, name);

	fx_child_join(fx_spawn(send_two_by_name, name), FX_DEADLINE);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 2);
	fx_child_join(fx_spawn(receive_one_by_name, name), FX_DEADLINE);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_flags, 0);
}

FX_CASE(mq_getattr__flags_show_nonblock, "posix", "mq_flags shows O_NONBLOCK for a descriptor opened with it",
    "POSIX.1-2017 XSH mq_getattr: mq_flags")
{
	char name[MQ_NAME_LEN];

	FX_REQUIRE_EQ(mq_attr_of(mq_new("q", O_RDWR | O_NONBLOCK, 1, 8, name)).mq_flags, O_NONBLOCK);
}

FX_CASE(mq_getattr__bad_descriptor_ebadf, "posix", "mq_getattr and mq_setattr on an invalid descriptor fail with EBADF",
    "POSIX.1-2017 XSH mq_getattr, mq_setattr ERRORS [EBADF]")
{
	struct mq_attr a = { 0 };
	int fd = (int)FX_OK(dup(0));

	FX_REQUIRE_ERRNO(EBADF, mq_getattr((mqd_t)-1, &a));
	FX_REQUIRE_ERRNO(EBADF, mq_getattr((mqd_t)fd, &a)); /* Linux: a descriptor, but not a queue */
	FX_REQUIRE_ERRNO(EBADF, mq_setattr((mqd_t)-1, &a, NULL));
	FX_OK(close(fd));
}

FX_CASE(mq_setattr__changes_only_nonblock, "posix", "mq_setattr sets O_NONBLOCK and ignores mq_maxmsg, mq_msgsize and mq_curmsgs",
    "POSIX.1-2017 XSH mq_setattr: only mq_flags is used")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 2, 8, name);
	struct mq_attr a = { .mq_flags = O_NONBLOCK, .mq_maxmsg = 9, .mq_msgsize = 99,
	    .mq_curmsgs = 5 };

	FX_OK(mq_setattr(q, &a, NULL));
	a = mq_attr_of(q);
	FX_REQUIRE_EQ(a.mq_flags, O_NONBLOCK);
	FX_REQUIRE_EQ(a.mq_maxmsg, 2);
	FX_REQUIRE_EQ(a.mq_msgsize, 8);
	FX_REQUIRE_EQ(a.mq_curmsgs, 0);
}

FX_CASE(mq_setattr__returns_old_attrs, "posix", "mq_setattr stores the previous flags and attributes in *omqstat",
    "POSIX.1-2017 XSH mq_setattr: omqstat")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR | O_NONBLOCK, 3, 12, name);
	struct mq_attr set = { .mq_flags = 0 }, old;

	MQ_SEND(q, "m", 0);
	memset(&old, 0x55, sizeof old);
	FX_OK(mq_setattr(q, &set, &old));
	FX_REQUIRE_EQ(old.mq_flags, O_NONBLOCK);
	FX_REQUIRE_EQ(old.mq_maxmsg, 3);
	FX_REQUIRE_EQ(old.mq_msgsize, 12);
	FX_REQUIRE_EQ(old.mq_curmsgs, 1);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_flags, 0);
}

FX_CASE(mq_setattr__nonblock_takes_effect, "posix", "after mq_setattr sets O_NONBLOCK, mq_receive on the empty queue fails with EAGAIN",
    "POSIX.1-2017 XSH mq_setattr: O_NONBLOCK; XSH mq_receive [EAGAIN]")
{
	mqd_t q = mq_small();
	struct mq_attr a = { .mq_flags = O_NONBLOCK };
	char buf[16];

	FX_OK(mq_setattr(q, &a, NULL));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, mq_receive(q, buf, sizeof buf, NULL));
}

FX_CASE(mq_setattr__flags_per_description, "posix", "O_NONBLOCK set on one descriptor does not change another open of the same queue",
    "POSIX.1-2017 XSH mq_setattr: message queue description flags")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 2, 8, name), q2 = (mqd_t)FX_OK(mq_open(name, O_RDWR));
	struct mq_attr a = { .mq_flags = O_NONBLOCK };

	FX_OK(mq_setattr(q, &a, NULL));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_flags, O_NONBLOCK);
	FX_REQUIRE_EQ(mq_attr_of(q2).mq_flags, 0);
}

FX_CASE(mq_setattr__unknown_flag_einval, "linux", "mq_setattr with a flag other than O_NONBLOCK fails with EINVAL",
    "mq_getsetattr(2): EINVAL for mq_flags other than O_NONBLOCK (ipc/mqueue.c)")
{
	mqd_t q = mq_small();
	struct mq_attr a = { .mq_flags = O_NONBLOCK | O_APPEND };

	FX_REQUIRE_ERRNO(EINVAL, mq_setattr(q, &a, NULL));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_flags, 0);
}
