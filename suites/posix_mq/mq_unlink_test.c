/*
 * mq_unlink(3): removing a queue's name while descriptors stay usable.
 */
#include "mq.h"

#include <limits.h>

FX_CASE(mq_close__queue_persists, "posix", "closing every descriptor leaves the queue and its messages until mq_unlink",
    "POSIX.1-2017 XSH mq_close: the queue is not removed")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 2, 16, name);

	MQ_SEND(q, "persistent", 3);
	FX_OK(mq_close(q));
	q = (mqd_t)FX_OK(mq_open(name, O_RDONLY));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 1);
	MQ_EXPECT(q, "persistent", 3);
}

FX_CASE(mq_unlink__name_gone_at_once, "posix", "after mq_unlink, mq_open of the name without O_CREAT fails with ENOENT",
    "POSIX.1-2017 XSH mq_unlink: name removed immediately")
{
	char name[MQ_NAME_LEN];

	mq_new("q", O_RDWR, 1, 8, name);
	FX_OK(mq_unlink(name));
	FX_REQUIRE_ERRNO(ENOENT, mq_open(name, O_RDWR));
}

FX_CASE(mq_unlink__open_descriptor_keeps_working, "posix", "descriptors open at mq_unlink keep sending and receiving until closed",
    "POSIX.1-2017 XSH mq_unlink: destruction postponed until all close")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 2, 8, name);

	MQ_SEND(q, "before", 1);
	FX_OK(mq_unlink(name));
	MQ_SEND(q, "after", 2);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 2);
	MQ_EXPECT(q, "after", 2);
	MQ_EXPECT(q, "before", 1);
}

FX_CASE(mq_unlink__same_name_new_queue, "posix", "after mq_unlink a new queue may be created under the same name, apart from the old one",
    "POSIX.1-2017 XSH mq_unlink: a subsequent mq_open with O_CREAT makes a new queue")
{
	char name[MQ_NAME_LEN];
	mqd_t old = mq_new("q", O_RDWR, 2, 8, name), fresh;
	struct mq_attr a = { .mq_maxmsg = 3, .mq_msgsize = 8 };

	MQ_SEND(old, "old", 0);
	FX_OK(mq_unlink(name));
	fresh = (mqd_t)FX_OK(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a));
	FX_REQUIRE_EQ(mq_attr_of(fresh).mq_curmsgs, 0);
	FX_REQUIRE_EQ(mq_attr_of(fresh).mq_maxmsg, 3);
	MQ_SEND(fresh, "new", 0);
	MQ_EXPECT(old, "old", 0);
	FX_REQUIRE_EQ(mq_attr_of(old).mq_curmsgs, 0);
	MQ_EXPECT(fresh, "new", 0);
}

FX_CASE(mq_unlink__missing_enoent, "posix", "mq_unlink of a name with no queue (or already unlinked) fails with ENOENT",
    "POSIX.1-2017 XSH mq_unlink ERRORS [ENOENT]")
{
	char name[MQ_NAME_LEN];

	mq_new("q", O_RDWR, 1, 8, name);
	FX_OK(mq_unlink(name));
	FX_REQUIRE_ERRNO(ENOENT, mq_unlink(name));
}

FX_CASE(mq_unlink__name_too_long_enametoolong, "posix", "mq_unlink of a name longer than NAME_MAX fails with ENAMETOOLONG",
    "POSIX.1-2017 XSH mq_unlink ERRORS [ENAMETOOLONG]")
{
	char name[NAME_MAX + 3];

	name[0] = '/';
	memset(name + 1, 'u', NAME_MAX + 1);
	name[NAME_MAX + 2] = '\0';
	FX_REQUIRE_ERRNO(ENAMETOOLONG, mq_unlink(name));
}

static void
unlink_denied(void *arg)
{
	FX_REQUIRE_ERRNO(EACCES, mq_unlink((const char *)arg));
}

FX_CASE(mq_unlink__other_user_eacces, "posix", "another user cannot mq_unlink a queue it does not own (EACCES)",
    "POSIX.1-2017 XSH mq_unlink ERRORS [EACCES]")
{
	char *name = fx_shared(MQ_NAME_LEN);

	fx_require_root("another user must try to unlink root's queue");
	FX_OK(mq_close(mq_new("q", O_RDWR, 1, 8, name)));
	fx_child_join(fx_spawn_as_other_user(unlink_denied, name), FX_DEADLINE);
	FX_OK(mq_close((mqd_t)FX_OK(mq_open(name, O_RDWR))));
}
