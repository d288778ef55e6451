/*
 * semtimedop(2): semop with a relative timeout (Linux).
 */
#include "sem_helpers.h"

FX_CASE(semtimedop__timeout_eagain, "linux", "semtimedop fails with EAGAIN once the timeout expires, having waited for it",
    "semop(2): semtimedop ERRORS: EAGAIN timeout expired")
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

FX_CASE(semtimedop__zero_timeout_eagain, "linux", "a zero timeout fails with EAGAIN at once when the operation would block",
    "semop(2): semtimedop ERRORS: EAGAIN timeout expired")
{
	struct sembuf op = { 0, 0, 0 };
	struct timespec ts = { 0, 0 };
	int id = new_set(1);

	set_val(id, 0, 1);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, semtimedop(id, &op, 1, &ts));
	FX_REQUIRE_EQ(get_val(id, 0), 1);
}

FX_CASE(semtimedop__bad_timespec_einval, "linux", "a timeout with tv_nsec outside [0, 1e9) or a negative tv_sec fails with EINVAL",
    "semop(2): semtimedop ERRORS: EINVAL timeout")
{
	static const struct timespec rows[] = {
		{ 0, 1000000000L }, { 0, -1 }, { -1, 0 },
	};
	struct sembuf op = { 0, -1, 0 };
	int id = new_set(1);
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		FX_CHECK_ERRNO_MSG(EINVAL, semtimedop(id, &op, 1, &rows[i]),
		    "semtimedop(-1 at value 0, {%lld, %ld})", (long long)rows[i].tv_sec, rows[i].tv_nsec);
	}
}

FX_CASE(semtimedop__bad_timespec_checked_before_operating, "linux", "an invalid timeout fails with EINVAL even when the operation would not block, and nothing is applied",
    "semop(2): semtimedop ERRORS: EINVAL timeout")
{
	struct sembuf op = { 0, 1, 0 };
	struct timespec ts = { 0, 1000000000L };
	int id = new_set(1);

	FX_REQUIRE_ERRNO(EINVAL, semtimedop(id, &op, 1, &ts));
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}

static void
run_null_timeout(void *arg)
{
	struct semop_call *c = arg;

	errno = 0;
	c->ret = semtimedop(c->id, c->ops, c->n, NULL);
	c->err = errno;
}

FX_CASE(semtimedop__null_timeout_blocks, "linux", "a NULL timeout blocks like semop until the operation can proceed",
    "semop(2): semtimedop with timeout NULL behaves like semop")
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

FX_CASE(semtimedop__proceeds_before_timeout, "linux", "a timed waiter proceeds when the value is raised before its timeout",
    "semop(2): semtimedop")
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

FX_CASE(semtimedop__rmid_wakes_eidrm, "linux", "removing the set wakes a timed waiter with EIDRM before its timeout",
    "semop(2) ERRORS: EIDRM")
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
