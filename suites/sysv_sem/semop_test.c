/*
 * semop(2): operations on System V semaphores: increments, blocking
 * decrements, waits for zero, IPC_NOWAIT, atomic arrays and SEM_UNDO.
 */
#include "sem_helpers.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>

FX_CASE(semop__positive_adds_to_value, "xsi", "a positive sem_op adds to semval and returns 0",
    "POSIX.1-2017 XSH semop: sem_op is a positive integer")
{
	int id = new_set(2);

	FX_REQUIRE_EQ(sem_op1(id, 1, 3, 0), 0);
	FX_REQUIRE_EQ(sem_op1(id, 1, 4, 0), 0);
	FX_REQUIRE_EQ(get_val(id, 1), 7);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}

FX_CASE(semop__negative_subtracts_when_enough, "xsi", "a negative sem_op with semval >= |sem_op| subtracts at once",
    "POSIX.1-2017 XSH semop: sem_op is a negative integer")
{
	int id = new_set(1);

	set_val(id, 0, 5);
	FX_REQUIRE_EQ(sem_op1(id, 0, -3, 0), 0);
	FX_REQUIRE_EQ(get_val(id, 0), 2);
	FX_REQUIRE_EQ(sem_op1(id, 0, -2, 0), 0);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}

FX_CASE(semop__negative_blocks_until_raised, "xsi", "a negative sem_op blocks while semval is too small and proceeds when another process raises it",
    "POSIX.1-2017 XSH semop: sem_op negative, IPC_NOWAIT clear")
{
	int id = new_set(1);
	struct semop_call *w = new_call(id, 0, -2, 0);
	struct fx_child *c;

	set_val(id, 0, 1);
	c = fx_spawn(run_call, w);
	fx_wait_blocked_in(fx_child_pid(c), "semop", FX_DEADLINE);
	wait_count(id, 0, GETNCNT, 1);
	FX_REQUIRE_EQ(get_val(id, 0), 1);
	FX_REQUIRE_EQ(sem_op1(id, 0, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 0);
}

FX_CASE(semop__negative_stays_blocked_while_short, "xsi", "a waiter for -2 stays blocked when the value is raised to 1 only",
    "POSIX.1-2017 XSH semop: sem_op negative, semval less than |sem_op|")
{
	int id = new_set(1);
	struct semop_call *w = new_call(id, 0, -2, 0);
	struct fx_child *c = fx_spawn(run_call, w);

	wait_count(id, 0, GETNCNT, 1);
	FX_REQUIRE_EQ(sem_op1(id, 0, 1, 0), 0);
	/* The kernel completes a waiter's operation inside the waker's semop: no race here. */
	fx_wait_blocked_in(fx_child_pid(c), "semop", FX_DEADLINE);
	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 1);
	FX_REQUIRE_EQ(get_val(id, 0), 1);
	FX_REQUIRE(!fx_child_exited(c), "the -2 waiter returned %d with the value at 1", w->ret);
	FX_REQUIRE_EQ(sem_op1(id, 0, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}

FX_CASE(semop__raise_wakes_the_waiter_that_can_proceed, "xsi", "raising the value by 1 completes a later waiter for -1 and leaves an earlier waiter for -2 blocked: the first waiter does not hold back the others",
    "POSIX.1-2017 XSH semop: sem_op negative, semval becomes greater than or equal to the absolute value of sem_op")
{
	int id = new_set(1);
	struct semop_call *big = new_call(id, 0, -2, 0), *small = new_call(id, 0, -1, 0);
	struct fx_child *b, *s;

	/* The waiter a first-come implementation would serve waits first. */
	b = fx_spawn(run_call, big);
	wait_count(id, 0, GETNCNT, 1);
	fx_wait_blocked_in(fx_child_pid(b), "semop", FX_DEADLINE);
	s = fx_spawn(run_call, small);
	wait_count(id, 0, GETNCNT, 2);
	fx_wait_blocked_in(fx_child_pid(s), "semop", FX_DEADLINE);
	FX_REQUIRE_EQ(sem_op1(id, 0, 1, 0), 0);
	fx_child_join(s, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(small->ret, small->err, 0);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
	fx_wait_blocked_in(fx_child_pid(b), "semop", FX_DEADLINE);
	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 1);
	FX_REQUIRE(!fx_child_exited(b), "the -2 waiter returned %d with the value at 0", big->ret);
	FX_REQUIRE_EQ(sem_op1(id, 0, 2, 0), 0);
	fx_child_join(b, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(big->ret, big->err, 0);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}

FX_CASE(semop__zero_waits_for_zero, "xsi", "sem_op 0 blocks while semval is not 0 and returns when it becomes 0",
    "POSIX.1-2017 XSH semop: sem_op is zero")
{
	int id = new_set(1);
	struct semop_call *w = new_call(id, 0, 0, 0);
	struct fx_child *c;

	set_val(id, 0, 2);
	c = fx_spawn(run_call, w);
	wait_count(id, 0, GETZCNT, 1);
	fx_wait_blocked_in(fx_child_pid(c), "semop", FX_DEADLINE);
	FX_REQUIRE_EQ(sem_op1(id, 0, -1, 0), 0);
	FX_REQUIRE_EQ(semctl(id, 0, GETZCNT), 1);
	FX_REQUIRE_EQ(sem_op1(id, 0, -1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE_EQ(semctl(id, 0, GETZCNT), 0);
}

FX_CASE(semop__zero_returns_at_once_when_zero, "xsi", "sem_op 0 on a semaphore whose value is 0 returns 0 at once",
    "POSIX.1-2017 XSH semop: sem_op is zero, semval is zero")
{
	int id = new_set(1);

	FX_REQUIRE_EQ(sem_op1(id, 0, 0, IPC_NOWAIT), 0);
	FX_REQUIRE_EQ(sem_op1(id, 0, 0, 0), 0);
}

FX_CASE(semop__nowait_eagain, "xsi", "with IPC_NOWAIT an operation that would block fails with EAGAIN and changes nothing",
    "POSIX.1-2017 XSH semop ERRORS [EAGAIN]")
{
	int id = new_set(1);

	set_val(id, 0, 1);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, sem_op1(id, 0, -2, IPC_NOWAIT));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, sem_op1(id, 0, 0, IPC_NOWAIT));
	FX_REQUIRE_EQ(get_val(id, 0), 1);
	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 0);
	FX_REQUIRE_EQ(semctl(id, 0, GETZCNT), 0);
}

FX_CASE(semop__array_all_or_nothing, "xsi", "when one operation of an array would block, none of them is applied",
    "POSIX.1-2017 XSH semop: operations performed atomically")
{
	int id = new_set(3);
	struct sembuf ops[3] = {
		{ .sem_num = 0, .sem_op = 5, .sem_flg = 0 },
		{ .sem_num = 1, .sem_op = -1, .sem_flg = 0 },
		{ .sem_num = 2, .sem_op = -1, .sem_flg = IPC_NOWAIT },
	};

	set_val(id, 1, 1);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, semop(id, ops, 3));
	FX_REQUIRE_EQ(get_val(id, 0), 0);
	FX_REQUIRE_EQ(get_val(id, 1), 1);
	FX_REQUIRE_EQ(get_val(id, 2), 0);
}

FX_CASE(semop__blocked_array_applies_nothing_until_all_can, "xsi", "a blocked array of operations holds back all of them, then applies all at once",
    "POSIX.1-2017 XSH semop: operations performed atomically")
{
	int id = new_set(2);
	struct semop_call *w = new_call(id, 0, -1, 0);
	struct fx_child *c;

	w->ops[1] = (struct sembuf){ .sem_num = 1, .sem_op = -1, .sem_flg = 0 };
	w->n = 2;
	set_val(id, 0, 1);
	c = fx_spawn(run_call, w);
	wait_count(id, 1, GETNCNT, 1);
	fx_wait_blocked_in(fx_child_pid(c), "semop", FX_DEADLINE);
	FX_REQUIRE_EQ(get_val(id, 0), 1);
	FX_REQUIRE_EQ(sem_op1(id, 1, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
	FX_REQUIRE_EQ(get_val(id, 1), 0);
}

struct observer { int id; int rounds; int torn; unsigned short seen[2]; };

static void
observe_pairs(void *arg)
{
	struct observer *o = arg;
	unsigned short v[2];
	union semun a = { .array = v };
	int i;

	for (i = 0; i < o->rounds; i++) {
		FX_OK(semctl(o->id, 0, GETALL, a));
		if (v[0] != v[1]) {
			o->torn++;
			o->seen[0] = v[0];
			o->seen[1] = v[1];
		}
		if (v[0] == 200)
			break;
	}
}

FX_CASE(semop__array_atomic_to_observer, "xsi", "another process never sees an array of operations half applied",
    "POSIX.1-2017 XSH semop: operations performed atomically")
{
	struct observer *o = fx_shared(sizeof *o);
	struct sembuf ops[2] = { { 0, 1, 0 }, { 1, 1, 0 } };
	struct fx_child *c;
	int i;

	o->id = new_set(2);
	o->rounds = 1000000;
	c = fx_spawn(observe_pairs, o);
	for (i = 0; i < 200; i++)
		FX_OK(semop(o->id, ops, 2));
	fx_child_join(c, fx_deadline(20000));
	FX_REQUIRE(o->torn == 0, "the observer saw %d torn states, last %u != %u", o->torn,
	    o->seen[0], o->seen[1]);
}

static void
undo_and_exit(void *arg)
{
	struct semop_call *c = arg;

	FX_OK(semop(c->id, c->ops, c->n));
}

FX_CASE(semop__undo_reverted_at_exit, "xsi", "SEM_UNDO operations are reverted when the process exits",
    "POSIX.1-2017 XSH semop: SEM_UNDO; XSH exit: semadj")
{
	int id = new_set(2);
	struct semop_call *w = new_call(id, 0, 3, SEM_UNDO);

	w->ops[1] = (struct sembuf){ .sem_num = 1, .sem_op = -2, .sem_flg = SEM_UNDO };
	w->n = 2;
	set_val(id, 1, 5);
	fx_child_join(fx_spawn(undo_and_exit, w), FX_DEADLINE);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
	FX_REQUIRE_EQ(get_val(id, 1), 5);
}

static void
undo_plus_two(void *arg)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 2, .sem_flg = SEM_UNDO };

	FX_OK(semop(*(int *)arg, &op, 1));
}

FX_CASE(semop__undo_kept_across_exec, "xsi", "a process's semadj survives execve: the value stays while the new image runs and is reverted when that image exits",
    "POSIX.1-2017 XSH exec: semadj values ... are inherited; semop(2): semadj ... inherited across execve(2)")
{
	int *id = fx_shared(sizeof *id);
	struct fx_image im;

	*id = new_set(1);
	im = fx_exec_waiting(undo_plus_two, id);
	FX_REQUIRE(get_val(*id, 0) == 2, "semval is %d while the new image runs: the exec "
	    "reverted the SEM_UNDO operation (expected 2)", get_val(*id, 0));
	fx_exec_finish(&im);
	FX_REQUIRE(get_val(*id, 0) == 0, "semval is %d after the new image exited: the "
	    "semadj was lost at the exec (expected 0)", get_val(*id, 0));
}

FX_CASE(semop__no_undo_kept_at_exit, "xsi", "operations without SEM_UNDO persist after the process exits",
    "POSIX.1-2017 XSH semop: SEM_UNDO")
{
	int id = new_set(1);

	fx_child_join(fx_spawn(undo_and_exit, new_call(id, 0, 3, 0)), FX_DEADLINE);
	FX_REQUIRE_EQ(get_val(id, 0), 3);
}

/* The thread that does the SEM_UNDO operation, then blocks on semaphore 1. */
static void *
undo_then_wait(void *arg)
{
	int id = *(int *)arg;

	FX_OK(sem_op1(id, 0, 1, SEM_UNDO));
	FX_OK(sem_op1(id, 1, -1, 0));
	return NULL;
}

/* The process: a second thread operates with SEM_UNDO, the main thread exits first. */
static void
main_thread_exits_first(void *arg)
{
	pthread_t t;
	int r = pthread_create(&t, NULL, undo_then_wait, arg);

	FX_REQUIRE(r == 0, "pthread_create: %s", fx_errno_name(r));
	pthread_exit(NULL);
}

FX_CASE(semop__undo_reverted_at_last_thread_exit, "linux", "a thread's SEM_UNDO is kept while another thread lives and reverted when the last one exits",
    "semop(2): SEM_UNDO, semadj shared by threads (CLONE_SYSVSEM), applied at process exit")
{
	int *id = fx_shared(sizeof *id);
	struct fx_child *c;

#ifdef FX_LIBC_MUSL
	atf_tc_expect_fail("musl 1.2.3: after fork(2) the main thread has no clear-child-tid "
	    "address, so once it calls pthread_exit the thread list lock is never released and "
	    "the last thread deadlocks in its own pthread_exit");
#endif
	*id = new_set(2);
	c = fx_spawn(main_thread_exits_first, id);
	wait_count(*id, 1, GETNCNT, 1);
	FX_REQUIRE_EQ(get_val(*id, 0), 1);
	FX_REQUIRE_EQ(sem_op1(*id, 1, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(get_val(*id, 0), 0);
}

static void *
undo_in_thread(void *arg)
{
	FX_OK(sem_op1(*(int *)arg, 0, 1, SEM_UNDO));
	return NULL;
}

/* A thread operates with SEM_UNDO and ends; the process then waits on semaphore 1. */
static void
thread_exits_first(void *arg)
{
	pthread_t t;
	int r = pthread_create(&t, NULL, undo_in_thread, arg);

	FX_REQUIRE(r == 0, "pthread_create: %s", fx_errno_name(r));
	FX_REQUIRE(pthread_join(t, NULL) == 0, "pthread_join failed");
	FX_OK(sem_op1(*(int *)arg, 1, -1, 0));
}

FX_CASE(semop__undo_kept_after_thread_exit, "linux", "a thread's SEM_UNDO is not reverted when that thread exits but the process lives on",
    "semop(2): SEM_UNDO; clone(2): CLONE_SYSVSEM")
{
	int *id = fx_shared(sizeof *id);
	struct fx_child *c;

	*id = new_set(2);
	c = fx_spawn(thread_exits_first, id);
	wait_count(*id, 1, GETNCNT, 1);
	FX_REQUIRE_EQ(get_val(*id, 0), 1);
	FX_REQUIRE_EQ(sem_op1(*id, 1, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(get_val(*id, 0), 0);
}

/* Operates with SEM_UNDO on semaphore 0, then waits on semaphore 1. */
static void
undo_then_block(void *arg)
{
	int id = *(int *)arg;

	FX_OK(sem_op1(id, 0, 1, SEM_UNDO));
	FX_OK(sem_op1(id, 1, -1, 0));
}

FX_CASE(semop__undo_at_exit_clamped_at_zero, "linux", "an exit adjustment that would take the value below 0 leaves it at 0, and the exit does not block",
    "semop(2) NOTES: Linux decreases the value as far as possible (to zero) on undo")
{
	int *id = fx_shared(sizeof *id);
	struct fx_child *c;

	*id = new_set(2);
	c = fx_spawn(undo_then_block, id); /* +1 with SEM_UNDO, semadj -1 */
	wait_count(*id, 1, GETNCNT, 1);
	FX_REQUIRE_EQ(sem_op1(*id, 0, -1, 0), 0);
	FX_REQUIRE_EQ(sem_op1(*id, 1, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(get_val(*id, 0), 0);
}

FX_CASE(semop__undo_at_exit_wakes_zero_waiter, "xsi", "the adjustment applied at exit wakes a process waiting for the value to become 0",
    "POSIX.1-2017 XSH semop: SEM_UNDO; XSH _Exit: semadj applied")
{
	int *id = fx_shared(sizeof *id);
	struct semop_call *z;
	struct fx_child *c, *w;

	*id = new_set(2);
	z = new_call(*id, 0, 0, 0);
	c = fx_spawn(undo_then_block, id);
	wait_count(*id, 1, GETNCNT, 1);
	w = fx_spawn(run_call, z);
	wait_count(*id, 0, GETZCNT, 1);
	FX_REQUIRE_EQ(sem_op1(*id, 1, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	fx_child_join(w, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(z->ret, z->err, 0);
	FX_REQUIRE_EQ(get_val(*id, 0), 0);
}

struct fork_undo { int id; int after_grandchild; };

/* Operates with SEM_UNDO, then forks a grandchild that exits at once. */
static void
undo_then_fork(void *arg)
{
	struct fork_undo *f = arg;
	int status;
	pid_t pid;

	FX_OK(sem_op1(f->id, 0, 2, SEM_UNDO));
	pid = (pid_t)FX_OK(fork());
	if (pid == 0)
		_exit(0);
	FX_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	FX_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0, "grandchild status %#x", status);
	f->after_grandchild = get_val(f->id, 0);
}

FX_CASE(semop__undo_not_inherited_by_fork, "xsi", "a child of fork has no semadj: its exit does not revert its parent's SEM_UNDO operations",
    "POSIX.1-2017 XSH fork: semadj values of the child are cleared")
{
	struct fork_undo *f = fx_shared(sizeof *f);

	f->id = new_set(1);
	fx_child_join(fx_spawn(undo_then_fork, f), FX_DEADLINE);
	FX_REQUIRE_EQ(f->after_grandchild, 2);
	FX_REQUIRE_EQ(get_val(f->id, 0), 0);
}

FX_CASE(semop__setval_clears_undo, "xsi", "SETVAL clears the semaphore's semadj in every process",
    "POSIX.1-2017 XSH semctl: SETVAL clears semadj")
{
	int *id = fx_shared(sizeof *id);
	struct fx_child *c;

	*id = new_set(2);
	c = fx_spawn(undo_then_block, id);
	wait_count(*id, 1, GETNCNT, 1);
	FX_REQUIRE_EQ(get_val(*id, 0), 1);
	set_val(*id, 0, 5);
	FX_REQUIRE_EQ(sem_op1(*id, 1, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(get_val(*id, 0), 5);
}

FX_CASE(semop__setall_clears_undo, "xsi", "SETALL clears the semadj of every semaphore in every process",
    "POSIX.1-2017 XSH semctl: SETALL clears semadj")
{
	int *id = fx_shared(sizeof *id);
	unsigned short vals[2] = { 4, 0 };
	union semun a = { .array = vals };
	struct fx_child *c;

	*id = new_set(2);
	c = fx_spawn(undo_then_block, id);
	wait_count(*id, 1, GETNCNT, 1);
	FX_OK(semctl(*id, 0, SETALL, a));
	FX_REQUIRE_EQ(sem_op1(*id, 1, 1, 0), 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(get_val(*id, 0), 4);
}

FX_CASE(semop__above_semvmx_erange, "xsi", "an operation that would raise semval above SEMVMX fails with ERANGE",
    "POSIX.1-2017 XSH semop ERRORS [ERANGE]; semop(2): SEMVMX 32767")
{
	int id = new_set(1);

	set_val(id, 0, SEMVMX_LINUX - 1);
	FX_REQUIRE_EQ(sem_op1(id, 0, 1, 0), 0);
	FX_REQUIRE_ERRNO(ERANGE, sem_op1(id, 0, 1, 0));
	FX_REQUIRE_EQ(get_val(id, 0), SEMVMX_LINUX);
}

FX_CASE(semop__semadj_beyond_semaem_erange, "linux", "a SEM_UNDO operation that would take semadj beyond SEMAEM fails with ERANGE",
    "semop(2) ERRORS: ERANGE semadj would exceed the limit")
{
	int id = new_set(1);

	set_val(id, 0, SEMVMX_LINUX);
	FX_REQUIRE_EQ(sem_op1(id, 0, -SEMAEM_LINUX, SEM_UNDO), 0); /* semadj = SEMAEM */
	FX_REQUIRE_EQ(sem_op1(id, 0, 1, 0), 0);
	FX_REQUIRE_ERRNO(ERANGE, sem_op1(id, 0, -1, SEM_UNDO));
	FX_REQUIRE_EQ(get_val(id, 0), 1);
}

FX_CASE(semop__sem_num_out_of_range_efbig, "xsi", "sem_num not less than the set's nsems fails with EFBIG",
    "POSIX.1-2017 XSH semop ERRORS [EFBIG]")
{
	int id = new_set(3);

	FX_REQUIRE_ERRNO(EFBIG, sem_op1(id, 3, 1, 0));
	FX_REQUIRE_ERRNO(EFBIG, sem_op1(id, 65535, 1, IPC_NOWAIT));
	FX_REQUIRE_EQ(sem_op1(id, 2, 1, 0), 0);
}

FX_CASE(semop__more_than_semopm_e2big, "xsi", "more than SEMOPM operations in one call fail with E2BIG",
    "POSIX.1-2017 XSH semop ERRORS [E2BIG]; proc(5): /proc/sys/kernel/sem")
{
	struct sembuf ops[5];
	int id, i;

	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/sem", "250 32000 4 128");
	id = (int)FX_OK(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	for (i = 0; i < 5; i++)
		ops[i] = (struct sembuf){ .sem_num = 0, .sem_op = 1, .sem_flg = 0 };
	FX_REQUIRE_ERRNO(E2BIG, semop(id, ops, 5));
	FX_REQUIRE_EQ(get_val(id, 0), 0);
	FX_REQUIRE_EQ(semop(id, ops, 4), 0);
	FX_REQUIRE_EQ(get_val(id, 0), 4);
}

FX_CASE(semop__nsops_zero_einval, "linux", "semop with nsops 0 fails with EINVAL",
    "semop(2) ERRORS: EINVAL nsops")
{
	struct sembuf op = { 0, 1, 0 };
	int id = new_set(1);

	FX_REQUIRE_ERRNO(EINVAL, semop(id, &op, 0));
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}

FX_CASE(semop__bad_id_einval, "xsi", "semop on a removed set's id or a negative id fails with EINVAL",
    "POSIX.1-2017 XSH semop ERRORS [EINVAL]")
{
	int id = new_set(1);

	FX_OK(semctl(id, 0, IPC_RMID));
	FX_REQUIRE_ERRNO(EINVAL, sem_op1(id, 0, 1, 0));
	FX_REQUIRE_ERRNO(EINVAL, sem_op1(-1, 0, 1, 0));
}

FX_CASE(semop__rmid_wakes_waiters_eidrm, "xsi", "removing the set wakes a decrement waiter and a zero waiter with EIDRM",
    "POSIX.1-2017 XSH semop ERRORS [EIDRM]")
{
	int id = new_set(2);
	struct semop_call *dec = new_call(id, 0, -1, 0), *zero = new_call(id, 1, 0, 0);
	struct fx_child *c1 = fx_spawn(run_call, dec), *c2;

	set_val(id, 1, 1);
	c2 = fx_spawn(run_call, zero);
	wait_count(id, 0, GETNCNT, 1);
	wait_count(id, 1, GETZCNT, 1);
	FX_OK(semctl(id, 0, IPC_RMID));
	fx_child_join(c1, FX_DEADLINE);
	fx_child_join(c2, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(dec->ret, dec->err, EIDRM);
	FX_REQUIRE_CHILD_ERRNO(zero->ret, zero->err, EIDRM);
}

static void
on_signal(int sig)
{
	(void)sig;
}

static void
wait_with_handler(void *arg)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART */
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	run_call(arg);
}

FX_CASE(semop__signal_interrupts_eintr, "xsi", "a caught signal interrupts a blocked semop with EINTR and semncnt drops",
    "POSIX.1-2017 XSH semop ERRORS [EINTR]")
{
	int id = new_set(1);
	struct semop_call *w = new_call(id, 0, -1, 0);
	struct fx_child *c = fx_spawn(wait_with_handler, w);

	wait_count(id, 0, GETNCNT, 1);
	fx_wait_blocked_in(fx_child_pid(c), "semop", FX_DEADLINE);
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(w->ret, w->err, EINTR);
	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 0);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}

static void
wait_with_restart_handler(void *arg)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	run_call(arg);
}

FX_CASE(semop__sa_restart_still_eintr, "linux", "semop interrupted by a handler fails with EINTR even with SA_RESTART: it is never restarted",
    "signal(7): Interruption of system calls, never restarted: semop(2), semtimedop(2)")
{
	int id = new_set(1);
	struct semop_call *w = new_call(id, 0, -1, 0);
	struct fx_child *c = fx_spawn(wait_with_restart_handler, w);

	fx_wait_blocked_in(fx_child_pid(c), "semop", FX_DEADLINE);
	fx_child_signal(c, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(w->ret, w->err, EINTR);
}

FX_CASE(semop__alter_needs_write_permission, "xsi", "a non-zero sem_op without alter permission fails with EACCES",
    "POSIX.1-2017 XSH semop ERRORS [EACCES]; XBD 4.7 IPC permissions")
{
	int id = new_set(1);
	struct semop_call *w = new_call(id, 0, 1, IPC_NOWAIT);

	fx_child_join(spawn_with_perm(id, 4, run_call, w), FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(w->ret, w->err, EACCES);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}

FX_CASE(semop__zero_needs_read_permission, "xsi", "sem_op 0 needs read permission only: allowed with r--, EACCES with ---",
    "POSIX.1-2017 XSH semop: sem_op zero requires read permission")
{
	int id = new_set(1);
	struct semop_call *r = new_call(id, 0, 0, IPC_NOWAIT);
	struct semop_call *none = new_call(id, 0, 0, IPC_NOWAIT);

	fx_child_join(spawn_with_perm(id, 4, run_call, r), FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(r->ret, r->err, 0);
	fx_child_join(spawn_with_perm(id, 0, run_call, none), FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(none->ret, none->err, EACCES);
}

/* The seed notes' pattern: a semaphore counts the items a writer put in a buffer. */
struct handoff { int semid; int *buf; int got[10]; };

static void
read_ten(void *arg)
{
	struct handoff *h = arg;
	int i;

	for (i = 0; i < 10; i++) {
		FX_OK(sem_op1(h->semid, 0, -1, 0));
		h->got[i] = h->buf[i];
	}
}

static void
hand_over_ten(struct handoff *h)
{
	struct fx_child *c;
	int i;

	h->semid = new_set(1);
	c = fx_spawn(read_ten, h);
	wait_count(h->semid, 0, GETNCNT, 1);
	for (i = 0; i < 10; i++) {
		h->buf[i] = 100 + i;
		FX_OK(sem_op1(h->semid, 0, 1, 0));
	}
	fx_child_join(c, FX_DEADLINE);
	for (i = 0; i < 10; i++)
		FX_REQUIRE(h->got[i] == 100 + i, "item %d read as %d, written as %d", i,
		    h->got[i], 100 + i);
	FX_REQUIRE_EQ(get_val(h->semid, 0), 0);
}

FX_CASE(semop__guards_shm_buffer_handoff, "xsi", "a semaphore hands 10 items from writer to reader through a shared memory segment, in order",
    "POSIX.1-2017 XSH semop, shmat: synchronised producer and consumer")
{
	struct handoff *h = fx_shared(sizeof *h);
	int shmid = (int)FX_OK(fx_shmget(IPC_PRIVATE, 10 * sizeof(int), IPC_CREAT | 0600));

	h->buf = FX_OK_PTR(shmat(shmid, NULL, 0));
	hand_over_ten(h);
	FX_OK(shmdt(h->buf));
}

FX_CASE(semop__guards_mmap_file_handoff, "xsi", "a semaphore hands 10 items from writer to reader through a MAP_SHARED file mapping, in order",
    "POSIX.1-2017 XSH semop, mmap MAP_SHARED: synchronised producer and consumer")
{
	struct handoff *h = fx_shared(sizeof *h);
	int fd = (int)FX_OK(open("data", O_RDWR | O_CREAT | O_TRUNC, 0600));

	FX_OK(ftruncate(fd, 10 * sizeof(int)));
	h->buf = FX_OK_PTR(mmap(NULL, 10 * sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0));
	hand_over_ten(h);
	FX_OK(munmap(h->buf, 10 * sizeof(int)));
	FX_OK(close(fd));
}

static void
post_one(void *arg)
{
	FX_OK(sem_op1(*(int *)arg, 0, 1, 0));
}

FX_CASE(semop__blocked_op_sets_sempid_otime, "xsi", "a semop that blocked and then completed sets sempid to its own pid (not that of the process whose semop woke it) and sem_otime to when it completed",
    "POSIX.1-2017 XSH semop: sempid set to the process ID of the calling process, sem_otime set to the current time, for each semaphore operated on")
{
	int *id = fx_shared(sizeof *id);
	struct semop_call *w;
	struct fx_child *cw, *cp;
	struct semid_ds ds;
	time_t t0;

	*id = new_set(1);
	w = new_call(*id, 0, -1, 0);
	cw = fx_spawn(run_call, w);
	wait_count(*id, 0, GETNCNT, 1);
	t0 = fx_wait_kernel_tick(fx_kernel_seconds());
	cp = fx_spawn(post_one, id);
	fx_child_join(cp, FX_DEADLINE);
	fx_child_join(cw, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE_EQ(semctl(*id, 0, GETPID), fx_child_pid(cw));
	FX_REQUIRE_EQ(get_val(*id, 0), 0);
	stat_set(*id, &ds);
	FX_REQUIRE_STAMP(ds.sem_otime, t0);
}
