/*
 * shm_unlink(3): removing the name of a POSIX shared memory object while
 * its descriptors and mappings live on.
 */
#include "fx.h"

#include <fcntl.h>
#include <poll.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int
new_object(char *name, size_t len, off_t size)
{
	int fd;

	fx_posix_name(FX_POSIX_SHM, "obj", name, len);
	fd = FX_OK(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
	FX_OK(ftruncate(fd, size));
	return fd;
}

FX_CASE(shm_unlink__removes_name, "posix", "after shm_unlink, opening the name without O_CREAT fails with ENOENT",
    "POSIX.1-2017 XSH shm_unlink: removes the name; XSH shm_open ERRORS [ENOENT]")
{
	char name[NAME_MAX + 1];

	new_object(name, sizeof name, 0);
	FX_OK(shm_unlink(name));
	FX_REQUIRE_ERRNO(ENOENT, shm_open(name, O_RDWR, 0));
	FX_REQUIRE_ERRNO(ENOENT, shm_open(name, O_RDONLY, 0));
}

FX_CASE(shm_unlink__missing_enoent, "posix", "shm_unlink of a name that does not exist (or was already unlinked) fails with ENOENT",
    "POSIX.1-2017 XSH shm_unlink ERRORS [ENOENT]")
{
	char name[NAME_MAX + 1];

	new_object(name, sizeof name, 0);
	FX_OK(shm_unlink(name));
	FX_REQUIRE_ERRNO(ENOENT, shm_unlink(name));
}

FX_CASE(shm_unlink__name_too_long, "posix", "shm_unlink of a name longer than NAME_MAX fails with ENAMETOOLONG",
    "POSIX.1-2017 XSH shm_unlink ERRORS [ENAMETOOLONG]")
{
	char name[NAME_MAX + 3];

	name[0] = '/';
	memset(name + 1, 'u', NAME_MAX + 1);
	name[NAME_MAX + 2] = '\0';
	FX_REQUIRE_ERRNO(ENAMETOOLONG, shm_unlink(name));
}

static void
read_after_unlink(void *arg)
{
	char *p = arg;

	FX_REQUIRE_MEMEQ(p, "after unlink", 13);
	memcpy(p + 100, "child too", 10);
}

FX_CASE(shm_unlink__mappings_keep_working, "posix", "after shm_unlink existing MAP_SHARED mappings keep sharing data between processes",
    "POSIX.1-2017 XSH shm_unlink: removal postponed until all references are gone")
{
	char name[NAME_MAX + 1];
	int fd = new_object(name, sizeof name, fx_page_size());
	char *p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));

	FX_OK(close(fd));
	FX_OK(shm_unlink(name));
	memcpy(p, "after unlink", 13);
	fx_child_join(fx_spawn(read_after_unlink, p), FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p + 100, "child too", 10);
}

FX_CASE(shm_unlink__descriptor_keeps_working, "posix", "after shm_unlink an open descriptor can still be resized, stat'ed and mapped",
    "POSIX.1-2017 XSH shm_unlink: references remain valid until closed")
{
	char name[NAME_MAX + 1];
	int fd = new_object(name, sizeof name, 10);
	struct stat st;
	char *p;

	FX_REQUIRE_EQ(pwrite(fd, "kept", 5, 0), 5);
	FX_OK(shm_unlink(name));
	FX_OK(ftruncate(fd, 2 * fx_page_size()));
	FX_OK(fstat(fd, &st));
	FX_REQUIRE_EQ(st.st_size, 2 * fx_page_size());
	FX_REQUIRE_EQ(st.st_nlink, 0);
	p = FX_OK_PTR(mmap(NULL, 2 * fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	FX_REQUIRE_MEMEQ(p, "kept", 5);
}

FX_CASE(shm_unlink__name_reusable, "posix", "after shm_unlink, O_CREAT|O_EXCL on the name makes a new, empty object, separate from the old one",
    "POSIX.1-2017 XSH shm_unlink: a later shm_open with O_CREAT creates a new object")
{
	char name[NAME_MAX + 1];
	int old = new_object(name, sizeof name, 100), new;
	struct stat a, b;

	FX_OK(shm_unlink(name));
	new = FX_OK(shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600));
	FX_OK(fstat(old, &a));
	FX_OK(fstat(new, &b));
	FX_REQUIRE(a.st_ino != b.st_ino, "the new object has the old one's inode %ju",
	    (uintmax_t)a.st_ino);
	FX_REQUIRE_EQ(b.st_size, 0);
	FX_REQUIRE_EQ(a.st_size, 100);
}

struct gone { char name[NAME_MAX + 1]; int unlinked[2]; };

/* Opens the name, then maps and uses the object after the parent unlinked it. */
static void
open_before_unlink(void *arg)
{
	struct gone *g = arg;
	int fd = FX_OK(shm_open(g->name, O_RDWR, 0));
	char *p;

	fx_event_wait(g->unlinked[0], FX_DEADLINE);
	FX_REQUIRE_ERRNO(ENOENT, shm_open(g->name, O_RDWR, 0));
	p = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	FX_REQUIRE_MEMEQ(p, "shared", 7);
}

FX_CASE(shm_unlink__other_process_descriptor_survives, "posix", "another process's descriptor opened before shm_unlink still reaches the object's data",
    "POSIX.1-2017 XSH shm_unlink: removal postponed until all open references are closed")
{
	struct gone *g = fx_shared(sizeof *g);
	int fd = new_object(g->name, sizeof g->name, fx_page_size());
	struct fx_child *c;

	FX_REQUIRE_EQ(pwrite(fd, "shared", 7, 0), 7);
	FX_OK(pipe(g->unlinked));
	c = fx_spawn(open_before_unlink, g);
	/* The child holds its own descriptor once it waits for the event. */
	fx_wait_blocked_in(fx_child_pid(c), "poll", FX_DEADLINE);
	FX_OK(close(fd));
	FX_OK(shm_unlink(g->name));
	fx_event_post(g->unlinked[1]);
	fx_child_join(c, FX_DEADLINE);
}

static void
unlink_as_other(void *arg)
{
	FX_REQUIRE_ERRNO(EACCES, shm_unlink(arg));
}

FX_CASE(shm_unlink__other_user_eacces, "posix", "another unprivileged user cannot unlink an object it does not own (EACCES), even with mode 0666",
    "POSIX.1-2017 XSH shm_unlink ERRORS [EACCES]; shm_unlink(3): EACCES")
{
	char *name = fx_shared(NAME_MAX + 1);
	int fd = new_object(name, NAME_MAX + 1, 0);

	FX_OK(fchmod(fd, 0666));
#ifndef __GLIBC__
	atf_tc_expect_fail("only glibc turns the kernel's EPERM (sticky /dev/shm) into EACCES");
#endif
	fx_child_join(fx_spawn_as_other_user(unlink_as_other, name), FX_DEADLINE);
	FX_OK(shm_open(name, O_RDONLY, 0));
}

FX_CASE(shm_unlink__removes_dev_shm_entry, "linux", "on Linux shm_unlink removes the file /dev/shm/<name>",
    "shm_overview(7): objects live in a tmpfs mounted under /dev/shm")
{
	char name[NAME_MAX + 1], path[PATH_MAX];
	struct stat st;

	new_object(name, sizeof name, 0);
	snprintf(path, sizeof path, "/dev/shm%s", name);
	FX_OK(stat(path, &st));
	FX_OK(shm_unlink(name));
	FX_REQUIRE_ERRNO(ENOENT, stat(path, &st));
}
