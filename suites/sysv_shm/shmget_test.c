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

ATF_TC_WITH_CLEANUP(shmget__private_always_new);
ATF_TC_HEAD(shmget__private_always_new, tc)
{
	fx_meta(tc, "xsi", "IPC_PRIVATE creates a new, independent segment on every call: another id, its own memory, its own attach count");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget: key is IPC_PRIVATE");
}
ATF_TC_BODY(shmget__private_always_new, tc)
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
ATF_TC_CLEANUP(shmget__private_always_new, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__creat_finds_existing);
ATF_TC_HEAD(shmget__creat_finds_existing, tc)
{
	fx_meta(tc, "xsi", "IPC_CREAT without IPC_EXCL returns the existing segment of the key, its mode unchanged");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget: IPC_CREAT");
}
ATF_TC_BODY(shmget__creat_finds_existing, tc)
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
ATF_TC_CLEANUP(shmget__creat_finds_existing, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__excl_eexist);
ATF_TC_HEAD(shmget__excl_eexist, tc)
{
	fx_meta(tc, "xsi", "IPC_CREAT|IPC_EXCL on a key that has a segment fails with EEXIST");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget ERRORS [EEXIST]");
}
ATF_TC_BODY(shmget__excl_eexist, tc)
{
	key_t key = fx_ftok(1);

	FX_OK(fx_shmget(key, 4096, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(EEXIST, fx_shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600));
}
ATF_TC_CLEANUP(shmget__excl_eexist, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__no_creat_enoent);
ATF_TC_HEAD(shmget__no_creat_enoent, tc)
{
	fx_meta(tc, "xsi", "a key without a segment and without IPC_CREAT fails with ENOENT");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget ERRORS [ENOENT]");
}
ATF_TC_BODY(shmget__no_creat_enoent, tc)
{
	FX_REQUIRE_ERRNO(ENOENT, fx_shmget(fx_ftok(2), 4096, 0600));
}
ATF_TC_CLEANUP(shmget__no_creat_enoent, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__size_below_shmmin_einval);
ATF_TC_HEAD(shmget__size_below_shmmin_einval, tc)
{
	fx_meta(tc, "xsi", "creating a segment of size 0 (below SHMMIN, 1 on Linux) fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget ERRORS [EINVAL]: size less than the minimum");
}
ATF_TC_BODY(shmget__size_below_shmmin_einval, tc)
{
	FX_REQUIRE_ERRNO(EINVAL, fx_shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(EINVAL, fx_shmget(fx_ftok(1), 0, IPC_CREAT | 0600));
}
ATF_TC_CLEANUP(shmget__size_below_shmmin_einval, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__size_above_shmmax_einval);
ATF_TC_HEAD(shmget__size_above_shmmax_einval, tc)
{
	fx_meta(tc, "xsi", "creating a segment larger than SHMMAX fails with EINVAL (shmmax set in a private IPC namespace)");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget ERRORS [EINVAL]: size greater than the maximum; shmget(2) SHMMAX");
}
ATF_TC_BODY(shmget__size_above_shmmax_einval, tc)
{
	char max[32];

	fx_enter_private_ipcns();
	snprintf(max, sizeof max, "%zu", 2 * fx_page_size());
	fx_set_ipc_sysctl("kernel/shmmax", max);
	FX_REQUIRE_ERRNO(EINVAL, shmget(IPC_PRIVATE, 2 * fx_page_size() + 1, IPC_CREAT | 0600));
	FX_OK(shmget(IPC_PRIVATE, 2 * fx_page_size(), IPC_CREAT | 0600));
}
ATF_TC_CLEANUP(shmget__size_above_shmmax_einval, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__size_max_einval);
ATF_TC_HEAD(shmget__size_max_einval, tc)
{
	fx_meta(tc, "xsi", "a size of SIZE_MAX (above any SHMMAX) fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget ERRORS [EINVAL]: size greater than the maximum");
}
ATF_TC_BODY(shmget__size_max_einval, tc)
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
ATF_TC_CLEANUP(shmget__size_max_einval, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__larger_than_existing_einval);
ATF_TC_HEAD(shmget__larger_than_existing_einval, tc)
{
	fx_meta(tc, "xsi", "asking an existing key for more than its segment's size fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget ERRORS [EINVAL]: segment exists and size is greater");
}
ATF_TC_BODY(shmget__larger_than_existing_einval, tc)
{
	key_t key = fx_ftok(1);

	FX_OK(fx_shmget(key, 1000, IPC_CREAT | 0600));
	/* 1001 still fits the page the segment occupies: the limit is shm_segsz. */
	FX_REQUIRE_ERRNO(EINVAL, fx_shmget(key, 1001, 0600));
	FX_REQUIRE_ERRNO(EINVAL, fx_shmget(key, 1001, IPC_CREAT | 0600));
}
ATF_TC_CLEANUP(shmget__larger_than_existing_einval, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__smaller_than_existing_ok);
ATF_TC_HEAD(shmget__smaller_than_existing_ok, tc)
{
	fx_meta(tc, "xsi", "asking an existing key for a size up to its segment's returns the segment, size unchanged");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget: size is checked only when larger than the segment");
}
ATF_TC_BODY(shmget__smaller_than_existing_ok, tc)
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
ATF_TC_CLEANUP(shmget__smaller_than_existing_ok, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__zero_filled);
ATF_TC_HEAD(shmget__zero_filled, tc)
{
	fx_meta(tc, "xsi", "a new segment's memory reads as zeros");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget: the segment is initialised to zero");
}
ATF_TC_BODY(shmget__zero_filled, tc)
{
	size_t len = 3 * fx_page_size() + 17, i;
	int id = FX_OK(fx_shmget(IPC_PRIVATE, len, IPC_CREAT | 0600));
	unsigned char *p = FX_OK_PTR(shmat(id, NULL, 0));

	for (i = 0; i < len; i++)
		FX_REQUIRE(p[i] == 0, "byte %zu of a new segment is 0x%02x", i, p[i]);
}
ATF_TC_CLEANUP(shmget__zero_filled, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__size_rounded_to_pages);
ATF_TC_HEAD(shmget__size_rounded_to_pages, tc)
{
	fx_meta(tc, "linux", "shm_segsz keeps the requested size, and the memory is whole pages: the page's tail is usable");
	atf_tc_set_md_var(tc, "X-spec", "shmget(2): size is rounded up to a multiple of PAGE_SIZE");
}
ATF_TC_BODY(shmget__size_rounded_to_pages, tc)
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
ATF_TC_CLEANUP(shmget__size_rounded_to_pages, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__perm_from_flags_and_caller);
ATF_TC_HEAD(shmget__perm_from_flags_and_caller, tc)
{
	fx_meta(tc, "xsi", "a new segment's shm_perm takes its mode from shmflg and its owner and creator from the caller");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget: shm_perm.cuid, uid, cgid, gid, mode initialised");
}
ATF_TC_BODY(shmget__perm_from_flags_and_caller, tc)
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
ATF_TC_CLEANUP(shmget__perm_from_flags_and_caller, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__new_segment_stat);
ATF_TC_HEAD(shmget__new_segment_stat, tc)
{
	fx_meta(tc, "xsi", "a new segment has nattch, lpid, atime and dtime 0, cpid the caller and ctime now");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget: shm_lpid, shm_nattch, shm_atime, shm_dtime 0; shm_ctime current time");
}
ATF_TC_BODY(shmget__new_segment_stat, tc)
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
ATF_TC_CLEANUP(shmget__new_segment_stat, tc) { fx_cleanup(); }

static void
get_existing_rw(void *arg)
{
	FX_REQUIRE_ERRNO(EACCES, shmget(*(key_t *)arg, 0, 0600));
	FX_REQUIRE_ERRNO(EACCES, shmget(*(key_t *)arg, 0, 0400));
}

ATF_TC_WITH_CLEANUP(shmget__other_user_eacces);
ATF_TC_HEAD(shmget__other_user_eacces, tc)
{
	fx_meta(tc, "xsi", "another unprivileged user asking for a 0600 segment's key fails with EACCES");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget ERRORS [EACCES]");
}
ATF_TC_BODY(shmget__other_user_eacces, tc)
{
	key_t *key = fx_shared(sizeof *key);

	*key = fx_ftok(1);
	FX_OK(fx_shmget(*key, 4096, IPC_CREAT | 0600));
	fx_child_join(fx_spawn_as_other_user(get_existing_rw, key), FX_DEADLINE);
}
ATF_TC_CLEANUP(shmget__other_user_eacces, tc) { fx_cleanup(); }

static void
get_existing_read_only(void *arg)
{
	FX_OK(shmget(*(key_t *)arg, 0, 0004));
	FX_REQUIRE_ERRNO(EACCES, shmget(*(key_t *)arg, 0, 0002));
}

ATF_TC_WITH_CLEANUP(shmget__other_user_mode_bits);
ATF_TC_HEAD(shmget__other_user_mode_bits, tc)
{
	fx_meta(tc, "xsi", "another user gets a 0604 segment for reading but EACCES for writing: the mode's other bits apply");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XBD 4.7 IPC permissions; XSH shmget ERRORS [EACCES]");
}
ATF_TC_BODY(shmget__other_user_mode_bits, tc)
{
	key_t *key = fx_shared(sizeof *key);

	*key = fx_ftok(1);
	FX_OK(fx_shmget(*key, 4096, IPC_CREAT | 0604));
	fx_child_join(fx_spawn_as_other_user(get_existing_read_only, key), FX_DEADLINE);
}
ATF_TC_CLEANUP(shmget__other_user_mode_bits, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__owner_mode_eacces);
ATF_TC_HEAD(shmget__owner_mode_eacces, tc)
{
	fx_meta(tc, "xsi", "the unprivileged owner of a 0400 segment asking for write access fails with EACCES");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XBD 4.7 IPC permissions; XSH shmget ERRORS [EACCES]");
}
static void
owner_mode_eacces(void *arg)
{
	key_t key = *(key_t *)arg;

	FX_OK(fx_shmget(key, 4096, IPC_CREAT | 0400));
	FX_OK(shmget(key, 0, 0400));
	FX_REQUIRE_ERRNO(EACCES, shmget(key, 0, 0600));
}
ATF_TC_BODY(shmget__owner_mode_eacces, tc)
{
	key_t key = fx_ftok(1);

	/* CAP_IPC_OWNER bypasses the mode: as root, the owner is the other user. */
	fx_run_unprivileged(owner_mode_eacces, &key);
}
ATF_TC_CLEANUP(shmget__owner_mode_eacces, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__shmmni_enospc);
ATF_TC_HEAD(shmget__shmmni_enospc, tc)
{
	fx_meta(tc, "xsi", "creating a segment when SHMMNI segments exist fails with ENOSPC (private IPC namespace)");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH shmget ERRORS [ENOSPC]: identifiers exhausted; shmget(2) SHMMNI");
}
ATF_TC_BODY(shmget__shmmni_enospc, tc)
{
	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/shmmni", "2");
	FX_OK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	FX_OK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(ENOSPC, shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(ENOSPC, shmget(fx_ftok(1), 4096, IPC_CREAT | 0600));
}
ATF_TC_CLEANUP(shmget__shmmni_enospc, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(shmget__shmall_enospc);
ATF_TC_HEAD(shmget__shmall_enospc, tc)
{
	fx_meta(tc, "linux", "creating a segment that would exceed SHMALL pages in total fails with ENOSPC (private IPC namespace)");
	atf_tc_set_md_var(tc, "X-spec", "shmget(2) ERRORS: ENOSPC ... exceed the system-wide limit on shared memory (SHMALL)");
}
ATF_TC_BODY(shmget__shmall_enospc, tc)
{
	fx_enter_private_ipcns();
	fx_set_ipc_sysctl("kernel/shmall", "3");
	FX_OK(shmget(IPC_PRIVATE, 2 * fx_page_size(), IPC_CREAT | 0600));
	FX_REQUIRE_ERRNO(ENOSPC, shmget(IPC_PRIVATE, fx_page_size() + 1, IPC_CREAT | 0600));
	FX_OK(shmget(IPC_PRIVATE, fx_page_size(), IPC_CREAT | 0600));
}
ATF_TC_CLEANUP(shmget__shmall_enospc, tc) { fx_cleanup(); }

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, shmget__private_always_new);
	ATF_TP_ADD_TC(tp, shmget__creat_finds_existing);
	ATF_TP_ADD_TC(tp, shmget__excl_eexist);
	ATF_TP_ADD_TC(tp, shmget__no_creat_enoent);
	ATF_TP_ADD_TC(tp, shmget__size_below_shmmin_einval);
	ATF_TP_ADD_TC(tp, shmget__size_above_shmmax_einval);
	ATF_TP_ADD_TC(tp, shmget__size_max_einval);
	ATF_TP_ADD_TC(tp, shmget__larger_than_existing_einval);
	ATF_TP_ADD_TC(tp, shmget__smaller_than_existing_ok);
	ATF_TP_ADD_TC(tp, shmget__zero_filled);
	ATF_TP_ADD_TC(tp, shmget__size_rounded_to_pages);
	ATF_TP_ADD_TC(tp, shmget__perm_from_flags_and_caller);
	ATF_TP_ADD_TC(tp, shmget__new_segment_stat);
	ATF_TP_ADD_TC(tp, shmget__other_user_eacces);
	ATF_TP_ADD_TC(tp, shmget__other_user_mode_bits);
	ATF_TP_ADD_TC(tp, shmget__owner_mode_eacces);
	ATF_TP_ADD_TC(tp, shmget__shmmni_enospc);
	ATF_TP_ADD_TC(tp, shmget__shmall_enospc);
	return atf_no_error();
}
