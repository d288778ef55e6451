/*
 * mkfifo(3), mkfifoat(3), mknod(2) and mknodat(2) with S_IFIFO: creating FIFO
 * special files. Files are made in the case's work directory (removed by
 * Kyua) unless another user must reach them.
 */
#include "fx.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fails unless path is a FIFO with permission bits `perm`. */
static void
require_fifo(const char *path, mode_t perm)
{
	struct stat st;

	FX_OK(stat(path, &st));
	FX_REQUIRE(S_ISFIFO(st.st_mode), "%s: st_mode 0%o is not a FIFO", path,
	    (unsigned)st.st_mode);
	FX_REQUIRE((st.st_mode & 07777) == perm, "%s: permission bits 0%03o, expected 0%03o",
	    path, (unsigned)(st.st_mode & 07777), (unsigned)perm);
}

/* Writes bytes through a FIFO opened read-write, and reads them back. */
static void
require_fifo_passes_data(const char *path)
{
	char buf[4];
	int fd = FX_OK(open(path, O_RDWR | O_NONBLOCK));

	FX_REQUIRE_EQ(write(fd, "fif", 3), 3);
	FX_REQUIRE_EQ(read(fd, buf, sizeof buf), 3);
	FX_REQUIRE_MEMEQ(buf, "fif", 3);
	FX_OK(close(fd));
}

/* Creates an empty regular file. */
static void
make_file(const char *path)
{
	int fd = FX_OK(open(path, O_WRONLY | O_CREAT | O_EXCL, 0600));

	FX_OK(close(fd));
}

FX_CASE(mkfifo__creates_fifo, "posix", "mkfifo creates an empty FIFO special file owned by the caller",
    "POSIX.1-2017 XSH mkfifo: DESCRIPTION, RETURN VALUE")
{
	struct stat st;

	umask(022);
	FX_REQUIRE_EQ(mkfifo("f", 0644), 0);
	FX_OK(lstat("f", &st));
	FX_REQUIRE(S_ISFIFO(st.st_mode), "st_mode 0%o is not a FIFO", (unsigned)st.st_mode);
	FX_REQUIRE_EQ(st.st_uid, geteuid());
	FX_REQUIRE_EQ(st.st_nlink, 1);
	FX_REQUIRE_EQ(st.st_size, 0);
	require_fifo_passes_data("f");
}

FX_CASE(mkfifo__mode_masked_by_umask, "posix", "the FIFO's permission bits are mode & ~umask",
    "POSIX.1-2017 XSH mkfifo: permission bits ... modified by the file mode creation mask")
{
	static const struct { mode_t mask, mode, want; } rows[] = {
		{ 022, 0666, 0644 }, { 077, 0666, 0600 }, { 000, 0640, 0640 },
		{ 027, 0777, 0750 }, { 0777, 0666, 0000 },
	};
	char name[32];
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(name, sizeof name, "f%zu", i);
		umask(rows[i].mask);
		errno = 0;
		int r = mkfifo(name, rows[i].mode);
		umask(022); /* ATF writes the result file under this process's umask */
		FX_REQUIRE_EQ(r, 0);
		require_fifo(name, rows[i].want);
	}
}

FX_CASE(mkfifo__eexist_on_existing_path, "posix", "mkfifo on an existing path (even a dangling symlink) fails with EEXIST and leaves it alone",
    "POSIX.1-2017 XSH mkfifo ERRORS: [EEXIST]")
{
	static const char *const paths[] = { "fifo", "file", "dir", "dangling", "link" };
	struct stat st;
	size_t i;

	umask(022);
	FX_OK(mkfifo("fifo", 0600));
	make_file("file");
	FX_OK(mkdir("dir", 0700));
	FX_OK(symlink("nowhere", "dangling"));
	FX_OK(symlink("fifo", "link"));
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		FX_CHECK_ERRNO_MSG(EEXIST, mkfifo(paths[i], 0666),
		    "mkfifo(\"%s\", 0666)", paths[i]);
	}
	require_fifo("fifo", 0600);
	FX_OK(lstat("file", &st));
	FX_REQUIRE(S_ISREG(st.st_mode), "file: st_mode 0%o is no longer a regular file",
	    (unsigned)st.st_mode);
	FX_REQUIRE_ERRNO(ENOENT, stat("dangling", &st));
}

FX_CASE(mkfifo__enoent_missing_component, "posix", "mkfifo fails with ENOENT when a directory of the path is missing or the path is empty",
    "POSIX.1-2017 XSH mkfifo ERRORS: [ENOENT]")
{
	static const char *const paths[] = { "missing/f", "missing/deeper/f", "" };
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		FX_CHECK_ERRNO_MSG(ENOENT, mkfifo(paths[i], 0600),
		    "mkfifo(\"%s\", 0600)", paths[i]);
	}
	FX_REQUIRE_ERRNO(ENOENT, stat("missing", &st));
}

FX_CASE(mkfifo__enotdir_component, "posix", "mkfifo fails with ENOTDIR when a component of the path prefix is not a directory",
    "POSIX.1-2017 XSH mkfifo ERRORS: [ENOTDIR]")
{
	make_file("file");
	FX_OK(mkfifo("fifo", 0600));
	FX_REQUIRE_ERRNO(ENOTDIR, mkfifo("file/f", 0600));
	FX_REQUIRE_ERRNO(ENOTDIR, mkfifo("fifo/f", 0600));
}

FX_CASE(mkfifo__enametoolong, "posix", "mkfifo fails with ENAMETOOLONG for a component longer than NAME_MAX or a path of PATH_MAX bytes",
    "POSIX.1-2017 XSH mkfifo ERRORS: [ENAMETOOLONG]")
{
	static char name[NAME_MAX + 2], path[PATH_MAX + 1];
	size_t i;

	memset(name, 'n', NAME_MAX + 1);
	FX_REQUIRE_ERRNO(ENAMETOOLONG, mkfifo(name, 0600));
	for (i = 0; i + 2 <= PATH_MAX; i += 2)
		memcpy(path + i, "a/", 2);
	FX_REQUIRE_ERRNO(ENAMETOOLONG, mkfifo(path, 0600));
	name[NAME_MAX] = '\0';  /* exactly NAME_MAX bytes is allowed */
	FX_REQUIRE_EQ(mkfifo(name, 0600), 0);
}

struct dir_check { char dir[PATH_MAX]; char path[PATH_MAX]; };

static void
mkfifo_in_unwritable_dir(void *arg)
{
	struct dir_check *d = arg;
	struct stat st;

	/* The directory is searchable: the EACCES comes from its missing write permission. */
	FX_OK(stat(d->dir, &st));
	FX_REQUIRE_ERRNO(EACCES, mkfifo(d->path, 0600));
	FX_REQUIRE_ERRNO(ENOENT, stat(d->path, &st));
}

FX_CASE(mkfifo__eacces_dir_not_writable, "posix", "mkfifo fails with EACCES in a directory the caller may not write",
    "POSIX.1-2017 XSH mkfifo ERRORS: [EACCES]")
{
	struct dir_check *d = fx_shared(sizeof *d);
	struct fx_child *c;

	if (fx_is_root()) {
		/* Root bypasses the check: a child running as nobody tries root's 0755 directory. */
		snprintf(d->dir, sizeof d->dir, "%s", fx_public_dir());
		snprintf(d->path, sizeof d->path, "%s/f", d->dir);
		c = fx_spawn_as_other_user(mkfifo_in_unwritable_dir, d);
	} else {
		FX_OK(mkdir("ro", 0555));
		snprintf(d->dir, sizeof d->dir, "ro");
		snprintf(d->path, sizeof d->path, "ro/f");
		c = fx_spawn(mkfifo_in_unwritable_dir, d);
	}
	fx_child_join(c, FX_DEADLINE);
}

FX_CASE(mknod__s_ififo_creates_fifo, "posix", "mknod(path, S_IFIFO | mode, 0) creates a FIFO with mode & ~umask, as mkfifo does",
    "POSIX.1-2017 XSH mknod: S_IFIFO; mknod(2)")
{
	umask(027);
	FX_REQUIRE_EQ(mknod("f", S_IFIFO | 0666, 0), 0);
	require_fifo("f", 0640);
	require_fifo_passes_data("f");
	FX_REQUIRE_ERRNO(EEXIST, mknod("f", S_IFIFO | 0666, 0));
}

FX_CASE(mknodat__s_ififo_relative_to_dirfd, "posix", "mknodat(fd, relative, S_IFIFO | mode, 0) creates the FIFO in the directory fd refers to",
    "POSIX.1-2017 XSH mknodat: relative to the directory associated with fd")
{
	struct stat st;
	int dfd;

	umask(022);
	FX_OK(mkdir("d", 0755));
	dfd = FX_OK(open("d", O_RDONLY | O_DIRECTORY));
	FX_REQUIRE_EQ(mknodat(dfd, "f", S_IFIFO | 0660, 0), 0);
	require_fifo("d/f", 0640);
	FX_REQUIRE_ERRNO(ENOENT, lstat("f", &st));
}

FX_CASE(mkfifoat__relative_to_dirfd, "posix", "mkfifoat(fd, relative, mode) creates the FIFO in the directory fd refers to, not in the cwd",
    "POSIX.1-2017 XSH mkfifoat: relative to the directory associated with fd")
{
	struct stat st;
	int dfd;

	umask(022);
	FX_OK(mkdir("d", 0755));
	dfd = FX_OK(open("d", O_RDONLY | O_DIRECTORY));
	FX_REQUIRE_EQ(mkfifoat(dfd, "f", 0666), 0);
	require_fifo("d/f", 0644);
	FX_REQUIRE_ERRNO(ENOENT, lstat("f", &st));
	require_fifo_passes_data("d/f");
}

FX_CASE(mkfifoat__at_fdcwd, "posix", "mkfifoat(AT_FDCWD, relative, mode) creates the FIFO relative to the current directory",
    "POSIX.1-2017 XSH mkfifoat: fd is AT_FDCWD")
{
	struct stat st;

	umask(022);
	FX_OK(mkdir("d", 0755));
	FX_OK(chdir("d"));
	FX_REQUIRE_EQ(mkfifoat(AT_FDCWD, "f", 0600), 0);
	FX_OK(chdir(".."));
	require_fifo("d/f", 0600);
	FX_REQUIRE_ERRNO(ENOENT, lstat("f", &st));
}

FX_CASE(mkfifoat__absolute_path_ignores_dirfd, "posix", "mkfifoat with an absolute path ignores fd",
    "POSIX.1-2017 XSH mkfifoat: absolute path, fd ignored (openat: path is absolute)")
{
	char cwd[PATH_MAX], path[PATH_MAX + 8];
	struct stat st;
	int dfd;

	umask(022);
	FX_OK(mkdir("d", 0755));
	dfd = FX_OK(open("d", O_RDONLY | O_DIRECTORY));
	FX_REQUIRE(getcwd(cwd, sizeof cwd) != NULL, "getcwd failed: %s", fx_errno_name(errno));
	snprintf(path, sizeof path, "%s/f", cwd);
	FX_REQUIRE_EQ(mkfifoat(dfd, path, 0600), 0);
	require_fifo("f", 0600);
	FX_REQUIRE_ERRNO(ENOENT, lstat("d/f", &st));
	/* Even an invalid fd is ignored for an absolute path. */
	snprintf(path, sizeof path, "%s/g", cwd);
	FX_REQUIRE_EQ(mkfifoat(-1, path, 0600), 0);
	require_fifo("g", 0600);
}

FX_CASE(mkfifoat__bad_dirfd, "posix", "mkfifoat with a relative path fails with EBADF for an invalid fd and ENOTDIR for a non-directory fd",
    "POSIX.1-2017 XSH mkfifoat ERRORS: [EBADF], [ENOTDIR]")
{
	int file = FX_OK(open("file", O_WRONLY | O_CREAT | O_EXCL, 0600));
	int closed = FX_OK(dup(file));
	struct { int fd; const char *what; int err; } rows[] = {
		{ -1, "-1", EBADF }, { closed, "a closed fd", EBADF },
		{ file, "a regular file's fd", ENOTDIR },
	};
	size_t i;

	FX_OK(close(closed));
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		FX_CHECK_ERRNO_MSG(rows[i].err, mkfifoat(rows[i].fd, "f", 0600),
		    "mkfifoat(%s = %d, \"f\", 0600)", rows[i].what, rows[i].fd);
	}
}
