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

FX_CASE(msync__sync_writes_file, "posix", "after msync(MS_SYNC) returns, the stores are in the file as a new descriptor reads it",
    "POSIX.1-2017 XSH msync: MS_SYNC, returns when all write operations are completed")
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

FX_CASE(msync__async_ok, "posix", "msync(MS_ASYNC) succeeds and the stores are readable from the file",
    "POSIX.1-2017 XSH msync: MS_ASYNC")
{
	int fd;
	char *p = mapped_file(1, MAP_SHARED, &fd);
	char buf[5];

	memcpy(p, "async", 5);
	FX_OK(msync(p, fx_page_size(), MS_ASYNC));
	FX_REQUIRE_EQ(pread(fd, buf, 5, 0), 5);
	FX_REQUIRE_MEMEQ(buf, "async", 5);
}

FX_CASE(msync__invalidate_keeps_data, "posix", "msync(MS_SYNC|MS_INVALIDATE) succeeds, and the mapping still shows the stores and later writes to the file",
    "POSIX.1-2017 XSH msync: MS_INVALIDATE")
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

FX_CASE(msync__sync_and_async_einval, "posix", "msync with both MS_SYNC and MS_ASYNC, or with an unknown flag, fails with EINVAL",
    "POSIX.1-2017 XSH msync ERRORS [EINVAL]: flags invalid")
{
	char *p = mapped_file(1, MAP_SHARED, NULL);

	FX_REQUIRE_ERRNO(EINVAL, msync(p, fx_page_size(), MS_SYNC | MS_ASYNC));
	FX_REQUIRE_ERRNO(EINVAL, msync(p, fx_page_size(), 0x100));
}

FX_CASE(msync__unaligned_einval, "posix", "msync at an address that is not page-aligned fails with EINVAL",
    "POSIX.1-2017 XSH msync ERRORS [EINVAL]: addr not a multiple of the page size")
{
	char *p = mapped_file(1, MAP_SHARED, NULL);

	FX_REQUIRE_ERRNO(EINVAL, msync(p + 1, 10, MS_SYNC));
	FX_REQUIRE_ERRNO(EINVAL, msync(p + fx_page_size() / 2, 1, MS_ASYNC));
}

FX_CASE(msync__unmapped_enomem, "posix", "msync of a range that is not (wholly) mapped fails with ENOMEM",
    "POSIX.1-2017 XSH msync ERRORS [ENOMEM]: addresses outside the address space")
{
	char *p = mapped_file(3, MAP_SHARED, NULL);

	FX_OK(munmap(p + fx_page_size(), fx_page_size()));
	FX_REQUIRE_ERRNO(ENOMEM, msync(p + fx_page_size(), fx_page_size(), MS_SYNC));
	FX_REQUIRE_ERRNO(ENOMEM, msync(p, 3 * fx_page_size(), MS_SYNC));
	FX_OK(msync(p, fx_page_size(), MS_SYNC));
}

FX_CASE(msync__private_mapping_not_written, "posix", "msync(MS_SYNC) of a MAP_PRIVATE mapping succeeds and does not write its stores to the file",
    "POSIX.1-2017 XSH mmap: MAP_PRIVATE changes do not change the object; XSH msync")
{
	int fd;
	char *p = mapped_file(1, MAP_PRIVATE, &fd);
	char buf[4];

	memcpy(p, "priv", 4);
	FX_OK(msync(p, fx_page_size(), MS_SYNC));
	FX_REQUIRE_EQ(pread(fd, buf, 4, 0), 4);
	FX_REQUIRE_MEMEQ(buf, "ffff", 4);
}

FX_CASE(msync__partial_range, "posix", "msync of part of a mapping (one page of three, length not a page multiple) succeeds",
    "POSIX.1-2017 XSH msync: pages in [addr, addr+len)")
{
	int fd;
	char *p = mapped_file(3, MAP_SHARED, &fd);
	char buf[4];

	memcpy(p + fx_page_size(), "part", 4);
	FX_OK(msync(p + fx_page_size(), 4, MS_SYNC));
	FX_REQUIRE_EQ(pread(fd, buf, 4, (off_t)fx_page_size()), 4);
	FX_REQUIRE_MEMEQ(buf, "part", 4);
}
