/*
 * sem_wait(3), sem_trywait(3), sem_timedwait(3) and glibc's sem_clockwait(3):
 * locking a POSIX semaphore.
 */
#include "psem_helpers.h"

ATF_TC_WITH_CLEANUP(sem_wait__decrements_positive);
ATF_TC_HEAD(sem_wait__decrements_positive, tc)
{
	fx_meta(tc, "posix", "sem_wait on a positive value decrements it and returns 0 at once");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_wait");
}
ATF_TC_BODY(sem_wait__decrements_positive, tc)
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 2, name, sizeof name);

	FX_REQUIRE_EQ(sem_wait(s), 0);
	FX_REQUIRE_EQ(value_of(s), 1);
	FX_REQUIRE_EQ(sem_wait(s), 0);
	FX_REQUIRE_EQ(value_of(s), 0);
}
ATF_TC_CLEANUP(sem_wait__decrements_positive, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_wait__blocks_until_post);
ATF_TC_HEAD(sem_wait__blocks_until_post, tc)
{
	fx_meta(tc, "posix", "sem_wait at 0 blocks until another process posts");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_wait: blocks until it locks the semaphore");
}
ATF_TC_BODY(sem_wait__blocks_until_post, tc)
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
ATF_TC_CLEANUP(sem_wait__blocks_until_post, tc) { fx_cleanup(); }

struct two { struct fx_child *a, *b; };

static bool
one_exited(void *arg)
{
	struct two *t = arg;

	return fx_child_exited(t->a) || fx_child_exited(t->b);
}

ATF_TC_WITH_CLEANUP(sem_wait__one_post_wakes_one_waiter);
ATF_TC_HEAD(sem_wait__one_post_wakes_one_waiter, tc)
{
	fx_meta(tc, "posix", "with two blocked waiters one sem_post lets exactly one of them through");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_post: one of the blocked threads returns");
}
ATF_TC_BODY(sem_wait__one_post_wakes_one_waiter, tc)
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
ATF_TC_CLEANUP(sem_wait__one_post_wakes_one_waiter, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_wait__signal_interrupts_eintr);
ATF_TC_HEAD(sem_wait__signal_interrupts_eintr, tc)
{
	fx_meta(tc, "posix", "a caught signal (no SA_RESTART) interrupts a blocked sem_wait with EINTR");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_wait ERRORS [EINTR]");
}
ATF_TC_BODY(sem_wait__signal_interrupts_eintr, tc)
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
ATF_TC_CLEANUP(sem_wait__signal_interrupts_eintr, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_trywait__zero_eagain);
ATF_TC_HEAD(sem_trywait__zero_eagain, tc)
{
	fx_meta(tc, "posix", "sem_trywait at 0 fails with EAGAIN and leaves the value at 0");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_trywait ERRORS [EAGAIN]");
}
ATF_TC_BODY(sem_trywait__zero_eagain, tc)
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);

	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, sem_trywait(s));
	FX_REQUIRE_EQ(value_of(s), 0);
}
ATF_TC_CLEANUP(sem_trywait__zero_eagain, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_trywait__decrements_positive);
ATF_TC_HEAD(sem_trywait__decrements_positive, tc)
{
	fx_meta(tc, "posix", "sem_trywait on a positive value decrements it and returns 0");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_trywait");
}
ATF_TC_BODY(sem_trywait__decrements_positive, tc)
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 1, name, sizeof name);

	FX_REQUIRE_EQ(sem_trywait(s), 0);
	FX_REQUIRE_EQ(value_of(s), 0);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, sem_trywait(s));
}
ATF_TC_CLEANUP(sem_trywait__decrements_positive, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_timedwait__etimedout_at_deadline);
ATF_TC_HEAD(sem_timedwait__etimedout_at_deadline, tc)
{
	fx_meta(tc, "posix", "sem_timedwait at 0 fails with ETIMEDOUT once the absolute CLOCK_REALTIME deadline has passed");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_timedwait ERRORS [ETIMEDOUT]; timeout on CLOCK_REALTIME");
}
ATF_TC_BODY(sem_timedwait__etimedout_at_deadline, tc)
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
ATF_TC_CLEANUP(sem_timedwait__etimedout_at_deadline, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_timedwait__past_deadline_etimedout);
ATF_TC_HEAD(sem_timedwait__past_deadline_etimedout, tc)
{
	fx_meta(tc, "posix", "sem_timedwait at 0 with a deadline already past fails with ETIMEDOUT at once");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_timedwait ERRORS [ETIMEDOUT]");
}
ATF_TC_BODY(sem_timedwait__past_deadline_etimedout, tc)
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);
	struct timespec past = realtime_in(-5000), epoch = { 0, 0 };

	FX_REQUIRE_ERRNO_AT_ONCE(ETIMEDOUT, sem_timedwait(s, &past));
	FX_REQUIRE_ERRNO_AT_ONCE(ETIMEDOUT, sem_timedwait(s, &epoch));
}
ATF_TC_CLEANUP(sem_timedwait__past_deadline_etimedout, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_timedwait__available_never_times_out);
ATF_TC_HEAD(sem_timedwait__available_never_times_out, tc)
{
	fx_meta(tc, "posix", "sem_timedwait on a positive value succeeds even with a deadline in the past");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_timedwait: no timeout if the semaphore can be locked immediately");
}
ATF_TC_BODY(sem_timedwait__available_never_times_out, tc)
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 1, name, sizeof name);
	struct timespec past = realtime_in(-5000);

	FX_REQUIRE_EQ(sem_timedwait(s, &past), 0);
	FX_REQUIRE_EQ(value_of(s), 0);
}
ATF_TC_CLEANUP(sem_timedwait__available_never_times_out, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_timedwait__bad_nsec_einval);
ATF_TC_HEAD(sem_timedwait__bad_nsec_einval, tc)
{
	fx_meta(tc, "posix", "sem_timedwait that would block with tv_nsec < 0 or >= 1e9 fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_timedwait ERRORS [EINVAL]");
}
ATF_TC_BODY(sem_timedwait__bad_nsec_einval, tc)
{
	static const long nsecs[] = { 1000000000L, -1, 2000000000L };
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);
	size_t i;
	int r;

	for (i = 0; i < sizeof nsecs / sizeof nsecs[0]; i++) {
		struct timespec ts = realtime_in(60000);

		ts.tv_nsec = nsecs[i];
		errno = 0;
		r = sem_timedwait(s, &ts);
		fx_errno_row(FX_ROW("sem_timedwait(value 0, tv_nsec=%ld)", nsecs[i]), EINVAL, r,
		    errno);
	}
	fx_errno_rows_done();
	FX_REQUIRE_EQ(value_of(s), 0);
}
ATF_TC_CLEANUP(sem_timedwait__bad_nsec_einval, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_timedwait__post_before_deadline);
ATF_TC_HEAD(sem_timedwait__post_before_deadline, tc)
{
	fx_meta(tc, "posix", "a blocked sem_timedwait returns 0 when another process posts before the deadline");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_timedwait");
}
ATF_TC_BODY(sem_timedwait__post_before_deadline, tc)
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
ATF_TC_CLEANUP(sem_timedwait__post_before_deadline, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_timedwait__signal_interrupts_eintr);
ATF_TC_HEAD(sem_timedwait__signal_interrupts_eintr, tc)
{
	fx_meta(tc, "posix", "a caught signal (no SA_RESTART) interrupts a blocked sem_timedwait with EINTR before its deadline");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH sem_timedwait ERRORS [EINTR] (via sem_wait)");
}
ATF_TC_BODY(sem_timedwait__signal_interrupts_eintr, tc)
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
ATF_TC_CLEANUP(sem_timedwait__signal_interrupts_eintr, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_clockwait__monotonic_etimedout);
ATF_TC_HEAD(sem_clockwait__monotonic_etimedout, tc)
{
	fx_meta(tc, "linux", "sem_clockwait with CLOCK_MONOTONIC fails with ETIMEDOUT once that clock reaches the deadline");
	atf_tc_set_md_var(tc, "X-spec", "sem_wait(3): sem_clockwait (glibc 2.30)");
}
ATF_TC_BODY(sem_clockwait__monotonic_etimedout, tc)
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
ATF_TC_CLEANUP(sem_clockwait__monotonic_etimedout, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sem_clockwait__bad_clock_einval);
ATF_TC_HEAD(sem_clockwait__bad_clock_einval, tc)
{
	fx_meta(tc, "linux", "sem_clockwait with a clock other than CLOCK_REALTIME or CLOCK_MONOTONIC fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "sem_wait(3): sem_clockwait ERRORS: EINVAL clockid");
}
ATF_TC_BODY(sem_clockwait__bad_clock_einval, tc)
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
ATF_TC_CLEANUP(sem_clockwait__bad_clock_einval, tc) { fx_cleanup(); }

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sem_wait__decrements_positive);
	ATF_TP_ADD_TC(tp, sem_wait__blocks_until_post);
	ATF_TP_ADD_TC(tp, sem_wait__one_post_wakes_one_waiter);
	ATF_TP_ADD_TC(tp, sem_wait__signal_interrupts_eintr);
	ATF_TP_ADD_TC(tp, sem_trywait__zero_eagain);
	ATF_TP_ADD_TC(tp, sem_trywait__decrements_positive);
	ATF_TP_ADD_TC(tp, sem_timedwait__etimedout_at_deadline);
	ATF_TP_ADD_TC(tp, sem_timedwait__past_deadline_etimedout);
	ATF_TP_ADD_TC(tp, sem_timedwait__available_never_times_out);
	ATF_TP_ADD_TC(tp, sem_timedwait__bad_nsec_einval);
	ATF_TP_ADD_TC(tp, sem_timedwait__post_before_deadline);
	ATF_TP_ADD_TC(tp, sem_timedwait__signal_interrupts_eintr);
	ATF_TP_ADD_TC(tp, sem_clockwait__monotonic_etimedout);
	ATF_TP_ADD_TC(tp, sem_clockwait__bad_clock_einval);
	return atf_no_error();
}
