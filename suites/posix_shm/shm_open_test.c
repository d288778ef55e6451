/*
 * shm_open(3) with ftruncate(2), fstat(2) and mmap(2): POSIX shared memory
 * objects, their names, modes, sizes and sharing between processes.
 */
#include "fx.h"

#include <fcntl.h>
#include <poll.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A new object of `size` bytes, open read-write; its name goes to name. */
static int
new_object(char *name, size_t len, off_t size)
{
	int fd;

	fx_posix_name(FX_POSIX_SHM, "obj", name, len);
	fd = FX_OK(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
	FX_OK(ftruncate(fd, size));
	return fd;
}

FX_CASE(shm_open__creat_makes_object, "posix", "O_CREAT makes a new object: a regular-file descriptor of size 0, owned by the caller",
    "POSIX.1-2017 XSH shm_open: O_CREAT; the object has a size of zero")
{
	char name[NAME_MAX + 1];
	int fd = FX_OK(shm_open(fx_posix_name(FX_POSIX_SHM, "o", name, sizeof name),
	    O_RDWR | O_CREAT, 0600));
	struct stat st;

	FX_OK(fstat(fd, &st));
	FX_REQUIRE_EQ(st.st_size, 0);
	FX_REQUIRE_EQ(st.st_uid, geteuid());
	FX_REQUIRE_EQ(st.st_gid, getegid());
	FX_REQUIRE_EQ(st.st_mode & 07777, 0600);
}

FX_CASE(shm_open__fd_close_on_exec, "posix", "the descriptor shm_open returns has FD_CLOEXEC set",
    "POSIX.1-2017 XSH shm_open: the FD_CLOEXEC file descriptor flag is set")
{
	char name[NAME_MAX + 1];
	int fd = new_object(name, sizeof name, 0);
	int ro = FX_OK(shm_open(name, O_RDONLY, 0));

	FX_REQUIRE(FX_OK(fcntl(fd, F_GETFD)) & FD_CLOEXEC, "created fd lacks FD_CLOEXEC");
	FX_REQUIRE(FX_OK(fcntl(ro, F_GETFD)) & FD_CLOEXEC, "opened fd lacks FD_CLOEXEC");
}

FX_CASE(shm_open__excl_eexist, "posix", "O_CREAT|O_EXCL on an existing name fails with EEXIST",
    "POSIX.1-2017 XSH shm_open ERRORS [EEXIST]")
{
	char name[NAME_MAX + 1];

	new_object(name, sizeof name, 0);
	FX_REQUIRE_ERRNO(EEXIST, shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
	FX_REQUIRE_ERRNO(EEXIST, shm_open(name, O_RDONLY | O_CREAT | O_EXCL, 0600));
}

FX_CASE(shm_open__no_creat_enoent, "posix", "opening a name that does not exist without O_CREAT fails with ENOENT",
    "POSIX.1-2017 XSH shm_open ERRORS [ENOENT]")
{
	char name[NAME_MAX + 1];

	fx_posix_name(FX_POSIX_SHM, "absent", name, sizeof name);
	FX_REQUIRE_ERRNO(ENOENT, shm_open(name, O_RDWR, 0600));
	FX_REQUIRE_ERRNO(ENOENT, shm_open(name, O_RDONLY, 0600));
}

FX_CASE(shm_open__name_too_long, "posix", "a name longer than NAME_MAX fails with ENAMETOOLONG",
    "POSIX.1-2017 XSH shm_open ERRORS [ENAMETOOLONG]")
{
	char name[NAME_MAX + 3];

	/*
	 * One past NAME_MAX: longer names make glibc 2.36 overflow its
	 * "/dev/shm/" path buffer and report EINVAL instead (later glibc
	 * returns ENAMETOOLONG there too).
	 */
	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX + 1);
	name[NAME_MAX + 2] = '\0';
	FX_REQUIRE_ERRNO(ENAMETOOLONG, shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
	FX_REQUIRE_ERRNO(ENAMETOOLONG, shm_open(name, O_RDONLY, 0));
}

FX_CASE(shm_open__bad_names_einval, "linux", "glibc and musl reject a name with an embedded slash, and an empty name, with EINVAL",
    "shm_open(3) ERRORS: EINVAL ... name was invalid")
{
	static const char *const names[] = { "/ipcconf/a", "/ipcconf.dir/x", "/", "" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		FX_CHECK_ERRNO_MSG(EINVAL, shm_open(names[i], O_RDWR | O_CREAT | O_EXCL, 0600),
		    "shm_open(\"%s\", O_CREAT)", names[i]);
		(void)shm_unlink(names[i]); /* in case it was created */
	}
}

FX_CASE(shm_open__leading_slash_optional, "linux", "on Linux \"/name\" and \"name\" name the same object",
    "shm_open(3): name of the form /somename; leading slashes are skipped")
{
	char name[NAME_MAX + 1];
	int fd = new_object(name, sizeof name, 0);
	int bare = FX_OK(shm_open(name + 1, O_RDWR, 0));
	struct stat a, b;

	FX_OK(fstat(fd, &a));
	FX_OK(fstat(bare, &b));
	FX_REQUIRE_EQ(a.st_ino, b.st_ino);
	FX_REQUIRE_EQ(a.st_dev, b.st_dev);
}

FX_CASE(shm_open__mode_honours_umask, "posix", "a new object's permission bits are mode less the process umask",
    "POSIX.1-2017 XSH shm_open: permission bits set to mode except those set in the umask")
{
	char a[NAME_MAX + 1], b[NAME_MAX + 1];
	struct stat st;
	int fd;

	umask(027);
	fd = FX_OK(shm_open(fx_posix_name(FX_POSIX_SHM, "a", a, sizeof a), O_RDWR | O_CREAT, 0666));
	FX_OK(fstat(fd, &st));
	FX_REQUIRE_EQ(st.st_mode & 0777, 0640);
	umask(0);
	fd = FX_OK(shm_open(fx_posix_name(FX_POSIX_SHM, "b", b, sizeof b), O_RDWR | O_CREAT, 0604));
	FX_OK(fstat(fd, &st));
	FX_REQUIRE_EQ(st.st_mode & 0777, 0604);
}

FX_CASE(shm_open__creat_existing_keeps_mode_and_data, "posix", "O_CREAT without O_EXCL on an existing name opens it: mode, size and data are unchanged",
    "POSIX.1-2017 XSH shm_open: O_CREAT has no effect if the object exists")
{
	char name[NAME_MAX + 1], buf[4];
	int fd = new_object(name, sizeof name, 100), again;
	struct stat st;

	FX_REQUIRE_EQ(pwrite(fd, "old", 3, 10), 3);
	again = FX_OK(shm_open(name, O_RDWR | O_CREAT, 0644));
	FX_OK(fstat(again, &st));
	FX_REQUIRE_EQ(st.st_mode & 0777, 0600);
	FX_REQUIRE_EQ(st.st_size, 100);
	FX_REQUIRE_EQ(pread(again, buf, 3, 10), 3);
	FX_REQUIRE_MEMEQ(buf, "old", 3);
}

FX_CASE(shm_open__trunc_empties, "posix", "O_TRUNC with O_RDWR on an existing object truncates it to size 0",
    "POSIX.1-2017 XSH shm_open: O_TRUNC")
{
	char name[NAME_MAX + 1];
	struct stat st;

	new_object(name, sizeof name, 3 * fx_page_size());
	FX_OK(fstat(FX_OK(shm_open(name, O_RDWR | O_TRUNC, 0)), &st));
	FX_REQUIRE_EQ(st.st_size, 0);
}

FX_CASE(shm_open__ftruncate_sets_size, "posix", "ftruncate sets an object's size, up and down, and fstat reports it",
    "POSIX.1-2017 XSH ftruncate: shared memory object; XSH fstat st_size")
{
	static const off_t sizes[] = { 1, 10000, 3 * 4096 + 5, 7, 0 };
	char name[NAME_MAX + 1];
	int fd = new_object(name, sizeof name, 0);
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		FX_OK(ftruncate(fd, sizes[i]));
		FX_OK(fstat(fd, &st));
		FX_REQUIRE_EQ(st.st_size, sizes[i]);
	}
}

FX_CASE(shm_open__grown_object_zero_filled, "posix", "bytes added by ftruncate read as zeros, also where data was before a shrink",
    "POSIX.1-2017 XSH ftruncate: the extended area appears as if zero-filled")
{
	char name[NAME_MAX + 1], zeros[64] = { 0 };
	int fd = new_object(name, sizeof name, 64);
	unsigned char *p;

	FX_REQUIRE_EQ(pwrite(fd, "0123456789", 10, 0), 10);
	FX_OK(ftruncate(fd, 5));
	FX_OK(ftruncate(fd, 2 * fx_page_size()));
	p = FX_OK_PTR(mmap(NULL, 2 * fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));
	FX_REQUIRE_MEMEQ(p, "01234", 5);
	FX_REQUIRE_MEMEQ(p + 5, zeros, 5);
	FX_REQUIRE_EQ(p[2 * fx_page_size() - 1], 0);
}

struct pc { char name[NAME_MAX + 1]; int ready[2]; int done[2]; };

/* The consumer opens the name in its own process, maps it, reads and answers. */
static void
consumer(void *arg)
{
	struct pc *pc = arg;
	int fd;
	char *p;

	fx_event_wait(pc->ready[0], FX_DEADLINE);
	fd = FX_OK(shm_open(pc->name, O_RDWR, 0));
	p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	FX_REQUIRE_MEMEQ(p, "HelloWorld!", 12);
	memcpy(p + 64, "consumed", 9);
	fx_event_post(pc->done[1]);
}

FX_CASE(shm_open__producer_consumer, "posix", "two processes that open one name and map it MAP_SHARED see each other's stores",
    "POSIX.1-2017 XSH shm_open; XSH mmap MAP_SHARED")
{
	struct pc pc;
	struct fx_child *c;
	char *p;
	int fd;

	fx_posix_name(FX_POSIX_SHM, "pc", pc.name, sizeof pc.name);
	FX_OK(pipe(pc.ready));
	FX_OK(pipe(pc.done));
	c = fx_spawn(consumer, &pc);
	fd = FX_OK(shm_open(pc.name, O_RDWR | O_CREAT | O_EXCL, 0600));
	FX_OK(ftruncate(fd, fx_page_size()));
	p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	memcpy(p, "Hello", 5);
	memcpy(p + 5, "World!", 7);
	fx_event_post(pc.ready[1]);
	fx_event_wait(pc.done[0], FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p + 64, "consumed", 9);
	fx_child_join(c, FX_DEADLINE);
}

FX_CASE(shm_open__rdonly_map_shared_write_eacces, "posix", "an object opened O_RDONLY cannot be mapped PROT_WRITE with MAP_SHARED (EACCES), but PROT_READ works",
    "POSIX.1-2017 XSH mmap ERRORS [EACCES]: PROT_WRITE, MAP_SHARED, not open for writing")
{
	char name[NAME_MAX + 1];
	int ro;

	new_object(name, sizeof name, fx_page_size());
	ro = FX_OK(shm_open(name, O_RDONLY, 0));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
	FX_REQUIRE_ERRNO(EACCES, mmap(NULL, fx_page_size(), PROT_WRITE, MAP_SHARED, ro, 0));
	FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, ro, 0));
}

FX_CASE(shm_open__rdonly_map_private_write_ok, "posix", "an O_RDONLY object can be mapped PROT_WRITE with MAP_PRIVATE; stores stay private",
    "POSIX.1-2017 XSH mmap: MAP_PRIVATE changes are private; EACCES only for MAP_SHARED")
{
	char name[NAME_MAX + 1], buf[8];
	int fd = new_object(name, sizeof name, fx_page_size()), ro;
	char *p;

	ro = FX_OK(shm_open(name, O_RDONLY, 0));
	p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0));
	memcpy(p, "private", 8);
	FX_REQUIRE_EQ(pread(fd, buf, 8, 0), 8);
	FX_REQUIRE(buf[0] == 0, "a MAP_PRIVATE store reached the object: %.8s", buf);
}

FX_CASE(shm_open__rdonly_ftruncate_fails, "linux", "ftruncate of an object opened O_RDONLY fails (EINVAL on Linux) and leaves its size",
    "POSIX.1-2017 XSH ftruncate ERRORS [EBADF] or [EINVAL]: not open for writing; ftruncate(2) EINVAL")
{
	char name[NAME_MAX + 1];
	int fd = new_object(name, sizeof name, 100);
	struct stat st;

	FX_REQUIRE_ERRNO(EINVAL, ftruncate(FX_OK(shm_open(name, O_RDONLY, 0)), 200));
	FX_OK(fstat(fd, &st));
	FX_REQUIRE_EQ(st.st_size, 100);
}

FX_CASE(shm_open__persists_after_close, "posix", "an object and its data persist after every descriptor and mapping is gone, until unlinked",
    "POSIX.1-2017 XSH shm_unlink: the object persists until it is unlinked and unreferenced")
{
	char name[NAME_MAX + 1];
	int fd = new_object(name, sizeof name, fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	memcpy(p, "kept", 5);
	FX_OK(munmap(p, fx_page_size()));
	FX_OK(close(fd));
	fd = FX_OK(shm_open(name, O_RDONLY, 0));
	p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));
	FX_REQUIRE_MEMEQ(p, "kept", 5);
}

static void
touch_page(void *arg)
{
	volatile char *p = arg;

	fx_no_core_dumps();
	p[0] = 1;
}

FX_CASE(shm_open__beyond_size_sigbus, "posix", "a mapping longer than the object raises SIGBUS for a page wholly beyond its size",
    "POSIX.1-2017 XSH mmap: references beyond the end of the object result in SIGBUS")
{
	char name[NAME_MAX + 1];
	int fd = new_object(name, sizeof name, fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, 2 * fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	p[fx_page_size() - 1] = 1;
	fx_child_expect_signal(fx_spawn(touch_page, p + fx_page_size()), SIGBUS, FX_DEADLINE);
}

static void
resize_and_chmod(void *arg)
{
	int fd = FX_OK(shm_open(arg, O_RDWR, 0));

	FX_OK(ftruncate(fd, 5000));
	FX_OK(fchmod(fd, 0640));
}

FX_CASE(shm_open__fstat_follows_other_process, "posix", "fstat reports the size and mode another process set through its own descriptor",
    "POSIX.1-2017 XSH fstat: shared memory object st_size, st_mode; XSH ftruncate, fchmod")
{
	char *name = fx_shared(NAME_MAX + 1);
	int fd = new_object(name, NAME_MAX + 1, 0);
	struct stat st;

	fx_child_join(fx_spawn(resize_and_chmod, name), FX_DEADLINE);
	FX_OK(fstat(fd, &st));
	FX_REQUIRE_EQ(st.st_size, 5000);
	FX_REQUIRE_EQ(st.st_mode & 0777, 0640);
}

static void
open_as_other(void *arg)
{
	const char *name = arg;

	FX_REQUIRE_ERRNO(EACCES, shm_open(name, O_RDONLY, 0));
	FX_REQUIRE_ERRNO(EACCES, shm_open(name, O_RDWR, 0));
	FX_REQUIRE_ERRNO(EACCES, shm_open(name, O_RDWR | O_CREAT, 0600));
}

FX_CASE(shm_open__other_user_eacces, "posix", "another unprivileged user opening a 0600 object fails with EACCES",
    "POSIX.1-2017 XSH shm_open ERRORS [EACCES]")
{
	char *name = fx_shared(NAME_MAX + 1);

	new_object(name, NAME_MAX + 1, 0);
	fx_child_join(fx_spawn_as_other_user(open_as_other, name), FX_DEADLINE);
}

static void
open_read_only_as_other(void *arg)
{
	const char *name = arg;
	int fd;
	char *p;

	FX_REQUIRE_ERRNO(EACCES, shm_open(name, O_RDWR, 0));
	fd = FX_OK(shm_open(name, O_RDONLY, 0));
	p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ, MAP_SHARED, fd, 0));
	FX_REQUIRE_MEMEQ(p, "public", 7);
}

FX_CASE(shm_open__other_user_read_only_mode, "posix", "another user may open a 0604 object O_RDONLY and read it, but O_RDWR fails with EACCES",
    "POSIX.1-2017 XSH shm_open ERRORS [EACCES]: permission denied for oflag")
{
	char *name = fx_shared(NAME_MAX + 1);
	int fd = new_object(name, NAME_MAX + 1, fx_page_size());

	FX_OK(fchmod(fd, 0604));
	FX_REQUIRE_EQ(pwrite(fd, "public", 7, 0), 7);
	fx_child_join(fx_spawn_as_other_user(open_read_only_as_other, name), FX_DEADLINE);
}

static void
owner_mode_eacces(void *arg)
{
	const char *name = arg;

	FX_OK(shm_open(name, O_RDONLY | O_CREAT | O_EXCL, 0400));
	FX_REQUIRE_ERRNO(EACCES, shm_open(name, O_RDWR, 0));
	FX_OK(shm_open(name, O_RDONLY, 0));
}
FX_CASE(shm_open__owner_mode_eacces, "posix", "the unprivileged owner of a 0400 object opening it O_RDWR fails with EACCES",
    "POSIX.1-2017 XSH shm_open ERRORS [EACCES]")
{
	char name[NAME_MAX + 1];

	fx_posix_name(FX_POSIX_SHM, "ro", name, sizeof name);
	/* CAP_DAC_OVERRIDE bypasses the mode: as root, the owner is the other user. */
	fx_run_unprivileged(owner_mode_eacces, name);
}

FX_CASE(shm_open__visible_in_dev_shm, "linux", "on Linux an object is the file /dev/shm/<name> (the same inode, size and mode)",
    "shm_overview(7): objects are created in a tmpfs mounted under /dev/shm")
{
	char name[NAME_MAX + 1], path[PATH_MAX];
	int fd = new_object(name, sizeof name, 12345);
	struct stat a, b;

	FX_OK(fstat(fd, &a));
	snprintf(path, sizeof path, "/dev/shm%s", name);
	FX_OK(stat(path, &b));
	FX_REQUIRE_EQ(a.st_ino, b.st_ino);
	FX_REQUIRE_EQ(b.st_size, 12345);
	FX_REQUIRE_EQ(b.st_mode & 07777, 0600);
	FX_REQUIRE(S_ISREG(b.st_mode), "/dev/shm entry mode 0%o is not a regular file", b.st_mode);
}
