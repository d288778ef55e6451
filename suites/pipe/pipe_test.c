/*
 * pipe(2): one-way byte channels between related processes.
 */
#include "fx.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

ATF_TC(pipe__read_end_rejects_write);
ATF_TC_HEAD(pipe__read_end_rejects_write, tc)
{
	fx_meta(tc, "posix", "write(2) on the read end of a pipe fails with EBADF");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH pipe; XSH write ERRORS [EBADF]");
}
ATF_TC_BODY(pipe__read_end_rejects_write, tc)
{
	int p[2];

	FX_OK(pipe(p));
	FX_REQUIRE_ERRNO(EBADF, write(p[0], "x", 1));
}

struct reader { int fd; char got[8]; ssize_t n; };

static void
read_one(void *arg)
{
	struct reader *r = arg;

	r->n = read(r->fd, r->got, sizeof r->got);
}

ATF_TC(pipe__read_blocks_when_empty);
ATF_TC_HEAD(pipe__read_blocks_when_empty, tc)
{
	fx_meta(tc, "posix", "read(2) on an empty pipe with a writer blocks until data arrives");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH read: pipe or FIFO, O_NONBLOCK clear");
}
ATF_TC_BODY(pipe__read_blocks_when_empty, tc)
{
	struct reader *r = fx_shared(sizeof *r);
	struct fx_child *c;
	int p[2];

	FX_OK(pipe(p));
	r->fd = p[0];
	c = fx_spawn(read_one, r);
	fx_wait_blocked_in(fx_child_pid(c), "read", FX_DEADLINE);
	FX_REQUIRE_EQ(write(p[1], "abc", 3), 3);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(r->n, 3);
	FX_REQUIRE_MEMEQ(r->got, "abc", 3);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, pipe__read_end_rejects_write);
	ATF_TP_ADD_TC(tp, pipe__read_blocks_when_empty);
	return atf_no_error();
}
