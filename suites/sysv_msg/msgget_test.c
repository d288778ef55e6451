/*
 * msgget(2): creating and finding System V message queues.
 */
#include "msgq.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/*
 * The unrelated peer: this program re-executed with IPCCONF_MSG_PEER_KEY set
 * finds the queue by key alone, sends one message and exits before main.
 */
__attribute__((constructor)) static void
peer_main(void)
{
	const char *k = getenv("IPCCONF_MSG_PEER_KEY");
	struct msgq_buf m = { .mtype = 1, .mtext = "from-peer" };
	int id;

	if (k == NULL)
		return;
	id = msgget((key_t)strtol(k, NULL, 0), 0);
	if (id == -1)
		_exit(10);
	_exit(msgsnd(id, &m, 9, 0) == 0 ? 0 : 11);
}

static void
exec_peer(void *arg)
{
	char env[64], *argv[] = { "msgget_peer", NULL }, *envp[] = { env, NULL };

	snprintf(env, sizeof env, "IPCCONF_MSG_PEER_KEY=%d", *(key_t *)arg);
	execve("/proc/self/exe", argv, envp);
	FX_FAIL("execve(/proc/self/exe) failed: %s", fx_errno_name(errno));
}

FX_CASE(msgget__private_creates_new, "xsi", "msgget(IPC_PRIVATE) creates a new queue on every call, even with IPC_EXCL",
    "POSIX.1-2017 XSH msgget: key is equal to IPC_PRIVATE")
{
	int a = (int)FX_OK(fx_msgget(IPC_PRIVATE, IPC_CREAT | IPC_EXCL | 0600));
	int b = (int)FX_OK(fx_msgget(IPC_PRIVATE, IPC_CREAT | IPC_EXCL | 0600));

	FX_REQUIRE(a != b, "two IPC_PRIVATE queues share id %d", a);
	MSGQ_SEND(a, 1, "only-in-a");
	FX_REQUIRE_EQ(msgq_stat(b).msg_qnum, 0);
}

FX_CASE(msgget__private_needs_no_creat, "xsi", "msgget(IPC_PRIVATE) creates a queue even without IPC_CREAT",
    "POSIX.1-2017 XSH msgget: key is equal to IPC_PRIVATE")
{
	int id = (int)FX_OK(fx_msgget(IPC_PRIVATE, 0600));

	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 0);
	FX_REQUIRE_EQ(msgq_stat(id).msg_perm.__key, IPC_PRIVATE);
}

FX_CASE(msgget__creat_returns_existing, "xsi", "msgget(key, IPC_CREAT) creates the queue once and then returns the same id",
    "POSIX.1-2017 XSH msgget: IPC_CREAT, no queue for key")
{
	key_t key = fx_ftok(1);
	int id = (int)FX_OK(fx_msgget(key, IPC_CREAT | 0600));

	FX_REQUIRE_EQ(fx_msgget(key, IPC_CREAT | 0600), id);
	FX_REQUIRE_EQ(msgget(key, 0), id);
	FX_REQUIRE_EQ(msgq_stat(id).msg_perm.__key, key);
}

FX_CASE(msgget__excl_existing_eexist, "xsi", "msgget(key, IPC_CREAT|IPC_EXCL) on a key that has a queue fails with EEXIST",
    "POSIX.1-2017 XSH msgget ERRORS [EEXIST]")
{
	key_t key = fx_ftok(2);

	FX_OK(fx_msgget(key, IPC_CREAT | IPC_EXCL | 0600));
	FX_REQUIRE_ERRNO(EEXIST, fx_msgget(key, IPC_CREAT | IPC_EXCL | 0600));
}

FX_CASE(msgget__excl_without_creat_ignored, "linux", "msgget(key, IPC_EXCL) without IPC_CREAT returns the existing queue",
    "msgget(2): IPC_EXCL is used with IPC_CREAT")
{
	key_t key = fx_ftok(3);
	int id = (int)FX_OK(fx_msgget(key, IPC_CREAT | 0600));

	FX_REQUIRE_EQ(msgget(key, IPC_EXCL), id);
}

FX_CASE(msgget__missing_key_enoent, "xsi", "msgget(key, 0) fails with ENOENT when no queue has the key",
    "POSIX.1-2017 XSH msgget ERRORS [ENOENT]")
{
	FX_REQUIRE_ERRNO(ENOENT, fx_msgget(fx_ftok(4), 0600));
}

FX_CASE(msgget__removed_key_creates_anew, "xsi", "after IPC_RMID the key is free: msgget finds nothing, IPC_CREAT makes a new queue",
    "POSIX.1-2017 XSH msgctl: IPC_RMID; XSH msgget [ENOENT]")
{
	key_t key = fx_ftok(5);
	int old = (int)FX_OK(fx_msgget(key, IPC_CREAT | 0600)), id;

	MSGQ_SEND(old, 1, "old");
	FX_OK(msgctl(old, IPC_RMID, NULL));
	FX_REQUIRE_ERRNO(ENOENT, msgget(key, 0));
	id = (int)FX_OK(fx_msgget(key, IPC_CREAT | 0600));
	FX_REQUIRE(id != old, "the new queue reuses the removed id %d", old);
	FX_REQUIRE_EQ(msgq_stat(id).msg_qnum, 0);
}

FX_CASE(msgget__initial_perm, "xsi", "a new queue's msg_perm holds the caller's euid/egid, the key and the low 9 mode bits",
    "POSIX.1-2017 XSH msgget: msqid_ds initialisation (msg_perm)")
{
	key_t key = fx_ftok(6);
	int id = (int)FX_OK(fx_msgget(key, IPC_CREAT | 0640));
	struct msqid_ds ds = msgq_stat(id);

	FX_REQUIRE_EQ(ds.msg_perm.uid, geteuid());
	FX_REQUIRE_EQ(ds.msg_perm.cuid, geteuid());
	FX_REQUIRE_EQ(ds.msg_perm.gid, getegid());
	FX_REQUIRE_EQ(ds.msg_perm.cgid, getegid());
	FX_REQUIRE_EQ(ds.msg_perm.mode & 0777, 0640);
	FX_REQUIRE_EQ(ds.msg_perm.__key, key);
}

FX_CASE(msgget__initial_counters, "xsi", "a new queue is empty, has no pids or times but msg_ctime, and msg_qbytes = msgmnb",
    "POSIX.1-2017 XSH msgget: msqid_ds initialisation")
{
	time_t t0 = fx_kernel_seconds();
	int id = msgq_new();
	struct msqid_ds ds = msgq_stat(id);

	FX_REQUIRE_EQ(ds.msg_qnum, 0);
	FX_REQUIRE_EQ(ds.__msg_cbytes, 0);
	FX_REQUIRE_EQ(ds.msg_lspid, 0);
	FX_REQUIRE_EQ(ds.msg_lrpid, 0);
	FX_REQUIRE_EQ(ds.msg_stime, 0);
	FX_REQUIRE_EQ(ds.msg_rtime, 0);
	FX_REQUIRE(ds.msg_ctime >= t0 && ds.msg_ctime <= fx_kernel_seconds(),
	    "msg_ctime %lld is not the creation time (%lld..now)", (long long)ds.msg_ctime,
	    (long long)t0);
	FX_REQUIRE_EQ(ds.msg_qbytes, fx_read_sysctl("kernel/msgmnb"));
}

static void
get_for_read(void *arg)
{
	FX_REQUIRE_ERRNO(EACCES, msgget(*(key_t *)arg, 0400));
	FX_REQUIRE_ERRNO(EACCES, msgget(*(key_t *)arg, 0200));
}

FX_CASE(msgget__mode_denies_eacces, "xsi", "msgget on an existing key fails with EACCES when the mode denies the requested access",
    "POSIX.1-2017 XSH msgget ERRORS [EACCES]; XSH 2.7.1 IPC General Description")
{
	key_t *key = fx_shared(sizeof *key);
	int id;

	*key = fx_ftok(7);
	id = (int)FX_OK(fx_msgget(*key, IPC_CREAT | 0000));
	msgq_run_unprivileged(get_for_read, key);
	FX_REQUIRE_EQ(msgget(*key, 0), id); /* asking for no access always works */
}

static void
get_as_other(void *arg)
{
	FX_REQUIRE_ERRNO(EACCES, msgget(*(key_t *)arg, 0600));
	FX_REQUIRE_EQ(msgget(*(key_t *)arg, 0004), msgget(*(key_t *)arg, 0));
}

FX_CASE(msgget__other_user_class, "xsi", "another user gets the 'other' permission bits of a queue, not the owner's",
    "POSIX.1-2017 XSH 2.7.1 IPC General Description: permission classes")
{
	key_t *key = fx_shared(sizeof *key);

	fx_require_root("another user must look at root's queue");
	*key = fx_ftok(8);
	FX_OK(fx_msgget(*key, IPC_CREAT | 0604));
	fx_child_join(fx_spawn_as_other_user(get_as_other, key), FX_DEADLINE);
}

FX_CASE(msgget__msgmni_enospc, "xsi", "msgget fails with ENOSPC when msgmni queues exist (private IPC namespace)",
    "POSIX.1-2017 XSH msgget ERRORS [ENOSPC]; msgget(2): MSGMNI")
{
	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/msgmni", "2");
	FX_OK(msgget(IPC_PRIVATE, 0600));
	FX_OK(msgget(IPC_PRIVATE, 0600));
	FX_REQUIRE_ERRNO(ENOSPC, msgget(IPC_PRIVATE, 0600));
	FX_REQUIRE_ERRNO(ENOSPC, msgget(fx_ftok(9), IPC_CREAT | 0600));
}

static void
send_from_child(void *arg)
{
	MSGQ_SEND(*(int *)arg, 4, "child");
}

FX_CASE(msgget__queue_shared_after_fork, "xsi", "a queue id obtained before fork(2) names the same queue in the child",
    "POSIX.1-2017 XSH msgsnd, msgrcv: msqid names a system-wide queue")
{
	int *id = fx_shared(sizeof *id);
	struct fx_child *c;

	*id = msgq_new();
	c = fx_spawn(send_from_child, id);
	fx_child_join(c, FX_DEADLINE);
	MSGQ_EXPECT(*id, 0, 0, 4, "child");
	FX_REQUIRE_EQ(msgq_stat(*id).msg_lspid, fx_child_pid(c));
}

FX_CASE(msgget__unrelated_process_by_key, "xsi", "a process that knows only the key (a new program image) finds the queue and sends",
    "POSIX.1-2017 XSH msgget: key identifies an existing queue")
{
	key_t *key = fx_shared(sizeof *key);
	int id;

	*key = fx_ftok(10);
	id = (int)FX_OK(fx_msgget(*key, IPC_CREAT | 0600));
	fx_child_join(fx_spawn(exec_peer, key), FX_DEADLINE);
	MSGQ_EXPECT(id, 1, 0, 1, "from-peer");
}
