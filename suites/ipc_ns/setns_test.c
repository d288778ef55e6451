/*
 * setns(2) with CLONE_NEWIPC: joining another process's IPC namespace shows
 * that namespace's objects (X-class linux).
 */
#include "fx.h"
#include "ipcns_util.h"

#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

struct msgbuf_text {
	long mtype;
	char mtext[16];
};

/* A queue made inside the dweller's namespace, and what a joiner found there. */
struct queue_inside {
	key_t key;
	int userfd, ipcfd;   /* the dweller's namespaces, opened by the parent */
	int join_err;
	int found_id;
	ssize_t n;
	char got[16];
};

static void
create_queue_with_message(struct ipcns_dweller *d)
{
	struct queue_inside *q = d->data;
	struct msgbuf_text m = { 1, "inside" };
	int id;

	id = FX_OK(msgget(q->key, IPC_CREAT | IPC_EXCL | 0600));
	FX_OK(msgsnd(id, &m, sizeof m.mtext, IPC_NOWAIT));
}

/* Joins the namespace through the inherited descriptors and reads the message. */
static void
join_and_receive(void *arg)
{
	struct queue_inside *q = arg;
	struct msgbuf_text m;

	q->join_err = ipcns_join(q->userfd, q->ipcfd);
	if (q->join_err != 0)
		return;
	q->found_id = FX_OK(msgget(q->key, 0));
	q->n = msgrcv(q->found_id, &m, sizeof m.mtext, 1, IPC_NOWAIT);
	memcpy(q->got, m.mtext, sizeof q->got);
}

static void
check_received(const struct queue_inside *q)
{
	FX_REQUIRE(q->join_err == 0, "setns into the other process's IPC namespace failed: %s",
	    fx_errno_name(q->join_err));
	FX_REQUIRE_EQ(q->n, sizeof q->got);
	FX_REQUIRE_MEMEQ(q->got, "inside", 7);
}

FX_CASE(setns__sees_other_ns_objects, "linux", "After setns into another process's IPC namespace, that namespace's queue is found by key and its message read",
    "setns(2): CLONE_NEWIPC; ipc_namespaces(7)")
{
	struct queue_inside *q = fx_shared(sizeof *q);
	struct ipcns_dweller *d;

	q->key = fx_ftok(1);
	d = ipcns_dweller_start(create_queue_with_message, NULL, q);
	FX_REQUIRE_ERRNO(ENOENT, msgget(q->key, 0));
	ipcns_open(fx_child_pid(d->child), &q->userfd, &q->ipcfd);
	fx_child_join(fx_spawn(join_and_receive, q), FX_DEADLINE);
	check_received(q);
	ipcns_dweller_release(d);
}

struct mq_inside {
	char name[256];
	int userfd, ipcfd;
	int join_err;
	ssize_t n;
	char got[16];
};

static void
create_mq_with_message(struct ipcns_dweller *d)
{
	struct mq_inside *q = d->data;
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = sizeof q->got };
	mqd_t mq;

	mq = (mqd_t)FX_OK(mq_open(q->name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600,
	    &attr));
	FX_OK(mq_send(mq, "inside", 7, 0));
}

static void
join_and_receive_mq(void *arg)
{
	struct mq_inside *q = arg;
	mqd_t mq;

	q->join_err = ipcns_join(q->userfd, q->ipcfd);
	if (q->join_err != 0)
		return;
	mq = (mqd_t)FX_OK(mq_open(q->name, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	q->n = mq_receive(mq, q->got, sizeof q->got, NULL);
}

FX_CASE(setns__sees_other_ns_posix_mq, "linux", "After setns into another process's IPC namespace, its POSIX message queue opens by name and yields its message",
    "setns(2): CLONE_NEWIPC; ipc_namespaces(7): POSIX message queues")
{
	struct mq_inside *q = fx_shared(sizeof *q);
	struct ipcns_dweller *d;

	/* Recorded for cleanup although it is made inside: unlinking a missing name is fine. */
	fx_posix_name(FX_POSIX_MQ, "setns", q->name, sizeof q->name);
	d = ipcns_dweller_start(create_mq_with_message, NULL, q);
	FX_REQUIRE_ERRNO(ENOENT, mq_open(q->name, O_RDONLY | O_CLOEXEC));
	ipcns_open(fx_child_pid(d->child), &q->userfd, &q->ipcfd);
	fx_child_join(fx_spawn(join_and_receive_mq, q), FX_DEADLINE);
	FX_REQUIRE(q->join_err == 0, "setns into the other process's IPC namespace failed: %s",
	    fx_errno_name(q->join_err));
	FX_REQUIRE_EQ(q->n, 7);
	FX_REQUIRE_MEMEQ(q->got, "inside", 7);
	ipcns_dweller_release(d);
}

FX_CASE(setns__ns_outlives_its_processes_while_open, "linux", "An IPC namespace held open by a /proc/PID/ns/ipc descriptor keeps its objects after its last process exits",
    "namespaces(7): The namespaces lifetime; setns(2)")
{
	struct queue_inside *q = fx_shared(sizeof *q);
	struct ipcns_dweller *d;

	q->key = fx_ftok(1);
	d = ipcns_dweller_start(create_queue_with_message, NULL, q);
	ipcns_open(fx_child_pid(d->child), &q->userfd, &q->ipcfd);
	ipcns_dweller_release(d);
	fx_child_join(fx_spawn(join_and_receive, q), FX_DEADLINE);
	check_received(q);
}

FX_CASE(setns__errors, "linux", "setns(2) fails with EBADF for a bad descriptor and EINVAL for a type mismatch or a descriptor that is no namespace",
    "setns(2) ERRORS: EBADF, EINVAL")
{
	struct { const char *desc; int fd, nstype, want; } rows[4];
	int ipcfd, p[2], r[4], err[4], refused = 0;
	size_t i, n = sizeof rows / sizeof rows[0];

	ipcfd = fx_open_documented("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	FX_OK(pipe(p));
	rows[0] = (__typeof__(rows[0])){ "setns(-1, CLONE_NEWIPC)", -1, CLONE_NEWIPC, EBADF };
	rows[1] = (__typeof__(rows[0])){ "setns(ipc namespace fd, CLONE_NEWNET)", ipcfd,
	    CLONE_NEWNET, EINVAL };
	rows[2] = (__typeof__(rows[0])){ "setns(pipe fd, 0)", p[0], 0, EINVAL };
	rows[3] = (__typeof__(rows[0])){ "setns(pipe fd, CLONE_NEWIPC)", p[0], CLONE_NEWIPC, EINVAL };
	/* Every row is tried: one refused row says nothing about the others. */
	for (i = 0; i < n; i++) {
		errno = 0;
		r[i] = setns(rows[i].fd, rows[i].nstype);
		err[i] = errno;
		if (r[i] == -1 && err[i] == EPERM)
			refused++;
	}
	if (refused == (int)n)
		fx_skip("setns(2) fails with EPERM for all %zu rows, before the kernel looks at the "
		    "descriptor: the call is filtered (a container's seccomp profile)", n);
	for (i = 0; i < n; i++)
		FX_CHECK_ERRNO_MSG(rows[i].want, (errno = err[i], r[i]), "%s", rows[i].desc);
}

static void
setns_own_ns(void *arg)
{
	int *result = arg;
	int fd = fx_open_documented("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);

	errno = 0;
	result[0] = setns(fd, CLONE_NEWIPC);
	result[1] = errno;
}

FX_CASE(setns__eperm_without_cap_sys_admin, "linux", "setns(2) into an IPC namespace fails with EPERM for a process without CAP_SYS_ADMIN",
    "setns(2) ERRORS: EPERM")
{
	int *result = fx_shared(2 * sizeof(int));

	/* Root drops to the other user for the attempt; any other user tries directly. */
	fx_child_join(fx_spawn_unprivileged(setns_own_ns, result), FX_DEADLINE);
	FX_REQUIRE(result[0] == -1 && result[1] == EPERM, "setns(own ipc ns) without "
	    "CAP_SYS_ADMIN: got %d (%s), expected -1 EPERM", result[0],
	    fx_errno_name(result[1]));
}
