/*
 * mprotect(2) on mappings used for IPC: changing access rights.
 */
#include "fx.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define DATA_FILE "mprotect.data"

static void
store_byte(void *arg)
{
	fx_no_core_dumps();
	*(volatile char *)arg = 'x';
}

static void
load_byte(void *arg)
{
	fx_no_core_dumps();
	(void)*(volatile char *)arg;
}

/* DATA_FILE of one page of 'd', opened with `oflag`. */
static int
data_file(int oflag)
{
	int fd = FX_OK(open(DATA_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600));
	char buf[256];
	size_t off;

	memset(buf, 'd', sizeof buf);
	for (off = 0; off < fx_page_size(); off += sizeof buf)
		FX_REQUIRE_EQ(pwrite(fd, buf, sizeof buf, (off_t)off), sizeof buf);
	if (oflag == O_RDWR)
		return fd;
	FX_OK(close(fd));
	return FX_OK(open(DATA_FILE, oflag));
}

FX_CASE(mprotect__read_only_store_sigsegv, "posix", "after mprotect(PROT_READ) a load works and a store raises SIGSEGV, for shared memory too",
    "POSIX.1-2017 XSH mprotect: access not permitted results in SIGSEGV")
{
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0));

	p[0] = 'r';
	FX_OK(mprotect(p, fx_page_size(), PROT_READ));
	FX_REQUIRE_EQ(p[0], 'r');
	fx_child_expect_signal(fx_spawn(store_byte, p), SIGSEGV, FX_DEADLINE);
	FX_REQUIRE_EQ(p[0], 'r');
}

FX_CASE(mprotect__none_load_sigsegv, "posix", "after mprotect(PROT_NONE) a load raises SIGSEGV; restoring PROT_READ shows the data again",
    "POSIX.1-2017 XSH mprotect: PROT_NONE")
{
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	p[0] = 'n';
	FX_OK(mprotect(p, fx_page_size(), PROT_NONE));
	fx_child_expect_signal(fx_spawn(load_byte, p), SIGSEGV, FX_DEADLINE);
	FX_OK(mprotect(p, fx_page_size(), PROT_READ));
	FX_REQUIRE_EQ(p[0], 'n');
}

FX_CASE(mprotect__restore_write, "posix", "PROT_READ|PROT_WRITE restored after PROT_READ allows stores again, shared with the file",
    "POSIX.1-2017 XSH mprotect: changes the access protections to prot")
{
	int fd = data_file(O_RDWR);
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	char c;

	FX_OK(mprotect(p, fx_page_size(), PROT_READ));
	FX_OK(mprotect(p, fx_page_size(), PROT_READ | PROT_WRITE));
	p[0] = 'w';
	FX_REQUIRE_EQ(pread(fd, &c, 1, 0), 1);
	FX_REQUIRE_EQ(c, 'w');
}

FX_CASE(mprotect__part_of_mapping, "posix", "mprotect of one page of a mapping changes that page only",
    "POSIX.1-2017 XSH mprotect: pages in [addr, addr+len)")
{
	char *p = FX_OK_PTR(mmap(NULL, 3 * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	FX_OK(mprotect(p + fx_page_size(), fx_page_size(), PROT_READ));
	p[0] = 'a';
	p[2 * fx_page_size()] = 'c';
	fx_child_expect_signal(fx_spawn(store_byte, p + fx_page_size()), SIGSEGV, FX_DEADLINE);
	FX_REQUIRE_EQ(p[fx_page_size()], 0);
}

FX_CASE(mprotect__unaligned_einval, "linux", "mprotect at an address that is not page-aligned fails with EINVAL and changes nothing",
    "mprotect(2) ERRORS: EINVAL addr not a multiple of the page size (POSIX.1-2017 XSH mprotect: may fail)")
{
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

#ifdef FX_LIBC_MUSL
	atf_tc_expect_fail("musl rounds addr down to a page boundary before mprotect(2) "
	    "(POSIX allows it: the EINVAL is a may-fail)");
#endif
	FX_REQUIRE_ERRNO(EINVAL, mprotect(p + 1, 10, PROT_READ));
	p[0] = 'w';
}

FX_CASE(mprotect__write_on_rdonly_shared_file_eacces, "posix", "adding PROT_WRITE to a MAP_SHARED mapping of a file opened O_RDONLY fails with EACCES",
    "POSIX.1-2017 XSH mprotect ERRORS [EACCES]: prot violates the access permission of the file")
{
	int fd = data_file(O_RDONLY);
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));

	FX_REQUIRE_ERRNO(EACCES, mprotect(p, fx_page_size(), PROT_READ | PROT_WRITE));
	FX_REQUIRE_EQ(p[0], 'd');
}

FX_CASE(mprotect__write_on_rdonly_private_file_ok, "posix", "a MAP_PRIVATE mapping of a file opened O_RDONLY may be made writable; stores stay private",
    "POSIX.1-2017 XSH mprotect: MAP_PRIVATE allows PROT_WRITE regardless of the open mode")
{
	int fd = data_file(O_RDONLY);
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_PRIVATE, fd, 0));
	char c;

	FX_OK(mprotect(p, fx_page_size(), PROT_READ | PROT_WRITE));
	p[0] = 'p';
	FX_REQUIRE_EQ(pread(fd, &c, 1, 0), 1);
	FX_REQUIRE_EQ(c, 'd');
}

FX_CASE(mprotect__unmapped_enomem, "posix", "mprotect of a range that is not wholly mapped fails with ENOMEM",
    "POSIX.1-2017 XSH mprotect ERRORS [ENOMEM]")
{
	char *p = FX_OK_PTR(mmap(NULL, 3 * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	FX_OK(munmap(p + fx_page_size(), fx_page_size()));
	FX_REQUIRE_ERRNO(ENOMEM, mprotect(p + fx_page_size(), fx_page_size(), PROT_READ));
	FX_REQUIRE_ERRNO(ENOMEM, mprotect(p, 3 * fx_page_size(), PROT_READ));
}
