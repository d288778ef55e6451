/*
 * shmctl(2): status, permissions, removal, locking and the Linux
 * information commands of System V shared memory segments.
 */
#include "fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

static struct shmid_ds
shm_stat(int id)
{
	struct shmid_ds ds;

	FX_OK(shmctl(id, IPC_STAT, &ds));
	return ds;
}

static void
require_time_within(time_t t, time_t lo, time_t hi, const char *what)
{
	FX_REQUIRE(t >= lo && t <= hi, "%s %lld not within [%lld, %lld]", what,
	    (long long)t, (long long)lo, (long long)hi);
}

static void
attach_and_stay(void *arg)
{
	FX_OK_PTR(shmat(*(int *)arg, NULL, 0));
}

FX_CASE(shmctl__stat_after_attach, "xsi", "shmat sets shm_atime to now and shm_lpid to the attaching process",
    "POSIX.1-2017 XSH shmat: shm_lpid, shm_atime set")
{
	int *id = fx_shared(sizeof *id);
	struct fx_child *c;
	struct shmid_ds ds;
	time_t before;

	*id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	before = fx_kernel_seconds();
	FX_OK_PTR(shmat(*id, NULL, 0));
	ds = shm_stat(*id);
	FX_REQUIRE_EQ(ds.shm_lpid, getpid());
	require_time_within(ds.shm_atime, before, fx_kernel_seconds(), "shm_atime");
	FX_REQUIRE_EQ(ds.shm_dtime, 0);
	c = fx_spawn(attach_and_stay, id);
	fx_child_join(c, FX_DEADLINE);
	/* The child's exit detached it after attaching: lpid is still the child. */
	FX_REQUIRE_EQ(shm_stat(*id).shm_lpid, fx_child_pid(c));
	FX_REQUIRE_EQ(shm_stat(*id).shm_cpid, getpid());
}

static void
detach_inherited(void *arg)
{
	FX_OK(shmdt(*(void **)arg));
}

FX_CASE(shmctl__stat_after_detach, "xsi", "shmdt sets shm_dtime to now, shm_lpid to the detaching process and lowers shm_nattch",
    "POSIX.1-2017 XSH shmdt: shm_lpid, shm_dtime set, shm_nattch decremented")
{
	void **addr = fx_shared(sizeof *addr);
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	struct fx_child *c;
	struct shmid_ds ds;
	time_t before = fx_kernel_seconds();

	*addr = FX_OK_PTR(shmat(id, NULL, 0));
	c = fx_spawn(detach_inherited, addr);
	fx_child_join(c, FX_DEADLINE);
	FX_OK(shmdt(*addr));
	ds = shm_stat(id);
	FX_REQUIRE_EQ(ds.shm_lpid, getpid());
	FX_REQUIRE_EQ(ds.shm_nattch, 0);
	require_time_within(ds.shm_dtime, before, fx_kernel_seconds(), "shm_dtime");
}

struct shm_seen {
	int id;
	void *addr;
	time_t t0;
	struct shmid_ds ds;
	pid_t pid;
};

/* Attaches after the clock ticked and reads the status while still attached. */
static void
attach_after_tick(void *arg)
{
	struct shm_seen *s = arg;

	s->t0 = fx_wait_kernel_tick(fx_kernel_seconds());
	FX_OK_PTR(shmat(s->id, NULL, SHM_RDONLY));
	FX_OK(shmctl(s->id, IPC_STAT, &s->ds));
}

FX_CASE(shmat__sets_lpid_atime_in_other_process, "xsi", "shmat by a process that neither created the segment nor attached last sets shm_lpid to its pid, shm_atime to now and raises shm_nattch, and leaves shm_dtime, shm_ctime and shm_cpid alone",
    "POSIX.1-2017 XSH shmat: upon successful completion shm_atime, shm_lpid set, shm_nattch incremented")
{
	struct shm_seen *s = fx_shared(sizeof *s);
	struct fx_child *c;
	struct shmid_ds before;

	s->id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	FX_OK_PTR(shmat(s->id, NULL, 0));
	before = shm_stat(s->id);
	c = fx_spawn(attach_after_tick, s);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(s->ds.shm_lpid, fx_child_pid(c));
	FX_REQUIRE_STAMP(s->ds.shm_atime, s->t0);
	/* The parent's attachment, the one the child inherited by fork, the child's own. */
	FX_REQUIRE_EQ(s->ds.shm_nattch, 3);
	FX_REQUIRE_EQ(s->ds.shm_dtime, 0);
	FX_REQUIRE_EQ(s->ds.shm_ctime, before.shm_ctime);
	FX_REQUIRE_EQ(s->ds.shm_cpid, getpid());
}

/* Detaches the attachment inherited through fork once the clock ticked. */
static void
detach_after_tick(void *arg)
{
	struct shm_seen *s = arg;

	s->t0 = fx_wait_kernel_tick(fx_kernel_seconds());
	FX_OK(shmdt(s->addr));
}

FX_CASE(shmdt__sets_lpid_dtime_in_other_process, "xsi", "shmdt by a process that neither created the segment nor attached it sets shm_lpid to its pid, shm_dtime to now and lowers shm_nattch, and leaves shm_atime and shm_ctime alone",
    "POSIX.1-2017 XSH shmdt: upon successful completion shm_dtime, shm_lpid set, shm_nattch decremented")
{
	struct shm_seen *s = fx_shared(sizeof *s);
	struct fx_child *c;
	struct shmid_ds before, ds;

	s->id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	s->addr = FX_OK_PTR(shmat(s->id, NULL, 0));
	before = shm_stat(s->id);
	c = fx_spawn(detach_after_tick, s);
	fx_child_join(c, FX_DEADLINE);
	ds = shm_stat(s->id);
	FX_REQUIRE_EQ(ds.shm_lpid, fx_child_pid(c));
	FX_REQUIRE_STAMP(ds.shm_dtime, s->t0);
	FX_REQUIRE_EQ(ds.shm_nattch, 1);
	FX_REQUIRE_EQ(ds.shm_atime, before.shm_atime);
	FX_REQUIRE_EQ(ds.shm_ctime, before.shm_ctime);
}

static void
attach_and_detach(void *arg)
{
	void *p = FX_OK_PTR(shmat(*(int *)arg, NULL, 0));

	FX_OK(shmdt(p));
}

FX_CASE(shmctl__set_leaves_other_fields, "xsi", "IPC_SET takes only shm_perm.uid, gid and mode from its argument: the size, creator, pids, attach count and times passed in it are ignored",
    "POSIX.1-2017 XSH shmctl: IPC_SET sets shm_perm.uid, shm_perm.gid and the low-order nine bits of shm_perm.mode")
{
	int *id = fx_shared(sizeof *id);
	struct shmid_ds before, ds, after;

	*id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	FX_OK_PTR(shmat(*id, NULL, 0));
	/* A child attaches and detaches last: shm_lpid is neither the creator nor the caller. */
	fx_child_join(fx_spawn(attach_and_detach, id), FX_DEADLINE);
	before = ds = shm_stat(*id);
	ds.shm_perm.mode = 0604;
	ds.shm_perm.cuid = before.shm_perm.cuid + 1;
	ds.shm_perm.cgid = before.shm_perm.cgid + 1;
	ds.shm_segsz = 2 * before.shm_segsz;
	ds.shm_cpid = before.shm_cpid + 1;
	ds.shm_lpid = getpid();
	ds.shm_nattch = before.shm_nattch + 3;
	ds.shm_atime = 1;
	ds.shm_dtime = 1;
	FX_OK(shmctl(*id, IPC_SET, &ds));
	after = shm_stat(*id);
	FX_REQUIRE_EQ(after.shm_perm.mode & 0777, 0604);
	FX_REQUIRE_EQ(after.shm_perm.cuid, before.shm_perm.cuid);
	FX_REQUIRE_EQ(after.shm_perm.cgid, before.shm_perm.cgid);
	FX_REQUIRE_EQ(after.shm_segsz, 4096);
	FX_REQUIRE_EQ(after.shm_cpid, getpid());
	FX_REQUIRE_EQ(after.shm_lpid, before.shm_lpid);
	FX_REQUIRE_EQ(after.shm_nattch, 1);
	FX_REQUIRE_EQ(after.shm_atime, before.shm_atime);
	FX_REQUIRE_EQ(after.shm_dtime, before.shm_dtime);
}

FX_CASE(shmctl__set_changes_mode, "xsi", "IPC_SET changes the low nine mode bits and updates shm_ctime",
    "POSIX.1-2017 XSH shmctl: IPC_SET shm_perm.mode; shm_ctime")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	struct shmid_ds ds = shm_stat(id);
	/* The clock ticks after the creation: an IPC_SET that leaves shm_ctime shows. */
	time_t before = fx_wait_kernel_tick(ds.shm_ctime);

	ds.shm_perm.mode = 0644;
	FX_OK(shmctl(id, IPC_SET, &ds));
	ds = shm_stat(id);
	FX_REQUIRE_EQ(ds.shm_perm.mode & 0777, 0644);
	require_time_within(ds.shm_ctime, before, fx_kernel_seconds(), "shm_ctime");
}

FX_CASE(shmctl__set_changes_owner, "xsi", "IPC_SET changes shm_perm.uid and gid; the creator fields stay, and the creator can still remove it",
    "POSIX.1-2017 XSH shmctl: IPC_SET shm_perm.uid, shm_perm.gid")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	struct shmid_ds ds = shm_stat(id);

	ds.shm_perm.uid = 12345;
	ds.shm_perm.gid = 23456;
	FX_OK(shmctl(id, IPC_SET, &ds));
	ds = shm_stat(id);
	FX_REQUIRE_EQ(ds.shm_perm.uid, 12345);
	FX_REQUIRE_EQ(ds.shm_perm.gid, 23456);
	FX_REQUIRE_EQ(ds.shm_perm.cuid, geteuid());
	FX_REQUIRE_EQ(ds.shm_perm.cgid, getegid());
	FX_OK(shmctl(id, IPC_RMID, NULL));
	FX_REQUIRE_ERRNO(EINVAL, shmctl(id, IPC_STAT, &ds));
}

static void
control_as_other(void *arg)
{
	int id = *(int *)arg;
	struct shmid_ds ds;

	FX_OK(shmctl(id, IPC_STAT, &ds)); /* mode 0666: readable */
	ds.shm_perm.mode = 0666;
	FX_REQUIRE_ERRNO(EPERM, shmctl(id, IPC_SET, &ds));
	FX_REQUIRE_ERRNO(EPERM, shmctl(id, IPC_RMID, NULL));
}

FX_CASE(shmctl__set_rmid_other_user_eperm, "xsi", "IPC_SET and IPC_RMID by a user who is neither owner nor creator fail with EPERM, whatever the mode",
    "POSIX.1-2017 XSH shmctl ERRORS [EPERM]")
{
	int *id = fx_shared(sizeof *id);

	*id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0666));
	fx_child_join(fx_spawn_as_other_user(control_as_other, id), FX_DEADLINE);
	FX_OK(shmctl(*id, IPC_STAT, &(struct shmid_ds){0}));
}

static void
stat_as_other(void *arg)
{
	struct shmid_ds ds;

	FX_REQUIRE_ERRNO(EACCES, shmctl(*(int *)arg, IPC_STAT, &ds));
}

FX_CASE(shmctl__stat_other_user_eacces, "xsi", "IPC_STAT without read permission (another user, mode 0600) fails with EACCES",
    "POSIX.1-2017 XSH shmctl ERRORS [EACCES]")
{
	int *id = fx_shared(sizeof *id);

	*id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	fx_child_join(fx_spawn_as_other_user(stat_as_other, id), FX_DEADLINE);
}

static void
stat_owner_mode_eacces(void *arg)
{
	struct shmid_ds ds;
	int id;

	(void)arg;
	id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0200));
	FX_REQUIRE_ERRNO(EACCES, shmctl(id, IPC_STAT, &ds));
	memset(&ds, 0, sizeof ds);
	ds.shm_perm.uid = geteuid();
	ds.shm_perm.gid = getegid();
	ds.shm_perm.mode = 0600;
	FX_OK(shmctl(id, IPC_SET, &ds));
	FX_REQUIRE_EQ(shm_stat(id).shm_perm.mode & 0777, 0600);
}
FX_CASE(shmctl__stat_owner_mode_eacces, "xsi", "IPC_STAT by the unprivileged owner of a 0200 segment fails with EACCES, and IPC_SET still works",
    "POSIX.1-2017 XSH shmctl ERRORS [EACCES]; IPC_SET needs ownership, not permission")
{
	/* CAP_IPC_OWNER bypasses the mode: as root, the owner is the other user. */
	fx_run_unprivileged(stat_owner_mode_eacces, NULL);
}

FX_CASE(shmctl__rmid_unattached_removes, "xsi", "IPC_RMID of an unattached segment removes it at once: its id and key are gone",
    "POSIX.1-2017 XSH shmctl: IPC_RMID")
{
	key_t key = fx_ftok(1);
	int id = FX_OK(fx_shmget(key, 4096, IPC_CREAT | 0600));
	struct shmid_ds ds;

	FX_OK(shmctl(id, IPC_RMID, NULL));
	FX_REQUIRE_ERRNO(EINVAL, shmctl(id, IPC_STAT, &ds));
	FX_REQUIRE_ERRNO(ENOENT, shmget(key, 0, 0600));
}

FX_CASE(shmctl__rmid_attached_marks_dest, "linux", "IPC_RMID of an attached segment sets SHM_DEST and makes its key IPC_PRIVATE; the memory stays usable",
    "shmctl(2): IPC_RMID ... destroyed only after the last process detaches; SHM_DEST")
{
	key_t key = fx_ftok(1);
	int id = FX_OK(fx_shmget(key, 4096, IPC_CREAT | 0600));
	char *p = FX_OK_PTR(shmat(id, NULL, 0));
	struct shmid_ds ds;

	strcpy(p, "still here");
	FX_OK(shmctl(id, IPC_RMID, NULL));
	ds = shm_stat(id);
	FX_REQUIRE(ds.shm_perm.mode & SHM_DEST, "mode 0%o lacks SHM_DEST", ds.shm_perm.mode);
	FX_REQUIRE_EQ(ds.shm_perm.__key, IPC_PRIVATE);
	FX_REQUIRE_EQ(ds.shm_nattch, 1);
	FX_REQUIRE_MEMEQ(p, "still here", 11);
	FX_REQUIRE_ERRNO(ENOENT, shmget(key, 0, 0600));
}

FX_CASE(shmctl__rmid_frees_key_for_new_segment, "xsi", "after IPC_RMID of an attached segment, IPC_CREAT|IPC_EXCL on its key makes a new, separate segment",
    "POSIX.1-2017 XSH shmctl: IPC_RMID removes the identifier")
{
	key_t key = fx_ftok(1);
	int old = FX_OK(fx_shmget(key, 4096, IPC_CREAT | 0600)), new;
	char *p = FX_OK_PTR(shmat(old, NULL, 0)), *q;

	p[0] = 'o';
	FX_OK(shmctl(old, IPC_RMID, NULL));
	new = FX_OK(fx_shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600));
	FX_REQUIRE(new != old, "the new segment reuses id %d", old);
	q = FX_OK_PTR(shmat(new, NULL, 0));
	FX_REQUIRE_EQ(q[0], 0);
	FX_REQUIRE_EQ(p[0], 'o');
}

FX_CASE(shmctl__rmid_gone_after_last_detach, "xsi", "a segment marked by IPC_RMID is destroyed when its last attachment is detached",
    "POSIX.1-2017 XSH shmctl: IPC_RMID; XSH shmdt")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	void *a = FX_OK_PTR(shmat(id, NULL, 0));
	void *b = FX_OK_PTR(shmat(id, NULL, 0));
	struct shmid_ds ds;

	FX_OK(shmctl(id, IPC_RMID, NULL));
	FX_OK(shmdt(a));
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 1);
	FX_OK(shmdt(b));
	FX_REQUIRE_ERRNO(EINVAL, shmctl(id, IPC_STAT, &ds));
}

FX_CASE(shmctl__marked_segment_attachable_by_id, "linux", "Linux lets a process attach a segment marked for destruction by its id",
    "shmctl(2) NOTES: Linux permits shmat of a segment marked for deletion")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *a = FX_OK_PTR(shmat(id, NULL, 0)), *b;

	a[0] = 'k';
	FX_OK(shmctl(id, IPC_RMID, NULL));
	b = FX_OK_PTR(shmat(id, NULL, 0));
	FX_REQUIRE_EQ(b[0], 'k');
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 2);
}

FX_CASE(shmctl__einval_rows, "xsi", "shmctl fails with EINVAL for an invalid identifier, a removed one and an unknown command",
    "POSIX.1-2017 XSH shmctl ERRORS [EINVAL]")
{
	int live = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	int gone = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	const struct { int id, cmd; } rows[] = {
		{ -1, IPC_STAT }, { gone, IPC_STAT }, { gone, IPC_SET }, { gone, IPC_RMID },
		{ live, 4242 }, { live, -1 },
	};
	struct shmid_ds ds;
	size_t i;

	FX_OK(shmctl(gone, IPC_RMID, NULL));
	memset(&ds, 0, sizeof ds);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		FX_CHECK_ERRNO_MSG(EINVAL, shmctl(rows[i].id, rows[i].cmd, &ds),
		    "shmctl(id=%d%s, cmd=%d)", rows[i].id, rows[i].id == gone ? " (removed)" : "", rows[i].cmd);
	}
}

struct lock_arg { int id; rlim_t memlock; int expect_errno; };

/* SHM_LOCK as an unprivileged owner with RLIMIT_MEMLOCK set to a->memlock. */
static void
lock_with_limit(void *arg)
{
	struct lock_arg *a = arg;
	struct rlimit r;

	FX_OK(getrlimit(RLIMIT_MEMLOCK, &r));
	if (a->memlock > r.rlim_max)
		FX_FAIL("RLIMIT_MEMLOCK hard limit %llu below the %llu bytes needed",
		    (unsigned long long)r.rlim_max, (unsigned long long)a->memlock);
	r.rlim_cur = a->memlock;
	FX_SETUP(setrlimit(RLIMIT_MEMLOCK, &r));
	if (a->expect_errno != 0) {
		FX_REQUIRE_ERRNO(a->expect_errno, shmctl(a->id, SHM_LOCK, NULL));
		return;
	}
	FX_OK(shmctl(a->id, SHM_LOCK, NULL));
	FX_OK(shmctl(a->id, SHM_UNLOCK, NULL));
}

/* Runs fn as an unprivileged owner of segment id: the other user when root (given the segment), else ourselves. */
static void
run_as_unprivileged_owner(int id, fx_child_fn *fn, void *arg)
{
	if (fx_is_root()) {
		struct shmid_ds ds = shm_stat(id);

		ds.shm_perm.uid = fx_other_uid();
		FX_OK(shmctl(id, IPC_SET, &ds));
		fx_child_join(fx_spawn_as_other_user(fn, arg), FX_DEADLINE);
	} else {
		fx_child_join(fx_spawn(fn, arg), FX_DEADLINE);
	}
}

FX_CASE(shmctl__lock_without_memlock_eperm, "linux", "SHM_LOCK by an unprivileged owner whose RLIMIT_MEMLOCK is 0 fails with EPERM",
    "shmctl(2) ERRORS: EPERM ... SHM_LOCK, RLIMIT_MEMLOCK is 0 and no CAP_IPC_LOCK")
{
	struct lock_arg *a = fx_shared(sizeof *a);

	a->id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	a->memlock = 0;
	a->expect_errno = EPERM;
	run_as_unprivileged_owner(a->id, lock_with_limit, a);
	FX_REQUIRE(!(shm_stat(a->id).shm_perm.mode & SHM_LOCKED), "segment locked after EPERM");
}

FX_CASE(shmctl__lock_within_memlock_ok, "linux", "an unprivileged owner may SHM_LOCK and SHM_UNLOCK a segment that fits its RLIMIT_MEMLOCK",
    "shmctl(2): SHM_LOCK ... unprivileged if RLIMIT_MEMLOCK allows (since Linux 2.6.10)")
{
	struct lock_arg *a = fx_shared(sizeof *a);
	struct rlimit r;

	FX_OK(getrlimit(RLIMIT_MEMLOCK, &r));
	if (r.rlim_max != RLIM_INFINITY && r.rlim_max < 64 * fx_page_size())
		fx_skip("RLIMIT_MEMLOCK hard limit %llu is below %zu bytes",
		    (unsigned long long)r.rlim_max, 64 * fx_page_size());
	a->id = FX_OK(fx_shmget(IPC_PRIVATE, fx_page_size(), IPC_CREAT | 0600));
	a->memlock = 64 * fx_page_size();
	a->expect_errno = 0;
	run_as_unprivileged_owner(a->id, lock_with_limit, a);
}

FX_CASE(shmctl__lock_sets_shm_locked, "linux", "SHM_LOCK sets SHM_LOCKED in shm_perm.mode and SHM_UNLOCK clears it",
    "shmctl(2): SHM_LOCK, SHM_UNLOCK; SHM_LOCKED in shm_perm.mode")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, fx_page_size(), IPC_CREAT | 0600));
	struct rlimit r;

	/* Without CAP_IPC_LOCK (a normal user, or root in a container) RLIMIT_MEMLOCK applies. */
	FX_OK(getrlimit(RLIMIT_MEMLOCK, &r));
	if (r.rlim_cur != RLIM_INFINITY && r.rlim_cur < 64 * fx_page_size()) {
		if (r.rlim_max != RLIM_INFINITY && r.rlim_max < 64 * fx_page_size() && !fx_is_root())
			fx_skip("RLIMIT_MEMLOCK hard limit %llu is below %zu bytes",
			    (unsigned long long)r.rlim_max, 64 * fx_page_size());
		if (r.rlim_max == RLIM_INFINITY || r.rlim_max >= 64 * fx_page_size()) {
			r.rlim_cur = 64 * fx_page_size();
			FX_SETUP(setrlimit(RLIMIT_MEMLOCK, &r));
		}
	}
	FX_OK(shmctl(id, SHM_LOCK, NULL));
	FX_REQUIRE(shm_stat(id).shm_perm.mode & SHM_LOCKED, "mode 0%o lacks SHM_LOCKED",
	    shm_stat(id).shm_perm.mode);
	FX_OK(shmctl(id, SHM_UNLOCK, NULL));
	FX_REQUIRE(!(shm_stat(id).shm_perm.mode & SHM_LOCKED), "mode 0%o still has SHM_LOCKED",
	    shm_stat(id).shm_perm.mode);
}

static void
lock_as_non_owner(void *arg)
{
	FX_REQUIRE_ERRNO(EPERM, shmctl(*(int *)arg, SHM_LOCK, NULL));
	FX_REQUIRE_ERRNO(EPERM, shmctl(*(int *)arg, SHM_UNLOCK, NULL));
}

FX_CASE(shmctl__lock_non_owner_eperm, "linux", "SHM_LOCK and SHM_UNLOCK by an unprivileged user who does not own the segment fail with EPERM",
    "shmctl(2) ERRORS: EPERM ... SHM_LOCK or SHM_UNLOCK, caller not owner and not privileged")
{
	int *id = fx_shared(sizeof *id);

	*id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0666));
	fx_child_join(fx_spawn_as_other_user(lock_as_non_owner, id), FX_DEADLINE);
}

FX_CASE(shmctl__ipc_info_matches_sysctls, "linux", "IPC_INFO reports shmmax, shmmni and shmall as /proc/sys/kernel shows them, and shmmin 1",
    "shmctl(2): IPC_INFO (Linux-specific); proc(5) /proc/sys/kernel/shmmax, shmmni, shmall")
{
	struct shminfo info;

	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/shmmni", "77");
	fx_set_ipc_sysctl("kernel/shmmax", "1234567");
	fx_set_ipc_sysctl("kernel/shmall", "4321");
	FX_OK(shmctl(0, IPC_INFO, (struct shmid_ds *)&info));
	FX_REQUIRE_EQ(info.shmmni, 77);
	FX_REQUIRE_EQ(info.shmmax, 1234567);
	FX_REQUIRE_EQ(info.shmall, 4321);
	FX_REQUIRE_EQ(info.shmmin, 1);
	FX_REQUIRE_EQ(fx_read_sysctl("kernel/shmmni"), 77);
}

/* Lines of /proc/sysvipc/shm after the header: one per segment. */
static int
proc_segments(int *ids, size_t *segsz, int max)
{
	char line[512];
	FILE *f = fx_fopen_documented("/proc/sysvipc/shm");
	int n = 0;

	if (fgets(line, sizeof line, f) == NULL)
		FX_FAIL("/proc/sysvipc/shm is empty");
	while (fgets(line, sizeof line, f) != NULL && n < max) {
		long long key;
		int perms;

		FX_REQUIRE(sscanf(line, "%lld %d %o %zu", &key, &ids[n], &perms, &segsz[n]) == 4,
		    "unparsable /proc/sysvipc/shm line: %s", line);
		n++;
	}
	fclose(f);
	return n;
}

FX_CASE(shmctl__shm_info_agrees_with_proc, "linux", "SHM_INFO's used_ids and shm_tot agree with the segments /proc/sysvipc/shm lists (private IPC namespace)",
    "shmctl(2): SHM_INFO (Linux-specific); proc(5) /proc/sysvipc")
{
	struct shm_info info;
	int ids[8];
	size_t segsz[8];

	fx_enter_private_ipcns();
	FX_OK(shmget(IPC_PRIVATE, fx_page_size(), IPC_CREAT | 0600));
	FX_OK(shmget(IPC_PRIVATE, 2 * fx_page_size() + 1, IPC_CREAT | 0600));
	FX_OK(shmctl(0, SHM_INFO, (struct shmid_ds *)&info));
	FX_REQUIRE_EQ(proc_segments(ids, segsz, 8), 2);
	FX_REQUIRE_EQ(info.used_ids, 2);
	FX_REQUIRE_EQ(info.shm_tot, (segsz[0] + fx_page_size() - 1) / fx_page_size() + (segsz[1] + fx_page_size() - 1) / fx_page_size());
	FX_REQUIRE_EQ(info.shm_tot, 4);
}

FX_CASE(shmctl__shm_stat_any_agrees_with_proc, "linux", "SHM_STAT_ANY over the indexes up to IPC_INFO's result finds exactly the segments /proc/sysvipc/shm lists",
    "shmctl(2): SHM_STAT, SHM_STAT_ANY (Linux 4.17); IPC_INFO returns the highest used index")
{
	struct shminfo info;
	struct shmid_ds ds;
	int ids[8], found = 0, einval = 0, maxidx, idx, n, i, r;
	size_t segsz[8];

	fx_enter_private_ipcns();
	FX_OK(shmget(IPC_PRIVATE, 1000, IPC_CREAT | 0600));
	FX_OK(shmget(IPC_PRIVATE, 3000, IPC_CREAT | 0640));
	n = proc_segments(ids, segsz, 8);
	FX_REQUIRE_EQ(n, 2);
	maxidx = FX_OK(shmctl(0, IPC_INFO, (struct shmid_ds *)&info));
	for (idx = 0; idx <= maxidx; idx++) {
		errno = 0;
		r = shmctl(idx, SHM_STAT_ANY, &ds);
		if (r == -1) {
			einval += errno == EINVAL;
			continue;
		}
		for (i = 0; i < n; i++)
			if (ids[i] == r) {
				FX_REQUIRE_EQ(ds.shm_segsz, segsz[i]);
				found++;
			}
	}
	fx_require_kernel_feature(4, 17, "SHM_STAT_ANY", !(found == 0 && einval == maxidx + 1),
	    "shmctl(SHM_STAT_ANY) fails with EINVAL at every index");
	FX_REQUIRE_EQ(found, 2);
}

static void
stat_index_as_other(void *arg)
{
	int *a = arg; /* index, id */
	struct shmid_ds ds;

	FX_REQUIRE_ERRNO(EACCES, shmctl(a[0], SHM_STAT, &ds));
	FX_REQUIRE_EQ(shmctl(a[0], SHM_STAT_ANY, &ds), a[1]);
}

FX_CASE(shmctl__shm_stat_any_skips_permission, "linux", "for another user SHM_STAT of a 0600 segment fails with EACCES while SHM_STAT_ANY returns its id",
    "shmctl(2): SHM_STAT_ANY ... without checking read permission")
{
	int *a = fx_shared(2 * sizeof *a);
	struct shminfo info;

	fx_require_root("switching to another uid for a permission check");
	fx_enter_private_ipcns();
	a[1] = FX_OK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	a[0] = FX_OK(shmctl(0, IPC_INFO, (struct shmid_ds *)&info)); /* the only index */
	fx_child_join(fx_spawn_as_other_user(stat_index_as_other, a), FX_DEADLINE);
}

FX_CASE(shmctl__proc_lists_segment, "linux", "/proc/sysvipc/shm lists a segment with its key, id, mode, size and creator pid",
    "proc(5): /proc/sysvipc/shm")
{
	key_t key = fx_ftok(1);
	int id = FX_OK(fx_shmget(key, 12345, IPC_CREAT | 0640));
	char line[512];
	FILE *f = fx_fopen_documented("/proc/sysvipc/shm");
	bool seen = false;

	while (fgets(line, sizeof line, f) != NULL) {
		long long k;
		int i, perms, cpid;
		size_t size;

		if (sscanf(line, "%lld %d %o %zu %d", &k, &i, &perms, &size, &cpid) != 5 || i != id)
			continue;
		seen = true;
		FX_REQUIRE_EQ(k, key);
		FX_REQUIRE_EQ(perms & 0777, 0640);
		FX_REQUIRE_EQ(size, 12345);
		FX_REQUIRE_EQ(cpid, getpid());
	}
	fclose(f);
	FX_REQUIRE(seen, "segment %d is not listed in /proc/sysvipc/shm", id);
}
