/*
 * mq_getattr(3), mq_setattr(3): a queue's attributes and its descriptor's flags.
 */
#include "mq.h"

ATF_TC_WITH_CLEANUP(mq_getattr__reports_creation_attrs);
ATF_TC_HEAD(mq_getattr__reports_creation_attrs, tc)
{
	fx_meta(tc, "posix", "mq_getattr reports the mq_maxmsg and mq_msgsize given at creation and 0 flags");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mq_getattr: mq_maxmsg, mq_msgsize set at creation");
}
ATF_TC_BODY(mq_getattr__reports_creation_attrs, tc)
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 3, 40, name);
	struct mq_attr a = mq_attr_of(q);

	FX_REQUIRE_EQ(a.mq_maxmsg, 3);
	FX_REQUIRE_EQ(a.mq_msgsize, 40);
	FX_REQUIRE_EQ(a.mq_flags, 0);
	FX_REQUIRE_EQ(a.mq_curmsgs, 0);
}
ATF_TC_CLEANUP(mq_getattr__reports_creation_attrs, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(mq_getattr__curmsgs_follows_queue);
ATF_TC_HEAD(mq_getattr__curmsgs_follows_queue, tc)
{
	fx_meta(tc, "posix", "mq_curmsgs counts the messages on the queue as sends and receives happen");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mq_getattr: mq_curmsgs");
}
ATF_TC_BODY(mq_getattr__curmsgs_follows_queue, tc)
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
ATF_TC_CLEANUP(mq_getattr__curmsgs_follows_queue, tc) { fx_cleanup(); }

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

ATF_TC_WITH_CLEANUP(mq_getattr__curmsgs_counts_other_processes);
ATF_TC_HEAD(mq_getattr__curmsgs_counts_other_processes, tc)
{
	fx_meta(tc, "posix", "mq_curmsgs seen through the creator's descriptor counts the sends and receives other processes make through their own opens of the queue");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mq_getattr: mq_curmsgs, the number of messages currently on the queue");
}
ATF_TC_BODY(mq_getattr__curmsgs_counts_other_processes, tc)
{
	char *name = fx_shared(MQ_NAME_LEN);
	mqd_t q = mq_new("q", O_RDWR, 4, 16, name);

	fx_child_join(fx_spawn(send_two_by_name, name), FX_DEADLINE);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 2);
	fx_child_join(fx_spawn(receive_one_by_name, name), FX_DEADLINE);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_flags, 0);
}
ATF_TC_CLEANUP(mq_getattr__curmsgs_counts_other_processes, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(mq_getattr__flags_show_nonblock);
ATF_TC_HEAD(mq_getattr__flags_show_nonblock, tc)
{
	fx_meta(tc, "posix", "mq_flags shows O_NONBLOCK for a descriptor opened with it");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mq_getattr: mq_flags");
}
ATF_TC_BODY(mq_getattr__flags_show_nonblock, tc)
{
	char name[MQ_NAME_LEN];

	FX_REQUIRE_EQ(mq_attr_of(mq_new("q", O_RDWR | O_NONBLOCK, 1, 8, name)).mq_flags, O_NONBLOCK);
}
ATF_TC_CLEANUP(mq_getattr__flags_show_nonblock, tc) { fx_cleanup(); }

ATF_TC(mq_getattr__bad_descriptor_ebadf);
ATF_TC_HEAD(mq_getattr__bad_descriptor_ebadf, tc)
{
	fx_meta(tc, "posix", "mq_getattr and mq_setattr on an invalid descriptor fail with EBADF");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mq_getattr, mq_setattr ERRORS [EBADF]");
}
ATF_TC_BODY(mq_getattr__bad_descriptor_ebadf, tc)
{
	struct mq_attr a = { 0 };
	int fd = (int)FX_OK(dup(0));

	FX_REQUIRE_ERRNO(EBADF, mq_getattr((mqd_t)-1, &a));
	FX_REQUIRE_ERRNO(EBADF, mq_getattr((mqd_t)fd, &a)); /* Linux: a descriptor, but not a queue */
	FX_REQUIRE_ERRNO(EBADF, mq_setattr((mqd_t)-1, &a, NULL));
	FX_OK(close(fd));
}

ATF_TC_WITH_CLEANUP(mq_setattr__changes_only_nonblock);
ATF_TC_HEAD(mq_setattr__changes_only_nonblock, tc)
{
	fx_meta(tc, "posix", "mq_setattr sets O_NONBLOCK and ignores mq_maxmsg, mq_msgsize and mq_curmsgs");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mq_setattr: only mq_flags is used");
}
ATF_TC_BODY(mq_setattr__changes_only_nonblock, tc)
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
ATF_TC_CLEANUP(mq_setattr__changes_only_nonblock, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(mq_setattr__returns_old_attrs);
ATF_TC_HEAD(mq_setattr__returns_old_attrs, tc)
{
	fx_meta(tc, "posix", "mq_setattr stores the previous flags and attributes in *omqstat");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mq_setattr: omqstat");
}
ATF_TC_BODY(mq_setattr__returns_old_attrs, tc)
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
ATF_TC_CLEANUP(mq_setattr__returns_old_attrs, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(mq_setattr__nonblock_takes_effect);
ATF_TC_HEAD(mq_setattr__nonblock_takes_effect, tc)
{
	fx_meta(tc, "posix", "after mq_setattr sets O_NONBLOCK, mq_receive on the empty queue fails with EAGAIN");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mq_setattr: O_NONBLOCK; XSH mq_receive [EAGAIN]");
}
ATF_TC_BODY(mq_setattr__nonblock_takes_effect, tc)
{
	mqd_t q = mq_small();
	struct mq_attr a = { .mq_flags = O_NONBLOCK };
	char buf[16];

	FX_OK(mq_setattr(q, &a, NULL));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, mq_receive(q, buf, sizeof buf, NULL));
}
ATF_TC_CLEANUP(mq_setattr__nonblock_takes_effect, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(mq_setattr__flags_per_description);
ATF_TC_HEAD(mq_setattr__flags_per_description, tc)
{
	fx_meta(tc, "posix", "O_NONBLOCK set on one descriptor does not change another open of the same queue");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mq_setattr: message queue description flags");
}
ATF_TC_BODY(mq_setattr__flags_per_description, tc)
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 2, 8, name), q2 = (mqd_t)FX_OK(mq_open(name, O_RDWR));
	struct mq_attr a = { .mq_flags = O_NONBLOCK };

	FX_OK(mq_setattr(q, &a, NULL));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_flags, O_NONBLOCK);
	FX_REQUIRE_EQ(mq_attr_of(q2).mq_flags, 0);
}
ATF_TC_CLEANUP(mq_setattr__flags_per_description, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(mq_setattr__unknown_flag_einval);
ATF_TC_HEAD(mq_setattr__unknown_flag_einval, tc)
{
	fx_meta(tc, "linux", "mq_setattr with a flag other than O_NONBLOCK fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "mq_getsetattr(2): EINVAL for mq_flags other than O_NONBLOCK (ipc/mqueue.c)");
}
ATF_TC_BODY(mq_setattr__unknown_flag_einval, tc)
{
	mqd_t q = mq_small();
	struct mq_attr a = { .mq_flags = O_NONBLOCK | O_APPEND };

	FX_REQUIRE_ERRNO(EINVAL, mq_setattr(q, &a, NULL));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_flags, 0);
}
ATF_TC_CLEANUP(mq_setattr__unknown_flag_einval, tc) { fx_cleanup(); }

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mq_getattr__reports_creation_attrs);
	ATF_TP_ADD_TC(tp, mq_getattr__curmsgs_follows_queue);
	ATF_TP_ADD_TC(tp, mq_getattr__curmsgs_counts_other_processes);
	ATF_TP_ADD_TC(tp, mq_getattr__flags_show_nonblock);
	ATF_TP_ADD_TC(tp, mq_getattr__bad_descriptor_ebadf);
	ATF_TP_ADD_TC(tp, mq_setattr__changes_only_nonblock);
	ATF_TP_ADD_TC(tp, mq_setattr__returns_old_attrs);
	ATF_TP_ADD_TC(tp, mq_setattr__nonblock_takes_effect);
	ATF_TP_ADD_TC(tp, mq_setattr__flags_per_description);
	ATF_TP_ADD_TC(tp, mq_setattr__unknown_flag_einval);
	return atf_no_error();
}
