/*
 * Faults of POSIX message queues, shared memory objects and named
 * semaphores. Named objects a test creates are logged for the self-test's
 * leak check (fault_created).
 */
#include "fault.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

mqd_t
mq_open(const char *name, int flags, ...)
{
	FAULT_REAL(mq_open);
	struct mq_attr *attr = NULL;
	mode_t mode = 0;
	va_list ap;
	mqd_t q;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	q = real_mq_open(name, flags, mode, attr);
	if (q == (mqd_t)-1 && errno == EEXIST && fault_is("mq_open_excl_ignored")) {
		fault_fired();
		q = real_mq_open(name, flags & ~O_EXCL, mode, attr);
	}
	if (q != (mqd_t)-1 && (flags & O_CREAT))
		fault_created("posix_mq", name, NULL);
	return q;
}

int
mq_send(mqd_t q, const char *msg, size_t len, unsigned prio)
{
	FAULT_REAL(mq_send);

	if (fault_is("mq_send_priority_ignored") && prio != 0) {
		/* A plain FIFO: every message queued at priority 0. */
		fault_fired();
		prio = 0;
	}
	if (fault_is("mq_send_prio_limit_off_by_one") && prio == (unsigned)sysconf(_SC_MQ_PRIO_MAX) - 1) {
		/* "prio >= MQ_PRIO_MAX - 1" for "prio >= MQ_PRIO_MAX": the last valid one refused. */
		fault_fired();
		errno = EINVAL;
		return -1;
	}
	return real_mq_send(q, msg, len, prio);
}

/* A receive into a buffer shorter than mq_msgsize: truncates instead of EMSGSIZE. */
static ssize_t
receive_truncating(mqd_t q, char *buf, size_t len, unsigned *prio,
    const struct timespec *deadline)
{
	FAULT_REAL(mq_timedreceive);
	FAULT_REAL(mq_receive);
	struct mq_attr a;
	char *big;
	ssize_t r;

	if (mq_getattr(q, &a) == -1 || (size_t)a.mq_msgsize <= len ||
	    (big = malloc((size_t)a.mq_msgsize)) == NULL)
		return -2;
	fault_fired();
	r = deadline ? real_mq_timedreceive(q, big, (size_t)a.mq_msgsize, prio, deadline)
	    : real_mq_receive(q, big, (size_t)a.mq_msgsize, prio);
	if (r >= 0) {
		if ((size_t)r > len)
			r = (ssize_t)len;
		memcpy(buf, big, (size_t)r);
	}
	free(big);
	return r;
}

ssize_t
mq_receive(mqd_t q, char *buf, size_t len, unsigned *prio)
{
	FAULT_REAL(mq_receive);
	ssize_t r;

	if (fault_is("mq_receive_short_buffer_truncates") &&
	    (r = receive_truncating(q, buf, len, prio, NULL)) != -2)
		return r;
	return real_mq_receive(q, buf, len, prio);
}

ssize_t
mq_timedreceive(mqd_t q, char *buf, size_t len, unsigned *prio, const struct timespec *deadline)
{
	FAULT_REAL(mq_timedreceive);
	/* Only valid deadlines (the EINVAL and EFAULT cases pass others on as they are). */
	const struct timespec *volatile given = deadline;
	bool valid = given != NULL && given->tv_nsec >= 0 && given->tv_nsec < 1000000000L;
	ssize_t r;

	if (fault_is("mq_receive_short_buffer_truncates") &&
	    (r = receive_truncating(q, buf, len, prio, deadline)) != -2)
		return r;
	if (fault_is("mq_timedreceive_past_deadline_waits") && valid) {
		/* The deadline had passed when the call began: it must fail at once. */
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		r = real_mq_timedreceive(q, buf, len, prio, deadline);
		if (r == -1 && errno == ETIMEDOUT && (deadline->tv_sec < now.tv_sec ||
		    (deadline->tv_sec == now.tv_sec && deadline->tv_nsec <= now.tv_nsec)))
			fault_wait_first();
		return r;
	}
	if (fault_is("mq_timedreceive_fires_early") && valid) {
		/* The timeout armed for half the time left: ETIMEDOUT before the deadline. */
		struct timespec now, half;
		long long left;

		clock_gettime(CLOCK_REALTIME, &now);
		left = (long long)(deadline->tv_sec - now.tv_sec) * 1000000000LL +
		    (deadline->tv_nsec - now.tv_nsec);
		if (left > 2000000) {
			long long at = (long long)now.tv_sec * 1000000000LL + now.tv_nsec + left / 2;

			half.tv_sec = (time_t)(at / 1000000000LL);
			half.tv_nsec = (long)(at % 1000000000LL);
			r = real_mq_timedreceive(q, buf, len, prio, &half);
			if (r == -1 && errno == ETIMEDOUT)
				fault_fired();
			return r;
		}
	}
	r = real_mq_timedreceive(q, buf, len, prio, deadline);
	if (r == -1 && errno == ETIMEDOUT && fault_is("mq_timedreceive_eagain_at_deadline")) {
		fault_fired();
		errno = EAGAIN;
	}
	return r;
}

int
mq_notify(mqd_t q, const struct sigevent *sev)
{
	FAULT_REAL(mq_notify);
	int r = real_mq_notify(q, sev);

	if (r == -1 && errno == EBUSY && fault_is("mq_notify_no_ebusy")) {
		/* A second registration accepted (and silently dropped). */
		fault_fired();
		return 0;
	}
	return r;
}

int
shm_open(const char *name, int flags, mode_t mode)
{
	FAULT_REAL(shm_open);
	int fd;

	if (fault_is("shm_open_rdonly_gives_rdwr") && (flags & O_ACCMODE) == O_RDONLY) {
		fd = real_shm_open(name, (flags & ~O_ACCMODE) | O_RDWR, mode);
		if (fd >= 0) {
			fault_fired();
			return fd;
		}
	}
	if (fault_is("shm_open_trunc_ignored") && (flags & O_TRUNC)) {
		fault_fired();
		flags &= ~O_TRUNC;
	}
	fd = real_shm_open(name, flags, mode);
	if (fd >= 0 && fault_is("shm_open_cloexec_missing")) {
		/* Opened without O_CLOEXEC, as a user-space shm_open on a directory may. */
		fault_fired();
		(void)fcntl(fd, F_SETFD, 0);
	}
	if (fd == -1 && errno == EEXIST && fault_is("shm_open_excl_ignored")) {
		fault_fired();
		fd = real_shm_open(name, flags & ~O_EXCL, mode);
	}
	if (fd >= 0 && (flags & O_CREAT)) {
		fault_created("posix_shm", name, NULL);
		if (fault_is("shm_open_mode_ignored")) {
			/* Created world-readable and writable whatever the mode said. */
			fault_fired();
			(void)fchmod(fd, 0666);
		}
	}
	return fd;
}

int
shm_unlink(const char *name)
{
	FAULT_REAL(shm_unlink);
	int r = real_shm_unlink(name);

	if (r == -1 && errno == ENOENT && fault_is("shm_unlink_missing_succeeds")) {
		fault_fired();
		return 0;
	}
	return r;
}

sem_t *
sem_open(const char *name, int flags, ...)
{
	FAULT_REAL(sem_open);
	unsigned value = 0;
	mode_t mode = 0;
	va_list ap;
	sem_t *s;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		value = va_arg(ap, unsigned);
		va_end(ap);
		if (fault_is("sem_open_value_unchecked") && value > (unsigned)SEM_VALUE_MAX) {
			/* Clamped instead of EINVAL. */
			fault_fired();
			value = SEM_VALUE_MAX;
		}
	}
	s = real_sem_open(name, flags, mode, value);
	if (s == SEM_FAILED && errno == EEXIST && fault_is("sem_open_excl_ignored")) {
		fault_fired();
		s = real_sem_open(name, flags & ~O_EXCL, mode, value);
	}
	if (s != SEM_FAILED && (flags & O_CREAT))
		fault_created("posix_sem", name, NULL);
	return s;
}

int
sem_post(sem_t *s)
{
	FAULT_REAL(sem_post);
	int r = real_sem_post(s);

	if (r == -1 && errno == EOVERFLOW && fault_is("sem_post_no_eoverflow")) {
		fault_fired();
		return 0;
	}
	return r;
}

int
sem_timedwait(sem_t *s, const struct timespec *deadline)
{
	FAULT_REAL(sem_timedwait);
	int r = real_sem_timedwait(s, deadline);

	if (r == -1 && errno == ETIMEDOUT && fault_is("sem_timedwait_eagain_at_deadline")) {
		fault_fired();
		errno = EAGAIN;
	}
	return r;
}
