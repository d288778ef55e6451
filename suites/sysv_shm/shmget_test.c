/*
 * shmget(2): creating and finding System V shared memory segments.
 */
#include "fx.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

FX_CASE(shmget__private_always_new, "xsi", "IPC_PRIVATE creates a new, independent segment on every call: another id, its own memory, its own attach count",
    "POSIX.1-2017 XSH shmget: key is IPC_PRIVATE")
{
	int a = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	int b = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | IPC_EXCL | 0600));
	volatile char *pa, *pb;
	struct shmid_ds da, db;

	FX_REQUIRE(a != b, "two IPC_PRIVATE segments share id %d", a);
	/* Not one segment under two ids: what is written to one is not in the other. */
	pa = FX_OK_PTR(shmat(a, NULL, 0));
	pb = FX_OK_PTR(shmat(b, NULL, 0));
	FX_REQUIRE(pa != pb, "both segments attached at %p", (void *)pa);
	pa[0] = 'A';
	FX_REQUIRE_EQ(pb[0], 0);
	pb[0] = 'B';
	FX_REQUIRE_EQ(pa[0], 'A');
	FX_OK(shmdt((void *)pb));
	FX_OK(shmctl(a, IPC_STAT, &da));
	FX_OK(shmctl(b, IPC_STAT, &db));
	FX_REQUIRE_EQ(da.shm_nattch, 1);
	FX_REQUIRE_EQ(db.shm_nattch, 0);
	FX_OK(shmdt((void *)pa));
}

FX_CASE(shmget__creat_finds_existing, "xsi", "IPC_CREAT without IPC_EXCL returns the existing segment of the key, its mode unchanged",
    "POSIX.1-2017 XSH shmget: IPC_CREAT")
{
	key_t key = fx_ftok(1);
	int a = FX_OK(fx_shmget(key, 4096, IPC_CREAT | 0600));
	struct shmid_ds ds;

	FX_REQUIRE_EQ(fx_shmget(key, 4096, IPC_CREAT | 0600), a);
	FX_REQUIRE_EQ(fx_shmget(key, 100, IPC_CREAT | 0644), a);
	FX_REQUIRE_EQ(shmget(key, 0, 0), a);
	FX_OK(shmctl(a, IPC_STAT, &ds));
	FX_REQUIRE_EQ(ds.shm_perm.mode & 0777, 0600);
}

FX_CASE(shmget__excl_eexist, "xsi", "IPC_CREAT|IPC_EXCL on a key that has a segment fails with EEXIST",
    "POSIX.1-2017 XSH shmget ERRORS [EEXIST]")
{
	key_t key = fx_ftok(1);

	FX_OK(fx_shmget(key, 4096, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(EEXIST, fx_shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600));
}

FX_CASE(shmget__no_creat_enoent, "xsi", "a key without a segment and without IPC_CREAT fails with ENOENT",
    "POSIX.1-2017 XSH shmget ERRORS [ENOENT]")
{
	FX_REQUIRE_ERRNO(ENOENT, fx_shmget(fx_ftok(2), 4096, 0600));
}

FX_CASE(shmget__size_below_shmmin_einval, "xsi", "creating a segment of size 0 (below SHMMIN, 1 on Linux) fails with EINVAL",
    "POSIX.1-2017 XSH shmget ERRORS [EINVAL]: size less than the minimum")
{
	FX_REQUIRE_ERRNO(EINVAL, fx_shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(EINVAL, fx_shmget(fx_ftok(1), 0, IPC_CREAT | 0600));
}

FX_CASE(shmget__size_above_shmmax_einval, "xsi", "creating a segment larger than SHMMAX fails with EINVAL (shmmax set in a private IPC namespace)",
    "POSIX.1-2017 XSH shmget ERRORS [EINVAL]: size greater than the maximum; shmget(2) SHMMAX")
{
	char max[32];

	fx_enter_private_ipcns();
	snprintf(max, sizeof max, "%zu", 2 * fx_page_size());
	fx_set_ipc_sysctl("kernel/shmmax", max);
	FX_REQUIRE_ERRNO(EINVAL, shmget(IPC_PRIVATE, 2 * fx_page_size() + 1, IPC_CREAT | 0600));
	FX_OK(shmget(IPC_PRIVATE, 2 * fx_page_size(), IPC_CREAT | 0600));
}

FX_CASE(shmget__size_max_einval, "xsi", "a size of SIZE_MAX (above any SHMMAX) fails with EINVAL",
    "POSIX.1-2017 XSH shmget ERRORS [EINVAL]: size greater than the maximum")
{
	unsigned long long shmmax = 0;
	FILE *f = fopen("/proc/sys/kernel/shmmax", "re");

	/* A 32-bit process on a 64-bit kernel (compat, qemu-user) has a SIZE_MAX
	 * that the kernel's SHMMAX (ULONG_MAX - 2^24 by default) lets through. */
	if (f != NULL) {
		if (fscanf(f, "%llu", &shmmax) != 1)
			shmmax = 0;
		fclose(f);
	}
	if ((unsigned long long)SIZE_MAX <= shmmax)
		fx_skip("SIZE_MAX %zu of this process is not above the kernel's SHMMAX %llu "
		    "(a 32-bit process on a 64-bit kernel)", (size_t)SIZE_MAX, shmmax);
	FX_REQUIRE_ERRNO(EINVAL, fx_shmget(IPC_PRIVATE, SIZE_MAX, IPC_CREAT | 0600));
}

FX_CASE(shmget__larger_than_existing_einval, "xsi", "asking an existing key for more than its segment's size fails with EINVAL",
    "POSIX.1-2017 XSH shmget ERRORS [EINVAL]: segment exists and size is greater")
{
	key_t key = fx_ftok(1);

	FX_OK(fx_shmget(key, 1000, IPC_CREAT | 0600));
	/* 1001 still fits the page the segment occupies: the limit is shm_segsz. */
	FX_REQUIRE_ERRNO(EINVAL, fx_shmget(key, 1001, 0600));
	FX_REQUIRE_ERRNO(EINVAL, fx_shmget(key, 1001, IPC_CREAT | 0600));
}

FX_CASE(shmget__smaller_than_existing_ok, "xsi", "asking an existing key for a size up to its segment's returns the segment, size unchanged",
    "POSIX.1-2017 XSH shmget: size is checked only when larger than the segment")
{
	key_t key = fx_ftok(1);
	int id = FX_OK(fx_shmget(key, 3000, IPC_CREAT | 0600));
	struct shmid_ds ds;

	FX_REQUIRE_EQ(shmget(key, 3000, 0), id);
	FX_REQUIRE_EQ(shmget(key, 1, 0), id);
	FX_REQUIRE_EQ(shmget(key, 0, 0), id);
	FX_OK(shmctl(id, IPC_STAT, &ds));
	FX_REQUIRE_EQ(ds.shm_segsz, 3000);
}

FX_CASE(shmget__zero_filled, "xsi", "a new segment's memory reads as zeros",
    "POSIX.1-2017 XSH shmget: the segment is initialised to zero")
{
	size_t len = 3 * fx_page_size() + 17, i;
	int id = FX_OK(fx_shmget(IPC_PRIVATE, len, IPC_CREAT | 0600));
	unsigned char *p = FX_OK_PTR(shmat(id, NULL, 0));

	for (i = 0; i < len; i++)
		FX_REQUIRE(p[i] == 0, "byte %zu of a new segment is 0x%02x", i, p[i]);
}

FX_CASE(shmget__size_rounded_to_pages, "linux", "shm_segsz keeps the requested size, and the memory is whole pages: the page's tail is usable",
    "shmget(2): size is rounded up to a multiple of PAGE_SIZE")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 100, IPC_CREAT | 0600));
	volatile unsigned char *p = FX_OK_PTR(shmat(id, NULL, 0));
	unsigned char *q = FX_OK_PTR(shmat(id, NULL, 0));
	struct shmid_ds ds;

	FX_OK(shmctl(id, IPC_STAT, &ds));
	FX_REQUIRE_EQ(ds.shm_segsz, 100);
	FX_REQUIRE_EQ(p[fx_page_size() - 1], 0);
	p[fx_page_size() - 1] = 0x5a;
	FX_REQUIRE_EQ(q[fx_page_size() - 1], 0x5a);
}

FX_CASE(shmget__perm_from_flags_and_caller, "xsi", "a new segment's shm_perm takes its mode from shmflg and its owner and creator from the caller",
    "POSIX.1-2017 XSH shmget: shm_perm.cuid, uid, cgid, gid, mode initialised")
{
	key_t key = fx_ftok(1);
	int id = FX_OK(fx_shmget(key, 4096, IPC_CREAT | 0640));
	struct shmid_ds ds;

	FX_OK(shmctl(id, IPC_STAT, &ds));
	FX_REQUIRE_EQ(ds.shm_perm.mode & 0777, 0640);
	FX_REQUIRE_EQ(ds.shm_perm.uid, geteuid());
	FX_REQUIRE_EQ(ds.shm_perm.cuid, geteuid());
	FX_REQUIRE_EQ(ds.shm_perm.gid, getegid());
	FX_REQUIRE_EQ(ds.shm_perm.cgid, getegid());
	FX_REQUIRE_EQ(ds.shm_perm.__key, key);
}

FX_CASE(shmget__new_segment_stat, "xsi", "a new segment has nattch, lpid, atime and dtime 0, cpid the caller and ctime now",
    "POSIX.1-2017 XSH shmget: shm_lpid, shm_nattch, shm_atime, shm_dtime 0; shm_ctime current time")
{
	time_t before = fx_kernel_seconds(), after;
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 5000, IPC_CREAT | 0600));
	struct shmid_ds ds;

	after = fx_kernel_seconds();
	FX_OK(shmctl(id, IPC_STAT, &ds));
	FX_REQUIRE_EQ(ds.shm_segsz, 5000);
	FX_REQUIRE_EQ(ds.shm_cpid, getpid());
	FX_REQUIRE_EQ(ds.shm_lpid, 0);
	FX_REQUIRE_EQ(ds.shm_nattch, 0);
	FX_REQUIRE_EQ(ds.shm_atime, 0);
	FX_REQUIRE_EQ(ds.shm_dtime, 0);
	FX_REQUIRE(ds.shm_ctime >= before && ds.shm_ctime <= after,
	    "shm_ctime %lld not within [%lld, %lld]", (long long)ds.shm_ctime,
	    (long long)before, (long long)after);
}

static void
get_existing_rw(void *arg)
{
	FX_REQUIRE_ERRNO(EACCES, shmget(*(key_t *)arg, 0, 0600));
	FX_REQUIRE_ERRNO(EACCES, shmget(*(key_t *)arg, 0, 0400));
}

FX_CASE(shmget__other_user_eacces, "xsi", "another unprivileged user asking for a 0600 segment's key fails with EACCES",
    "POSIX.1-2017 XSH shmget ERRORS [EACCES]")
{
	key_t *key = fx_shared(sizeof *key);

	*key = fx_ftok(1);
	FX_OK(fx_shmget(*key, 4096, IPC_CREAT | 0600));
	fx_child_join(fx_spawn_as_other_user(get_existing_rw, key), FX_DEADLINE);
}

static void
get_existing_read_only(void *arg)
{
	FX_OK(shmget(*(key_t *)arg, 0, 0004));
	FX_REQUIRE_ERRNO(EACCES, shmget(*(key_t *)arg, 0, 0002));
}

FX_CASE(shmget__other_user_mode_bits, "xsi", "another user gets a 0604 segment for reading but EACCES for writing: the mode's other bits apply",
    "POSIX.1-2017 XBD 4.7 IPC permissions; XSH shmget ERRORS [EACCES]")
{
	key_t *key = fx_shared(sizeof *key);

	*key = fx_ftok(1);
	FX_OK(fx_shmget(*key, 4096, IPC_CREAT | 0604));
	fx_child_join(fx_spawn_as_other_user(get_existing_read_only, key), FX_DEADLINE);
}

static void
owner_mode_eacces(void *arg)
{
	key_t key = *(key_t *)arg;

	FX_OK(fx_shmget(key, 4096, IPC_CREAT | 0400));
	FX_OK(shmget(key, 0, 0400));
	FX_REQUIRE_ERRNO(EACCES, shmget(key, 0, 0600));
}
FX_CASE(shmget__owner_mode_eacces, "xsi", "the unprivileged owner of a 0400 segment asking for write access fails with EACCES",
    "POSIX.1-2017 XBD 4.7 IPC permissions; XSH shmget ERRORS [EACCES]")
{
	key_t key = fx_ftok(1);

	/* CAP_IPC_OWNER bypasses the mode: as root, the owner is the other user. */
	fx_run_unprivileged(owner_mode_eacces, &key);
}

FX_CASE(shmget__shmmni_enospc, "xsi", "creating a segment when SHMMNI segments exist fails with ENOSPC (private IPC namespace)",
    "POSIX.1-2017 XSH shmget ERRORS [ENOSPC]: identifiers exhausted; shmget(2) SHMMNI")
{
	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/shmmni", "2");
	FX_OK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	FX_OK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(ENOSPC, shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(ENOSPC, shmget(fx_ftok(1), 4096, IPC_CREAT | 0600));
}

FX_CASE(shmget__shmall_enospc, "linux", "creating a segment that would exceed SHMALL pages in total fails with ENOSPC (private IPC namespace)",
    "shmget(2) ERRORS: ENOSPC ... exceed the system-wide limit on shared memory (SHMALL)")
{
	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/shmall", "3");
	FX_OK(shmget(IPC_PRIVATE, 2 * fx_page_size(), IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(ENOSPC, shmget(IPC_PRIVATE, fx_page_size() + 1, IPC_CREAT | 0600));
	FX_OK(shmget(IPC_PRIVATE, fx_page_size(), IPC_CREAT | 0600));
}
