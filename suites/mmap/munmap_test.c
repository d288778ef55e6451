/*
 * munmap(2): removing whole mappings and parts of them.
 */
#include "fx.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define DATA_FILE "munmap.data"

static void
load_byte(void *arg)
{
	fx_no_core_dumps();
	(void)*(volatile char *)arg;
}

/*
 * The child unmaps [addr, addr+len) itself and then loads from `touch`:
 * unmapping in the parent first would let fx_spawn's own memory land in
 * the hole.
 */
struct cut { char *addr; size_t len; char *touch; };

static void
unmap_then_load(void *arg)
{
	struct cut *c = arg;

	FX_OK(munmap(c->addr, c->len));
	load_byte(c->touch);
}

static void
expect_fault_after_unmap(char *addr, size_t len, char *touch)
{
	struct cut c = { addr, len, touch };

	fx_child_expect_signal(fx_spawn(unmap_then_load, &c), SIGSEGV, FX_DEADLINE);
}

static char *
anon_pages(size_t n, char fill)
{
	char *p = FX_OK_PTR(mmap(NULL, n * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	memset(p, fill, n * fx_page_size());
	return p;
}

FX_CASE(munmap__access_after_unmap_sigsegv, "posix", "after munmap, a reference to the removed pages raises SIGSEGV",
    "POSIX.1-2017 XSH munmap: further references to these pages result in SIGSEGV")
{
	char *p = anon_pages(1, 'a');

	FX_REQUIRE_EQ(p[0], 'a');
	expect_fault_after_unmap(p, fx_page_size(), p);
}

FX_CASE(munmap__part_leaves_rest, "posix", "munmap of the middle page of three leaves the first and last pages mapped with their data",
    "POSIX.1-2017 XSH munmap: removes mappings for pages in the range only")
{
	char *p = anon_pages(3, 'm');

	p[0] = 'A';
	p[2 * fx_page_size()] = 'C';
	expect_fault_after_unmap(p + fx_page_size(), fx_page_size(), p + fx_page_size());
	FX_OK(munmap(p + fx_page_size(), fx_page_size()));
	FX_REQUIRE_EQ(p[0], 'A');
	FX_REQUIRE_EQ(p[fx_page_size() - 1], 'm');
	FX_REQUIRE_EQ(p[2 * fx_page_size()], 'C');
}

FX_CASE(munmap__length_rounded_up, "linux", "munmap of 1 byte removes its whole page and not the next one",
    "munmap(2): the address range is rounded to whole pages")
{
	char *p = anon_pages(2, 'r');

	expect_fault_after_unmap(p, 1, p + fx_page_size() - 1);
	FX_OK(munmap(p, 1));
	FX_REQUIRE_EQ(p[fx_page_size()], 'r');
}

FX_CASE(munmap__unaligned_einval, "posix", "munmap with an address that is not page-aligned fails with EINVAL and unmaps nothing",
    "POSIX.1-2017 XSH munmap ERRORS [EINVAL]: addr not a multiple of the page size")
{
	char *p = anon_pages(2, 'u');

	FX_REQUIRE_ERRNO(EINVAL, munmap(p + 1, fx_page_size()));
	FX_REQUIRE_EQ(p[0], 'u');
	FX_REQUIRE_EQ(p[fx_page_size()], 'u');
}

FX_CASE(munmap__length_zero_einval, "linux", "munmap with a length of 0 fails with EINVAL",
    "munmap(2) ERRORS: EINVAL ... (since Linux 2.6.12) length was 0")
{
	char *p = anon_pages(1, 'z');

	FX_REQUIRE_ERRNO(EINVAL, munmap(p, 0));
	FX_REQUIRE_EQ(p[0], 'z');
}

FX_CASE(munmap__unmapped_range_ok, "posix", "munmap of a range with no mappings succeeds and has no effect",
    "POSIX.1-2017 XSH munmap: no mappings in the range, munmap has no effect; munmap(2)")
{
	char *p = anon_pages(3, 'n');

	FX_OK(munmap(p + fx_page_size(), fx_page_size()));
	FX_OK(munmap(p + fx_page_size(), fx_page_size()));
	FX_REQUIRE_EQ(p[0], 'n');
	FX_REQUIRE_EQ(p[2 * fx_page_size()], 'n');
}

FX_CASE(munmap__shared_stores_stay_in_file, "posix", "stores to a MAP_SHARED mapping are in the file after munmap, and the descriptor stays open",
    "POSIX.1-2017 XSH munmap: MAP_SHARED changes are not lost; the file is not closed")
{
	int fd = FX_OK(open(DATA_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600));
	char *p, buf[8];

	FX_OK(ftruncate(fd, (off_t)fx_page_size()));
	p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	memcpy(p + 8, "unmapped", 8);
	FX_OK(munmap(p, fx_page_size()));
	FX_REQUIRE_EQ(pread(fd, buf, 8, 8), 8);
	FX_REQUIRE_MEMEQ(buf, "unmapped", 8);
}

FX_CASE(munmap__spans_several_mappings, "posix", "one munmap over two adjacent mappings removes the parts of both inside the range",
    "POSIX.1-2017 XSH munmap: removes any mappings for pages in the range")
{
	char *p = anon_pages(4, 'x');

	/* Make pages 2-3 a separate (shared) mapping, then cut pages 1-2. */
	FX_REQUIRE_EQ((uintptr_t)mmap(p + 2 * fx_page_size(), 2 * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0), (uintptr_t)(p + 2 * fx_page_size()));
	p[3 * fx_page_size()] = 'y';
	expect_fault_after_unmap(p + fx_page_size(), 2 * fx_page_size(), p + fx_page_size());
	expect_fault_after_unmap(p + fx_page_size(), 2 * fx_page_size(), p + 2 * fx_page_size());
	FX_OK(munmap(p + fx_page_size(), 2 * fx_page_size()));
	FX_REQUIRE_EQ(p[0], 'x');
	FX_REQUIRE_EQ(p[3 * fx_page_size()], 'y');
}
