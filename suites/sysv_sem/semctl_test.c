/*
 * semctl(2): values, counters, status, ownership, removal and information
 * about System V semaphore sets.
 */
#include "sem_helpers.h"

#include <signal.h>
#include <stdlib.h>

FX_CASE(semctl__setval_getval, "xsi", "SETVAL sets one semaphore's value and GETVAL returns it",
    "POSIX.1-2017 XSH semctl: GETVAL, SETVAL")
{
	union semun a = { .val = 42 };
	int id = new_set(3);

	FX_REQUIRE_EQ(semctl(id, 1, SETVAL, a), 0);
	FX_REQUIRE_EQ(semctl(id, 1, GETVAL), 42);
	FX_REQUIRE_EQ(semctl(id, 0, GETVAL), 0);
	FX_REQUIRE_EQ(semctl(id, 2, GETVAL), 0);
}

FX_CASE(semctl__setall_getall, "xsi", "SETALL sets every value of the set from an array and GETALL reads them back",
    "POSIX.1-2017 XSH semctl: GETALL, SETALL")
{
	unsigned short in[4] = { 1, 0, 32767, 9 }, out[4] = { 7, 7, 7, 7 };
	union semun a = { .array = in }, b = { .array = out };
	int id = new_set(4);

	FX_REQUIRE_EQ(semctl(id, 0, SETALL, a), 0);
	FX_REQUIRE_EQ(semctl(id, 0, GETALL, b), 0);
	FX_REQUIRE_MEMEQ(out, in, sizeof in);
	FX_REQUIRE_EQ(get_val(id, 2), 32767);
}

FX_CASE(semctl__getpid_last_semop_process, "xsi", "GETPID returns the pid of the last process that operated on the semaphore",
    "POSIX.1-2017 XSH semctl: GETPID")
{
	int id = new_set(2);
	struct fx_child *c;

	FX_REQUIRE_EQ(semctl(id, 0, GETPID), 0);
	FX_OK(sem_op1(id, 0, 1, 0));
	FX_REQUIRE_EQ(semctl(id, 0, GETPID), getpid());
	c = fx_spawn(run_call, new_call(id, 0, 1, 0));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(semctl(id, 0, GETPID), fx_child_pid(c));
	FX_REQUIRE_EQ(semctl(id, 1, GETPID), 0);
}

FX_CASE(semctl__setval_updates_sempid, "linux", "Linux also records the SETVAL and SETALL caller as sempid (POSIX names semop only)",
    "semctl(2) NOTES: The sempid value, SETVAL (and SETALL since Linux 4.6)")
{
	unsigned short vals[2] = { 3, 4 };
	union semun a = { .array = vals };
	int id = new_set(2);
	struct fx_child *c = fx_spawn(run_call, new_call(id, 0, 1, 0));

	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(semctl(id, 0, GETPID), fx_child_pid(c));
	set_val(id, 0, 2);
	FX_REQUIRE_EQ(semctl(id, 0, GETPID), getpid());
	FX_OK(semctl(id, 0, SETALL, a));
	FX_REQUIRE_EQ(semctl(id, 1, GETPID), getpid());
}

FX_CASE(semctl__getncnt_counts_waiters, "xsi", "GETNCNT counts the processes waiting for the value to increase",
    "POSIX.1-2017 XSH semctl: GETNCNT")
{
	int id = new_set(2);
	struct fx_child *a, *b;

	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 0);
	a = fx_spawn(run_call, new_call(id, 0, -1, 0));
	fx_wait_blocked_in(fx_child_pid(a), "semop", FX_DEADLINE);
	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 1);
	b = fx_spawn(run_call, new_call(id, 0, -3, 0));
	fx_wait_blocked_in(fx_child_pid(b), "semop", FX_DEADLINE);
	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 2);
	FX_REQUIRE_EQ(semctl(id, 1, GETNCNT), 0);
	FX_REQUIRE_EQ(semctl(id, 0, GETZCNT), 0);
	FX_OK(sem_op1(id, 0, 1, 0));
	fx_child_join(a, FX_DEADLINE);
	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 1);
	fx_child_kill(b);
	wait_count(id, 0, GETNCNT, 0);
}

FX_CASE(semctl__getzcnt_counts_zero_waiters, "xsi", "GETZCNT counts the processes waiting for the value to become zero",
    "POSIX.1-2017 XSH semctl: GETZCNT")
{
	int id = new_set(1);
	struct fx_child *a, *b;

	set_val(id, 0, 1);
	a = fx_spawn(run_call, new_call(id, 0, 0, 0));
	b = fx_spawn(run_call, new_call(id, 0, 0, 0));
	fx_wait_blocked_in(fx_child_pid(a), "semop", FX_DEADLINE);
	fx_wait_blocked_in(fx_child_pid(b), "semop", FX_DEADLINE);
	FX_REQUIRE_EQ(semctl(id, 0, GETZCNT), 2);
	FX_REQUIRE_EQ(semctl(id, 0, GETNCNT), 0);
	set_val(id, 0, 0);
	fx_child_join(a, FX_DEADLINE);
	fx_child_join(b, FX_DEADLINE);
	FX_REQUIRE_EQ(semctl(id, 0, GETZCNT), 0);
}

FX_CASE(semctl__ipc_stat_nsems_and_perms, "xsi", "IPC_STAT reports sem_nsems, the key, owner, creator and mode",
    "POSIX.1-2017 XSH semctl: IPC_STAT; XBD <sys/sem.h>")
{
	struct semid_ds ds;
	key_t key = fx_ftok(3);
	int id = (int)FX_OK(fx_semget(key, 5, IPC_CREAT | 0604));

	memset(&ds, 0xa5, sizeof ds);
	stat_set(id, &ds);
	FX_REQUIRE_EQ(ds.sem_nsems, 5);
	FX_REQUIRE_EQ(ds.sem_perm.__key, key);
	FX_REQUIRE_EQ(ds.sem_perm.mode & 0777, 0604);
	FX_REQUIRE_EQ(ds.sem_perm.uid, geteuid());
	FX_REQUIRE_EQ(ds.sem_perm.cuid, geteuid());
	FX_REQUIRE_EQ(ds.sem_perm.gid, getegid());
	FX_REQUIRE_EQ(ds.sem_perm.cgid, getegid());
}

FX_CASE(semctl__semop_sets_otime, "xsi", "sem_otime is 0 until a semop and then the time of the last semop",
    "POSIX.1-2017 XSH semop: sem_otime; XBD <sys/sem.h>")
{
	struct semid_ds ds;
	int id = new_set(1);
	time_t before;

	stat_set(id, &ds);
	FX_REQUIRE_EQ(ds.sem_otime, 0);
	set_val(id, 0, 3);
	stat_set(id, &ds);
	FX_REQUIRE_EQ(ds.sem_otime, 0);
	before = fx_kernel_seconds();
	FX_OK(sem_op1(id, 0, -1, 0));
	stat_set(id, &ds);
	FX_REQUIRE(ds.sem_otime >= before && ds.sem_otime <= fx_kernel_seconds(),
	    "sem_otime %lld is not between %lld and now", (long long)ds.sem_otime,
	    (long long)before);
}

static bool
second_passed(void *arg)
{
	return fx_kernel_seconds() > *(time_t *)arg;
}

FX_CASE(semctl__ipc_set_and_setval_update_ctime, "xsi", "IPC_SET and SETVAL set sem_ctime to the current time",
    "POSIX.1-2017 XSH semctl: IPC_SET, SETVAL; XBD <sys/sem.h> sem_ctime")
{
	struct semid_ds ds;
	union semun a = { .buf = &ds };
	int id = new_set(1);
	time_t created;

	stat_set(id, &ds);
	created = ds.sem_ctime;
	/* sem_ctime has a resolution of one second: wait for the clock to tick. */
	fx_wait_until(second_passed, &created, FX_DEADLINE, "the next second");
	FX_OK(semctl(id, 0, IPC_SET, a));
	stat_set(id, &ds);
	FX_REQUIRE(ds.sem_ctime > created, "sem_ctime %lld not updated by IPC_SET (created %lld)",
	    (long long)ds.sem_ctime, (long long)created);
	created = ds.sem_ctime;
	fx_wait_until(second_passed, &created, FX_DEADLINE, "the next second");
	set_val(id, 0, 1);
	stat_set(id, &ds);
	FX_REQUIRE(ds.sem_ctime > created, "sem_ctime %lld not updated by SETVAL (was %lld)",
	    (long long)ds.sem_ctime, (long long)created);
}

FX_CASE(semctl__ipc_set_leaves_other_fields, "xsi", "IPC_SET takes only sem_perm.uid, gid and mode from its argument: the creator, sem_nsems, sem_otime and the values are kept",
    "POSIX.1-2017 XSH semctl: IPC_SET sets sem_perm.uid, sem_perm.gid and the low-order nine bits of sem_perm.mode")
{
	struct semid_ds before, ds, after;
	union semun a = { .buf = &ds };
	struct sembuf op = { .sem_num = 1, .sem_op = 3, .sem_flg = 0 };
	int id = new_set(2);

	FX_OK(semop(id, &op, 1));
	stat_set(id, &before);
	ds = before;
	ds.sem_perm.mode = 0604;
	ds.sem_perm.cuid = before.sem_perm.cuid + 1;
	ds.sem_perm.cgid = before.sem_perm.cgid + 1;
	ds.sem_nsems = before.sem_nsems + 2;
	ds.sem_otime = 1;
	FX_OK(semctl(id, 0, IPC_SET, a));
	stat_set(id, &after);
	FX_REQUIRE_EQ(after.sem_perm.mode & 0777, 0604);
	FX_REQUIRE_EQ(after.sem_perm.cuid, before.sem_perm.cuid);
	FX_REQUIRE_EQ(after.sem_perm.cgid, before.sem_perm.cgid);
	FX_REQUIRE_EQ(after.sem_nsems, 2);
	FX_REQUIRE_EQ(after.sem_otime, before.sem_otime);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
	FX_REQUIRE_EQ(get_val(id, 1), 3);
}

FX_CASE(semctl__ipc_set_changes_mode, "xsi", "IPC_SET changes the low 9 mode bits and keeps the creator",
    "POSIX.1-2017 XSH semctl: IPC_SET sem_perm.mode")
{
	struct semid_ds ds;
	union semun a = { .buf = &ds };
	int id = new_set(1);

	stat_set(id, &ds);
	ds.sem_perm.mode = 0444 | 01000;
	FX_REQUIRE_EQ(semctl(id, 0, IPC_SET, a), 0);
	memset(&ds, 0, sizeof ds);
	stat_set(id, &ds);
	FX_REQUIRE_EQ(ds.sem_perm.mode & 0777, 0444);
	FX_REQUIRE_EQ(ds.sem_perm.cuid, geteuid());
	FX_REQUIRE_EQ(ds.sem_nsems, 1);
}

FX_CASE(semctl__ipc_set_changes_owner, "xsi", "IPC_SET gives the set a new owner uid and gid; the creator stays and may still remove it",
    "POSIX.1-2017 XSH semctl: IPC_SET sem_perm.uid, sem_perm.gid")
{
	struct semid_ds ds;
	union semun a = { .buf = &ds };
	uid_t uid = fx_is_root() ? fx_other_uid() : 0;
	gid_t gid = fx_is_root() ? fx_other_gid() : 0;
	int id = new_set(1);

	stat_set(id, &ds);
	ds.sem_perm.uid = uid;
	ds.sem_perm.gid = gid;
	FX_REQUIRE_EQ(semctl(id, 0, IPC_SET, a), 0);
	stat_set(id, &ds);
	FX_REQUIRE_EQ(ds.sem_perm.uid, uid);
	FX_REQUIRE_EQ(ds.sem_perm.gid, gid);
	FX_REQUIRE_EQ(ds.sem_perm.cuid, geteuid());
	FX_REQUIRE_EQ(ds.sem_perm.cgid, getegid());
	FX_REQUIRE_EQ(semctl(id, 0, IPC_RMID), 0);
}

struct ctl_call { int id; int cmd; int ret, err; };

static void
run_ctl(void *arg)
{
	struct ctl_call *c = arg;
	struct semid_ds ds;
	union semun a = { .buf = &ds };

	memset(&ds, 0, sizeof ds);
	if (c->cmd == IPC_SET) {
		FX_OK(semctl(c->id, 0, IPC_STAT, a)); /* readable: mode 0604 */
		ds.sem_perm.mode = 0666;
	} else if (c->cmd == SETVAL) {
		a.val = 1;
	}
	errno = 0;
	c->ret = semctl(c->id, 0, c->cmd, a);
	c->err = errno;
}

static struct ctl_call *
ctl_as_other(int cmd)
{
	struct ctl_call *c = fx_shared(sizeof *c);
	struct fx_child *ch;

	fx_require_root("an owner check needs a process of another user");
	c->id = new_set(1);
	c->cmd = cmd;
	ch = spawn_with_perm(c->id, 6, run_ctl, c);
	fx_child_join(ch, FX_DEADLINE);
	return c;
}

FX_CASE(semctl__ipc_set_other_user_eperm, "xsi", "IPC_SET by a user who is neither owner nor creator fails with EPERM, whatever the mode",
    "POSIX.1-2017 XSH semctl ERRORS [EPERM]")
{
	struct ctl_call *c = ctl_as_other(IPC_SET);
	struct semid_ds ds;

	FX_REQUIRE_CHILD_ERRNO(c->ret, c->err, EPERM);
	stat_set(c->id, &ds);
	FX_REQUIRE_EQ(ds.sem_perm.mode & 0777, 0606);
}

FX_CASE(semctl__ipc_rmid_other_user_eperm, "xsi", "IPC_RMID by a user who is neither owner nor creator fails with EPERM and the set stays",
    "POSIX.1-2017 XSH semctl ERRORS [EPERM]")
{
	struct ctl_call *c = ctl_as_other(IPC_RMID);

	FX_REQUIRE_CHILD_ERRNO(c->ret, c->err, EPERM);
	FX_REQUIRE_EQ(get_val(c->id, 0), 0);
}

FX_CASE(semctl__read_needs_read_permission, "xsi", "GETVAL and IPC_STAT without read permission fail with EACCES",
    "POSIX.1-2017 XSH semctl ERRORS [EACCES]; XBD 4.7 IPC permissions")
{
	struct ctl_call *g = fx_shared(sizeof *g), *s = fx_shared(sizeof *s);

	g->id = s->id = new_set(1);
	g->cmd = GETVAL;
	s->cmd = IPC_STAT;
	fx_child_join(spawn_with_perm(g->id, 2, run_ctl, g), FX_DEADLINE);
	fx_child_join(spawn_with_perm(s->id, 2, run_ctl, s), FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(g->ret, g->err, EACCES);
	FX_REQUIRE_CHILD_ERRNO(s->ret, s->err, EACCES);
}

FX_CASE(semctl__setval_needs_alter_permission, "xsi", "SETVAL without alter permission fails with EACCES; GETVAL with read permission works",
    "POSIX.1-2017 XSH semctl ERRORS [EACCES]; XBD 4.7 IPC permissions")
{
	struct ctl_call *s = fx_shared(sizeof *s), *g = fx_shared(sizeof *g);

	s->id = g->id = new_set(1);
	s->cmd = SETVAL;
	g->cmd = GETVAL;
	fx_child_join(spawn_with_perm(s->id, 4, run_ctl, s), FX_DEADLINE);
	fx_child_join(spawn_with_perm(g->id, 4, run_ctl, g), FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(s->ret, s->err, EACCES);
	FX_REQUIRE_CHILD_RET(g->ret, g->err, 0);
	FX_REQUIRE_EQ(get_val(s->id, 0), 0);
}

FX_CASE(semctl__setval_out_of_range_erange, "xsi", "SETVAL with a value below 0 or above SEMVMX fails with ERANGE",
    "POSIX.1-2017 XSH semctl ERRORS [ERANGE]; semctl(2): SEMVMX")
{
	static const int rows[] = { SEMVMX_LINUX + 1, -1, 65536 };
	int id = new_set(1);
	size_t i;

	set_val(id, 0, 5);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		union semun a = { .val = rows[i] };

		FX_CHECK_ERRNO_MSG(ERANGE, semctl(id, 0, SETVAL, a),
		    "semctl(SETVAL, %d)", rows[i]);
	}
	FX_REQUIRE_EQ(get_val(id, 0), 5);
	set_val(id, 0, SEMVMX_LINUX);
}

FX_CASE(semctl__setall_out_of_range_erange, "xsi", "SETALL with one value above SEMVMX fails with ERANGE and changes no value",
    "POSIX.1-2017 XSH semctl ERRORS [ERANGE]")
{
	unsigned short vals[3] = { 1, SEMVMX_LINUX + 1, 2 };
	union semun a = { .array = vals };
	int id = new_set(3);

	FX_REQUIRE_ERRNO(ERANGE, semctl(id, 0, SETALL, a));
	FX_REQUIRE_EQ(get_val(id, 0), 0);
	FX_REQUIRE_EQ(get_val(id, 2), 0);
}

FX_CASE(semctl__semnum_out_of_range_einval, "xsi", "GETVAL, SETVAL, GETPID, GETNCNT, GETZCNT with semnum outside the set fail with EINVAL",
    "POSIX.1-2017 XSH semctl ERRORS [EINVAL]")
{
	static const struct { int cmd; const char *name; } cmds[] = {
		{ GETVAL, "GETVAL" }, { SETVAL, "SETVAL" }, { GETPID, "GETPID" },
		{ GETNCNT, "GETNCNT" }, { GETZCNT, "GETZCNT" },
	};
	static const int nums[] = { 2, -1 };
	union semun a = { .val = 1 };
	int id = new_set(2);
	size_t i, j;

	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		for (j = 0; j < 2; j++) {
			FX_CHECK_ERRNO_MSG(EINVAL, semctl(id, nums[j], cmds[i].cmd, a),
			    "semctl(id, semnum=%d, %s) on 2 semaphores", nums[j], cmds[i].name);
		}
}

FX_CASE(semctl__bad_cmd_einval, "xsi", "an unknown command fails with EINVAL",
    "POSIX.1-2017 XSH semctl ERRORS [EINVAL]")
{
	int id = new_set(1);

	FX_REQUIRE_ERRNO(EINVAL, semctl(id, 0, 4242));
	FX_REQUIRE_ERRNO(EINVAL, semctl(id, 0, -1));
}

FX_CASE(semctl__rmid_removes_set, "xsi", "IPC_RMID removes the set at once: later calls on its id fail with EINVAL",
    "POSIX.1-2017 XSH semctl: IPC_RMID; ERRORS [EINVAL]")
{
	int id = new_set(1);

	set_val(id, 0, 1);
	FX_REQUIRE_EQ(semctl(id, 0, IPC_RMID), 0);
	FX_REQUIRE_ERRNO(EINVAL, semctl(id, 0, GETVAL));
	FX_REQUIRE_ERRNO(EINVAL, semctl(id, 0, IPC_RMID));
}

FX_CASE(semctl__ipc_info_matches_proc_sys, "linux", "IPC_INFO reports the limits of /proc/sys/kernel/sem and SEMVMX",
    "semctl(2): IPC_INFO; proc(5): /proc/sys/kernel/sem")
{
	struct seminfo si;
	union semun a = { .__buf = &si };
	long lim[4];

	fx_enter_private_ipcns(); /* the limits then stay put while the case reads them */
	fx_set_ipc_sysctl("kernel/sem", "77 3000 33 99");
	read_sem_limits(lim);
	FX_OK(semctl(0, 0, IPC_INFO, a));
	FX_REQUIRE_EQ(si.semmsl, lim[0]);
	FX_REQUIRE_EQ(si.semmns, lim[1]);
	FX_REQUIRE_EQ(si.semopm, lim[2]);
	FX_REQUIRE_EQ(si.semmni, lim[3]);
	FX_REQUIRE_EQ(si.semmsl, 77);
	FX_REQUIRE_EQ(si.semvmx, SEMVMX_LINUX);
}

FX_CASE(semctl__sem_info_counts_sets, "linux", "SEM_INFO counts existing sets in semusz and semaphores in semaem, and returns the highest index",
    "semctl(2): SEM_INFO")
{
	struct seminfo si;
	union semun a = { .__buf = &si };

	fx_enter_private_ipcns();
	FX_REQUIRE_EQ(semctl(0, 0, SEM_INFO, a), 0);
	FX_REQUIRE_EQ(si.semusz, 0);
	FX_OK(semget(IPC_PRIVATE, 3, IPC_CREAT | 0600));
	FX_OK(semget(IPC_PRIVATE, 4, IPC_CREAT | 0600));
	FX_REQUIRE_EQ(semctl(0, 0, SEM_INFO, a), 1);
	FX_REQUIRE_EQ(si.semusz, 2);
	FX_REQUIRE_EQ(si.semaem, 7);
}

/* The /proc/sysvipc/sem line of set id. */
struct proc_sem {
	long long key; int id; unsigned perms; unsigned long nsems;
	unsigned uid, gid, cuid, cgid; long long otime, ctime;
};

static bool
find_proc_sem(int id, struct proc_sem *p)
{
	FILE *f = fx_fopen_documented("/proc/sysvipc/sem");
	char line[512];
	bool found = false;

	while (!found && fgets(line, sizeof line, f) != NULL)
		found = sscanf(line, "%lld %d %o %lu %u %u %u %u %lld %lld", &p->key, &p->id,
		    &p->perms, &p->nsems, &p->uid, &p->gid, &p->cuid, &p->cgid, &p->otime,
		    &p->ctime) == 10 && p->id == id;
	fclose(f);
	return found;
}

FX_CASE(semctl__sem_stat_matches_proc_sysvipc, "linux", "SEM_STAT on an index returns the set's id and the semid_ds that /proc/sysvipc/sem lists",
    "semctl(2): SEM_STAT; proc(5): /proc/sysvipc")
{
	struct semid_ds ds;
	union semun a = { .buf = &ds };
	struct proc_sem p;
	int id;

	fx_enter_private_ipcns(); /* the first set then has index 0 */
	id = (int)FX_OK(semget(0x1234, 6, IPC_CREAT | 0640));
	FX_OK(sem_op1(id, 2, 1, 0));
	FX_REQUIRE_EQ(semctl(0, 0, SEM_STAT, a), id);
	FX_REQUIRE(find_proc_sem(id, &p), "set %d is not listed in /proc/sysvipc/sem", id);
	FX_REQUIRE_EQ(p.key, 0x1234);
	FX_REQUIRE_EQ(ds.sem_perm.__key, 0x1234);
	FX_REQUIRE_EQ(p.perms, ds.sem_perm.mode & 0777);
	FX_REQUIRE_EQ(p.nsems, ds.sem_nsems);
	FX_REQUIRE_EQ(p.nsems, 6);
	FX_REQUIRE_EQ(p.uid, ds.sem_perm.uid);
	FX_REQUIRE_EQ(p.cgid, ds.sem_perm.cgid);
	FX_REQUIRE_EQ(p.otime, ds.sem_otime);
	FX_REQUIRE_EQ(p.ctime, ds.sem_ctime);
}

/* Finds the index of set id (readable by the caller) by scanning with SEM_STAT. */
static int
index_of(int id)
{
	struct seminfo si;
	struct semid_ds ds;
	union semun a = { .__buf = &si }, b = { .buf = &ds };
	int max = (int)FX_OK(semctl(0, 0, SEM_INFO, a)), i;

	for (i = 0; i <= max; i++)
		if (semctl(i, 0, SEM_STAT, b) == id)
			return i;
	FX_FAIL("set %d not found by SEM_STAT at indexes 0..%d", id, max);
}

struct stat_any { int index, id; int stat_ret, stat_err, any_ret, any_err; unsigned nsems; };

static void
stat_both(void *arg)
{
	struct stat_any *s = arg;
	struct semid_ds ds;
	union semun a = { .buf = &ds };

	errno = 0;
	s->stat_ret = semctl(s->index, 0, SEM_STAT, a);
	s->stat_err = errno;
	memset(&ds, 0, sizeof ds);
	errno = 0;
	s->any_ret = semctl(s->index, 0, SEM_STAT_ANY, a);
	s->any_err = errno;
	s->nsems = (unsigned)ds.sem_nsems;
}

FX_CASE(semctl__sem_stat_any_ignores_read_permission, "linux", "without read permission SEM_STAT fails with EACCES while SEM_STAT_ANY succeeds",
    "semctl(2): SEM_STAT_ANY (since Linux 4.17)")
{
	struct stat_any *s = fx_shared(sizeof *s);
	struct semid_ds ds;
	union semun b = { .buf = &ds };

	s->id = new_set(3);
	s->index = index_of(s->id);
	fx_require_kernel_feature(4, 17, "SEM_STAT_ANY", !(semctl(s->index, 0, SEM_STAT_ANY, b) == -1 &&
	    errno == EINVAL), "semctl(SEM_STAT_ANY) of a listed set fails with EINVAL");
	fx_child_join(spawn_with_perm(s->id, 0, stat_both, s), FX_DEADLINE);
	FX_REQUIRE_EQ(s->stat_ret, -1);
	FX_REQUIRE_EQ(s->stat_err, EACCES);
	FX_REQUIRE_EQ(s->any_ret, s->id);
	FX_REQUIRE_EQ(s->nsems, 3);
}
