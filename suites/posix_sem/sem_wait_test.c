/*
 * sem_wait(3), sem_trywait(3), sem_timedwait(3) and glibc's sem_clockwait(3):
 * locking a POSIX semaphore.
 */
#include "psem_helpers.h"

FX_CASE(sem_wait__decrements_positive, "posix", "sem_wait on a positive value decrements it and returns 0 at once",
    "POSIX.1-2017 XSH sem_wait")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 2, name, sizeof name);

	FX_REQUIRE_EQ(sem_wait(s), 0);
	FX_REQUIRE_EQ(value_of(s), 1);
	FX_REQUIRE_EQ(sem_wait(s), 0);
	FX_REQUIRE_EQ(value_of(s), 0);
}

FX_CASE(sem_wait__blocks_until_post, "posix", "sem_wait at 0 blocks until another process posts",
    "POSIX.1-2017 XSH sem_wait: blocks until it locks the semaphore")
{
	char name[NAME_MAX + 1];
	struct waiter *w = new_waiter(open_new("s", 0, name, sizeof name));
	struct fx_child *c = fx_spawn(run_wait, w);

	fx_wait_blocked_in(fx_child_pid(c), "futex", FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, -2);
	FX_REQUIRE_EQ(sem_post(w->sem), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE_EQ(value_of(w->sem), 0);
}

struct two { struct fx_child *a, *b; };

static bool
one_exited(void *arg)
{
	struct two *t = arg;

	return fx_child_exited(t->a) || fx_child_exited(t->b);
}

FX_CASE(sem_wait__one_post_wakes_one_waiter, "posix", "with two blocked waiters one sem_post lets exactly one of them through",
    "POSIX.1-2017 XSH sem_post: one of the blocked threads returns")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);
	struct two t;
	struct fx_child *still;

	t.a = fx_spawn(run_wait, new_waiter(s));
	t.b = fx_spawn(run_wait, new_waiter(s));
	fx_wait_blocked_in(fx_child_pid(t.a), "futex", FX_DEADLINE);
	fx_wait_blocked_in(fx_child_pid(t.b), "futex", FX_DEADLINE);
	FX_OK(sem_post(s));
	fx_wait_until(one_exited, &t, FX_DEADLINE, "one waiter to return");
	still = fx_child_exited(t.a) ? t.b : t.a;
	fx_wait_blocked_in(fx_child_pid(still), "futex", FX_DEADLINE);
	FX_REQUIRE_EQ(value_of(s), 0);
	FX_OK(sem_post(s));
	fx_child_join(t.a, FX_DEADLINE);
	fx_child_join(t.b, FX_DEADLINE);
	FX_REQUIRE_EQ(value_of(s), 0);
}

FX_CASE(sem_wait__signal_interrupts_eintr, "posix", "a caught signal (no SA_RESTART) interrupts a blocked sem_wait with EINTR",
    "POSIX.1-2017 XSH sem_wait ERRORS [EINTR]")
{
	char name[NAME_MAX + 1];
	struct waiter *w = new_waiter(open_new("s", 0, name, sizeof name));
	struct fx_child *c = fx_spawn(run_wait_interruptible, w);

	fx_wait_blocked_in(fx_child_pid(c), "futex", FX_DEADLINE);
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(w->ret, w->err, EINTR);
	FX_REQUIRE_EQ(value_of(w->sem), 0);
}

FX_CASE(sem_trywait__zero_eagain, "posix", "sem_trywait at 0 fails with EAGAIN and leaves the value at 0",
    "POSIX.1-2017 XSH sem_trywait ERRORS [EAGAIN]")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);

	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, sem_trywait(s));
	FX_REQUIRE_EQ(value_of(s), 0);
}

FX_CASE(sem_trywait__decrements_positive, "posix", "sem_trywait on a positive value decrements it and returns 0",
    "POSIX.1-2017 XSH sem_trywait")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 1, name, sizeof name);

	FX_REQUIRE_EQ(sem_trywait(s), 0);
	FX_REQUIRE_EQ(value_of(s), 0);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, sem_trywait(s));
}

FX_CASE(sem_timedwait__etimedout_at_deadline, "posix", "sem_timedwait at 0 fails with ETIMEDOUT once the absolute CLOCK_REALTIME deadline has passed",
    "POSIX.1-2017 XSH sem_timedwait ERRORS [ETIMEDOUT]; timeout on CLOCK_REALTIME")
{
	char name[NAME_MAX + 1];
	struct waiter *w = new_waiter(open_new("s", 0, name, sizeof name));

	w->timed = true;
	w->abstime = realtime_in(200);
	run_wait(w);
	FX_REQUIRE_CHILD_ERRNO(w->ret, w->err, ETIMEDOUT);
	FX_REQUIRE(w->deadline_reached, "sem_timedwait timed out before CLOCK_REALTIME reached the deadline");
	FX_REQUIRE_EQ(value_of(w->sem), 0);
}

FX_CASE(sem_timedwait__past_deadline_etimedout, "posix", "sem_timedwait at 0 with a deadline already past fails with ETIMEDOUT at once",
    "POSIX.1-2017 XSH sem_timedwait ERRORS [ETIMEDOUT]")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);
	struct timespec past = realtime_in(-5000), epoch = { 0, 0 };

	FX_REQUIRE_ERRNO_AT_ONCE(ETIMEDOUT, sem_timedwait(s, &past));
	FX_REQUIRE_ERRNO_AT_ONCE(ETIMEDOUT, sem_timedwait(s, &epoch));
}

FX_CASE(sem_timedwait__available_never_times_out, "posix", "sem_timedwait on a positive value succeeds even with a deadline in the past",
    "POSIX.1-2017 XSH sem_timedwait: no timeout if the semaphore can be locked immediately")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 1, name, sizeof name);
	struct timespec past = realtime_in(-5000);

	FX_REQUIRE_EQ(sem_timedwait(s, &past), 0);
	FX_REQUIRE_EQ(value_of(s), 0);
}

FX_CASE(sem_timedwait__bad_nsec_einval, "posix", "sem_timedwait that would block with tv_nsec < 0 or >= 1e9 fails with EINVAL",
    "POSIX.1-2017 XSH sem_timedwait ERRORS [EINVAL]")
{
	static const long nsecs[] = { 1000000000L, -1, 2000000000L };
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);
	size_t i;

	for (i = 0; i < sizeof nsecs / sizeof nsecs[0]; i++) {
		struct timespec ts = realtime_in(60000);

		ts.tv_nsec = nsecs[i];
		FX_CHECK_ERRNO_MSG(EINVAL, sem_timedwait(s, &ts),
		    "sem_timedwait(value 0, tv_nsec=%ld)", nsecs[i]);
	}
	FX_REQUIRE_EQ(value_of(s), 0);
}

FX_CASE(sem_timedwait__post_before_deadline, "posix", "a blocked sem_timedwait returns 0 when another process posts before the deadline",
    "POSIX.1-2017 XSH sem_timedwait")
{
	char name[NAME_MAX + 1];
	struct waiter *w = new_waiter(open_new("s", 0, name, sizeof name));
	struct fx_child *c;

	w->timed = true;
	w->abstime = realtime_in(60000);
	c = fx_spawn(run_wait, w);
	fx_wait_blocked_in(fx_child_pid(c), "futex", FX_DEADLINE);
	FX_OK(sem_post(w->sem));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE(!w->deadline_reached, "sem_timedwait returned only at its deadline");
	FX_REQUIRE_EQ(value_of(w->sem), 0);
}

FX_CASE(sem_timedwait__signal_interrupts_eintr, "posix", "a caught signal (no SA_RESTART) interrupts a blocked sem_timedwait with EINTR before its deadline",
    "POSIX.1-2017 XSH sem_timedwait ERRORS [EINTR] (via sem_wait)")
{
	char name[NAME_MAX + 1];
	struct waiter *w = new_waiter(open_new("s", 0, name, sizeof name));
	struct fx_child *c;

	w->timed = true;
	w->abstime = realtime_in(60000);
	c = fx_spawn(run_wait_interruptible, w);
	fx_wait_blocked_in(fx_child_pid(c), "futex", FX_DEADLINE);
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(w->ret, w->err, EINTR);
	FX_REQUIRE(!w->deadline_reached, "sem_timedwait returned only at its deadline");
}

FX_CASE(sem_clockwait__monotonic_etimedout, "linux", "sem_clockwait with CLOCK_MONOTONIC fails with ETIMEDOUT once that clock reaches the deadline",
    "sem_wait(3): sem_clockwait (glibc 2.30)")
{
#ifdef __GLIBC__
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);
	struct timespec deadline, now;

	FX_OK(clock_gettime(CLOCK_MONOTONIC, &deadline));
	deadline.tv_nsec += 200 * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	FX_REQUIRE_ERRNO(ETIMEDOUT, sem_clockwait(s, CLOCK_MONOTONIC, &deadline));
	FX_OK(clock_gettime(CLOCK_MONOTONIC, &now));
	FX_REQUIRE(now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec &&
	    now.tv_nsec >= deadline.tv_nsec), "sem_clockwait timed out before the deadline");
	FX_REQUIRE_EQ(value_of(s), 0);
#else
	fx_skip("sem_clockwait is a glibc extension (2.30)");
#endif
}

FX_CASE(sem_clockwait__bad_clock_einval, "linux", "sem_clockwait with a clock other than CLOCK_REALTIME or CLOCK_MONOTONIC fails with EINVAL",
    "sem_wait(3): sem_clockwait ERRORS: EINVAL clockid")
{
#ifdef __GLIBC__
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);
	struct timespec deadline = realtime_in(60000);

	FX_REQUIRE_ERRNO(EINVAL, sem_clockwait(s, CLOCK_PROCESS_CPUTIME_ID, &deadline));
	FX_REQUIRE_ERRNO(EINVAL, sem_clockwait(s, CLOCK_BOOTTIME, &deadline));
#else
	fx_skip("sem_clockwait is a glibc extension (2.30)");
#endif
}
