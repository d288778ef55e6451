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

FX_CASE(mmap__shared_file_visible_to_other_process, "posix", "stores to a MAP_SHARED file mapping are seen by another process that maps the same file",
    "POSIX.1-2017 XSH mmap: MAP_SHARED write references change the underlying object")
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

FX_CASE(mmap__shared_store_visible_to_read, "linux", "a store to a MAP_SHARED mapping is returned by read(2) of the file at once, without msync",
    "mmap(2): MAP_SHARED updates are visible to other processes mapping or reading the file")
{
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	char buf[8];
	int other = FX_OK(open(DATA_FILE, O_RDONLY));

	memcpy(p + 100, "stored", 6);
	FX_REQUIRE_EQ(pread(other, buf, 6, 100), 6);
	FX_REQUIRE_MEMEQ(buf, "stored", 6);
}

FX_CASE(mmap__write_visible_in_shared_mapping, "linux", "write(2) to a file is seen at once through an existing MAP_SHARED mapping of it",
    "mmap(2): MAP_SHARED; the page cache is shared with read/write")
{
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));

	FX_REQUIRE_EQ(pwrite(fd, "written", 7, 200), 7);
	FX_REQUIRE_MEMEQ(p + 200, "written", 7);
}

FX_CASE(mmap__private_store_not_in_file, "posix", "a store to a MAP_PRIVATE mapping changes neither the file nor a MAP_SHARED mapping of it",
    "POSIX.1-2017 XSH mmap: MAP_PRIVATE changes are private to the process (copy on write)")
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

FX_CASE(mmap__private_not_visible_to_other_process, "posix", "another process mapping the file MAP_SHARED does not see stores to this process's MAP_PRIVATE mapping",
    "POSIX.1-2017 XSH mmap: MAP_PRIVATE")
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

FX_CASE(mmap__anon_shared_with_child, "linux", "MAP_SHARED|MAP_ANONYMOUS memory is shared with a forked child in both directions",
    "mmap(2): MAP_ANONYMOUS with MAP_SHARED; fork(2) keeps shared mappings shared")
{
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0));

	memcpy(p, "from parent", 12);
	fx_child_join(fx_spawn(anon_child, p), FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p + 64, "from child", 11);
}

FX_CASE(mmap__anon_private_not_shared, "linux", "MAP_PRIVATE|MAP_ANONYMOUS memory is copied at fork: the child's stores are not seen by the parent",
    "mmap(2): MAP_ANONYMOUS with MAP_PRIVATE; fork(2) copy-on-write")
{
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char zeros[11] = { 0 };

	memcpy(p, "from parent", 12);
	fx_child_join(fx_spawn(anon_child, p), FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p + 64, zeros, 11);
}

FX_CASE(mmap__anon_zero_filled, "linux", "anonymous mappings, shared or private, read as zeros",
    "mmap(2): MAP_ANONYMOUS ... its contents are initialized to zero")
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

FX_CASE(mmap__offset_not_page_multiple_einval, "posix", "an offset that is not a multiple of the page size fails with EINVAL",
    "POSIX.1-2017 XSH mmap ERRORS [EINVAL]: off not a multiple of the page size")
{
	int fd = data_file(3 * fx_page_size());

	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 1));
	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, MAP_PRIVATE, fd, (off_t)fx_page_size() / 2));
	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, (off_t)fx_page_size() + 512));
}

FX_CASE(mmap__offset_maps_that_part, "posix", "a page-multiple offset maps the file from that offset",
    "POSIX.1-2017 XSH mmap: mapping of [off, off+len) of the object")
{
	int fd = data_file(3 * fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, (off_t)(2 * fx_page_size())));
	char buf[16];

	FX_REQUIRE_EQ(pread(fd, buf, sizeof buf, (off_t)(2 * fx_page_size())), sizeof buf);
	FX_REQUIRE_MEMEQ(p, buf, sizeof buf);
}

FX_CASE(mmap__length_zero_einval, "posix", "a length of 0 fails with EINVAL, for files and anonymous memory",
    "POSIX.1-2017 XSH mmap ERRORS [EINVAL]: len is zero")
{
	int fd = data_file(fx_page_size());

	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0));
	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

FX_CASE(mmap__no_sharing_type_einval, "posix", "flags with neither MAP_SHARED nor MAP_PRIVATE fail with EINVAL",
    "POSIX.1-2017 XSH mmap ERRORS [EINVAL]: flags argument is invalid")
{
	int fd = data_file(fx_page_size());

	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, 0, fd, 0));
	FX_REQUIRE_ERRNO(EINVAL, mmap(NULL, fx_page_size(), PROT_READ, MAP_ANONYMOUS, -1, 0));
}

FX_CASE(mmap__rdonly_fd_shared_write_eacces, "posix", "PROT_WRITE with MAP_SHARED on a descriptor opened O_RDONLY fails with EACCES",
    "POSIX.1-2017 XSH mmap ERRORS [EACCES]: PROT_WRITE, MAP_SHARED, not open for writing")
{
	int ro;

	data_file(fx_page_size());
	ro = FX_OK(open(DATA_FILE, O_RDONLY));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
	FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, ro, 0));
	FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0));
}

FX_CASE(mmap__wronly_fd_eacces, "posix", "mapping a descriptor opened O_WRONLY fails with EACCES, shared or private",
    "POSIX.1-2017 XSH mmap ERRORS [EACCES]: fildes not open for read")
{
	int wo;

	data_file(fx_page_size());
	wo = FX_OK(open(DATA_FILE, O_WRONLY));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, wo, 0));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_WRITE, MAP_SHARED, wo, 0));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_READ, MAP_PRIVATE, wo, 0));
}

FX_CASE(mmap__bad_fd_ebadf, "posix", "mapping a closed descriptor without MAP_ANONYMOUS fails with EBADF",
    "POSIX.1-2017 XSH mmap ERRORS [EBADF]")
{
	int fd = data_file(fx_page_size());

	FX_OK(close(fd));
	FX_REQUIRE_ERRNO(EBADF, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));
	FX_REQUIRE_ERRNO(EBADF, mmap(NULL, fx_page_size(), PROT_READ, MAP_PRIVATE, -1, 0));
}

FX_CASE(mmap__pipe_enodev, "posix", "mapping a pipe fails with ENODEV: the file type does not support mmap",
    "POSIX.1-2017 XSH mmap ERRORS [ENODEV]")
{
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_ERRNO(ENODEV, mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, p[0], 0));
}

FX_CASE(mmap__beyond_eof_sigbus, "posix", "touching a mapped page wholly beyond the end of the file raises SIGBUS",
    "POSIX.1-2017 XSH mmap: references beyond the end of the object result in SIGBUS")
{
	int fd = data_file(100);
	char *p = FX_OK_PTR(mmap(NULL, 3 * fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	fx_child_expect_signal(fx_spawn(load_byte, p + fx_page_size()), SIGBUS, FX_DEADLINE);
	fx_child_expect_signal(fx_spawn(store_byte, p + 2 * fx_page_size() + 5), SIGBUS, FX_DEADLINE);
	FX_REQUIRE_EQ(p[99], 'a' + 99 % 26);
}

FX_CASE(mmap__partial_page_tail_zero, "posix", "the part of the last page past end-of-file reads zeros, and stores there do not reach the file",
    "POSIX.1-2017 XSH mmap: the remainder of the last page is zero-filled and not written out")
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

FX_CASE(mmap__length_rounded_to_pages, "posix", "a mapping of 1 byte covers its whole page: the page's last byte is the file's",
    "POSIX.1-2017 XSH mmap: whole pages are mapped; the range is rounded to pages")
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

FX_CASE(mmap__survives_close, "posix", "a mapping stays valid and shared with the file after its descriptor is closed",
    "POSIX.1-2017 XSH mmap: closing fildes does not unmap")
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

FX_CASE(mmap__fixed_replaces_mapping, "posix", "MAP_FIXED maps exactly at addr, replacing the pages of an existing mapping there",
    "POSIX.1-2017 XSH mmap: MAP_FIXED ... removes any existing mappings")
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

FX_CASE(mmap__fixed_unaligned_einval, "posix", "MAP_FIXED with an address that is not page-aligned fails with EINVAL",
    "POSIX.1-2017 XSH mmap ERRORS [EINVAL]: MAP_FIXED and addr not a multiple of the page size")
{
	char *anon = FX_OK_PTR(mmap(NULL, 2 * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	anon[1] = 'k';
	FX_REQUIRE_ERRNO(EINVAL, mmap(anon + 1, fx_page_size(), PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	FX_REQUIRE_EQ(anon[1], 'k');
}

FX_CASE(mmap__fixed_noreplace_eexist, "linux", "MAP_FIXED_NOREPLACE over an existing mapping fails with EEXIST and leaves it",
    "mmap(2): MAP_FIXED_NOREPLACE (since Linux 4.17) ERRORS: EEXIST")
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

FX_CASE(mmap__shared_validate_unknown_flag, "linux", "MAP_SHARED_VALIDATE with a flag the kernel does not know fails with EOPNOTSUPP; MAP_SHARED ignores it",
    "mmap(2): MAP_SHARED_VALIDATE (since Linux 4.15) ERRORS: EOPNOTSUPP")
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

FX_CASE(mmap__prot_none_sigsegv, "posix", "loading from a PROT_NONE mapping raises SIGSEGV",
    "POSIX.1-2017 XSH mmap: PROT_NONE; access not permitted by prot results in SIGSEGV")
{
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	fx_child_expect_signal(fx_spawn(load_byte, p), SIGSEGV, FX_DEADLINE);
}

FX_CASE(mmap__read_only_store_sigsegv, "posix", "a store to a PROT_READ file mapping raises SIGSEGV and the file is unchanged",
    "POSIX.1-2017 XSH mmap: write to a mapping without PROT_WRITE results in SIGSEGV")
{
	int fd = data_file(fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));
	char c;

	fx_child_expect_signal(fx_spawn(store_byte, p), SIGSEGV, FX_DEADLINE);
	FX_REQUIRE_EQ(pread(fd, &c, 1, 0), 1);
	FX_REQUIRE_EQ(c, 'a');
}

FX_CASE(mmap__file_growth_ends_sigbus, "posix", "after the file grows with ftruncate, a mapped page that was beyond end-of-file is usable",
    "POSIX.1-2017 XSH mmap: SIGBUS only for references beyond the current end of the object")
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

FX_CASE(mmap__file_shrink_sigbus, "posix", "after the file shrinks with ftruncate, touching a mapped page now beyond end-of-file raises SIGBUS",
    "POSIX.1-2017 XSH mmap: references beyond the end of the object result in SIGBUS")
{
	int fd = data_file(3 * fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, 3 * fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	FX_REQUIRE_EQ(p[2 * fx_page_size()], 'a' + (2 * fx_page_size()) % 26);
	FX_OK(ftruncate(fd, (off_t)fx_page_size()));
	fx_child_expect_signal(fx_spawn(load_byte, p + 2 * fx_page_size()), SIGBUS, FX_DEADLINE);
	FX_REQUIRE_EQ(p[0], 'a');
}
