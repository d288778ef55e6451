/*
 * Helpers shared by the posix_sem test programs only: named semaphores that
 * are recorded for cleanup, a value check, absolute CLOCK_REALTIME deadlines,
 * and a child that runs sem_wait or sem_timedwait and records the result.
 */
#ifndef IPCCONF_POSIX_SEM_HELPERS_H
#define IPCCONF_POSIX_SEM_HELPERS_H

#include "fx.h"

#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* sem_open as an int result for FX_REQUIRE_ERRNO: 0, or -1 for SEM_FAILED (errno kept). */
#define SEM_OPEN_RC(...) (sem_open(__VA_ARGS__) == SEM_FAILED ? -1 : 0)

/* Creates a new named semaphore with a unique name (written to name), recorded for cleanup. */
static inline sem_t *
open_new(const char *tag, unsigned value, char *name, size_t len)
{
	fx_posix_name(FX_POSIX_SEM, tag, name, len);
	return FX_OK_PTR(sem_open(name, O_CREAT | O_EXCL, 0600, value));
}

static inline int
value_of(sem_t *s)
{
	int v = -12345;

	FX_OK(sem_getvalue(s, &v));
	return v;
}

/* CLOCK_REALTIME now plus ms (negative: in the past), as an absolute timeout. */
static inline struct timespec
realtime_in(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	} else if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += 1000000000L;
	}
	return ts;
}

static inline bool
realtime_reached(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* A waiter in fx_shared memory: sem_wait, or sem_timedwait when timed. */
struct waiter {
	sem_t *sem;
	bool timed;
	struct timespec abstime;
	int ret, err;
	bool deadline_reached; /* CLOCK_REALTIME >= abstime when the call returned */
};

static inline struct waiter *
new_waiter(sem_t *sem)
{
	struct waiter *w = fx_shared(sizeof *w);

	w->sem = sem;
	w->ret = -2;
	return w;
}

static inline void
run_wait(void *arg)
{
	struct waiter *w = arg;

	errno = 0;
	w->ret = w->timed ? sem_timedwait(w->sem, &w->abstime) : sem_wait(w->sem);
	w->err = errno;
	w->deadline_reached = w->timed && realtime_reached(&w->abstime);
}

static inline void
ignore_signal(int sig)
{
	(void)sig;
}

/* Installs a handler without SA_RESTART, then waits. */
static inline void
run_wait_interruptible(void *arg)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ignore_signal;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	run_wait(arg);
}

#endif
