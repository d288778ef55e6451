/*
 * msync(2): writing MAP_SHARED stores back to the file, and its argument
 * checks.
 */
#include "fx.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DATA_FILE "msync.data"

/* DATA_FILE of n pages of 'f', open O_RDWR, and a MAP_SHARED mapping of it. */
static char *
mapped_file(size_t n, int flags, int *fdp)
{
	int fd = FX_OK(open(DATA_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600));
	char *buf = FX_OK_PTR(mmap(NULL, n * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	memset(buf, 'f', n * fx_page_size());
	FX_REQUIRE_EQ(pwrite(fd, buf, n * fx_page_size(), 0), (ssize_t)(n * fx_page_size()));
	FX_OK(munmap(buf, n * fx_page_size()));
	if (fdp != NULL)
		*fdp = fd;
	return FX_OK_PTR(mmap(NULL, n * fx_page_size(), PROT_READ | PROT_WRITE, flags, fd, 0));
}

ATF_TC(msync__sync_writes_file);
ATF_TC_HEAD(msync__sync_writes_file, tc)
{
	fx_meta(tc, "posix", "after msync(MS_SYNC) returns, the stores are in the file as a new descriptor reads it");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH msync: MS_SYNC, returns when all write operations are completed");
}
ATF_TC_BODY(msync__sync_writes_file, tc)
{
	char *p = mapped_file(2, MAP_SHARED, NULL);
	char buf[6];
	int fd;

	memcpy(p + fx_page_size() + 3, "synced", 6);
	FX_OK(msync(p, 2 * fx_page_size(), MS_SYNC));
	fd = FX_OK(open(DATA_FILE, O_RDONLY));
	FX_REQUIRE_EQ(pread(fd, buf, 6, (off_t)fx_page_size() + 3), 6);
	FX_REQUIRE_MEMEQ(buf, "synced", 6);
}

ATF_TC(msync__async_ok);
ATF_TC_HEAD(msync__async_ok, tc)
{
	fx_meta(tc, "posix", "msync(MS_ASYNC) succeeds and the stores are readable from the file");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH msync: MS_ASYNC");
}
ATF_TC_BODY(msync__async_ok, tc)
{
	int fd;
	char *p = mapped_file(1, MAP_SHARED, &fd);
	char buf[5];

	memcpy(p, "async", 5);
	FX_OK(msync(p, fx_page_size(), MS_ASYNC));
	FX_REQUIRE_EQ(pread(fd, buf, 5, 0), 5);
	FX_REQUIRE_MEMEQ(buf, "async", 5);
}

ATF_TC(msync__invalidate_keeps_data);
ATF_TC_HEAD(msync__invalidate_keeps_data, tc)
{
	fx_meta(tc, "posix", "msync(MS_SYNC|MS_INVALIDATE) succeeds, and the mapping still shows the stores and later writes to the file");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH msync: MS_INVALIDATE");
}
ATF_TC_BODY(msync__invalidate_keeps_data, tc)
{
	int fd;
	char *p = mapped_file(1, MAP_SHARED, &fd);

	memcpy(p, "mine", 4);
	FX_OK(msync(p, fx_page_size(), MS_SYNC | MS_INVALIDATE));
	FX_REQUIRE_MEMEQ(p, "mine", 4);
	FX_REQUIRE_EQ(pwrite(fd, "file", 4, 8), 4);
	FX_OK(msync(p, fx_page_size(), MS_INVALIDATE));
	FX_REQUIRE_MEMEQ(p + 8, "file", 4);
}

ATF_TC(msync__sync_and_async_einval);
ATF_TC_HEAD(msync__sync_and_async_einval, tc)
{
	fx_meta(tc, "posix", "msync with both MS_SYNC and MS_ASYNC, or with an unknown flag, fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH msync ERRORS [EINVAL]: flags invalid");
}
ATF_TC_BODY(msync__sync_and_async_einval, tc)
{
	char *p = mapped_file(1, MAP_SHARED, NULL);

	FX_REQUIRE_ERRNO(EINVAL, msync(p, fx_page_size(), MS_SYNC | MS_ASYNC));
	FX_REQUIRE_ERRNO(EINVAL, msync(p, fx_page_size(), 0x100));
}

ATF_TC(msync__unaligned_einval);
ATF_TC_HEAD(msync__unaligned_einval, tc)
{
	fx_meta(tc, "posix", "msync at an address that is not page-aligned fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH msync ERRORS [EINVAL]: addr not a multiple of the page size");
}
ATF_TC_BODY(msync__unaligned_einval, tc)
{
	char *p = mapped_file(1, MAP_SHARED, NULL);

	FX_REQUIRE_ERRNO(EINVAL, msync(p + 1, 10, MS_SYNC));
	FX_REQUIRE_ERRNO(EINVAL, msync(p + fx_page_size() / 2, 1, MS_ASYNC));
}

ATF_TC(msync__unmapped_enomem);
ATF_TC_HEAD(msync__unmapped_enomem, tc)
{
	fx_meta(tc, "posix", "msync of a range that is not (wholly) mapped fails with ENOMEM");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH msync ERRORS [ENOMEM]: addresses outside the address space");
}
ATF_TC_BODY(msync__unmapped_enomem, tc)
{
	char *p = mapped_file(3, MAP_SHARED, NULL);

	FX_OK(munmap(p + fx_page_size(), fx_page_size()));
	FX_REQUIRE_ERRNO(ENOMEM, msync(p + fx_page_size(), fx_page_size(), MS_SYNC));
	FX_REQUIRE_ERRNO(ENOMEM, msync(p, 3 * fx_page_size(), MS_SYNC));
	FX_OK(msync(p, fx_page_size(), MS_SYNC));
}

ATF_TC(msync__private_mapping_not_written);
ATF_TC_HEAD(msync__private_mapping_not_written, tc)
{
	fx_meta(tc, "posix", "msync(MS_SYNC) of a MAP_PRIVATE mapping succeeds and does not write its stores to the file");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: MAP_PRIVATE changes do not change the object; XSH msync");
}
ATF_TC_BODY(msync__private_mapping_not_written, tc)
{
	int fd;
	char *p = mapped_file(1, MAP_PRIVATE, &fd);
	char buf[4];

	memcpy(p, "priv", 4);
	FX_OK(msync(p, fx_page_size(), MS_SYNC));
	FX_REQUIRE_EQ(pread(fd, buf, 4, 0), 4);
	FX_REQUIRE_MEMEQ(buf, "ffff", 4);
}

ATF_TC(msync__partial_range);
ATF_TC_HEAD(msync__partial_range, tc)
{
	fx_meta(tc, "posix", "msync of part of a mapping (one page of three, length not a page multiple) succeeds");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH msync: pages in [addr, addr+len)");
}
ATF_TC_BODY(msync__partial_range, tc)
{
	int fd;
	char *p = mapped_file(3, MAP_SHARED, &fd);
	char buf[4];

	memcpy(p + fx_page_size(), "part", 4);
	FX_OK(msync(p + fx_page_size(), 4, MS_SYNC));
	FX_REQUIRE_EQ(pread(fd, buf, 4, (off_t)fx_page_size()), 4);
	FX_REQUIRE_MEMEQ(buf, "part", 4);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, msync__sync_writes_file);
	ATF_TP_ADD_TC(tp, msync__async_ok);
	ATF_TP_ADD_TC(tp, msync__invalidate_keeps_data);
	ATF_TP_ADD_TC(tp, msync__sync_and_async_einval);
	ATF_TP_ADD_TC(tp, msync__unaligned_einval);
	ATF_TP_ADD_TC(tp, msync__unmapped_enomem);
	ATF_TP_ADD_TC(tp, msync__private_mapping_not_written);
	ATF_TP_ADD_TC(tp, msync__partial_range);
	return atf_no_error();
}
