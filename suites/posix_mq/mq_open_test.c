/*
 * mq_open(3), mq_close(3): naming, creating and opening POSIX message queues.
 */
#include "mq.h"

#include <linux/capability.h>

#include <limits.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>

struct mq_exec {
	char name[MQ_NAME_LEN];
	int fd;
	char link[256];
};

static void
open_queue_for_exec(void *arg)
{
	struct mq_exec *e = arg;
	char path[64];
	ssize_t n;

	e->fd = (int)FX_OK(mq_open(e->name, O_RDONLY));
	snprintf(path, sizeof path, "/proc/self/fd/%d", e->fd);
	n = FX_OK(readlink(path, e->link, sizeof e->link - 1));
	e->link[n] = '\0';
}

FX_CASE(mq_open__descriptor_closed_on_exec, "posix", "a message queue descriptor open in a process is closed in the image execve starts",
    "POSIX.1-2017 XSH exec: any message queue descriptors open in the calling process shall be closed")
{
	struct mq_exec *e = fx_shared(sizeof *e);
	char path[64], link[256];
	struct fx_image im;
	ssize_t n;

	FX_OK(mq_close(mq_new("exec", O_RDWR, 4, 16, e->name)));
	im = fx_exec_waiting(open_queue_for_exec, e);
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)fx_child_pid(im.child), e->fd);
	n = readlink(path, link, sizeof link - 1);
	if (n >= 0)
		link[n] = '\0';
	FX_REQUIRE(n == -1 || strcmp(link, e->link) != 0, "descriptor %d (%s) is still open "
	    "in the new image", e->fd, e->link);
	fx_exec_finish(&im);
}

FX_CASE(mq_open__name_without_slash_einval, "linux", "mq_open of a name that does not start with '/' fails with EINVAL",
    "mq_overview(7): Message queue names; mq_open(3) ERRORS: EINVAL")
{
	char name[MQ_NAME_LEN];
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 1 };

	fx_posix_name(FX_POSIX_MQ, "noslash", name, sizeof name);
#ifdef FX_LIBC_MUSL
	atf_tc_expect_fail("musl accepts a name without the leading slash (POSIX leaves such "
	    "names implementation-defined; glibc refuses them)");
#endif
	FX_REQUIRE_ERRNO(EINVAL, mq_open(name + 1, O_CREAT | O_RDWR, 0600, &a));
	FX_REQUIRE_ERRNO(ENOENT, mq_open(name, O_RDWR));
}

FX_CASE(mq_open__name_with_inner_slash_eacces, "linux", "mq_open of a name with a second '/' fails with EACCES",
    "mq_open(3) ERRORS: EACCES, the name contained more than one slash")
{
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 1 };

	FX_REQUIRE_ERRNO(EACCES, mq_open("/ipcconf.dir/queue", O_CREAT | O_RDWR, 0600, &a));
}

FX_CASE(mq_open__name_too_long_enametoolong, "posix", "mq_open of a name longer than NAME_MAX fails with ENAMETOOLONG",
    "POSIX.1-2017 XSH mq_open ERRORS [ENAMETOOLONG]")
{
	char name[NAME_MAX + 3];
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 1 };

	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX + 1);
	name[NAME_MAX + 2] = '\0';
	fx_track_name(FX_POSIX_MQ, name);
	FX_REQUIRE_ERRNO(ENAMETOOLONG, mq_open(name, O_CREAT | O_RDWR, 0600, &a));
}

FX_CASE(mq_open__missing_enoent, "posix", "mq_open without O_CREAT of a name that has no queue fails with ENOENT",
    "POSIX.1-2017 XSH mq_open ERRORS [ENOENT]")
{
	char name[MQ_NAME_LEN];

	fx_posix_name(FX_POSIX_MQ, "missing", name, sizeof name);
	FX_REQUIRE_ERRNO(ENOENT, mq_open(name, O_RDONLY));
	FX_REQUIRE_ERRNO(ENOENT, mq_open(name, O_RDWR | O_EXCL));
}

FX_CASE(mq_open__excl_existing_eexist, "posix", "mq_open with O_CREAT|O_EXCL of an existing name fails with EEXIST",
    "POSIX.1-2017 XSH mq_open ERRORS [EEXIST]")
{
	char name[MQ_NAME_LEN];

	mq_new("q", O_RDWR, 2, 8, name);
	FX_REQUIRE_ERRNO(EEXIST, mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, NULL));
}

FX_CASE(mq_open__creat_opens_existing, "posix", "mq_open with O_CREAT of an existing name opens it; attr and mode are ignored",
    "POSIX.1-2017 XSH mq_open: O_CREAT, queue already exists")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 3, 24, name), q2;
	struct mq_attr other = { .mq_maxmsg = 1, .mq_msgsize = 1 };

	MQ_SEND(q, "first", 0);
	q2 = (mqd_t)FX_OK(mq_open(name, O_CREAT | O_RDWR, 0666, &other));
	FX_REQUIRE_EQ(mq_attr_of(q2).mq_maxmsg, 3);
	FX_REQUIRE_EQ(mq_attr_of(q2).mq_msgsize, 24);
	MQ_EXPECT(q2, "first", 0);
}

FX_CASE(mq_open__nonpositive_attr_einval, "posix", "mq_open with O_CREAT and mq_maxmsg or mq_msgsize <= 0 fails with EINVAL",
    "POSIX.1-2017 XSH mq_open ERRORS [EINVAL]: mq_maxmsg or mq_msgsize <= 0")
{
	static const long rows[][2] = { { 0, 8 }, { -1, 8 }, { 4, 0 }, { 4, -1 }, { 0, 0 } };
	char name[MQ_NAME_LEN];
	size_t i;

	fx_posix_name(FX_POSIX_MQ, "q", name, sizeof name);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct mq_attr a = { .mq_maxmsg = rows[i][0], .mq_msgsize = rows[i][1] };

		FX_CHECK_ERRNO_MSG(EINVAL, mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a),
		    "mq_open(O_CREAT, {maxmsg=%ld, msgsize=%ld})", rows[i][0], rows[i][1]);
	}
	FX_REQUIRE_ERRNO(ENOENT, mq_open(name, O_RDWR));
}

static void
open_above_limits(void *arg)
{
	const char *name = arg;
	struct mq_attr a = { .mq_maxmsg = fx_read_sysctl("fs/mqueue/msg_max") + 1, .mq_msgsize = 8 };

	FX_REQUIRE_ERRNO(EINVAL, mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a));
	a.mq_maxmsg = 1;
	a.mq_msgsize = fx_read_sysctl("fs/mqueue/msgsize_max") + 1;
	FX_REQUIRE_ERRNO(EINVAL, mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a));
	a.mq_maxmsg = fx_read_sysctl("fs/mqueue/msg_max");
	a.mq_msgsize = 1;
	FX_REQUIRE((mqd_t)FX_OK(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a)) >= 0,
	    "mq_open at msg_max failed");
}

FX_CASE(mq_open__attr_above_limits_einval, "linux", "without CAP_SYS_RESOURCE, mq_maxmsg above msg_max or mq_msgsize above msgsize_max fails with EINVAL",
    "mq_open(3) ERRORS: EINVAL; mq_overview(7): /proc/sys/fs/mqueue")
{
	char *name = fx_shared(MQ_NAME_LEN);

	fx_posix_name(FX_POSIX_MQ, "q", name, MQ_NAME_LEN);
	if (!fx_is_root() && fx_has_capability_in_initial_ns(CAP_SYS_RESOURCE))
		fx_skip("the caller has CAP_SYS_RESOURCE, which lifts these limits");
	mq_run_unprivileged(open_above_limits, name);
}

FX_CASE(mq_open__null_attr_defaults, "linux", "mq_open with O_CREAT and a NULL attr uses msg_default and msgsize_default",
    "mq_overview(7): /proc/sys/fs/mqueue/msg_default, msgsize_default")
{
	char name[MQ_NAME_LEN];
	mqd_t q;

	fx_posix_name(FX_POSIX_MQ, "q", name, sizeof name);
	q = (mqd_t)FX_OK(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, NULL));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_maxmsg, fx_read_sysctl("fs/mqueue/msg_default"));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_msgsize, fx_read_sysctl("fs/mqueue/msgsize_default"));
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 0);
}

static void
open_denied(void *arg)
{
	FX_REQUIRE_ERRNO(EACCES, mq_open((const char *)arg, O_RDONLY));
	FX_REQUIRE_ERRNO(EACCES, mq_open((const char *)arg, O_WRONLY));
}

FX_CASE(mq_open__mode_denies_eacces, "posix", "mq_open of an existing queue whose mode denies the access fails with EACCES",
    "POSIX.1-2017 XSH mq_open ERRORS [EACCES]")
{
	char *name = fx_shared(MQ_NAME_LEN);
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 8 };

	fx_posix_name(FX_POSIX_MQ, "q", name, MQ_NAME_LEN);
	FX_OK(mq_close((mqd_t)FX_OK(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0000, &a))));
	mq_run_unprivileged(open_denied, name);
}

FX_CASE(mq_open__umask_applies, "posix", "a new queue's permission bits are mode without the bits of the umask",
    "POSIX.1-2017 XSH mq_open: O_CREAT, file mode creation mask")
{
	char name[MQ_NAME_LEN];
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct stat st;
	mqd_t q;

	fx_posix_name(FX_POSIX_MQ, "q", name, sizeof name);
	umask(027);
	q = (mqd_t)FX_OK(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0666, &a));
	FX_OK(fstat(q, &st)); /* a Linux mqd_t is a descriptor of the mqueue file */
	FX_REQUIRE_EQ(st.st_mode & 0777, 0640);
}

static void
create_without_budget(void *arg)
{
	struct rlimit rl = { 0, 0 };
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 8 };

	FX_SETUP(setrlimit(RLIMIT_MSGQUEUE, &rl));
	FX_REQUIRE_ERRNO(EMFILE, mq_open((const char *)arg, O_CREAT | O_EXCL | O_RDWR, 0600, &a));
}

FX_CASE(mq_open__rlimit_msgqueue_emfile, "linux", "creating a queue beyond the RLIMIT_MSGQUEUE byte budget fails with EMFILE",
    "mq_open(3) ERRORS: EMFILE, RLIMIT_MSGQUEUE; getrlimit(2)")
{
	char *name = fx_shared(MQ_NAME_LEN);

	fx_posix_name(FX_POSIX_MQ, "q", name, MQ_NAME_LEN);
	fx_child_join(fx_spawn(create_without_budget, name), FX_DEADLINE);
	FX_REQUIRE_ERRNO(ENOENT, mq_open(name, O_RDWR));
}

/*
 * In a new user namespace the RLIMIT_MSGQUEUE usage of this user starts from
 * zero (it is counted per user namespace), so parallel cases cannot eat the
 * budget. The limit fits one queue of 10 x 1024 bytes (plus bookkeeping), not two.
 */
static void
write_proc_self(const char *file, const char *text)
{
	char path[64];
	int fd;

	snprintf(path, sizeof path, "/proc/self/%s", file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd == -1 || write(fd, text, strlen(text)) == -1)
		fx_setup_refused(errno, "writing %s to %s in a new user namespace", text, path);
	FX_OK(close(fd));
}

/* A new user namespace (caller mapped to itself, so new queues have an owner) and IPC namespace. */
static void
enter_user_and_ipc_namespace(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	FX_SETUP(unshare(CLONE_NEWUSER | CLONE_NEWIPC));
	snprintf(map, sizeof map, "%d %d 1\n", (int)uid, (int)uid);
	write_proc_self("uid_map", map);
	write_proc_self("setgroups", "deny\n");
	snprintf(map, sizeof map, "%d %d 1\n", (int)gid, (int)gid);
	write_proc_self("gid_map", map);
}

static void
create_within_budget(void *arg)
{
	struct rlimit rl = { 16384, 16384 };
	struct mq_attr a = { .mq_maxmsg = 10, .mq_msgsize = 1024 };
	mqd_t q;

	(void)arg;
	enter_user_and_ipc_namespace();
	FX_SETUP(setrlimit(RLIMIT_MSGQUEUE, &rl));
	q = (mqd_t)FX_OK(mq_open("/ipcconf.budget.1", O_CREAT | O_EXCL | O_RDWR, 0600, &a));
	FX_REQUIRE_ERRNO(EMFILE, mq_open("/ipcconf.budget.2", O_CREAT | O_EXCL | O_RDWR, 0600, &a));
	FX_OK(mq_close(q));
	FX_OK(mq_unlink("/ipcconf.budget.1")); /* destroying the queue returns its bytes */
	FX_OK(mq_open("/ipcconf.budget.2", O_CREAT | O_EXCL | O_RDWR, 0600, &a));
}

FX_CASE(mq_open__rlimit_msgqueue_counts_bytes, "linux", "RLIMIT_MSGQUEUE bounds the bytes of all the user's queues: the second queue fails with EMFILE until the first is gone",
    "getrlimit(2): RLIMIT_MSGQUEUE; mq_open(3) ERRORS: EMFILE")
{
	fx_child_join(fx_spawn(create_within_budget, NULL), FX_DEADLINE);
}

static void
open_without_descriptors(void *arg)
{
	struct rlimit rl = { 16, 16 };

	FX_SETUP(setrlimit(RLIMIT_NOFILE, &rl));
	while (dup(0) != -1)
		;
	FX_REQUIRE_EQ(errno, EMFILE);
	FX_REQUIRE_ERRNO(EMFILE, mq_open((const char *)arg, O_RDWR));
}

FX_CASE(mq_open__no_descriptor_emfile, "posix", "mq_open fails with EMFILE when the process has no descriptor left",
    "POSIX.1-2017 XSH mq_open ERRORS [EMFILE]")
{
	char *name = fx_shared(MQ_NAME_LEN);

	FX_OK(mq_close(mq_new("q", O_RDWR, 1, 8, name)));
	fx_child_join(fx_spawn(open_without_descriptors, name), FX_DEADLINE);
}

static void
create_two(void *arg)
{
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 8 };

	(void)arg;
	FX_OK(mq_open("/ipcconf.ns.first", O_CREAT | O_EXCL | O_RDWR, 0600, &a));
	FX_REQUIRE_ERRNO(ENOSPC, mq_open("/ipcconf.ns.second", O_CREAT | O_EXCL | O_RDWR, 0600, &a));
}

FX_CASE(mq_open__queues_max_enospc, "linux", "without CAP_SYS_RESOURCE, creating a queue beyond queues_max fails with ENOSPC (private IPC namespace)",
    "mq_open(3) ERRORS: ENOSPC; mq_overview(7): queues_max")
{
	bool root = fx_is_root(); /* inside a user namespace the caller is uid 0 */

	/* Fixed names are safe here: the queues live and die in this namespace. */
	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("fs/mqueue/queues_max", "1");
	fx_child_join(root ? fx_spawn_as_other_user(create_two, NULL) : fx_spawn(create_two, NULL),
	    FX_DEADLINE);
}

FX_CASE(mq_close__closed_descriptor_ebadf, "posix", "after mq_close the descriptor is invalid: mq_close and mq_send fail with EBADF",
    "POSIX.1-2017 XSH mq_close ERRORS [EBADF]")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 1, 8, name);

	FX_OK(mq_close(q));
	FX_REQUIRE_ERRNO(EBADF, mq_close(q));
	FX_REQUIRE_ERRNO(EBADF, mq_send(q, "x", 1, 0));
	FX_OK(mq_close((mqd_t)FX_OK(mq_open(name, O_RDWR)))); /* the queue itself remains */
}
