/*
 * semtimedop(2): semop with a relative timeout (Linux).
 */
#include "sem_helpers.h"

ATF_TC_WITH_CLEANUP(semtimedop__timeout_eagain);
ATF_TC_HEAD(semtimedop__timeout_eagain, tc)
{
	fx_meta(tc, "linux", "semtimedop fails with EAGAIN once the timeout expires, having waited for it");
	atf_tc_set_md_var(tc, "X-spec", "semop(2): semtimedop ERRORS: EAGAIN timeout expired");
}
ATF_TC_BODY(semtimedop__timeout_eagain, tc)
{
	struct semop_call *w = new_call(new_set(1), 0, -1, 0);

	w->timed = true;
	w->timeout = (struct timespec){ .tv_sec = 0, .tv_nsec = 200 * 1000000L };
	run_call(w);
	FX_REQUIRE_CHILD_ERRNO(w->ret, w->err, EAGAIN);
	FX_REQUIRE(FX_WAITED_ENOUGH(w->elapsed_ms, 200), "semtimedop returned after %lld ms, "
	    "timeout 200 ms", w->elapsed_ms);
	FX_REQUIRE_EQ(semctl(w->id, 0, GETNCNT), 0);
}
ATF_TC_CLEANUP(semtimedop__timeout_eagain, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(semtimedop__zero_timeout_eagain);
ATF_TC_HEAD(semtimedop__zero_timeout_eagain, tc)
{
	fx_meta(tc, "linux", "a zero timeout fails with EAGAIN at once when the operation would block");
	atf_tc_set_md_var(tc, "X-spec", "semop(2): semtimedop ERRORS: EAGAIN timeout expired");
}
ATF_TC_BODY(semtimedop__zero_timeout_eagain, tc)
{
	struct sembuf op = { 0, 0, 0 };
	struct timespec ts = { 0, 0 };
	int id = new_set(1);

	set_val(id, 0, 1);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, semtimedop(id, &op, 1, &ts));
	FX_REQUIRE_EQ(get_val(id, 0), 1);
}
ATF_TC_CLEANUP(semtimedop__zero_timeout_eagain, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(semtimedop__bad_timespec_einval);
ATF_TC_HEAD(semtimedop__bad_timespec_einval, tc)
{
	fx_meta(tc, "linux", "a timeout with tv_nsec outside [0, 1e9) or a negative tv_sec fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "semop(2): semtimedop ERRORS: EINVAL timeout");
}
ATF_TC_BODY(semtimedop__bad_timespec_einval, tc)
{
	static const struct timespec rows[] = {
		{ 0, 1000000000L }, { 0, -1 }, { -1, 0 },
	};
	struct sembuf op = { 0, -1, 0 };
	int id = new_set(1), r;
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		errno = 0;
		r = semtimedop(id, &op, 1, &rows[i]);
		fx_errno_row(FX_ROW("semtimedop(-1 at value 0, {%lld, %ld})",
		    (long long)rows[i].tv_sec, rows[i].tv_nsec), EINVAL, r, errno);
	}
	fx_errno_rows_done();
}
ATF_TC_CLEANUP(semtimedop__bad_timespec_einval, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(semtimedop__bad_timespec_checked_before_operating);
ATF_TC_HEAD(semtimedop__bad_timespec_checked_before_operating, tc)
{
	fx_meta(tc, "linux", "an invalid timeout fails with EINVAL even when the operation would not block, and nothing is applied");
	atf_tc_set_md_var(tc, "X-spec", "semop(2): semtimedop ERRORS: EINVAL timeout");
}
ATF_TC_BODY(semtimedop__bad_timespec_checked_before_operating, tc)
{
	struct sembuf op = { 0, 1, 0 };
	struct timespec ts = { 0, 1000000000L };
	int id = new_set(1);

	FX_REQUIRE_ERRNO(EINVAL, semtimedop(id, &op, 1, &ts));
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}
ATF_TC_CLEANUP(semtimedop__bad_timespec_checked_before_operating, tc) { fx_cleanup(); }

static void
run_null_timeout(void *arg)
{
	struct semop_call *c = arg;

	errno = 0;
	c->ret = semtimedop(c->id, c->ops, c->n, NULL);
	c->err = errno;
}

ATF_TC_WITH_CLEANUP(semtimedop__null_timeout_blocks);
ATF_TC_HEAD(semtimedop__null_timeout_blocks, tc)
{
	fx_meta(tc, "linux", "a NULL timeout blocks like semop until the operation can proceed");
	atf_tc_set_md_var(tc, "X-spec", "semop(2): semtimedop with timeout NULL behaves like semop");
}
ATF_TC_BODY(semtimedop__null_timeout_blocks, tc)
{
	int id = new_set(1);
	struct semop_call *w = new_call(id, 0, -1, 0);
	struct fx_child *c;

	w->timed = true;
	c = fx_spawn(run_null_timeout, w);
	fx_wait_blocked_in(fx_child_pid(c), "semtimedop", FX_DEADLINE);
	FX_REQUIRE_EQ(sem_op1(id, 0, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
}
ATF_TC_CLEANUP(semtimedop__null_timeout_blocks, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(semtimedop__proceeds_before_timeout);
ATF_TC_HEAD(semtimedop__proceeds_before_timeout, tc)
{
	fx_meta(tc, "linux", "a timed waiter proceeds when the value is raised before its timeout");
	atf_tc_set_md_var(tc, "X-spec", "semop(2): semtimedop");
}
ATF_TC_BODY(semtimedop__proceeds_before_timeout, tc)
{
	int id = new_set(1);
	struct semop_call *w = new_call(id, 0, -1, 0);
	struct fx_child *c;

	w->timed = true;
	w->timeout = (struct timespec){ .tv_sec = 60, .tv_nsec = 0 };
	c = fx_spawn(run_call, w);
	wait_count(id, 0, GETNCNT, 1);
	fx_wait_blocked_in(fx_child_pid(c), "semtimedop", FX_DEADLINE);
	FX_REQUIRE_EQ(sem_op1(id, 0, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}
ATF_TC_CLEANUP(semtimedop__proceeds_before_timeout, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(semtimedop__rmid_wakes_eidrm);
ATF_TC_HEAD(semtimedop__rmid_wakes_eidrm, tc)
{
	fx_meta(tc, "linux", "removing the set wakes a timed waiter with EIDRM before its timeout");
	atf_tc_set_md_var(tc, "X-spec", "semop(2) ERRORS: EIDRM");
}
ATF_TC_BODY(semtimedop__rmid_wakes_eidrm, tc)
{
	int id = new_set(1);
	struct semop_call *w = new_call(id, 0, -1, 0);
	struct fx_child *c;

	w->timed = true;
	w->timeout = (struct timespec){ .tv_sec = 60, .tv_nsec = 0 };
	c = fx_spawn(run_call, w);
	wait_count(id, 0, GETNCNT, 1);
	FX_OK(semctl(id, 0, IPC_RMID));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(w->ret, w->err, EIDRM);
}
ATF_TC_CLEANUP(semtimedop__rmid_wakes_eidrm, tc) { fx_cleanup(); }

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, semtimedop__timeout_eagain);
	ATF_TP_ADD_TC(tp, semtimedop__zero_timeout_eagain);
	ATF_TP_ADD_TC(tp, semtimedop__bad_timespec_einval);
	ATF_TP_ADD_TC(tp, semtimedop__bad_timespec_checked_before_operating);
	ATF_TP_ADD_TC(tp, semtimedop__null_timeout_blocks);
	ATF_TP_ADD_TC(tp, semtimedop__proceeds_before_timeout);
	ATF_TP_ADD_TC(tp, semtimedop__rmid_wakes_eidrm);
	return atf_no_error();
}
