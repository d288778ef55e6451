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

ATF_TC(mkfifo__creates_fifo);
ATF_TC_HEAD(mkfifo__creates_fifo, tc)
{
	fx_meta(tc, "posix", "mkfifo creates an empty FIFO special file owned by the caller");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifo: DESCRIPTION, RETURN VALUE");
}
ATF_TC_BODY(mkfifo__creates_fifo, tc)
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

ATF_TC(mkfifo__mode_masked_by_umask);
ATF_TC_HEAD(mkfifo__mode_masked_by_umask, tc)
{
	fx_meta(tc, "posix", "the FIFO's permission bits are mode & ~umask");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifo: permission bits ... modified by the file mode creation mask");
}
ATF_TC_BODY(mkfifo__mode_masked_by_umask, tc)
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

ATF_TC(mkfifo__eexist_on_existing_path);
ATF_TC_HEAD(mkfifo__eexist_on_existing_path, tc)
{
	fx_meta(tc, "posix", "mkfifo on an existing path (even a dangling symlink) fails with EEXIST and leaves it alone");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifo ERRORS: [EEXIST]");
}
ATF_TC_BODY(mkfifo__eexist_on_existing_path, tc)
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
		errno = 0;
		int r = mkfifo(paths[i], 0666);
		fx_errno_row(FX_ROW("mkfifo(\"%s\", 0666)", paths[i]), EEXIST, r, errno);
	}
	fx_errno_rows_done();
	require_fifo("fifo", 0600);
	FX_OK(lstat("file", &st));
	FX_REQUIRE(S_ISREG(st.st_mode), "file: st_mode 0%o is no longer a regular file",
	    (unsigned)st.st_mode);
	FX_REQUIRE_ERRNO(ENOENT, stat("dangling", &st));
}

ATF_TC(mkfifo__enoent_missing_component);
ATF_TC_HEAD(mkfifo__enoent_missing_component, tc)
{
	fx_meta(tc, "posix", "mkfifo fails with ENOENT when a directory of the path is missing or the path is empty");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifo ERRORS: [ENOENT]");
}
ATF_TC_BODY(mkfifo__enoent_missing_component, tc)
{
	static const char *const paths[] = { "missing/f", "missing/deeper/f", "" };
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		errno = 0;
		int r = mkfifo(paths[i], 0600);
		fx_errno_row(FX_ROW("mkfifo(\"%s\", 0600)", paths[i]), ENOENT, r, errno);
	}
	fx_errno_rows_done();
	FX_REQUIRE_ERRNO(ENOENT, stat("missing", &st));
}

ATF_TC(mkfifo__enotdir_component);
ATF_TC_HEAD(mkfifo__enotdir_component, tc)
{
	fx_meta(tc, "posix", "mkfifo fails with ENOTDIR when a component of the path prefix is not a directory");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifo ERRORS: [ENOTDIR]");
}
ATF_TC_BODY(mkfifo__enotdir_component, tc)
{
	make_file("file");
	FX_OK(mkfifo("fifo", 0600));
	FX_REQUIRE_ERRNO(ENOTDIR, mkfifo("file/f", 0600));
	FX_REQUIRE_ERRNO(ENOTDIR, mkfifo("fifo/f", 0600));
}

ATF_TC(mkfifo__enametoolong);
ATF_TC_HEAD(mkfifo__enametoolong, tc)
{
	fx_meta(tc, "posix", "mkfifo fails with ENAMETOOLONG for a component longer than NAME_MAX or a path of PATH_MAX bytes");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifo ERRORS: [ENAMETOOLONG]");
}
ATF_TC_BODY(mkfifo__enametoolong, tc)
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

ATF_TC_WITH_CLEANUP(mkfifo__eacces_dir_not_writable);
ATF_TC_HEAD(mkfifo__eacces_dir_not_writable, tc)
{
	fx_meta(tc, "posix", "mkfifo fails with EACCES in a directory the caller may not write");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifo ERRORS: [EACCES]");
}
ATF_TC_BODY(mkfifo__eacces_dir_not_writable, tc)
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
ATF_TC_CLEANUP(mkfifo__eacces_dir_not_writable, tc)
{
	fx_cleanup();
}

ATF_TC(mknod__s_ififo_creates_fifo);
ATF_TC_HEAD(mknod__s_ififo_creates_fifo, tc)
{
	fx_meta(tc, "posix", "mknod(path, S_IFIFO | mode, 0) creates a FIFO with mode & ~umask, as mkfifo does");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mknod: S_IFIFO; mknod(2)");
}
ATF_TC_BODY(mknod__s_ififo_creates_fifo, tc)
{
	umask(027);
	FX_REQUIRE_EQ(mknod("f", S_IFIFO | 0666, 0), 0);
	require_fifo("f", 0640);
	require_fifo_passes_data("f");
	FX_REQUIRE_ERRNO(EEXIST, mknod("f", S_IFIFO | 0666, 0));
}

ATF_TC(mknodat__s_ififo_relative_to_dirfd);
ATF_TC_HEAD(mknodat__s_ififo_relative_to_dirfd, tc)
{
	fx_meta(tc, "posix", "mknodat(fd, relative, S_IFIFO | mode, 0) creates the FIFO in the directory fd refers to");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mknodat: relative to the directory associated with fd");
}
ATF_TC_BODY(mknodat__s_ififo_relative_to_dirfd, tc)
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

ATF_TC(mkfifoat__relative_to_dirfd);
ATF_TC_HEAD(mkfifoat__relative_to_dirfd, tc)
{
	fx_meta(tc, "posix", "mkfifoat(fd, relative, mode) creates the FIFO in the directory fd refers to, not in the cwd");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifoat: relative to the directory associated with fd");
}
ATF_TC_BODY(mkfifoat__relative_to_dirfd, tc)
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

ATF_TC(mkfifoat__at_fdcwd);
ATF_TC_HEAD(mkfifoat__at_fdcwd, tc)
{
	fx_meta(tc, "posix", "mkfifoat(AT_FDCWD, relative, mode) creates the FIFO relative to the current directory");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifoat: fd is AT_FDCWD");
}
ATF_TC_BODY(mkfifoat__at_fdcwd, tc)
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

ATF_TC(mkfifoat__absolute_path_ignores_dirfd);
ATF_TC_HEAD(mkfifoat__absolute_path_ignores_dirfd, tc)
{
	fx_meta(tc, "posix", "mkfifoat with an absolute path ignores fd");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifoat: absolute path, fd ignored (openat: path is absolute)");
}
ATF_TC_BODY(mkfifoat__absolute_path_ignores_dirfd, tc)
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

ATF_TC(mkfifoat__bad_dirfd);
ATF_TC_HEAD(mkfifoat__bad_dirfd, tc)
{
	fx_meta(tc, "posix", "mkfifoat with a relative path fails with EBADF for an invalid fd and ENOTDIR for a non-directory fd");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH mkfifoat ERRORS: [EBADF], [ENOTDIR]");
}
ATF_TC_BODY(mkfifoat__bad_dirfd, tc)
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
		errno = 0;
		int r = mkfifoat(rows[i].fd, "f", 0600);
		fx_errno_row(FX_ROW("mkfifoat(%s = %d, \"f\", 0600)", rows[i].what, rows[i].fd),
		    rows[i].err, r, errno);
	}
	fx_errno_rows_done();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mkfifo__creates_fifo);
	ATF_TP_ADD_TC(tp, mkfifo__mode_masked_by_umask);
	ATF_TP_ADD_TC(tp, mkfifo__eexist_on_existing_path);
	ATF_TP_ADD_TC(tp, mkfifo__enoent_missing_component);
	ATF_TP_ADD_TC(tp, mkfifo__enotdir_component);
	ATF_TP_ADD_TC(tp, mkfifo__enametoolong);
	ATF_TP_ADD_TC(tp, mkfifo__eacces_dir_not_writable);
	ATF_TP_ADD_TC(tp, mknod__s_ififo_creates_fifo);
	ATF_TP_ADD_TC(tp, mknodat__s_ififo_relative_to_dirfd);
	ATF_TP_ADD_TC(tp, mkfifoat__relative_to_dirfd);
	ATF_TP_ADD_TC(tp, mkfifoat__at_fdcwd);
	ATF_TP_ADD_TC(tp, mkfifoat__absolute_path_ignores_dirfd);
	ATF_TP_ADD_TC(tp, mkfifoat__bad_dirfd);
	return atf_no_error();
}
