/*
 * msgctl(2): status, ownership, limits, removal and the kernel's listings of
 * System V message queues.
 */
#include "msgq.h"

#include <linux/capability.h>

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY 13
#endif

/* One line of /proc/sysvipc/msg. */
struct proc_msg {
	int key, id;
	unsigned mode;
	unsigned long cbytes, qnum;
	int lspid, lrpid;
	unsigned uid, gid, cuid, cgid;
	long long stime, rtime, ctime;
};

/* Finds queue id in /proc/sysvipc/msg; false when it is not listed. */
static bool
proc_msg_find(int id, struct proc_msg *p)
{
	char line[512];
	FILE *f = fx_fopen_documented("/proc/sysvipc/msg");
	bool found = false;

	while (!found && fgets(line, sizeof line, f) != NULL) {
		found = sscanf(line, "%d %d %o %lu %lu %d %d %u %u %u %u %lld %lld %lld",
		    &p->key, &p->id, &p->mode, &p->cbytes, &p->qnum, &p->lspid, &p->lrpid,
		    &p->uid, &p->gid, &p->cuid, &p->cgid, &p->stime, &p->rtime,
		    &p->ctime) == 14 && p->id == id;
	}
	fclose(f);
	return found;
}

/* Asserts that every field /proc/sysvipc/msg shows for id equals ds's. */
static void
require_matches_proc(int id, const struct msqid_ds *ds)
{
	struct proc_msg p;

	FX_REQUIRE(proc_msg_find(id, &p), "queue %d is not listed in /proc/sysvipc/msg", id);
	FX_REQUIRE_EQ(p.key, ds->msg_perm.__key);
	FX_REQUIRE_EQ(p.mode, ds->msg_perm.mode);
	FX_REQUIRE_EQ(p.cbytes, ds->__msg_cbytes);
	FX_REQUIRE_EQ(p.qnum, ds->msg_qnum);
	FX_REQUIRE_EQ(p.lspid, ds->msg_lspid);
	FX_REQUIRE_EQ(p.lrpid, ds->msg_lrpid);
	FX_REQUIRE_EQ(p.uid, ds->msg_perm.uid);
	FX_REQUIRE_EQ(p.gid, ds->msg_perm.gid);
	FX_REQUIRE_EQ(p.cuid, ds->msg_perm.cuid);
	FX_REQUIRE_EQ(p.cgid, ds->msg_perm.cgid);
	FX_REQUIRE_EQ(p.stime, ds->msg_stime);
	FX_REQUIRE_EQ(p.rtime, ds->msg_rtime);
	FX_REQUIRE_EQ(p.ctime, ds->msg_ctime);
}

/* The kernel's table index of queue id, found with MSG_STAT_ANY (no permission needed). */
static int
table_index(int id)
{
	struct msginfo info;
	struct msqid_ds ds;
	int max = (int)FX_OK(msgctl(0, MSG_INFO, (struct msqid_ds *)&info)), i;

	for (i = 0; i <= max; i++)
		if (msgctl(i, MSG_STAT_ANY, &ds) == id)
			return i;
	FX_FAIL("queue %d not found at any index 0..%d with MSG_STAT_ANY", id, max);
}

static void
set_qbytes(int id, unsigned long qbytes)
{
	struct msqid_ds ds = msgq_stat(id);

	ds.msg_qbytes = qbytes;
	FX_OK(msgctl(id, IPC_SET, &ds));
}

static void
send_one(void *arg)
{
	MSGQ_SEND(*(int *)arg, 1, "abcd");
}

static void
receive_one(void *arg)
{
	MSGQ_EXPECT(*(int *)arg, 0, 0, 1, "abcd");
}

FX_CASE(msgctl__stat_pids_of_last_sender_receiver, "xsi", "IPC_STAT reports the pid of the last msgsnd and of the last msgrcv",
    "POSIX.1-2017 XBD <sys/msg.h>: msg_lspid, msg_lrpid")
{
	int *id = fx_shared(sizeof *id);
	struct fx_child *s, *r;

	*id = msgq_new();
	s = fx_spawn(send_one, id);
	fx_child_join(s, FX_DEADLINE);
	r = fx_spawn(receive_one, id);
	fx_child_join(r, FX_DEADLINE);
	FX_REQUIRE_EQ(msgq_stat(*id).msg_lspid, fx_child_pid(s));
	FX_REQUIRE_EQ(msgq_stat(*id).msg_lrpid, fx_child_pid(r));
	FX_REQUIRE_EQ(msgq_stat(*id).msg_qnum, 0);
}

FX_CASE(msgctl__stat_matches_proc, "linux", "every msqid_ds field read through the C library equals /proc/sysvipc/msg",
    "proc(5): /proc/sysvipc/msg; msgctl(2): IPC_STAT (struct layout)")
{
	int *id = fx_shared(sizeof *id);

	*id = (int)FX_OK(fx_msgget(fx_ftok(1), IPC_CREAT | 0640));
	fx_child_join(fx_spawn(send_one, id), FX_DEADLINE);
	fx_child_join(fx_spawn(send_one, id), FX_DEADLINE);
	fx_child_join(fx_spawn(receive_one, id), FX_DEADLINE);
	struct msqid_ds ds = msgq_stat(*id);
	FX_REQUIRE_EQ(ds.msg_qnum, 1);
	require_matches_proc(*id, &ds);
}

FX_CASE(msgctl__set_changes_mode, "xsi", "IPC_SET changes msg_perm.mode and updates msg_ctime",
    "POSIX.1-2017 XSH msgctl: IPC_SET")
{
	int id = msgq_new();
	struct msqid_ds ds = msgq_stat(id);
	/* The clock ticks after the creation: an IPC_SET that leaves msg_ctime shows. */
	time_t t0 = fx_wait_kernel_tick(ds.msg_ctime);

	ds.msg_perm.mode = 0604;
	FX_OK(msgctl(id, IPC_SET, &ds));
	ds = msgq_stat(id);
	FX_REQUIRE_EQ(ds.msg_perm.mode & 0777, 0604);
	FX_REQUIRE_STAMP(ds.msg_ctime, t0);
}

FX_CASE(msgctl__set_leaves_other_fields, "xsi", "IPC_SET takes only msg_perm.uid, gid, mode and msg_qbytes from its argument: the creator, counters, pids and times passed in it are ignored",
    "POSIX.1-2017 XSH msgctl: IPC_SET sets msg_perm.uid, msg_perm.gid, msg_perm.mode and msg_qbytes")
{
	int *id = fx_shared(sizeof *id);
	struct msqid_ds before, ds, after;

	*id = msgq_new();
	fx_child_join(fx_spawn(send_one, id), FX_DEADLINE);
	fx_child_join(fx_spawn(send_one, id), FX_DEADLINE);
	fx_child_join(fx_spawn(receive_one, id), FX_DEADLINE);
	before = ds = msgq_stat(*id);
	/* Every field IPC_SET must ignore gets a value it could plausibly copy. */
	ds.msg_perm.mode = 0604;
	ds.msg_perm.cuid = before.msg_perm.cuid + 1;
	ds.msg_perm.cgid = before.msg_perm.cgid + 1;
	ds.msg_qnum = before.msg_qnum + 5;
	ds.__msg_cbytes = before.__msg_cbytes + 100;
	ds.msg_lspid = getpid();
	ds.msg_lrpid = getpid();
	ds.msg_stime = 1;
	ds.msg_rtime = 1;
	FX_OK(msgctl(*id, IPC_SET, &ds));
	after = msgq_stat(*id);
	FX_REQUIRE_EQ(after.msg_perm.mode & 0777, 0604);
	FX_REQUIRE_EQ(after.msg_perm.cuid, before.msg_perm.cuid);
	FX_REQUIRE_EQ(after.msg_perm.cgid, before.msg_perm.cgid);
	FX_REQUIRE_EQ(after.msg_qnum, 1);
	FX_REQUIRE_EQ(after.__msg_cbytes, 4);
	FX_REQUIRE_EQ(after.msg_lspid, before.msg_lspid);
	FX_REQUIRE_EQ(after.msg_lrpid, before.msg_lrpid);
	FX_REQUIRE_EQ(after.msg_stime, before.msg_stime);
	FX_REQUIRE_EQ(after.msg_rtime, before.msg_rtime);
}

FX_CASE(msgctl__set_keeps_low_nine_mode_bits, "linux", "IPC_SET takes only the low 9 bits of the new mode",
    "msgctl(2): IPC_SET, least significant 9 bits of msg_perm.mode")
{
	int id = msgq_new();
	struct msqid_ds ds = msgq_stat(id);

	ds.msg_perm.mode = 07644 | IPC_CREAT;
	FX_OK(msgctl(id, IPC_SET, &ds));
	FX_REQUIRE_EQ(msgq_stat(id).msg_perm.mode, 0644);
}

FX_CASE(msgctl__set_changes_owner, "xsi", "IPC_SET changes msg_perm.uid and gid; cuid and cgid stay the creator's",
    "POSIX.1-2017 XSH msgctl: IPC_SET msg_perm.uid, msg_perm.gid")
{
	int id = msgq_new();
	struct msqid_ds ds = msgq_stat(id);

	ds.msg_perm.uid = 12345;
	ds.msg_perm.gid = 23456;
	FX_OK(msgctl(id, IPC_SET, &ds));
	ds = msgq_stat(id); /* the creator keeps the owner's rights */
	FX_REQUIRE_EQ(ds.msg_perm.uid, 12345);
	FX_REQUIRE_EQ(ds.msg_perm.gid, 23456);
	FX_REQUIRE_EQ(ds.msg_perm.cuid, geteuid());
	FX_REQUIRE_EQ(ds.msg_perm.cgid, getegid());
	FX_OK(msgctl(id, IPC_RMID, NULL));
}

FX_CASE(msgctl__set_needs_no_mode_bits, "xsi", "the owner may IPC_SET a queue whose mode grants nothing",
    "POSIX.1-2017 XSH msgctl: IPC_SET by msg_perm.cuid or msg_perm.uid")
{
	int id = (int)FX_OK(fx_msgget(IPC_PRIVATE, IPC_CREAT | 0000));
	struct msqid_ds ds;

	memset(&ds, 0, sizeof ds);
	ds.msg_perm.uid = geteuid();
	ds.msg_perm.gid = getegid();
	ds.msg_perm.mode = 0600;
	ds.msg_qbytes = 100;
	FX_OK(msgctl(id, IPC_SET, &ds));
	FX_REQUIRE_EQ(msgq_stat(id).msg_perm.mode & 0777, 0600);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qbytes, 100);
}

FX_CASE(msgctl__set_lowers_qbytes, "xsi", "IPC_SET lowers msg_qbytes without privilege and the new bound applies",
    "POSIX.1-2017 XSH msgctl: IPC_SET msg_qbytes")
{
	struct msgq_buf m = { .mtype = 1 };
	int id = msgq_new();

	set_qbytes(id, 5);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qbytes, 5);
	FX_OK(msgsnd(id, &m, 5, IPC_NOWAIT));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, msgsnd(id, &m, 1, IPC_NOWAIT));
}

static void
raise_qbytes(void *arg)
{
	int id = *(int *)arg;
	struct msqid_ds ds = msgq_stat(id);

	ds.msg_qbytes = (msglen_t)fx_read_sysctl("kernel/msgmnb") + 1;
	FX_REQUIRE_ERRNO(EPERM, msgctl(id, IPC_SET, &ds));
}

FX_CASE(msgctl__raise_qbytes_over_msgmnb_eperm, "xsi", "raising msg_qbytes above msgmnb without CAP_SYS_RESOURCE fails with EPERM",
    "POSIX.1-2017 XSH msgctl ERRORS [EPERM]: msg_qbytes increase")
{
	int *id = fx_shared(sizeof *id);
	struct msqid_ds ds;

	*id = msgq_new();
	ds = msgq_stat(*id);
	if (fx_is_root()) { /* hand the queue to the unprivileged user who tries */
		ds.msg_perm.uid = fx_other_uid();
		ds.msg_perm.gid = fx_other_gid();
		FX_OK(msgctl(*id, IPC_SET, &ds));
	}
	msgq_run_unprivileged(raise_qbytes, id);
	FX_REQUIRE_EQ(msgq_stat(*id).msg_qbytes, fx_read_sysctl("kernel/msgmnb"));
}

FX_CASE(msgctl__raise_qbytes_privileged, "linux", "with CAP_SYS_RESOURCE, IPC_SET may raise msg_qbytes above msgmnb",
    "msgctl(2) ERRORS: EPERM unless CAP_SYS_RESOURCE")
{
	int id = msgq_new();
	long msgmnb = fx_read_sysctl("kernel/msgmnb");

	/* msgctl(2): the kernel checks capable(), in the initial user namespace. */
	if (!fx_has_capability_in_initial_ns(CAP_SYS_RESOURCE))
		fx_skip("needs CAP_SYS_RESOURCE in the initial user namespace (uid %d lacks it "
		    "here, or is root of a user namespace)", (int)geteuid());
	set_qbytes(id, (unsigned long)msgmnb * 2);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qbytes, msgmnb * 2);
}

FX_CASE(msgctl__rmid_removes_at_once, "xsi", "IPC_RMID removes the queue and its messages at once; the id is then invalid",
    "POSIX.1-2017 XSH msgctl: IPC_RMID")
{
	struct msqid_ds ds;
	struct msgq_buf m = { .mtype = 1 };
	int id = msgq_new();
	struct proc_msg p;

	MSGQ_SEND(id, 1, "pending");
	FX_OK(msgctl(id, IPC_RMID, NULL));
	FX_REQUIRE_ERRNO(EINVAL, msgctl(id, IPC_STAT, &ds));
	FX_REQUIRE_ERRNO(EINVAL, msgsnd(id, &m, 1, IPC_NOWAIT));
	FX_REQUIRE_ERRNO(EINVAL, msgrcv(id, &m, MSGQ_TEXT, 0, IPC_NOWAIT));
	FX_REQUIRE_ERRNO(EINVAL, msgctl(id, IPC_RMID, NULL));
	FX_REQUIRE(!proc_msg_find(id, &p), "queue %d still listed in /proc/sysvipc/msg", id);
}

FX_CASE(msgctl__creator_keeps_control, "xsi", "after giving the queue to another uid its creator may still IPC_RMID it",
    "POSIX.1-2017 XSH msgctl: IPC_RMID by msg_perm.cuid")
{
	int id = msgq_new();
	struct msqid_ds ds = msgq_stat(id);

	ds.msg_perm.uid = 4242;
	ds.msg_perm.mode = 0;
	FX_OK(msgctl(id, IPC_SET, &ds));
	FX_OK(msgctl(id, IPC_RMID, NULL));
	FX_REQUIRE_ERRNO(EINVAL, msgctl(id, IPC_STAT, &ds));
}

static void
set_and_remove_denied(void *arg)
{
	int id = *(int *)arg;
	struct msqid_ds ds = msgq_stat(id);

	ds.msg_perm.mode = 0666;
	FX_REQUIRE_ERRNO(EPERM, msgctl(id, IPC_SET, &ds));
	FX_REQUIRE_ERRNO(EPERM, msgctl(id, IPC_RMID, NULL));
}

FX_CASE(msgctl__non_owner_set_rmid_eperm, "xsi", "a process that is neither owner nor creator cannot IPC_SET or IPC_RMID (EPERM)",
    "POSIX.1-2017 XSH msgctl ERRORS [EPERM]")
{
	int *id = fx_shared(sizeof *id);

	fx_require_root("another user must try to change root's queue");
	*id = (int)FX_OK(fx_msgget(IPC_PRIVATE, IPC_CREAT | 0666));
	fx_child_join(fx_spawn_as_other_user(set_and_remove_denied, id), FX_DEADLINE);
	FX_REQUIRE_EQ(msgq_stat(*id).msg_perm.mode & 0777, 0666);
}

static void
stat_denied(void *arg)
{
	struct msqid_ds ds;

	FX_REQUIRE_ERRNO(EACCES, msgctl(*(int *)arg, IPC_STAT, &ds));
}

FX_CASE(msgctl__stat_without_read_eacces, "xsi", "IPC_STAT without read permission fails with EACCES",
    "POSIX.1-2017 XSH msgctl ERRORS [EACCES]")
{
	int *id = fx_shared(sizeof *id);

	*id = (int)FX_OK(fx_msgget(IPC_PRIVATE, IPC_CREAT | 0200));
	msgq_run_unprivileged(stat_denied, id);
}

FX_CASE(msgctl__invalid_cmd_einval, "xsi", "msgctl with an unknown command fails with EINVAL",
    "POSIX.1-2017 XSH msgctl ERRORS [EINVAL]: cmd not valid")
{
	struct msqid_ds ds;
	int id = msgq_new();

	FX_REQUIRE_ERRNO(EINVAL, msgctl(id, 4242, &ds));
	FX_REQUIRE_ERRNO(EINVAL, msgctl(id, -1, &ds));
}

FX_CASE(msgctl__invalid_id_einval, "xsi", "msgctl on a negative queue id fails with EINVAL",
    "POSIX.1-2017 XSH msgctl ERRORS [EINVAL]: msqid not valid")
{
	struct msqid_ds ds;

	FX_REQUIRE_ERRNO(EINVAL, msgctl(-1, IPC_STAT, &ds));
	FX_REQUIRE_ERRNO(EINVAL, msgctl(-1, IPC_RMID, NULL));
}

FX_CASE(msgctl__ipc_info_reports_limits, "linux", "IPC_INFO reports msgmax, msgmnb and msgmni as /proc/sys/kernel shows them",
    "msgctl(2): IPC_INFO; proc(5): /proc/sys/kernel/msgmax, msgmnb, msgmni")
{
	struct msginfo info;

	memset(&info, 0, sizeof info);
	FX_OK(msgctl(0, IPC_INFO, (struct msqid_ds *)&info));
	FX_REQUIRE_EQ(info.msgmax, fx_read_sysctl("kernel/msgmax"));
	FX_REQUIRE_EQ(info.msgmnb, fx_read_sysctl("kernel/msgmnb"));
	FX_REQUIRE_EQ(info.msgmni, fx_read_sysctl("kernel/msgmni"));
}

FX_CASE(msgctl__msg_info_reports_usage, "linux", "MSG_INFO counts queues, messages and bytes in use (private IPC namespace)",
    "msgctl(2): MSG_INFO msgpool, msgmap, msgtql")
{
	struct msginfo info;
	int a, b;

	fx_enter_private_ipcns();
	a = (int)FX_OK(msgget(IPC_PRIVATE, 0600));
	b = (int)FX_OK(msgget(IPC_PRIVATE, 0600));
	MSGQ_SEND(a, 1, "12345");
	MSGQ_SEND(a, 1, "123");
	MSGQ_SEND(b, 1, "12");
	FX_REQUIRE_EQ(msgctl(0, MSG_INFO, (struct msqid_ds *)&info), 1);
	FX_REQUIRE_EQ(info.msgpool, 2);
	FX_REQUIRE_EQ(info.msgmap, 3);
	FX_REQUIRE_EQ(info.msgtql, 10);
}

FX_CASE(msgctl__msg_stat_by_index_matches_proc, "linux", "MSG_STAT takes a table index, returns the queue id and the same data as /proc/sysvipc/msg",
    "msgctl(2): MSG_STAT; proc(5): /proc/sysvipc/msg")
{
	int id = msgq_new(), idx;
	struct msqid_ds ds;

	MSGQ_SEND(id, 1, "abc");
	idx = table_index(id);
	FX_REQUIRE_EQ(msgctl(idx, MSG_STAT, &ds), id);
	FX_REQUIRE_EQ(ds.msg_qnum, 1);
	require_matches_proc(id, &ds);
}

static void
stat_any_without_read(void *arg)
{
	int id = *(int *)arg, idx = table_index(id);
	struct msqid_ds ds;

	FX_REQUIRE_ERRNO(EACCES, msgctl(idx, MSG_STAT, &ds));
	FX_REQUIRE_EQ(msgctl(idx, MSG_STAT_ANY, &ds), id);
	FX_REQUIRE_EQ(ds.msg_qnum, 1);
	require_matches_proc(id, &ds);
}

FX_CASE(msgctl__msg_stat_any_ignores_mode, "linux", "MSG_STAT_ANY reports a queue the caller may not read, where MSG_STAT fails with EACCES",
    "msgctl(2): MSG_STAT_ANY (since Linux 4.17)")
{
	int *id = fx_shared(sizeof *id);

	*id = msgq_new();
	MSGQ_SEND(*id, 1, "abc");
	msgq_chmod(*id, 0000);
	msgq_run_unprivileged(stat_any_without_read, id);
}
