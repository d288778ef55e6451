/*
 * mq_notify(3): asynchronous notification of a message arriving on an empty queue.
 */
#include "mq.h"

#include <stdatomic.h>

/* Blocks SIGUSR1 in the test process so that it stays pending for sigtimedwait/sigpending. */
static void
block_sigusr1(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	FX_OK(sigprocmask(SIG_BLOCK, &set, NULL));
}

static struct sigevent
signal_event(int value)
{
	struct sigevent sev;

	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_int = value;
	return sev;
}

static void
register_signal(mqd_t q, int value)
{
	struct sigevent sev = signal_event(value);

	FX_OK(mq_notify(q, &sev));
}

/* Waits (with the usual deadline) for the notification signal and returns its info. */
static siginfo_t
await_notification(void)
{
	siginfo_t info;

	fx_wait_signal(SIGUSR1, &info, FX_DEADLINE);
	return info;
}

/* The notification is sent from inside mq_send, so it is pending when mq_send returns. */
static bool
notification_pending(void)
{
	sigset_t set;

	FX_OK(sigpending(&set));
	return sigismember(&set, SIGUSR1) == 1;
}

static void
register_busy(void *arg)
{
	struct sigevent sev = signal_event(2);

	FX_REQUIRE_ERRNO(EBUSY, mq_notify(*(mqd_t *)arg, &sev));
}

static void
register_ok(void *arg)
{
	struct sigevent sev = signal_event(3);

	FX_OK(mq_notify(*(mqd_t *)arg, &sev));
}

FX_CASE(mq_notify__signal_on_arrival, "posix", "SIGEV_SIGNAL delivers the signal with si_code SI_MESGQ and the sigev_value when a message arrives",
    "POSIX.1-2017 XSH mq_notify; XSH 2.4.2 Realtime Signal Generation: SI_MESGQ")
{
	mqd_t q = mq_small();
	siginfo_t info;

	block_sigusr1();
	register_signal(q, 4242);
	FX_REQUIRE(!notification_pending(), "SIGUSR1 pending before any message was sent");
	MQ_SEND(q, "ping", 0);
	info = await_notification();
	FX_REQUIRE_EQ(info.si_signo, SIGUSR1);
	FX_REQUIRE_EQ(info.si_code, SI_MESGQ);
	FX_REQUIRE_EQ(info.si_value.sival_int, 4242);
	MQ_EXPECT(q, "ping", 0); /* the message itself stays for a receiver */
}

FX_CASE(mq_notify__second_process_ebusy, "posix", "while one process is registered, another process's mq_notify fails with EBUSY",
    "POSIX.1-2017 XSH mq_notify ERRORS [EBUSY]")
{
	mqd_t *q = fx_shared(sizeof *q);

	*q = mq_small();
	block_sigusr1();
	register_signal(*q, 1);
	fx_child_join(fx_spawn(register_busy, q), FX_DEADLINE);
}

FX_CASE(mq_notify__one_shot, "posix", "a registration is removed when its notification is sent: the next arrival notifies no one",
    "POSIX.1-2017 XSH mq_notify: registration removed when notification sent")
{
	mqd_t q = mq_small();
	char buf[16];

	block_sigusr1();
	register_signal(q, 1);
	MQ_SEND(q, "first", 0);
	(void)await_notification();
	FX_OK(mq_receive(q, buf, sizeof buf, NULL));
	MQ_SEND(q, "second", 0);
	FX_REQUIRE(!notification_pending(), "a second notification came from one registration");
}

FX_CASE(mq_notify__reregister_after_notification, "posix", "after its notification the queue is free: another process may register",
    "POSIX.1-2017 XSH mq_notify: the queue is available for registration")
{
	mqd_t *q = fx_shared(sizeof *q);

	*q = mq_small();
	block_sigusr1();
	register_signal(*q, 1);
	MQ_SEND(*q, "first", 0);
	(void)await_notification();
	fx_child_join(fx_spawn(register_ok, q), FX_DEADLINE);
	register_signal(*q, 2);
}

FX_CASE(mq_notify__only_on_empty_queue, "posix", "a message arriving on a non-empty queue sends no notification; the registration stays",
    "POSIX.1-2017 XSH mq_notify: message arrival at an empty message queue")
{
	mqd_t q = mq_small();
	char buf[16];

	block_sigusr1();
	MQ_SEND(q, "already", 0);
	register_signal(q, 5);
	MQ_SEND(q, "more", 0);
	FX_REQUIRE(!notification_pending(), "notified of an arrival on a non-empty queue");
	FX_OK(mq_receive(q, buf, sizeof buf, NULL));
	FX_OK(mq_receive(q, buf, sizeof buf, NULL));
	MQ_SEND(q, "now", 0);
	FX_REQUIRE_EQ(await_notification().si_value.sival_int, 5);
}

FX_CASE(mq_notify__not_while_receiver_waits, "posix", "a message taken by a process blocked in mq_receive sends no notification; the registration stays",
    "POSIX.1-2017 XSH mq_notify: a process blocked in mq_receive takes precedence")
{
	mqd_t q = mq_small();
	struct mq_job *j = mq_job(q, NULL, 16, 0);
	struct fx_child *c;

	block_sigusr1();
	register_signal(q, 6);
	c = fx_spawn(mq_receive_job, j);
	fx_wait_blocked_in(fx_child_pid(c), "mq_receive", FX_DEADLINE);
	MQ_SEND(q, "taken", 0);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_RET(j->ret, j->err, 5);
	FX_REQUIRE(!notification_pending(), "notified although a receiver was waiting");
	MQ_SEND(q, "later", 0);
	FX_REQUIRE_EQ(await_notification().si_value.sival_int, 6);
}

FX_CASE(mq_notify__null_unregisters, "posix", "mq_notify(q, NULL) by the registered process removes its registration",
    "POSIX.1-2017 XSH mq_notify: notification is NULL")
{
	mqd_t *q = fx_shared(sizeof *q);

	*q = mq_small();
	block_sigusr1();
	register_signal(*q, 1);
	FX_OK(mq_notify(*q, NULL));
	MQ_SEND(*q, "unseen", 0);
	FX_REQUIRE(!notification_pending(), "notified after unregistering");
	fx_child_join(fx_spawn(register_ok, q), FX_DEADLINE);
}

static atomic_int thread_value;

static void
on_message(union sigval sv)
{
	atomic_store(&thread_value, sv.sival_int);
}

static bool
thread_ran(void *arg)
{
	(void)arg;
	return atomic_load(&thread_value) != 0;
}

FX_CASE(mq_notify__sigev_thread_runs_function, "posix", "SIGEV_THREAD runs sigev_notify_function with sigev_value when a message arrives",
    "POSIX.1-2017 XSH mq_notify; XBD <signal.h> SIGEV_THREAD")
{
	mqd_t q = mq_small();
	struct sigevent sev;

	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = on_message;
	sev.sigev_value.sival_int = 77;
	FX_OK(mq_notify(q, &sev));
	FX_REQUIRE_EQ(atomic_load(&thread_value), 0);
	MQ_SEND(q, "go", 0);
	fx_wait_until(thread_ran, NULL, FX_DEADLINE, "the SIGEV_THREAD function to run");
	FX_REQUIRE_EQ(atomic_load(&thread_value), 77);
}

FX_CASE(mq_notify__sigev_none_registers, "linux", "SIGEV_NONE registers the process (others get EBUSY) without any notification",
    "mq_notify(3): SIGEV_NONE")
{
	mqd_t *q = fx_shared(sizeof *q);
	struct sigevent sev;

	*q = mq_small();
	block_sigusr1();
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_NONE;
	FX_OK(mq_notify(*q, &sev));
	fx_child_join(fx_spawn(register_busy, q), FX_DEADLINE);
	MQ_SEND(*q, "quiet", 0);
	FX_REQUIRE(!notification_pending(), "SIGEV_NONE sent a signal");
}

FX_CASE(mq_notify__invalid_sigevent_einval, "linux", "mq_notify with an unknown sigev_notify or an invalid signal number fails with EINVAL",
    "mq_notify(3) ERRORS: EINVAL")
{
	mqd_t q = mq_small();
	struct sigevent sev = signal_event(1);

	sev.sigev_signo = 1000;
	FX_REQUIRE_ERRNO(EINVAL, mq_notify(q, &sev));
	sev = signal_event(1);
	sev.sigev_notify = 4242;
	FX_REQUIRE_ERRNO(EINVAL, mq_notify(q, &sev));
	register_signal(q, 1); /* nothing was registered by the failed calls */
}

FX_CASE(mq_notify__bad_descriptor_ebadf, "posix", "mq_notify on an invalid descriptor fails with EBADF",
    "POSIX.1-2017 XSH mq_notify ERRORS [EBADF]")
{
	struct sigevent sev = signal_event(1);

	FX_REQUIRE_ERRNO(EBADF, mq_notify((mqd_t)-1, &sev));
}

FX_CASE(mq_close__removes_notification, "posix", "mq_close of the descriptor used to register removes the registration",
    "POSIX.1-2017 XSH mq_close: notification request removed")
{
	char name[MQ_NAME_LEN];
	mqd_t *q = fx_shared(sizeof *q), q2;

	*q = mq_new("q", O_RDWR, 2, 16, name);
	q2 = (mqd_t)FX_OK(mq_open(name, O_RDWR));
	block_sigusr1();
	register_signal(q2, 1);
	FX_OK(mq_close(q2));
	MQ_SEND(*q, "unseen", 0);
	FX_REQUIRE(!notification_pending(), "notified through a closed registration");
	fx_child_join(fx_spawn(register_ok, q), FX_DEADLINE);
}
