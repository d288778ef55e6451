/*
 * Helpers shared by the posix_mq test programs, and by no other family: a
 * fresh queue under a unique name, its attributes, mq_curmsgs as a wait
 * predicate, and a child that sends or receives.
 */
#ifndef IPCCONF_POSIX_MQ_MQ_H
#define IPCCONF_POSIX_MQ_MQ_H

#include "fx.h"

#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MQ_NAME_LEN 300

/*
 * Creates (O_CREAT|O_EXCL, mode 0600) a queue with maxmsg messages of msgsize
 * bytes under a fresh name recorded for cleanup; the name goes to `name`.
 */
static inline mqd_t
mq_new(const char *tag, int oflag, long maxmsg, long msgsize, char *name)
{
	struct mq_attr a = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };

	fx_posix_name(FX_POSIX_MQ, tag, name, MQ_NAME_LEN);
	return (mqd_t)FX_OK(mq_open(name, O_CREAT | O_EXCL | oflag, 0600, &a));
}

/* A fresh O_RDWR queue of 4 messages of 16 bytes. */
static inline mqd_t
mq_small(void)
{
	char name[MQ_NAME_LEN];

	return mq_new("q", O_RDWR, 4, 16, name);
}

static inline struct mq_attr
mq_attr_of(mqd_t q)
{
	struct mq_attr a;

	FX_OK(mq_getattr(q, &a));
	return a;
}

/* Sends text (without its NUL) at priority prio; fails the case on error. */
#define MQ_SEND(q, text, prio) FX_OK(mq_send((q), (text), strlen(text), (prio)))

/* Receives one message and asserts its text and priority. */
#define MQ_EXPECT(q, text, prio) \
	do { \
		char b_[8192]; \
		unsigned p_ = 9999; \
		ssize_t n_ = (ssize_t)strlen(text); \
		FX_REQUIRE_EQ(mq_receive((q), b_, sizeof b_, &p_), n_); \
		FX_REQUIRE_MEMEQ(b_, (text), (size_t)n_); \
		FX_REQUIRE_EQ(p_, (prio)); \
	} while (0)

/* For fx_wait_until: the queue holds exactly `n` messages. */
struct mq_count {
	mqd_t q;
	long n;
};

static inline bool
mq_has_curmsgs(void *arg)
{
	struct mq_count *c = arg;
	struct mq_attr a;

	if (mq_getattr(c->q, &a) != 0) {
		fx_wait_note("mq_getattr failed: %s", fx_errno_name(errno));
		return false;
	}
	fx_wait_note("mq_curmsgs %ld", (long)a.mq_curmsgs);
	return a.mq_curmsgs == c->n;
}

/*
 * A call made by a child: mq_receive/mq_timedreceive or mq_send/mq_timedsend
 * (when `timed`, with the absolute CLOCK_REALTIME `deadline`). With
 * `catch_signal`, SIGUSR1 gets a handler (no SA_RESTART) first.
 */
struct mq_job {
	mqd_t q;
	size_t len;
	unsigned prio;
	bool timed;
	struct timespec deadline;
	bool catch_signal;
	ssize_t ret;
	int err;
	char buf[8192];
};

static inline void
mq_on_signal(int sig)
{
	(void)sig;
}

static inline void
mq_prepare_job(struct mq_job *j)
{
	if (j->catch_signal) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = mq_on_signal;
		FX_OK(sigaction(SIGUSR1, &sa, NULL));
	}
	errno = 0;
}

static inline void
mq_receive_job(void *arg)
{
	struct mq_job *j = arg;

	mq_prepare_job(j);
	j->ret = j->timed ? mq_timedreceive(j->q, j->buf, j->len, &j->prio, &j->deadline)
	    : mq_receive(j->q, j->buf, j->len, &j->prio);
	j->err = errno;
}

static inline void
mq_send_job(void *arg)
{
	struct mq_job *j = arg;

	mq_prepare_job(j);
	j->ret = j->timed ? mq_timedsend(j->q, j->buf, j->len, j->prio, &j->deadline)
	    : mq_send(j->q, j->buf, j->len, j->prio);
	j->err = errno;
}

/* A shared, zeroed job on q; buf holds `text` for a send, len its length. */
static inline struct mq_job *
mq_job(mqd_t q, const char *text, size_t len, unsigned prio)
{
	struct mq_job *j = fx_shared(sizeof *j);

	j->q = q;
	j->len = len;
	j->prio = prio;
	if (text != NULL)
		memcpy(j->buf, text, strlen(text));
	return j;
}

/* CLOCK_REALTIME now plus ms milliseconds. */
static inline struct timespec
mq_realtime_in(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/*
 * Runs fn(arg) in a child without privilege and joins it: as the other user
 * when the test runs as root, else as the caller itself.
 */
static inline void
mq_run_unprivileged(fx_child_fn *fn, void *arg)
{
	fx_child_join(fx_spawn_unprivileged(fn, arg), FX_DEADLINE);
}

#endif
