/*
 * sem_init(3), sem_destroy(3): unnamed POSIX semaphores, shared between
 * threads (pshared 0) or between processes in shared memory (pshared 1).
 */
#include "psem_helpers.h"

#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>

FX_CASE(sem_init__initial_value, "posix", "sem_init gives the semaphore the initial value, for pshared 0 and 1",
    "POSIX.1-2017 XSH sem_init: value")
{
	sem_t local, *shared = fx_shared(sizeof *shared);

	FX_REQUIRE_EQ(sem_init(&local, 0, 3), 0);
	FX_REQUIRE_EQ(sem_init(shared, 1, SEM_VALUE_MAX), 0);
	FX_REQUIRE_EQ(value_of(&local), 3);
	FX_REQUIRE_EQ(value_of(shared), SEM_VALUE_MAX);
	FX_OK(sem_destroy(&local));
	FX_OK(sem_destroy(shared));
}

FX_CASE(sem_init__value_above_max_einval, "posix", "sem_init with a value above SEM_VALUE_MAX fails with EINVAL",
    "POSIX.1-2017 XSH sem_init ERRORS [EINVAL]")
{
	sem_t s;

	FX_REQUIRE_ERRNO(EINVAL, sem_init(&s, 0, (unsigned)SEM_VALUE_MAX + 1));
	FX_REQUIRE_ERRNO(EINVAL, sem_init(&s, 1, (unsigned)-1));
}

FX_CASE(sem_init__pshared_anon_mapping_across_fork, "posix", "a pshared semaphore in a MAP_SHARED anonymous mapping blocks a child until the parent posts",
    "POSIX.1-2017 XSH sem_init: pshared non-zero, shared memory")
{
	sem_t *s = fx_shared(sizeof *s);
	struct waiter *w = new_waiter(s);
	struct fx_child *c;

	FX_OK(sem_init(s, 1, 0));
	c = fx_spawn(run_wait, w);
	fx_wait_blocked_in(fx_child_pid(c), "futex", FX_DEADLINE);
	FX_OK(sem_post(s));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE_EQ(value_of(s), 0);
	FX_OK(sem_destroy(s));
}

struct remap { char name[NAME_MAX + 1]; void *parent_addr, *child_addr; int ret, err; };

/* Maps the shared memory object anew (another address) and waits on the semaphore in it. */
static void
wait_through_own_mapping(void *arg)
{
	struct remap *r = arg;
	int fd = (int)FX_OK(shm_open(r->name, O_RDWR, 0));
	sem_t *s = FX_OK_PTR(mmap(NULL, sizeof(sem_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	r->child_addr = s;
	errno = 0;
	r->ret = sem_wait(s);
	r->err = errno;
}

FX_CASE(sem_init__pshared_shm_open_other_mapping, "posix", "a pshared semaphore in a shm_open object works through another process's own mapping of it",
    "POSIX.1-2017 XSH sem_init: pshared non-zero; XSH shm_open, mmap")
{
	struct remap *r = fx_shared(sizeof *r);
	struct fx_child *c;
	sem_t *s;
	int fd;

	fx_posix_name(FX_POSIX_SHM, "m", r->name, sizeof r->name);
	fd = (int)FX_OK(shm_open(r->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	FX_OK(ftruncate(fd, sizeof(sem_t)));
	s = FX_OK_PTR(mmap(NULL, sizeof(sem_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	FX_OK(sem_init(s, 1, 0));
	c = fx_spawn(wait_through_own_mapping, r);
	fx_wait_blocked_in(fx_child_pid(c), "futex", FX_DEADLINE);
	FX_REQUIRE(r->child_addr != (void *)s, "the child mapped the object at the parent's address");
	FX_OK(sem_post(s));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(r->ret, r->err, 0);
	FX_REQUIRE_EQ(value_of(s), 0);
}

struct thread_wait { sem_t sem; volatile pid_t tid; int ret; };

static void *
thread_waits(void *arg)
{
	struct thread_wait *t = arg;

	t->tid = (pid_t)syscall(SYS_gettid);
	t->ret = sem_wait(&t->sem);
	return NULL;
}

static bool
tid_known(void *arg)
{
	return ((struct thread_wait *)arg)->tid != 0;
}

FX_CASE(sem_init__pshared_zero_between_threads, "posix", "with pshared 0 a thread blocks in sem_wait until another thread of the process posts",
    "POSIX.1-2017 XSH sem_init: pshared zero, shared between threads")
{
	struct thread_wait t = { .tid = 0, .ret = -2 };
	pthread_t th;
	int r;

	FX_OK(sem_init(&t.sem, 0, 0));
	r = pthread_create(&th, NULL, thread_waits, &t);
	FX_REQUIRE(r == 0, "pthread_create: %s", fx_errno_name(r));
	fx_wait_until(tid_known, &t, FX_DEADLINE, "the thread's id");
	fx_wait_blocked_in(t.tid, "futex", FX_DEADLINE);
	FX_REQUIRE_EQ(t.ret, -2);
	FX_OK(sem_post(&t.sem));
	FX_REQUIRE(pthread_join(th, NULL) == 0, "pthread_join failed");
	FX_REQUIRE_EQ(t.ret, 0);
	FX_OK(sem_destroy(&t.sem));
}

FX_CASE(sem_destroy__then_init_again, "posix", "a destroyed semaphore can be initialised again with sem_init and a new value",
    "POSIX.1-2017 XSH sem_destroy: reinitialized by another call to sem_init")
{
	sem_t s;

	FX_OK(sem_init(&s, 0, 4));
	FX_REQUIRE_EQ(sem_destroy(&s), 0);
	FX_REQUIRE_EQ(sem_init(&s, 0, 1), 0);
	FX_REQUIRE_EQ(value_of(&s), 1);
	FX_REQUIRE_EQ(sem_trywait(&s), 0);
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, sem_trywait(&s));
	FX_OK(sem_destroy(&s));
}
