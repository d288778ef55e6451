/*
 * Linux specifics of POSIX message queues: the descriptor is a file that
 * poll(2)/select(2) understand, the mqueue filesystem shows each queue, and
 * queues belong to the caller's IPC namespace.
 */
#include "mq.h"

#include <poll.h>
#include <stdlib.h>
#include <sys/select.h>

/* Mounts the mqueue filesystem of a private IPC namespace on ./mqfs. */
static void
private_mqueue_mount(void)
{
	fx_enter_private_ipcns();
	fx_mount_mqueue("mqfs");
}

/* The queue's file in ./mqfs as text ("QSIZE:7 NOTIFY:0 SIGNO:0 NOTIFY_PID:0"). */
static void
read_queue_file(const char *name, char *buf, size_t len)
{
	char path[MQ_NAME_LEN + 8];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "mqfs%s", name);
	fd = (int)FX_OK(open(path, O_RDONLY | O_CLOEXEC));
	n = (ssize_t)FX_OK(read(fd, buf, len - 1));
	buf[n] = '\0';
	FX_OK(close(fd));
}

/* The number after "FIELD:" in a queue file's text. */
static long
field_of(const char *text, const char *field)
{
	const char *p = strstr(text, field);

	FX_REQUIRE(p != NULL && p[strlen(field)] == ':', "no %s in '%s'", field, text);
	return strtol(p + strlen(field) + 1, NULL, 10);
}

/* Reads the queue's file once and returns FIELD. */
static long
queue_field(const char *name, const char *field)
{
	char buf[256];

	read_queue_file(name, buf, sizeof buf);
	return field_of(buf, field);
}

static short
poll_now(mqd_t q, short events)
{
	struct pollfd p = { .fd = q, .events = events };

	FX_OK(poll(&p, 1, 0));
	return p.revents;
}

FX_CASE(mq_poll__pollin_when_message, "linux", "poll(2) on a queue descriptor reports POLLIN exactly while a message is queued",
    "mq_overview(7): Polling message queue descriptors")
{
	mqd_t q = mq_small();
	char buf[16];

	FX_REQUIRE_EQ(poll_now(q, POLLIN), 0);
	MQ_SEND(q, "m", 0);
	FX_REQUIRE_EQ(poll_now(q, POLLIN), POLLIN);
	FX_OK(mq_receive(q, buf, sizeof buf, NULL));
	FX_REQUIRE_EQ(poll_now(q, POLLIN), 0);
}

FX_CASE(mq_poll__pollout_until_full, "linux", "poll(2) on a queue descriptor reports POLLOUT while the queue has room",
    "mq_overview(7): Polling message queue descriptors")
{
	char name[MQ_NAME_LEN];
	mqd_t q = mq_new("q", O_RDWR, 2, 8, name);

	FX_REQUIRE_EQ(poll_now(q, POLLOUT), POLLOUT);
	MQ_SEND(q, "a", 0);
	FX_REQUIRE_EQ(poll_now(q, POLLOUT), POLLOUT);
	MQ_SEND(q, "b", 0);
	FX_REQUIRE_EQ(poll_now(q, POLLOUT), 0);
}

struct poller { mqd_t q; int ret; short revents; };

static void
poll_wait(void *arg)
{
	struct poller *p = arg;
	struct pollfd pfd = { .fd = p->q, .events = POLLIN };

	p->ret = poll(&pfd, 1, FX_DEADLINE);
	p->revents = pfd.revents;
}

FX_CASE(mq_poll__blocks_until_message, "linux", "poll(2) for POLLIN on an empty queue sleeps until a message is sent",
    "mq_overview(7): Polling message queue descriptors")
{
	struct poller *p = fx_shared(sizeof *p);
	struct fx_child *c;

	p->q = mq_small();
	c = fx_spawn(poll_wait, p);
	fx_wait_blocked_in(fx_child_pid(c), "poll", FX_DEADLINE);
	MQ_SEND(p->q, "wake", 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(p->ret, 1);
	FX_REQUIRE_EQ(p->revents, POLLIN);
}

FX_CASE(mq_select__readable_when_message, "linux", "select(2) reports a queue descriptor readable once a message is queued",
    "mq_overview(7): Polling message queue descriptors")
{
	mqd_t q = mq_small();
	struct timeval tv = { 0, 0 };
	fd_set rd;

	FD_ZERO(&rd);
	FD_SET(q, &rd);
	FX_REQUIRE_EQ(select(q + 1, &rd, NULL, NULL, &tv), 0);
	MQ_SEND(q, "m", 0);
	FD_ZERO(&rd);
	FD_SET(q, &rd);
	tv.tv_sec = 0;
	FX_REQUIRE_EQ(select(q + 1, &rd, NULL, NULL, &tv), 1);
	FX_REQUIRE(FD_ISSET(q, &rd), "the queue descriptor is not in the readable set");
}

FX_CASE(mqueue_fs__shows_qsize, "linux", "the queue's file in the mqueue filesystem shows QSIZE, the bytes of queued messages",
    "mq_overview(7): Mounting the message queue filesystem (QSIZE)")
{
	struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	mqd_t q;

	private_mqueue_mount(); /* fixed names: the queue dies with the namespace */
	q = (mqd_t)FX_OK(mq_open("/fsq", O_CREAT | O_EXCL | O_RDWR, 0600, &a));
	FX_REQUIRE_EQ(queue_field("/fsq", "QSIZE"), 0);
	MQ_SEND(q, "hello", 1);
	MQ_SEND(q, "ab", 2);
	FX_REQUIRE_EQ(queue_field("/fsq", "QSIZE"), 7);
	MQ_EXPECT(q, "ab", 2);
	FX_REQUIRE_EQ(queue_field("/fsq", "QSIZE"), 5);
}

FX_CASE(mqueue_fs__shows_notification, "linux", "the queue's file shows the registered process's NOTIFY_PID and SIGNO",
    "mq_overview(7): NOTIFY, SIGNO, NOTIFY_PID")
{
	struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	struct sigevent sev;
	char text[256];
	mqd_t q;

	private_mqueue_mount();
	q = (mqd_t)FX_OK(mq_open("/fsq", O_CREAT | O_EXCL | O_RDWR, 0600, &a));
	FX_REQUIRE_EQ(queue_field("/fsq", "NOTIFY_PID"), 0);
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR2;
	FX_OK(mq_notify(q, &sev));
	/* One read: the owner closing any file of the queue drops its registration. */
	read_queue_file("/fsq", text, sizeof text);
	FX_REQUIRE_EQ(field_of(text, "NOTIFY_PID"), getpid());
	FX_REQUIRE_EQ(field_of(text, "SIGNO"), SIGUSR2);
	FX_REQUIRE_EQ(field_of(text, "NOTIFY"), SIGEV_SIGNAL);
	FX_OK(mq_notify(q, NULL));
	FX_REQUIRE_EQ(queue_field("/fsq", "NOTIFY_PID"), 0);
}

FX_CASE(mqueue_fs__unlink_removes_queue, "linux", "unlink(2) of the queue's file in the mqueue filesystem removes the queue's name",
    "mq_overview(7): Mounting the message queue filesystem")
{
	struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 16 };

	private_mqueue_mount();
	FX_OK(mq_close((mqd_t)FX_OK(mq_open("/fsq", O_CREAT | O_EXCL | O_RDWR, 0600, &a))));
	FX_OK(unlink("mqfs/fsq"));
	FX_REQUIRE_ERRNO(ENOENT, mq_open("/fsq", O_RDWR));
}

static void
look_from_new_namespace(void *arg)
{
	const char *name = arg;
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	mqd_t q;

	fx_enter_private_ipcns();
	FX_REQUIRE_ERRNO(ENOENT, mq_open(name, O_RDWR));
	q = (mqd_t)FX_OK(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &a));
	MQ_SEND(q, "inside", 0);
}

FX_CASE(mq_open__queues_per_ipc_namespace, "linux", "a process in a new IPC namespace neither sees nor disturbs the queues of the old one",
    "ipc_namespaces(7): POSIX message queues are isolated")
{
	char *name = fx_shared(MQ_NAME_LEN);
	mqd_t q = mq_new("q", O_RDWR, 2, 8, name);

	fx_child_join(fx_spawn(look_from_new_namespace, name), FX_DEADLINE);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_curmsgs, 0);
	FX_REQUIRE_EQ(mq_attr_of(q).mq_maxmsg, 2);
}
