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

ATF_TC(munmap__access_after_unmap_sigsegv);
ATF_TC_HEAD(munmap__access_after_unmap_sigsegv, tc)
{
	fx_meta(tc, "posix", "after munmap, a reference to the removed pages raises SIGSEGV");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH munmap: further references to these pages result in SIGSEGV");
}
ATF_TC_BODY(munmap__access_after_unmap_sigsegv, tc)
{
	char *p = anon_pages(1, 'a');

	FX_REQUIRE_EQ(p[0], 'a');
	expect_fault_after_unmap(p, fx_page_size(), p);
}

ATF_TC(munmap__part_leaves_rest);
ATF_TC_HEAD(munmap__part_leaves_rest, tc)
{
	fx_meta(tc, "posix", "munmap of the middle page of three leaves the first and last pages mapped with their data");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH munmap: removes mappings for pages in the range only");
}
ATF_TC_BODY(munmap__part_leaves_rest, tc)
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

ATF_TC(munmap__length_rounded_up);
ATF_TC_HEAD(munmap__length_rounded_up, tc)
{
	fx_meta(tc, "linux", "munmap of 1 byte removes its whole page and not the next one");
	atf_tc_set_md_var(tc, "X-spec", "munmap(2): the address range is rounded to whole pages");
}
ATF_TC_BODY(munmap__length_rounded_up, tc)
{
	char *p = anon_pages(2, 'r');

	expect_fault_after_unmap(p, 1, p + fx_page_size() - 1);
	FX_OK(munmap(p, 1));
	FX_REQUIRE_EQ(p[fx_page_size()], 'r');
}

ATF_TC(munmap__unaligned_einval);
ATF_TC_HEAD(munmap__unaligned_einval, tc)
{
	fx_meta(tc, "posix", "munmap with an address that is not page-aligned fails with EINVAL and unmaps nothing");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH munmap ERRORS [EINVAL]: addr not a multiple of the page size");
}
ATF_TC_BODY(munmap__unaligned_einval, tc)
{
	char *p = anon_pages(2, 'u');

	FX_REQUIRE_ERRNO(EINVAL, munmap(p + 1, fx_page_size()));
	FX_REQUIRE_EQ(p[0], 'u');
	FX_REQUIRE_EQ(p[fx_page_size()], 'u');
}

ATF_TC(munmap__length_zero_einval);
ATF_TC_HEAD(munmap__length_zero_einval, tc)
{
	fx_meta(tc, "linux", "munmap with a length of 0 fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "munmap(2) ERRORS: EINVAL ... (since Linux 2.6.12) length was 0");
}
ATF_TC_BODY(munmap__length_zero_einval, tc)
{
	char *p = anon_pages(1, 'z');

	FX_REQUIRE_ERRNO(EINVAL, munmap(p, 0));
	FX_REQUIRE_EQ(p[0], 'z');
}

ATF_TC(munmap__unmapped_range_ok);
ATF_TC_HEAD(munmap__unmapped_range_ok, tc)
{
	fx_meta(tc, "posix", "munmap of a range with no mappings succeeds and has no effect");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH munmap: no mappings in the range, munmap has no effect; munmap(2)");
}
ATF_TC_BODY(munmap__unmapped_range_ok, tc)
{
	char *p = anon_pages(3, 'n');

	FX_OK(munmap(p + fx_page_size(), fx_page_size()));
	FX_OK(munmap(p + fx_page_size(), fx_page_size()));
	FX_REQUIRE_EQ(p[0], 'n');
	FX_REQUIRE_EQ(p[2 * fx_page_size()], 'n');
}

ATF_TC(munmap__shared_stores_stay_in_file);
ATF_TC_HEAD(munmap__shared_stores_stay_in_file, tc)
{
	fx_meta(tc, "posix", "stores to a MAP_SHARED mapping are in the file after munmap, and the descriptor stays open");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH munmap: MAP_SHARED changes are not lost; the file is not closed");
}
ATF_TC_BODY(munmap__shared_stores_stay_in_file, tc)
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

ATF_TC(munmap__spans_several_mappings);
ATF_TC_HEAD(munmap__spans_several_mappings, tc)
{
	fx_meta(tc, "posix", "one munmap over two adjacent mappings removes the parts of both inside the range");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH munmap: removes any mappings for pages in the range");
}
ATF_TC_BODY(munmap__spans_several_mappings, tc)
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

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, munmap__access_after_unmap_sigsegv);
	ATF_TP_ADD_TC(tp, munmap__part_leaves_rest);
	ATF_TP_ADD_TC(tp, munmap__length_rounded_up);
	ATF_TP_ADD_TC(tp, munmap__unaligned_einval);
	ATF_TP_ADD_TC(tp, munmap__length_zero_einval);
	ATF_TP_ADD_TC(tp, munmap__unmapped_range_ok);
	ATF_TP_ADD_TC(tp, munmap__shared_stores_stay_in_file);
	ATF_TP_ADD_TC(tp, munmap__spans_several_mappings);
	return atf_no_error();
}
