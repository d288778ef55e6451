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

ATF_TC(ftok__same_args_same_key);
ATF_TC_HEAD(ftok__same_args_same_key, tc)
{
	fx_meta(tc, "xsi", "ftok(3) returns the same key for the same file and project id");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH ftok: same file and id give the same key");
}
ATF_TC_BODY(ftok__same_args_same_key, tc)
{
	const char *path = anchor("key-file");
	key_t k1 = (key_t)FX_OK(ftok(path, 7));

	FX_REQUIRE_EQ(ftok(path, 7), k1);
	FX_REQUIRE(k1 != IPC_PRIVATE, "ftok returned IPC_PRIVATE (0)");
}

ATF_TC(ftok__other_proj_other_key);
ATF_TC_HEAD(ftok__other_proj_other_key, tc)
{
	fx_meta(tc, "xsi", "ftok(3) returns different keys for different project ids of one file");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH ftok: different id values give different keys");
}
ATF_TC_BODY(ftok__other_proj_other_key, tc)
{
	const char *path = anchor("key-file");
	key_t k1 = (key_t)FX_OK(ftok(path, 1));
	key_t k2 = (key_t)FX_OK(ftok(path, 2));

	FX_REQUIRE(k1 != k2, "ftok(%s, 1) and ftok(%s, 2) both gave 0x%x", path, path,
	    (unsigned)k1);
}

ATF_TC(ftok__missing_path_enoent);
ATF_TC_HEAD(ftok__missing_path_enoent, tc)
{
	fx_meta(tc, "xsi", "ftok(3) on a path that does not exist fails with ENOENT");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH ftok ERRORS [ENOENT]");
}
ATF_TC_BODY(ftok__missing_path_enoent, tc)
{
	FX_REQUIRE_ERRNO(ENOENT, ftok("no-such-file", 1));
	FX_REQUIRE_ERRNO(ENOENT, ftok("no-such-dir/file", 1));
}

ATF_TC(ftok__hard_link_same_key);
ATF_TC_HEAD(ftok__hard_link_same_key, tc)
{
	fx_meta(tc, "xsi", "ftok(3) gives the same key for two names of the same file");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH ftok: a path naming the same file");
}
ATF_TC_BODY(ftok__hard_link_same_key, tc)
{
	const char *path = anchor("key-file");

	FX_OK(link(path, "other-name"));
	FX_REQUIRE_EQ(ftok("other-name", 9), ftok(path, 9));
}

ATF_TC(ftok__key_layout);
ATF_TC_HEAD(ftok__key_layout, tc)
{
	fx_meta(tc, "linux", "ftok(3) combines the low 8 bits of proj_id and st_dev with the low 16 bits of st_ino");
	atf_tc_set_md_var(tc, "X-spec", "ftok(3) NOTES: key from inode, minor device and proj_id");
}
ATF_TC_BODY(ftok__key_layout, tc)
{
	const char *path = anchor("key-file");
	struct stat st;
	unsigned expected;

	FX_OK(stat(path, &st));
	expected = (0x1a5u & 0xffu) << 24 | ((unsigned)st.st_dev & 0xffu) << 16 |
	    ((unsigned)st.st_ino & 0xffffu);
	FX_REQUIRE_EQ((unsigned)ftok(path, 0x1a5), expected);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ftok__same_args_same_key);
	ATF_TP_ADD_TC(tp, ftok__other_proj_other_key);
	ATF_TP_ADD_TC(tp, ftok__missing_path_enoent);
	ATF_TP_ADD_TC(tp, ftok__hard_link_same_key);
	ATF_TP_ADD_TC(tp, ftok__key_layout);
	return atf_no_error();
}
