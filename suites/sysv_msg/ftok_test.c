/*
 * ftok(3): System V IPC keys derived from a file and a project id.
 */
#include "fx.h"

#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file of the work directory (each case has its own). */
static const char *
anchor(const char *name)
{
	FX_OK(close((int)FX_OK(open(name, O_WRONLY | O_CREAT | O_CLOEXEC, 0644))));
	return name;
}

FX_CASE(ftok__same_args_same_key, "xsi", "ftok(3) returns the same key for the same file and project id",
    "POSIX.1-2017 XSH ftok: same file and id give the same key")
{
	const char *path = anchor("key-file");
	key_t k1 = (key_t)FX_OK(ftok(path, 7));

	FX_REQUIRE_EQ(ftok(path, 7), k1);
	FX_REQUIRE(k1 != IPC_PRIVATE, "ftok returned IPC_PRIVATE (0)");
}

FX_CASE(ftok__other_proj_other_key, "xsi", "ftok(3) returns different keys for different project ids of one file",
    "POSIX.1-2017 XSH ftok: different id values give different keys")
{
	const char *path = anchor("key-file");
	key_t k1 = (key_t)FX_OK(ftok(path, 1));
	key_t k2 = (key_t)FX_OK(ftok(path, 2));

	FX_REQUIRE(k1 != k2, "ftok(%s, 1) and ftok(%s, 2) both gave 0x%x", path, path,
	    (unsigned)k1);
}

FX_CASE(ftok__missing_path_enoent, "xsi", "ftok(3) on a path that does not exist fails with ENOENT",
    "POSIX.1-2017 XSH ftok ERRORS [ENOENT]")
{
	FX_REQUIRE_ERRNO(ENOENT, ftok("no-such-file", 1));
	FX_REQUIRE_ERRNO(ENOENT, ftok("no-such-dir/file", 1));
}

FX_CASE(ftok__hard_link_same_key, "xsi", "ftok(3) gives the same key for two names of the same file",
    "POSIX.1-2017 XSH ftok: a path naming the same file")
{
	const char *path = anchor("key-file");

	FX_OK(link(path, "other-name"));
	FX_REQUIRE_EQ(ftok("other-name", 9), ftok(path, 9));
}

FX_CASE(ftok__key_layout, "linux", "ftok(3) combines the low 8 bits of proj_id and st_dev with the low 16 bits of st_ino",
    "ftok(3) NOTES: key from inode, minor device and proj_id")
{
	const char *path = anchor("key-file");
	struct stat st;
	unsigned expected;

	FX_OK(stat(path, &st));
	expected = (0x1a5u & 0xffu) << 24 | ((unsigned)st.st_dev & 0xffu) << 16 |
	    ((unsigned)st.st_ino & 0xffffu);
	FX_REQUIRE_EQ((unsigned)ftok(path, 0x1a5), expected);
}
