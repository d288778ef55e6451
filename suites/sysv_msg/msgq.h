/*
 * Helpers shared by the sysv_msg test programs, and by no other family: a
 * message buffer, a fresh private queue, sending and checked receiving, the
 * queue's counters as wait predicates, and a receiver/sender child.
 */
#ifndef IPCCONF_SYSV_MSG_MSGQ_H
#define IPCCONF_SYSV_MSG_MSGQ_H

#include "fx.h"

#include <signal.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/types.h>
#include <unistd.h>

#define MSGQ_TEXT 64

struct msgq_buf {
	long mtype;
	char mtext[MSGQ_TEXT];
};

/* A new IPC_PRIVATE queue with mode 0600, recorded for cleanup. */
static inline int
msgq_new(void)
{
	return (int)FX_OK(fx_msgget(IPC_PRIVATE, IPC_CREAT | 0600));
}

/* Sends text (without its NUL) as a message of type `type`; fails the case on error. */
#define MSGQ_SEND(id, type, text) \
	do { \
		struct msgq_buf m_ = { .mtype = (type) }; \
		size_t n_ = strlen(text); \
		memcpy(m_.mtext, (text), n_); \
		FX_OK(msgsnd((id), &m_, n_, 0)); \
	} while (0)

/* Receives with IPC_NOWAIT and asserts the message's type and text. */
#define MSGQ_EXPECT(id, msgtyp, flags, type, text) \
	do { \
		struct msgq_buf m_; \
		ssize_t n_ = (ssize_t)strlen(text); \
		FX_REQUIRE_EQ(msgrcv((id), &m_, MSGQ_TEXT, (msgtyp), (flags) | IPC_NOWAIT), n_); \
		FX_REQUIRE_EQ(m_.mtype, (type)); \
		FX_REQUIRE_MEMEQ(m_.mtext, (text), (size_t)n_); \
	} while (0)

/* IPC_STAT of id; fails the case on error. */
static inline struct msqid_ds
msgq_stat(int id)
{
	struct msqid_ds ds;

	FX_OK(msgctl(id, IPC_STAT, &ds));
	return ds;
}

/*
 * IPC_SET of the mode alone, for a queue created by the caller with the
 * default msg_qbytes (IPC_SET needs no read permission, unlike IPC_STAT).
 */
static inline void
msgq_chmod(int id, unsigned mode)
{
	struct msqid_ds ds;

	memset(&ds, 0, sizeof ds);
	ds.msg_perm.uid = geteuid();
	ds.msg_perm.gid = getegid();
	ds.msg_perm.mode = mode;
	ds.msg_qbytes = (msglen_t)fx_read_sysctl("kernel/msgmnb");
	FX_OK(msgctl(id, IPC_SET, &ds));
}

/* For fx_wait_until: the queue holds exactly `n` messages. */
struct msgq_count {
	int id;
	unsigned long n;
};

static inline bool
msgq_has_qnum(void *arg)
{
	struct msgq_count *c = arg;
	struct msqid_ds ds;

	if (msgctl(c->id, IPC_STAT, &ds) != 0) {
		fx_wait_note("IPC_STAT failed: %s", fx_errno_name(errno));
		return false;
	}
	fx_wait_note("msg_qnum %lu", (unsigned long)ds.msg_qnum);
	return ds.msg_qnum == c->n;
}

/*
 * A call made by a child: msgrcv (type, flags) or msgsnd of `len` bytes of
 * type `type`. When `catch_signal` is set, SIGUSR1 gets a handler with
 * `sa_flags` first, so that it interrupts the call instead of killing.
 */
struct msgq_job {
	int id;
	long type;
	int flags;
	size_t len;
	bool catch_signal;
	int sa_flags;
	ssize_t ret;
	int err;
	struct msgq_buf msg;
};

static inline void
msgq_on_signal(int sig)
{
	(void)sig;
}

static inline void
msgq_prepare_job(struct msgq_job *j)
{
	if (j->catch_signal) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = msgq_on_signal;
		sa.sa_flags = j->sa_flags;
		FX_OK(sigaction(SIGUSR1, &sa, NULL));
	}
	errno = 0;
}

static inline void
msgq_receive_job(void *arg)
{
	struct msgq_job *j = arg;

	msgq_prepare_job(j);
	j->ret = msgrcv(j->id, &j->msg, j->len != 0 ? j->len : MSGQ_TEXT, j->type, j->flags);
	j->err = errno;
}

static inline void
msgq_send_job(void *arg)
{
	struct msgq_job *j = arg;
	struct msgq_buf m = { .mtype = j->type };

	memset(m.mtext, 'x', sizeof m.mtext);
	msgq_prepare_job(j);
	j->ret = msgsnd(j->id, &m, j->len, j->flags);
	j->err = errno;
}

/* A shared, zeroed job for queue id. */
static inline struct msgq_job *
msgq_job(int id, long type, int flags, size_t len)
{
	struct msgq_job *j = fx_shared(sizeof *j);

	j->id = id;
	j->type = type;
	j->flags = flags;
	j->len = len;
	return j;
}

/*
 * Runs fn(arg) in a child without privilege and joins it: as the other user
 * when the test runs as root, else as the caller itself. For checks that hold
 * for any unprivileged caller (a queue whose mode grants nobody the access).
 */
static inline void
msgq_run_unprivileged(fx_child_fn *fn, void *arg)
{
	struct fx_child *c = fx_spawn_unprivileged(fn, arg);

	fx_child_join(c, FX_DEADLINE);
}

#endif
