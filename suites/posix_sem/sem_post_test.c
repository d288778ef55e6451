/*
 * sem_post(3) and sem_getvalue(3): unlocking a POSIX semaphore and reading
 * its value, on named and unnamed semaphores.
 */
#include "psem_helpers.h"

#include <stdlib.h>

/* The kinds of semaphore every case here checks: one body, a table of creators. */
enum kind { NAMED, UNNAMED_PRIVATE, UNNAMED_SHARED };
static const char *const kind_names[] = { "named", "sem_init pshared=0", "sem_init pshared=1" };

static sem_t *
make_sem(enum kind k, unsigned value)
{
	char name[NAME_MAX + 1];
	sem_t *s;

	if (k == NAMED)
		return open_new("s", value, name, sizeof name);
	s = k == UNNAMED_SHARED ? fx_shared(sizeof *s) : malloc(sizeof *s);
	FX_REQUIRE(s != NULL, "malloc failed");
	FX_OK(sem_init(s, k == UNNAMED_SHARED, value));
	return s;
}

FX_CASE(sem_post__increments, "posix", "sem_post without waiters increments the value (named and unnamed semaphores)",
    "POSIX.1-2017 XSH sem_post")
{
	int k;

	for (k = NAMED; k <= UNNAMED_SHARED; k++) {
		sem_t *s = make_sem(k, 0);
		int v;

		FX_REQUIRE_EQ(sem_post(s), 0);
		FX_REQUIRE_EQ(sem_post(s), 0);
		v = value_of(s);
		FX_REQUIRE(v == 2, "%s semaphore: value %d after two posts on 0", kind_names[k], v);
	}
}

FX_CASE(sem_post__at_max_eoverflow, "posix", "sem_post at SEM_VALUE_MAX fails with EOVERFLOW and keeps the value (named and unnamed)",
    "POSIX.1-2017 XSH sem_post ERRORS [EOVERFLOW]")
{
	int k, v;

	for (k = NAMED; k <= UNNAMED_SHARED; k++) {
		sem_t *s = make_sem(k, SEM_VALUE_MAX);

		FX_CHECK_ERRNO_MSG(EOVERFLOW, sem_post(s),
		    "sem_post(%s at SEM_VALUE_MAX)", kind_names[k]);
		v = value_of(s);
		FX_REQUIRE(v == SEM_VALUE_MAX, "%s: value %d after the failed post", kind_names[k], v);
	}
}

static sem_t *handler_sem;
static volatile sig_atomic_t handler_posted;

static void
post_from_handler(int sig)
{
	(void)sig;
	if (sem_post(handler_sem) == 0)
		handler_posted = 1;
}

static void
poster(void *arg)
{
	struct sigaction sa;

	(void)arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = post_from_handler;
	FX_OK(sigaction(SIGUSR1, &sa, NULL));
	while (!handler_posted)
		pause();
}

FX_CASE(sem_post__from_signal_handler_wakes_waiter, "posix", "sem_post is async-signal-safe: called from a signal handler it wakes a blocked waiter",
    "POSIX.1-2017 XSH sem_post: async-signal-safe; XSH 2.4.3 Signal Actions")
{
	struct waiter *w;
	struct fx_child *p, *c;

	handler_sem = make_sem(UNNAMED_SHARED, 0);
	w = new_waiter(handler_sem);
	p = fx_spawn(poster, NULL);
	c = fx_spawn(run_wait, w);
	fx_wait_blocked_in(fx_child_pid(c), "futex", FX_DEADLINE);
	fx_wait_blocked_in(fx_child_pid(p), "pause", FX_DEADLINE);
	fx_child_signal(p, SIGUSR1);
	fx_child_join(c, FX_DEADLINE);
	fx_child_join(p, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(w->ret, w->err, 0);
	FX_REQUIRE_EQ(value_of(handler_sem), 0);
}

FX_CASE(sem_getvalue__reports_value, "posix", "sem_getvalue stores the current value without changing it (named and unnamed)",
    "POSIX.1-2017 XSH sem_getvalue")
{
	int k, v;

	for (k = NAMED; k <= UNNAMED_SHARED; k++) {
		sem_t *s = make_sem(k, 5);

		v = -1;
		FX_REQUIRE_EQ(sem_getvalue(s, &v), 0);
		FX_REQUIRE(v == 5, "%s: sem_getvalue gave %d for 5", kind_names[k], v);
		FX_OK(sem_trywait(s));
		FX_REQUIRE_EQ(value_of(s), 4);
		FX_REQUIRE_EQ(value_of(s), 4);
	}
}

FX_CASE(sem_getvalue__zero_with_waiters, "linux", "with blocked waiters sem_getvalue reports 0 (POSIX also allows minus the waiters)",
    "sem_getvalue(3): Linux adopts the former behaviour (0); XSH sem_getvalue")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);
	struct fx_child *a = fx_spawn(run_wait, new_waiter(s));
	struct fx_child *b = fx_spawn(run_wait, new_waiter(s));

	fx_wait_blocked_in(fx_child_pid(a), "futex", FX_DEADLINE);
	fx_wait_blocked_in(fx_child_pid(b), "futex", FX_DEADLINE);
	FX_REQUIRE_EQ(value_of(s), 0);
	FX_OK(sem_post(s));
	FX_OK(sem_post(s));
	fx_child_join(a, FX_DEADLINE);
	fx_child_join(b, FX_DEADLINE);
	FX_REQUIRE_EQ(value_of(s), 0);
}
