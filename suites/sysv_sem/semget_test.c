/*
 * semget(2): creating and finding System V semaphore sets.
 */
#include "sem_helpers.h"

#include <stdlib.h>

FX_CASE(semget__private_always_creates, "xsi", "IPC_PRIVATE creates a new set on every call",
    "POSIX.1-2017 XSH semget: key IPC_PRIVATE")
{
	int a = new_set(1), b = new_set(1);

	FX_REQUIRE(a != b, "two IPC_PRIVATE sets share id %d", a);
	set_val(a, 0, 7);
	FX_REQUIRE_EQ(get_val(b, 0), 0);
}

FX_CASE(semget__creat_existing_returns_same_id, "xsi", "IPC_CREAT on an existing key returns that set's id",
    "POSIX.1-2017 XSH semget: IPC_CREAT")
{
	key_t key = fx_ftok(1);
	int id = (int)FX_OK(fx_semget(key, 2, IPC_CREAT | IPC_EXCL | 0600));

	FX_REQUIRE_EQ(semget(key, 2, IPC_CREAT | 0600), id);
	FX_REQUIRE_EQ(semget(key, 0, 0), id);
}

FX_CASE(semget__excl_existing_eexist, "xsi", "IPC_CREAT|IPC_EXCL on an existing key fails with EEXIST",
    "POSIX.1-2017 XSH semget ERRORS [EEXIST]")
{
	key_t key = fx_ftok(1);

	FX_OK(fx_semget(key, 1, IPC_CREAT | IPC_EXCL | 0600));
	FX_REQUIRE_ERRNO(EEXIST, semget(key, 1, IPC_CREAT | IPC_EXCL | 0600));
}

FX_CASE(semget__missing_key_enoent, "xsi", "semget without IPC_CREAT for a key with no set fails with ENOENT",
    "POSIX.1-2017 XSH semget ERRORS [ENOENT]")
{
	key_t key = fx_ftok(1);
	int id = (int)FX_OK(fx_semget(key, 1, IPC_CREAT | 0600));

	FX_OK(semctl(id, 0, IPC_RMID));
	FX_REQUIRE_ERRNO(ENOENT, semget(key, 1, 0600));
}

FX_CASE(semget__bad_nsems_einval, "xsi", "creating a set with nsems <= 0 or > SEMMSL fails with EINVAL",
    "POSIX.1-2017 XSH semget ERRORS [EINVAL]; semget(2)")
{
	long lim[4];
	int rows[3], i;

	read_sem_limits(lim);
	rows[0] = 0;
	rows[1] = -1;
	rows[2] = (int)lim[0] + 1;
	for (i = 0; i < 3; i++) {
		FX_CHECK_ERRNO_MSG(EINVAL, fx_semget(IPC_PRIVATE, rows[i], IPC_CREAT | 0600),
		    "semget(IPC_PRIVATE, nsems=%d, IPC_CREAT|0600)", rows[i]);
	}
}

FX_CASE(semget__nsems_above_existing_einval, "xsi", "asking for more semaphores than an existing set has fails with EINVAL",
    "POSIX.1-2017 XSH semget ERRORS [EINVAL]")
{
	key_t key = fx_ftok(1);
	int id = (int)FX_OK(fx_semget(key, 3, IPC_CREAT | 0600));

	FX_REQUIRE_ERRNO(EINVAL, semget(key, 4, 0600));
	FX_REQUIRE_ERRNO(EINVAL, semget(key, 4, IPC_CREAT | 0600));
	FX_REQUIRE_EQ(semget(key, 3, 0600), id);
	FX_REQUIRE_EQ(semget(key, 2, 0600), id);
}

FX_CASE(semget__nsems_zero_opens_existing, "linux", "nsems 0 is accepted when an existing set is opened",
    "semget(2): nsems can be 0 when a set is not being created")
{
	key_t key = fx_ftok(1);
	int id = (int)FX_OK(fx_semget(key, 5, IPC_CREAT | 0600));

	FX_REQUIRE_EQ(semget(key, 0, 0), id);
}

FX_CASE(semget__new_set_values_zero, "linux", "every semaphore of a new set has the value 0 (POSIX leaves it unspecified)",
    "semget(2): semval initialised to 0 on Linux; XSH semget leaves it unspecified")
{
	unsigned short vals[8];
	union semun a = { .array = vals };
	int id = new_set(8), i;

	memset(vals, 0xff, sizeof vals);
	FX_OK(semctl(id, 0, GETALL, a));
	for (i = 0; i < 8; i++)
		FX_REQUIRE(vals[i] == 0, "semaphore %d of a new set has value %u", i, vals[i]);
}

FX_CASE(semget__new_set_ds_initialised, "xsi", "a new set's semid_ds has the creator's ids, the mode's low 9 bits, nsems, otime 0 and ctime now",
    "POSIX.1-2017 XSH semget: initialisation of semid_ds")
{
	struct semid_ds ds;
	time_t before = fx_kernel_seconds();
	int id = (int)FX_OK(fx_semget(IPC_PRIVATE, 3, IPC_CREAT | 0640));

	stat_set(id, &ds);
	FX_REQUIRE_EQ(ds.sem_perm.uid, geteuid());
	FX_REQUIRE_EQ(ds.sem_perm.cuid, geteuid());
	FX_REQUIRE_EQ(ds.sem_perm.gid, getegid());
	FX_REQUIRE_EQ(ds.sem_perm.cgid, getegid());
	FX_REQUIRE_EQ(ds.sem_perm.mode & 0777, 0640);
	FX_REQUIRE_EQ(ds.sem_nsems, 3);
	FX_REQUIRE_EQ(ds.sem_otime, 0);
	FX_REQUIRE(ds.sem_ctime >= before && ds.sem_ctime <= fx_kernel_seconds(),
	    "sem_ctime %lld is not between %lld and now", (long long)ds.sem_ctime,
	    (long long)before);
}

FX_CASE(semget__after_rmid_creates_new_set, "xsi", "after IPC_RMID, IPC_CREAT on the same key creates a new set with a new id",
    "POSIX.1-2017 XSH semctl: IPC_RMID; XSH semget")
{
	key_t key = fx_ftok(1);
	int old = (int)FX_OK(fx_semget(key, 1, IPC_CREAT | 0600)), id;

	set_val(old, 0, 5);
	FX_OK(semctl(old, 0, IPC_RMID));
	id = (int)FX_OK(fx_semget(key, 1, IPC_CREAT | IPC_EXCL | 0600));
	FX_REQUIRE(id != old, "the new set reuses the removed id %d", old);
	FX_REQUIRE_EQ(get_val(id, 0), 0);
}

struct opener { key_t key; int ret, err; };

static void
open_key(void *arg)
{
	struct opener *o = arg;

	errno = 0;
	o->ret = semget(o->key, 1, 0600);
	o->err = errno;
}

FX_CASE(semget__other_user_eacces, "xsi", "opening a set whose mode denies the caller fails with EACCES",
    "POSIX.1-2017 XSH semget ERRORS [EACCES]")
{
	struct opener *o = fx_shared(sizeof *o);
	struct fx_child *c;

	o->key = fx_ftok(1);
	c = spawn_with_perm((int)FX_OK(fx_semget(o->key, 1, IPC_CREAT | 0600)), 0,
	    open_key, o);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(o->ret, o->err, EACCES);
}

FX_CASE(semget__semmni_enospc, "xsi", "creating a set beyond SEMMNI sets fails with ENOSPC (private IPC namespace)",
    "POSIX.1-2017 XSH semget ERRORS [ENOSPC]; proc(5): /proc/sys/kernel/sem")
{
	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/sem", "250 32000 32 2");
	FX_OK(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	FX_OK(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(ENOSPC, semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
}

FX_CASE(semget__semmns_enospc, "xsi", "creating a set beyond SEMMNS semaphores in all fails with ENOSPC (private IPC namespace)",
    "POSIX.1-2017 XSH semget ERRORS [ENOSPC]; proc(5): /proc/sys/kernel/sem")
{
	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/sem", "250 10 32 128");
	FX_OK(semget(IPC_PRIVATE, 6, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(ENOSPC, semget(IPC_PRIVATE, 5, IPC_CREAT | 0600));
	FX_OK(semget(IPC_PRIVATE, 4, IPC_CREAT | 0600));
}

FX_CASE(semget__semmsl_limits_nsems, "linux", "SEMMSL bounds nsems: SEMMSL is accepted, SEMMSL + 1 fails with EINVAL (private IPC namespace)",
    "semget(2) ERRORS: EINVAL nsems greater than SEMMSL")
{
	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/sem", "10 32000 32 128");
	FX_OK(semget(IPC_PRIVATE, 10, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(EINVAL, semget(IPC_PRIVATE, 11, IPC_CREAT | 0600));
}
