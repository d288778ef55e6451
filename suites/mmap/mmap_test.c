/*
 * mmap(2) as used for IPC: shared and private mappings of files and of
 * anonymous memory, their argument checks, and the faults at their edges.
 */
#include "fx.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DATA_FILE "mmap.data"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* DATA_FILE in the work directory, `size` bytes of a known pattern, open O_RDWR. */
static int
data_file(size_t size)
{
	int fd = FX_OK(open(DATA_FILE, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	size_t i;

	for (i = 0; i < size; i++) {
		char c = (char)('a' + i % 26);

		FX_REQUIRE_EQ(pwrite(fd, &c, 1, (off_t)i), 1);
	}
	return fd;
}

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

struct peer { int ready[2]; int done[2]; int flags; };

/* Maps DATA_FILE itself, waits for the parent's store, checks it, stores back. */
static void
file_peer(void *arg)
{
	struct peer *pr = arg;
	int fd = FX_OK(open(DATA_FILE, O_RDWR));
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	fx_event_wait(pr->ready[0], FX_DEADLINE);
	if (pr->flags == MAP_SHARED) {
		FX_REQUIRE_MEMEQ(p, "parent", 6);
	} else {
		FX_REQUIRE_MEMEQ(p, "abcdef", 6);
	}
	memcpy(p + 10, "child", 5);
	fx_event_post(pr->done[1]);
}

ATF_TC(mmap__shared_file_visible_to_other_process);
ATF_TC_HEAD(mmap__shared_file_visible_to_other_process, tc)
{
	fx_meta(tc, "posix", "stores to a MAP_SHARED file mapping are seen by another process that maps the same file");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: MAP_SHARED write references change the underlying object");
}
ATF_TC_BODY(mmap__shared_file_visible_to_other_process, tc)
{
	struct peer pr = { .flags = MAP_SHARED };
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	struct fx_child *c;

	FX_OK(pipe(pr.ready));
	FX_OK(pipe(pr.done));
	c = fx_spawn(file_peer, &pr);
	memcpy(p, "parent", 6);
	fx_event_post(pr.ready[1]);
	fx_event_wait(pr.done[0], FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p + 10, "child", 5);
	fx_child_join(c, FX_DEADLINE);
}

ATF_TC(mmap__shared_store_visible_to_read);
ATF_TC_HEAD(mmap__shared_store_visible_to_read, tc)
{
	fx_meta(tc, "linux", "a store to a MAP_SHARED mapping is returned by read(2) of the file at once, without msync");
	atf_tc_set_md_var(tc, "X-spec", "mmap(2): MAP_SHARED updates are visible to other processes mapping or reading the file");
}
ATF_TC_BODY(mmap__shared_store_visible_to_read, tc)
{
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	char buf[8];
	int other = FX_OK(open(DATA_FILE, O_RDONLY));

	memcpy(p + 100, "stored", 6);
	FX_REQUIRE_EQ(pread(other, buf, 6, 100), 6);
	FX_REQUIRE_MEMEQ(buf, "stored", 6);
}

ATF_TC(mmap__write_visible_in_shared_mapping);
ATF_TC_HEAD(mmap__write_visible_in_shared_mapping, tc)
{
	fx_meta(tc, "linux", "write(2) to a file is seen at once through an existing MAP_SHARED mapping of it");
	atf_tc_set_md_var(tc, "X-spec", "mmap(2): MAP_SHARED; the page cache is shared with read/write");
}
ATF_TC_BODY(mmap__write_visible_in_shared_mapping, tc)
{
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));

	FX_REQUIRE_EQ(pwrite(fd, "written", 7, 200), 7);
	FX_REQUIRE_MEMEQ(p + 200, "written", 7);
}

ATF_TC(mmap__private_store_not_in_file);
ATF_TC_HEAD(mmap__private_store_not_in_file, tc)
{
	fx_meta(tc, "posix", "a store to a MAP_PRIVATE mapping changes neither the file nor a MAP_SHARED mapping of it");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: MAP_PRIVATE changes are private to the process (copy on write)");
}
ATF_TC_BODY(mmap__private_store_not_in_file, tc)
{
	int fd = data_file(fx_page_size());
	char *priv = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
	char *shared = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));
	char buf[6];

	memcpy(priv, "secret", 6);
	FX_REQUIRE_MEMEQ(priv, "secret", 6);
	FX_REQUIRE_MEMEQ(shared, "abcdef", 6);
	FX_REQUIRE_EQ(pread(fd, buf, 6, 0), 6);
	FX_REQUIRE_MEMEQ(buf, "abcdef", 6);
}

ATF_TC(mmap__private_not_visible_to_other_process);
ATF_TC_HEAD(mmap__private_not_visible_to_other_process, tc)
{
	fx_meta(tc, "posix", "another process mapping the file MAP_SHARED does not see stores to this process's MAP_PRIVATE mapping");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: MAP_PRIVATE");
}
ATF_TC_BODY(mmap__private_not_visible_to_other_process, tc)
{
	struct peer pr = { .flags = MAP_PRIVATE };
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
	struct fx_child *c;

	FX_OK(pipe(pr.ready));
	FX_OK(pipe(pr.done));
	c = fx_spawn(file_peer, &pr);
	memcpy(p, "parent", 6);
	fx_event_post(pr.ready[1]);
	fx_event_wait(pr.done[0], FX_DEADLINE);
	fx_child_join(c, FX_DEADLINE);
	/* This page was copied on the store above: the child's store is not here. */
	FX_REQUIRE_MEMEQ(p + 10, "klmno", 5);
}

static void
anon_child(void *arg)
{
	char *p = arg;

	FX_REQUIRE_MEMEQ(p, "from parent", 12);
	memcpy(p + 64, "from child", 11);
}

ATF_TC(mmap__anon_shared_with_child);
ATF_TC_HEAD(mmap__anon_shared_with_child, tc)
{
	fx_meta(tc, "linux", "MAP_SHARED|MAP_ANONYMOUS memory is shared with a forked child in both directions");
	atf_tc_set_md_var(tc, "X-spec", "mmap(2): MAP_ANONYMOUS with MAP_SHARED; fork(2) keeps shared mappings shared");
}
ATF_TC_BODY(mmap__anon_shared_with_child, tc)
{
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0));

	memcpy(p, "from parent", 12);
	fx_child_join(fx_spawn(anon_child, p), FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p + 64, "from child", 11);
}

ATF_TC(mmap__anon_private_not_shared);
ATF_TC_HEAD(mmap__anon_private_not_shared, tc)
{
	fx_meta(tc, "linux", "MAP_PRIVATE|MAP_ANONYMOUS memory is copied at fork: the child's stores are not seen by the parent");
	atf_tc_set_md_var(tc, "X-spec", "mmap(2): MAP_ANONYMOUS with MAP_PRIVATE; fork(2) copy-on-write");
}
ATF_TC_BODY(mmap__anon_private_not_shared, tc)
{
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char zeros[11] = { 0 };

	memcpy(p, "from parent", 12);
	fx_child_join(fx_spawn(anon_child, p), FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p + 64, zeros, 11);
}

ATF_TC(mmap__anon_zero_filled);
ATF_TC_HEAD(mmap__anon_zero_filled, tc)
{
	fx_meta(tc, "linux", "anonymous mappings, shared or private, read as zeros");
	atf_tc_set_md_var(tc, "X-spec", "mmap(2): MAP_ANONYMOUS ... its contents are initialized to zero");
}
ATF_TC_BODY(mmap__anon_zero_filled, tc)
{
	static const int kinds[] = { MAP_SHARED, MAP_PRIVATE };
	size_t k, i, len = 4 * fx_page_size();

	for (k = 0; k < 2; k++) {
		unsigned char *p = FX_OK_PTR(mmap(NULL, len, PROT_READ | PROT_WRITE,
		    kinds[k] | MAP_ANONYMOUS, -1, 0));

		for (i = 0; i < len; i++)
			FX_REQUIRE(p[i] == 0, "%s anonymous byte %zu is 0x%02x",
			    kinds[k] == MAP_SHARED ? "shared" : "private", i, p[i]);
	}
}

ATF_TC(mmap__offset_not_page_multiple_einval);
ATF_TC_HEAD(mmap__offset_not_page_multiple_einval, tc)
{
	fx_meta(tc, "posix", "an offset that is not a multiple of the page size fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap ERRORS [EINVAL]: off not a multiple of the page size");
}
ATF_TC_BODY(mmap__offset_not_page_multiple_einval, tc)
{
	int fd = data_file(3 * fx_page_size());

	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 1));
	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, MAP_PRIVATE, fd, (off_t)fx_page_size() / 2));
	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, (off_t)fx_page_size() + 512));
}

ATF_TC(mmap__offset_maps_that_part);
ATF_TC_HEAD(mmap__offset_maps_that_part, tc)
{
	fx_meta(tc, "posix", "a page-multiple offset maps the file from that offset");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: mapping of [off, off+len) of the object");
}
ATF_TC_BODY(mmap__offset_maps_that_part, tc)
{
	int fd = data_file(3 * fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, (off_t)(2 * fx_page_size())));
	char buf[16];

	FX_REQUIRE_EQ(pread(fd, buf, sizeof buf, (off_t)(2 * fx_page_size())), sizeof buf);
	FX_REQUIRE_MEMEQ(p, buf, sizeof buf);
}

ATF_TC(mmap__length_zero_einval);
ATF_TC_HEAD(mmap__length_zero_einval, tc)
{
	fx_meta(tc, "posix", "a length of 0 fails with EINVAL, for files and anonymous memory");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap ERRORS [EINVAL]: len is zero");
}
ATF_TC_BODY(mmap__length_zero_einval, tc)
{
	int fd = data_file(fx_page_size());

	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0));
	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

ATF_TC(mmap__no_sharing_type_einval);
ATF_TC_HEAD(mmap__no_sharing_type_einval, tc)
{
	fx_meta(tc, "posix", "flags with neither MAP_SHARED nor MAP_PRIVATE fail with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap ERRORS [EINVAL]: flags argument is invalid");
}
ATF_TC_BODY(mmap__no_sharing_type_einval, tc)
{
	int fd = data_file(fx_page_size());

	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, 0, fd, 0));
	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, MAP_ANONYMOUS, -1, 0));
}

ATF_TC(mmap__rdonly_fd_shared_write_eacces);
ATF_TC_HEAD(mmap__rdonly_fd_shared_write_eacces, tc)
{
	fx_meta(tc, "posix", "PROT_WRITE with MAP_SHARED on a descriptor opened O_RDONLY fails with EACCES");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap ERRORS [EACCES]: PROT_WRITE, MAP_SHARED, not open for writing");
}
ATF_TC_BODY(mmap__rdonly_fd_shared_write_eacces, tc)
{
	int ro;

	data_file(fx_page_size());
	ro = FX_OK(open(DATA_FILE, O_RDONLY));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
	FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, ro, 0));
	FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0));
}

ATF_TC(mmap__wronly_fd_eacces);
ATF_TC_HEAD(mmap__wronly_fd_eacces, tc)
{
	fx_meta(tc, "posix", "mapping a descriptor opened O_WRONLY fails with EACCES, shared or private");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap ERRORS [EACCES]: fildes not open for read");
}
ATF_TC_BODY(mmap__wronly_fd_eacces, tc)
{
	int wo;

	data_file(fx_page_size());
	wo = FX_OK(open(DATA_FILE, O_WRONLY));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, wo, 0));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_WRITE, MAP_SHARED, wo, 0));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_READ, MAP_PRIVATE, wo, 0));
}

ATF_TC(mmap__bad_fd_ebadf);
ATF_TC_HEAD(mmap__bad_fd_ebadf, tc)
{
	fx_meta(tc, "posix", "mapping a closed descriptor without MAP_ANONYMOUS fails with EBADF");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap ERRORS [EBADF]");
}
ATF_TC_BODY(mmap__bad_fd_ebadf, tc)
{
	int fd = data_file(fx_page_size());

	FX_OK(close(fd));
	FX_REQUIRE_ERRNO(EBADF, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));
	FX_REQUIRE_ERRNO(EBADF, mmap(NULL, fx_page_size(), PROT_READ, MAP_PRIVATE, -1, 0));
}

ATF_TC(mmap__pipe_enodev);
ATF_TC_HEAD(mmap__pipe_enodev, tc)
{
	fx_meta(tc, "posix", "mapping a pipe fails with ENODEV: the file type does not support mmap");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap ERRORS [ENODEV]");
}
ATF_TC_BODY(mmap__pipe_enodev, tc)
{
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_ERRNO(ENODEV, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, p[0], 0));
}

ATF_TC(mmap__beyond_eof_sigbus);
ATF_TC_HEAD(mmap__beyond_eof_sigbus, tc)
{
	fx_meta(tc, "posix", "touching a mapped page wholly beyond the end of the file raises SIGBUS");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: references beyond the end of the object result in SIGBUS");
}
ATF_TC_BODY(mmap__beyond_eof_sigbus, tc)
{
	int fd = data_file(100);
	char *p = FX_OK_PTR(mmap(NULL, 3 * fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	fx_child_expect_signal(fx_spawn(load_byte, p + fx_page_size()), SIGBUS, FX_DEADLINE);
	fx_child_expect_signal(fx_spawn(store_byte, p + 2 * fx_page_size() + 5), SIGBUS, FX_DEADLINE);
	FX_REQUIRE_EQ(p[99], 'a' + 99 % 26);
}

ATF_TC(mmap__partial_page_tail_zero);
ATF_TC_HEAD(mmap__partial_page_tail_zero, tc)
{
	fx_meta(tc, "posix", "the part of the last page past end-of-file reads zeros, and stores there do not reach the file");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: the remainder of the last page is zero-filled and not written out");
}
ATF_TC_BODY(mmap__partial_page_tail_zero, tc)
{
	int fd = data_file(100);
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	struct stat st;
	size_t i;

	for (i = 100; i < fx_page_size(); i++)
		FX_REQUIRE(p[i] == 0, "byte %zu past end-of-file is 0x%02x", i, (unsigned char)p[i]);
	memcpy(p + 200, "beyond", 6);
	FX_OK(msync(p, fx_page_size(), MS_SYNC));
	FX_OK(fstat(fd, &st));
	FX_REQUIRE_EQ(st.st_size, 100);
}

ATF_TC(mmap__length_rounded_to_pages);
ATF_TC_HEAD(mmap__length_rounded_to_pages, tc)
{
	fx_meta(tc, "posix", "a mapping of 1 byte covers its whole page: the page's last byte is the file's");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: whole pages are mapped; the range is rounded to pages");
}
ATF_TC_BODY(mmap__length_rounded_to_pages, tc)
{
	int fd = data_file(2 * fx_page_size());
	volatile char *p = FX_OK_PTR(mmap(NULL, 1, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	char c;

	FX_REQUIRE_EQ(p[fx_page_size() - 1], 'a' + (fx_page_size() - 1) % 26);
	p[fx_page_size() - 1] = '!';
	FX_REQUIRE_EQ(pread(fd, &c, 1, (off_t)fx_page_size() - 1), 1);
	FX_REQUIRE_EQ(c, '!');
	FX_OK(munmap((void *)p, fx_page_size()));
}

ATF_TC(mmap__survives_close);
ATF_TC_HEAD(mmap__survives_close, tc)
{
	fx_meta(tc, "posix", "a mapping stays valid and shared with the file after its descriptor is closed");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: closing fildes does not unmap");
}
ATF_TC_BODY(mmap__survives_close, tc)
{
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	char buf[6];

	FX_OK(close(fd));
	memcpy(p, "closed", 6);
	fd = FX_OK(open(DATA_FILE, O_RDONLY));
	FX_REQUIRE_EQ(pread(fd, buf, 6, 0), 6);
	FX_REQUIRE_MEMEQ(buf, "closed", 6);
}

ATF_TC(mmap__fixed_replaces_mapping);
ATF_TC_HEAD(mmap__fixed_replaces_mapping, tc)
{
	fx_meta(tc, "posix", "MAP_FIXED maps exactly at addr, replacing the pages of an existing mapping there");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: MAP_FIXED ... removes any existing mappings");
}
ATF_TC_BODY(mmap__fixed_replaces_mapping, tc)
{
	int fd = data_file(fx_page_size());
	char *anon = FX_OK_PTR(mmap(NULL, 3 * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char *mid = anon + fx_page_size();

	memset(anon, 'z', 3 * fx_page_size());
	FX_REQUIRE_EQ((uintptr_t)mmap(mid, fx_page_size(), PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0),
	    (uintptr_t)mid);
	FX_REQUIRE_MEMEQ(mid, "abcdef", 6);
	FX_REQUIRE_EQ(anon[0], 'z');
	FX_REQUIRE_EQ(anon[2 * fx_page_size()], 'z');
}

ATF_TC(mmap__fixed_unaligned_einval);
ATF_TC_HEAD(mmap__fixed_unaligned_einval, tc)
{
	fx_meta(tc, "posix", "MAP_FIXED with an address that is not page-aligned fails with EINVAL");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap ERRORS [EINVAL]: MAP_FIXED and addr not a multiple of the page size");
}
ATF_TC_BODY(mmap__fixed_unaligned_einval, tc)
{
	char *anon = FX_OK_PTR(mmap(NULL, 2 * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	anon[1] = 'k';
	FX_REQUIRE_ERRNO(EINVAL, mmap(anon + 1, fx_page_size(), PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	FX_REQUIRE_EQ(anon[1], 'k');
}

ATF_TC(mmap__fixed_noreplace_eexist);
ATF_TC_HEAD(mmap__fixed_noreplace_eexist, tc)
{
	fx_meta(tc, "linux", "MAP_FIXED_NOREPLACE over an existing mapping fails with EEXIST and leaves it");
	atf_tc_set_md_var(tc, "X-spec", "mmap(2): MAP_FIXED_NOREPLACE (since Linux 4.17) ERRORS: EEXIST");
}
ATF_TC_BODY(mmap__fixed_noreplace_eexist, tc)
{
	char *anon = FX_OK_PTR(mmap(NULL, 2 * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	void *r;

	anon[fx_page_size()] = 'k';
	errno = 0;
	r = mmap(anon + fx_page_size(), fx_page_size(), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	fx_require_kernel_feature(4, 17, "MAP_FIXED_NOREPLACE", r == MAP_FAILED ||
	    r == anon + fx_page_size(), "mmap took it for a hint and mapped elsewhere");
	FX_REQUIRE(r == MAP_FAILED && errno == EEXIST,
	    "MAP_FIXED_NOREPLACE over a mapping returned %p, errno %s", r, fx_errno_name(errno));
	FX_REQUIRE_EQ(anon[fx_page_size()], 'k');
}

ATF_TC(mmap__shared_validate_unknown_flag);
ATF_TC_HEAD(mmap__shared_validate_unknown_flag, tc)
{
	fx_meta(tc, "linux", "MAP_SHARED_VALIDATE with a flag the kernel does not know fails with EOPNOTSUPP; MAP_SHARED ignores it");
	atf_tc_set_md_var(tc, "X-spec", "mmap(2): MAP_SHARED_VALIDATE (since Linux 4.15) ERRORS: EOPNOTSUPP");
}
ATF_TC_BODY(mmap__shared_validate_unknown_flag, tc)
{
	/* 0x400000: no mapping flag in the generic or x86 layouts. */
	const int unknown = 0x400000;
	int fd = data_file(fx_page_size());
	void *r;

	errno = 0;
	r = mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED_VALIDATE, fd, 0);
	fx_require_kernel_feature(4, 15, "MAP_SHARED_VALIDATE", !(r == MAP_FAILED && errno == EINVAL),
	    "mmap(MAP_SHARED_VALIDATE) of a file fails with EINVAL");
	FX_REQUIRE(r != MAP_FAILED, "mmap(MAP_SHARED_VALIDATE) failed: %s", fx_errno_name(errno));
	FX_REQUIRE_ERRNO(EOPNOTSUPP, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED_VALIDATE | unknown, fd, 0));
	FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED | unknown, fd, 0));
}

ATF_TC(mmap__prot_none_sigsegv);
ATF_TC_HEAD(mmap__prot_none_sigsegv, tc)
{
	fx_meta(tc, "posix", "loading from a PROT_NONE mapping raises SIGSEGV");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: PROT_NONE; access not permitted by prot results in SIGSEGV");
}
ATF_TC_BODY(mmap__prot_none_sigsegv, tc)
{
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	fx_child_expect_signal(fx_spawn(load_byte, p), SIGSEGV, FX_DEADLINE);
}

ATF_TC(mmap__read_only_store_sigsegv);
ATF_TC_HEAD(mmap__read_only_store_sigsegv, tc)
{
	fx_meta(tc, "posix", "a store to a PROT_READ file mapping raises SIGSEGV and the file is unchanged");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: write to a mapping without PROT_WRITE results in SIGSEGV");
}
ATF_TC_BODY(mmap__read_only_store_sigsegv, tc)
{
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));
	char c;

	fx_child_expect_signal(fx_spawn(store_byte, p), SIGSEGV, FX_DEADLINE);
	FX_REQUIRE_EQ(pread(fd, &c, 1, 0), 1);
	FX_REQUIRE_EQ(c, 'a');
}

ATF_TC(mmap__file_growth_ends_sigbus);
ATF_TC_HEAD(mmap__file_growth_ends_sigbus, tc)
{
	fx_meta(tc, "posix", "after the file grows with ftruncate, a mapped page that was beyond end-of-file is usable");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: SIGBUS only for references beyond the current end of the object");
}
ATF_TC_BODY(mmap__file_growth_ends_sigbus, tc)
{
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, 2 * fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	char buf[5];

	fx_child_expect_signal(fx_spawn(load_byte, p + fx_page_size()), SIGBUS, FX_DEADLINE);
	FX_OK(ftruncate(fd, (off_t)(2 * fx_page_size())));
	FX_REQUIRE_EQ(p[fx_page_size()], 0);
	memcpy(p + fx_page_size(), "grown", 5);
	FX_REQUIRE_EQ(pread(fd, buf, 5, (off_t)fx_page_size()), 5);
	FX_REQUIRE_MEMEQ(buf, "grown", 5);
}

ATF_TC(mmap__file_shrink_sigbus);
ATF_TC_HEAD(mmap__file_shrink_sigbus, tc)
{
	fx_meta(tc, "posix", "after the file shrinks with ftruncate, touching a mapped page now beyond end-of-file raises SIGBUS");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mmap: references beyond the end of the object result in SIGBUS");
}
ATF_TC_BODY(mmap__file_shrink_sigbus, tc)
{
	int fd = data_file(3 * fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, 3 * fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	FX_REQUIRE_EQ(p[2 * fx_page_size()], 'a' + (2 * fx_page_size()) % 26);
	FX_OK(ftruncate(fd, (off_t)fx_page_size()));
	fx_child_expect_signal(fx_spawn(load_byte, p + 2 * fx_page_size()), SIGBUS, FX_DEADLINE);
	FX_REQUIRE_EQ(p[0], 'a');
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mmap__shared_file_visible_to_other_process);
	ATF_TP_ADD_TC(tp, mmap__shared_store_visible_to_read);
	ATF_TP_ADD_TC(tp, mmap__write_visible_in_shared_mapping);
	ATF_TP_ADD_TC(tp, mmap__private_store_not_in_file);
	ATF_TP_ADD_TC(tp, mmap__private_not_visible_to_other_process);
	ATF_TP_ADD_TC(tp, mmap__anon_shared_with_child);
	ATF_TP_ADD_TC(tp, mmap__anon_private_not_shared);
	ATF_TP_ADD_TC(tp, mmap__anon_zero_filled);
	ATF_TP_ADD_TC(tp, mmap__offset_not_page_multiple_einval);
	ATF_TP_ADD_TC(tp, mmap__offset_maps_that_part);
	ATF_TP_ADD_TC(tp, mmap__length_zero_einval);
	ATF_TP_ADD_TC(tp, mmap__no_sharing_type_einval);
	ATF_TP_ADD_TC(tp, mmap__rdonly_fd_shared_write_eacces);
	ATF_TP_ADD_TC(tp, mmap__wronly_fd_eacces);
	ATF_TP_ADD_TC(tp, mmap__bad_fd_ebadf);
	ATF_TP_ADD_TC(tp, mmap__pipe_enodev);
	ATF_TP_ADD_TC(tp, mmap__beyond_eof_sigbus);
	ATF_TP_ADD_TC(tp, mmap__partial_page_tail_zero);
	ATF_TP_ADD_TC(tp, mmap__length_rounded_to_pages);
	ATF_TP_ADD_TC(tp, mmap__survives_close);
	ATF_TP_ADD_TC(tp, mmap__fixed_replaces_mapping);
	ATF_TP_ADD_TC(tp, mmap__fixed_unaligned_einval);
	ATF_TP_ADD_TC(tp, mmap__fixed_noreplace_eexist);
	ATF_TP_ADD_TC(tp, mmap__shared_validate_unknown_flag);
	ATF_TP_ADD_TC(tp, mmap__prot_none_sigsegv);
	ATF_TP_ADD_TC(tp, mmap__read_only_store_sigsegv);
	ATF_TP_ADD_TC(tp, mmap__file_growth_ends_sigbus);
	ATF_TP_ADD_TC(tp, mmap__file_shrink_sigbus);
	return atf_no_error();
}
