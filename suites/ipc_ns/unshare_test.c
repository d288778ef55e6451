/*
 * unshare(CLONE_NEWIPC): a new IPC namespace has its own System V objects,
 * POSIX message queues and limits, and its objects die with it (X-class linux).
 */
#include "fx.h"
#include "ipcns_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

/*
 * One System V kind: create by key (recorded for cleanup outside a private
 * namespace), create without recording (in a child that unshared by itself,
 * whose objects die with its namespace), look up by key, stat by id.
 */
struct sysv_kind {
	const char *name;
	int (*create)(key_t key, int flags);
	int (*create_untracked)(key_t key, int flags);
	int (*lookup)(key_t key);
	int (*stat)(int id);
};

static int msg_create(key_t key, int flags) { return fx_msgget(key, flags); }
static int msg_untracked(key_t key, int flags) { return msgget(key, flags); }
static int msg_lookup(key_t key) { return msgget(key, 0); }
static int msg_stat(int id) { struct msqid_ds ds; return msgctl(id, IPC_STAT, &ds); }
static int sem_create(key_t key, int flags) { return fx_semget(key, 1, flags); }
static int sem_untracked(key_t key, int flags) { return semget(key, 1, flags); }
static int sem_lookup(key_t key) { return semget(key, 0, 0); }
static int sem_stat(int id) { struct semid_ds ds; return semctl(id, 0, IPC_STAT, &ds); }
static int shm_create(key_t key, int flags) { return fx_shmget(key, 4096, flags); }
static int shm_untracked(key_t key, int flags) { return shmget(key, 4096, flags); }
static int shm_lookup(key_t key) { return shmget(key, 0, 0); }
static int shm_stat(int id) { struct shmid_ds ds; return shmctl(id, IPC_STAT, &ds); }

static const struct sysv_kind msg_kind =
    { "msg", msg_create, msg_untracked, msg_lookup, msg_stat };
static const struct sysv_kind sem_kind =
    { "sem", sem_create, sem_untracked, sem_lookup, sem_stat };
static const struct sysv_kind shm_kind =
    { "shm", shm_create, shm_untracked, shm_lookup, shm_stat };
static const struct sysv_kind *const all_kinds[] = { &msg_kind, &sem_kind, &shm_kind };

/*
 * An object made in the test's namespace is not there after entering a new
 * one: its key is unknown (ENOENT), its id is not valid (EINVAL), and the key
 * is free to name a new, distinct object.
 */
static void
check_invisible_in_new_ns(const struct sysv_kind *k)
{
	key_t key = fx_ftok(1);
	int id, r;

	id = FX_OK(k->create(key, IPC_CREAT | IPC_EXCL | 0600));
	FX_OK(k->lookup(key));
	fx_enter_private_ipcns();
	errno = 0;
	r = k->lookup(key);
	FX_REQUIRE(r == -1 && errno == ENOENT, "%sget(key 0x%x, 0) in the new namespace: "
	    "expected -1 ENOENT, got %d (errno %s)", k->name, (unsigned)key, r,
	    fx_errno_name(errno));
	errno = 0;
	r = k->stat(id);
	FX_REQUIRE(r == -1 && errno == EINVAL, "%sctl(id %d, IPC_STAT) in the new namespace: "
	    "expected -1 EINVAL, got %d (errno %s)", k->name, id, r, fx_errno_name(errno));
	FX_OK(k->create(key, IPC_CREAT | IPC_EXCL | 0600));
}

FX_CASE(unshare__sysv_msg_invisible_in_new_ns, "linux", "A System V message queue is invisible in a new IPC namespace: ENOENT by key, EINVAL by id, key free",
    "ipc_namespaces(7): System V IPC objects; unshare(2): CLONE_NEWIPC")
{
	check_invisible_in_new_ns(&msg_kind);
}

FX_CASE(unshare__sysv_sem_invisible_in_new_ns, "linux", "A System V semaphore set is invisible in a new IPC namespace: ENOENT by key, EINVAL by id, key free",
    "ipc_namespaces(7): System V IPC objects; unshare(2): CLONE_NEWIPC")
{
	check_invisible_in_new_ns(&sem_kind);
}

FX_CASE(unshare__sysv_shm_invisible_in_new_ns, "linux", "A System V shared-memory segment is invisible in a new IPC namespace: ENOENT by key, EINVAL by id, key free",
    "ipc_namespaces(7): System V IPC objects; unshare(2): CLONE_NEWIPC")
{
	check_invisible_in_new_ns(&shm_kind);
}

FX_CASE(unshare__proc_sysvipc_lists_own_ns_only, "linux", "/proc/sysvipc/{msg,sem,shm} in a new IPC namespace list only that namespace's objects",
    "ipc_namespaces(7): /proc/sysvipc; proc(5): /proc/sysvipc")
{
	key_t outside = fx_ftok(1), inside = fx_ftok(2);
	size_t i, n, with_key;

	for (i = 0; i < 3; i++) {
		FX_OK(all_kinds[i]->create(outside, IPC_CREAT | IPC_EXCL | 0600));
		ipcns_sysvipc_count(all_kinds[i]->name, outside, &with_key);
		FX_REQUIRE(with_key == 1, "/proc/sysvipc/%s lists key 0x%x %zu times before "
		    "unshare, expected once", all_kinds[i]->name, (unsigned)outside, with_key);
	}
	fx_enter_private_ipcns();
	for (i = 0; i < 3; i++) {
		const struct sysv_kind *k = all_kinds[i];

		FX_REQUIRE_EQ(ipcns_sysvipc_count(k->name, outside, &with_key), 0);
		FX_OK(k->create(inside, IPC_CREAT | IPC_EXCL | 0600));
		n = ipcns_sysvipc_count(k->name, inside, &with_key);
		FX_REQUIRE(n == 1 && with_key == 1, "/proc/sysvipc/%s in the new namespace lists "
		    "%zu objects, %zu with key 0x%x: expected only that one", k->name, n, with_key,
		    (unsigned)inside);
	}
}

struct made_inside {
	key_t key;
	int ids[3];
};

static void
create_all_kinds(struct ipcns_dweller *d)
{
	struct made_inside *m = d->data;
	size_t i;

	for (i = 0; i < 3; i++)
		m->ids[i] = FX_OK(all_kinds[i]->create_untracked(m->key,
		    IPC_CREAT | IPC_EXCL | 0600));
}

FX_CASE(unshare__new_ns_objects_invisible_outside, "linux", "System V objects created in a child's new IPC namespace are unknown by key in the parent's, and not listed there",
    "ipc_namespaces(7): System V IPC objects")
{
	struct made_inside *m = fx_shared(sizeof *m);
	struct ipcns_dweller *d;
	size_t i, with_key;
	int r;

	m->key = fx_ftok(1);
	d = ipcns_dweller_start(create_all_kinds, NULL, m);
	for (i = 0; i < 3; i++) {
		const struct sysv_kind *k = all_kinds[i];

		errno = 0;
		r = k->lookup(m->key);
		FX_REQUIRE(r == -1 && errno == ENOENT, "%sget(key 0x%x, 0) outside the child's "
		    "namespace: expected -1 ENOENT, got %d (errno %s)", k->name, (unsigned)m->key,
		    r, fx_errno_name(errno));
		ipcns_sysvipc_count(k->name, m->key, &with_key);
		FX_REQUIRE_EQ(with_key, 0);
	}
	ipcns_dweller_release(d);
}

FX_CASE(unshare__posix_mq_invisible_in_new_ns, "linux", "A POSIX message queue is invisible in a new IPC namespace (ENOENT) and its name is free there",
    "ipc_namespaces(7): POSIX message queues; mq_overview(7)")
{
	char name[256];
	mqd_t q;

	fx_posix_name(FX_POSIX_MQ, "ns", name, sizeof name);
	q = (mqd_t)FX_OK(mq_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, NULL));
	FX_OK(mq_send(q, "outside", 7, 0));
	fx_enter_private_ipcns();
	FX_REQUIRE_ERRNO(ENOENT, mq_open(name, O_RDWR | O_CLOEXEC));
	FX_OK(mq_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, NULL));
}

FX_CASE(unshare__posix_shm_and_sem_not_isolated, "linux", "POSIX shared memory and named semaphores are not IPC-namespace objects: a new IPC namespace still opens them, with their contents",
    "ipc_namespaces(7): isolates System V IPC and POSIX message queues only; shm_overview(7), sem_overview(7)")
{
	char shm_name[256], sem_name[256];
	unsigned char *p;
	sem_t *s;
	int fd, value;

	fx_posix_name(FX_POSIX_SHM, "shm", shm_name, sizeof shm_name);
	fx_posix_name(FX_POSIX_SEM, "sem", sem_name, sizeof sem_name);
	fd = FX_OK(shm_open(shm_name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600));
	FX_OK(ftruncate(fd, 1));
	FX_REQUIRE_EQ(pwrite(fd, "\x5a", 1, 0), 1);
	close(fd);
	s = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 3);
	FX_REQUIRE(s != SEM_FAILED, "sem_open(%s, O_CREAT) failed: %s", sem_name,
	    fx_errno_name(errno));
	sem_close(s);
	fx_enter_private_ipcns();
	fd = FX_OK(shm_open(shm_name, O_RDWR | O_CLOEXEC, 0));
	p = FX_OK_PTR(mmap(NULL, 1, PROT_READ, MAP_SHARED, fd, 0));
	FX_REQUIRE_EQ(p[0], 0x5a);
	s = sem_open(sem_name, 0);
	FX_REQUIRE(s != SEM_FAILED, "sem_open(%s) in the new IPC namespace failed: %s",
	    sem_name, fx_errno_name(errno));
	FX_OK(sem_getvalue(s, &value));
	FX_REQUIRE_EQ(value, 3);
}

/* True when directory dir has an entry called name. */
static bool
dir_has(const char *dir, const char *name)
{
	struct dirent *e;
	bool found = false;
	DIR *d = opendir(dir);

	if (d == NULL)
		FX_FAIL("opendir(%s): %s", dir, fx_errno_name(errno));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, name) == 0)
			found = true;
	closedir(d);
	return found;
}

FX_CASE(unshare__mqueue_mount_shows_own_ns_queues, "linux", "An mqueue filesystem mounted in a new IPC namespace lists that namespace's queues and not the others'",
    "ipc_namespaces(7): POSIX message queues, mqueue filesystem; mq_overview(7)")
{
	char outside[256], inside[256];

	fx_posix_name(FX_POSIX_MQ, "out", outside, sizeof outside);
	fx_posix_name(FX_POSIX_MQ, "in", inside, sizeof inside);
	FX_OK(mq_open(outside, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, NULL));
	fx_enter_private_ipcns();
	fx_mount_mqueue("mqueue.mnt");
	FX_OK(mq_open(inside, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, NULL));
	FX_REQUIRE(dir_has("mqueue.mnt", inside + 1), "the new namespace's mqueue mount does "
	    "not list its queue %s", inside);
	FX_REQUIRE(!dir_has("mqueue.mnt", outside + 1), "the new namespace's mqueue mount "
	    "lists %s, a queue of the namespace it left", outside);
}

struct limit_seen {
	char outside[128];      /* the value outside, read by the parent */
	char chosen[128];       /* written inside */
	char read_back[128];    /* read inside after the write */
	int err;                /* errno of the write inside */
};

static void
set_limits_inside(struct ipcns_dweller *d)
{
	struct limit_seen *seen = d->data;
	size_t i;

	for (i = 0; i < ipcns_nlimits; i++) {
		seen[i].err = ipcns_write_sysctl(ipcns_limits[i].path, seen[i].chosen);
		if (seen[i].err == 0)
			ipcns_require_sysctl(ipcns_limits[i].path, seen[i].read_back,
			    sizeof seen[i].read_back);
	}
}

FX_CASE(unshare__ipc_limits_are_per_ns, "linux", "The msg*, sem, shm* and fs/mqueue limits set in a new IPC namespace hold there and leave the outside values unchanged",
    "ipc_namespaces(7): /proc/sys/kernel and /proc/sys/fs/mqueue interfaces")
{
	struct limit_seen *seen = fx_shared(ipcns_nlimits * sizeof *seen);
	struct ipcns_dweller *d;
	char now[128];
	size_t i;

	for (i = 0; i < ipcns_nlimits; i++) {
		ipcns_require_sysctl(ipcns_limits[i].path, seen[i].outside,
		    sizeof seen[i].outside);
		strcpy(seen[i].chosen, ipcns_limits[i].values[strcmp(seen[i].outside,
		    ipcns_limits[i].values[0]) == 0]);
	}
	d = ipcns_dweller_start(set_limits_inside, NULL, seen);
	for (i = 0; i < ipcns_nlimits; i++) {
		if (seen[i].err != 0)
			fx_setup_refused(seen[i].err, "writing \"%s\" to /proc/sys/%s in the new IPC "
			    "namespace (the write itself is ipc_sysctl_test's case)", seen[i].chosen,
			    ipcns_limits[i].path);
		FX_REQUIRE(strcmp(seen[i].read_back, seen[i].chosen) == 0, "/proc/sys/%s reads "
		    "\"%s\" inside after writing \"%s\"", ipcns_limits[i].path, seen[i].read_back,
		    seen[i].chosen);
		ipcns_require_sysctl(ipcns_limits[i].path, now, sizeof now);
		FX_REQUIRE(strcmp(now, seen[i].outside) == 0, "/proc/sys/%s outside changed from "
		    "\"%s\" to \"%s\" when set inside", ipcns_limits[i].path, seen[i].outside, now);
	}
	ipcns_dweller_release(d);
}

FX_CASE(unshare__id_limits_count_own_ns_objects, "linux", "msgmni, shmmni and semmni set in a new IPC namespace allow exactly that many objects there, then ENOSPC",
    "ipc_namespaces(7); msgget(2), semget(2), shmget(2) ERRORS: ENOSPC")
{
	const struct sysv_kind *kinds[] = { &msg_kind, &shm_kind, &sem_kind };
	size_t i;

	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/msgmni", "2");
	fx_set_ipc_sysctl("kernel/shmmni", "2");
	fx_set_ipc_sysctl("kernel/sem", "250 32000 32 2");
	for (i = 0; i < 3; i++) {
		FX_OK(kinds[i]->create(IPC_PRIVATE, IPC_CREAT | 0600));
		FX_OK(kinds[i]->create(IPC_PRIVATE, IPC_CREAT | 0600));
		FX_CHECK_ERRNO_MSG(ENOSPC, kinds[i]->create(IPC_PRIVATE, IPC_CREAT | 0600),
		    "third %sget(IPC_PRIVATE) with a limit of 2", kinds[i]->name);
	}
}

/* "ipc:[4026531839]": which IPC namespace the link names. */
static void
ns_link(const char *path, char *buf, size_t len)
{
	ssize_t n = readlink(path, buf, len - 1);

	if (n == -1 && errno == ENOENT)
		FX_FAIL(FX_NOT_IMPLEMENTED "/proc/PID/ns/ipc (ENOENT): the documented link %s is "
		    "absent", path);
	FX_REQUIRE(n != -1, "readlink(%s) failed: %s", path, fx_errno_name(errno));
	buf[n] = '\0';
}

static void
record_ns(void *arg)
{
	ns_link("/proc/self/ns/ipc", arg, 64);
}

FX_CASE(unshare__new_ns_inherited_by_children, "linux", "unshare(CLONE_NEWIPC) gives the caller a different /proc/self/ns/ipc, which its children then share",
    "unshare(2): CLONE_NEWIPC; namespaces(7): /proc/pid/ns/ipc")
{
	char *child_ns = fx_shared(64);
	char before[64], after[64];

	ns_link("/proc/self/ns/ipc", before, sizeof before);
	fx_enter_private_ipcns();
	ns_link("/proc/self/ns/ipc", after, sizeof after);
	FX_REQUIRE(strcmp(before, after) != 0, "still in %s after unshare(CLONE_NEWIPC)", after);
	fx_child_join(fx_spawn(record_ns, child_ns), FX_DEADLINE);
	FX_REQUIRE(strcmp(child_ns, after) == 0, "a child forked in %s is in %s", after, child_ns);
}

/*
 * Whether a namespace's objects died is seen through RLIMIT_MEMLOCK: a
 * segment locked with SHM_LOCK is charged to its user (per user namespace)
 * until the segment is destroyed. In a fresh user namespace with a limit of
 * one page, a second namespace can lock a page only once the first
 * namespace's segment is gone.
 */
struct memlock {
	int first;       /* locking a page in namespace A: 0 expected */
	int control;     /* in namespace B while A lives: ENOMEM expected */
	int after;       /* in namespace C after A's last process exited: 0 expected */
	int go[2];
	volatile int ready;
};

/* Locks a new one-page segment of the caller's IPC namespace: 0 or errno. */
static int
lock_one_page(void)
{
	int id = shmget(IPC_PRIVATE, (size_t)getpagesize(), IPC_CREAT | 0600), err;

	if (id == -1)
		return errno;
	if (shmctl(id, SHM_LOCK, NULL) == 0)
		return 0;
	err = errno;
	(void)shmctl(id, IPC_RMID, NULL);
	return err;
}

static void
lock_in_ns_a(void *arg)
{
	struct memlock *m = arg;
	char byte;

	FX_SETUP(unshare(CLONE_NEWIPC));
	m->first = lock_one_page();
	m->ready = 1;
	FX_REQUIRE_EQ(read(m->go[0], &byte, 1), 1);
}

static void
lock_in_ns_b(void *arg)
{
	struct memlock *m = arg;

	FX_SETUP(unshare(CLONE_NEWIPC));
	m->control = lock_one_page();
}

static bool
flag_set(void *arg)
{
	return *(volatile int *)arg != 0;
}

static bool
page_lockable(void *arg)
{
	*(int *)arg = lock_one_page();
	return *(int *)arg == 0;
}

static void
lock_across_namespaces(void *arg)
{
	struct memlock *m = arg;
	struct rlimit one_page = { (rlim_t)getpagesize(), (rlim_t)getpagesize() };
	struct fx_child *a;

	/* A user namespace of its own counts locked memory alone. */
	FX_SETUP(unshare(CLONE_NEWUSER));
	FX_SETUP(setrlimit(RLIMIT_MEMLOCK, &one_page));
	FX_OK(pipe(m->go));
	a = fx_spawn(lock_in_ns_a, m);
	fx_wait_until(flag_set, (void *)&m->ready, FX_DEADLINE, "namespace A to lock its page");
	fx_wait_blocked_in(fx_child_pid(a), "read", FX_DEADLINE);
	fx_child_join(fx_spawn(lock_in_ns_b, m), FX_DEADLINE);
	FX_REQUIRE_EQ(write(m->go[1], "g", 1), 1);
	fx_child_join(a, FX_DEADLINE);
	/* Namespaces are freed by a kernel worker shortly after their last process. */
	FX_SETUP(unshare(CLONE_NEWIPC));
	m->after = -1;
	fx_wait_until(page_lockable, &m->after, FX_DEADLINE,
	    "namespace A's locked segment to be destroyed");
}

FX_CASE(unshare__objects_die_with_last_process, "linux", "A namespace's shared-memory segment is destroyed when the namespace's last process exits",
    "ipc_namespaces(7): objects destroyed when the namespace is destroyed")
{
	struct memlock *m = fx_shared(sizeof *m);

	fx_child_join(fx_spawn(lock_across_namespaces, m), fx_deadline(15000));
	FX_REQUIRE(m->first == 0, "SHM_LOCK of one page within RLIMIT_MEMLOCK failed: %s",
	    fx_errno_name(m->first));
	FX_REQUIRE(m->control == ENOMEM, "SHM_LOCK of a second page while the first namespace "
	    "lives: expected ENOMEM, got %s", m->control ? fx_errno_name(m->control) : "success");
	FX_REQUIRE_EQ(m->after, 0);
}
