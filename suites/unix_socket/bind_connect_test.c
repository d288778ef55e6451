/*
 * bind(2), listen(2), accept(2) and connect(2) on pathname Unix domain
 * sockets: the socket file, address errors, blocking accept and connect, the
 * listen backlog and the write permission a connect needs.
 */
#include "fx.h"
#include "usock.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

ATF_TC(bind__creates_socket_file);
ATF_TC_HEAD(bind__creates_socket_file, tc)
{
	fx_meta(tc, "posix", "bind(2) of a Unix domain socket to a path creates a file of type "
	    "socket (S_ISSOCK) at that path");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH bind; XBD <sys/stat.h> S_ISSOCK; unix(7) pathname");
}
ATF_TC_BODY(bind__creates_socket_file, tc)
{
	struct stat st;

	FX_REQUIRE_ERRNO(ENOENT, stat("made.sock", &st));
	(void)us_bound("made.sock", SOCK_STREAM, -1);
	FX_OK(stat("made.sock", &st));
	FX_REQUIRE(S_ISSOCK(st.st_mode), "made.sock has mode %#o, not a socket", st.st_mode);
}

ATF_TC(bind__path_in_use_eaddrinuse);
ATF_TC_HEAD(bind__path_in_use_eaddrinuse, tc)
{
	fx_meta(tc, "posix", "a second socket's bind(2) to a path already bound fails with EADDRINUSE");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH bind ERRORS [EADDRINUSE]");
}
ATF_TC_BODY(bind__path_in_use_eaddrinuse, tc)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "taken.sock");
	int fd;

	(void)us_bound("taken.sock", SOCK_STREAM, 1);
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_REQUIRE_ERRNO(EADDRINUSE, bind(fd, (struct sockaddr *)&sa, len));
}

ATF_TC(bind__file_outlives_socket);
ATF_TC_HEAD(bind__file_outlives_socket, tc)
{
	fx_meta(tc, "linux", "closing a bound socket leaves its file in place (a new bind fails "
	    "with EADDRINUSE) until it is unlinked");
	atf_tc_set_md_var(tc, "X-spec", "unix(7) Pathname sockets: binding to a socket file that already exists");
}
ATF_TC_BODY(bind__file_outlives_socket, tc)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "old.sock");
	struct stat st;
	int fd;

	FX_OK(close(us_bound("old.sock", SOCK_STREAM, -1)));
	FX_OK(stat("old.sock", &st));
	FX_REQUIRE(S_ISSOCK(st.st_mode), "old.sock has mode %#o", st.st_mode);
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_REQUIRE_ERRNO(EADDRINUSE, bind(fd, (struct sockaddr *)&sa, len));
	FX_OK(unlink("old.sock"));
	FX_OK(bind(fd, (struct sockaddr *)&sa, len));
}

ATF_TC(bind__errors);
ATF_TC_HEAD(bind__errors, tc)
{
	fx_meta(tc, "posix", "bind(2) fails with ENOENT for a missing directory, ENOTDIR for a file "
	    "as directory, EADDRINUSE on an existing file, EINVAL when already bound");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH bind ERRORS; unix(7) ERRORS");
}
ATF_TC_BODY(bind__errors, tc)
{
	static const struct { const char *path; int err; } rows[] = {
		{ "missing-dir/s.sock", ENOENT },
		{ "plain-file/s.sock", ENOTDIR },
		{ "plain-file", EADDRINUSE },
	};
	struct sockaddr_un sa;
	socklen_t len;
	size_t i;
	int fd, r;

	FX_OK(close((int)FX_OK(open("plain-file", O_CREAT | O_WRONLY, 0644))));
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
		len = us_path_addr(&sa, rows[i].path);
		errno = 0;
		r = bind(fd, (struct sockaddr *)&sa, len);
		fx_errno_row(FX_ROW("bind(\"%s\")", rows[i].path), rows[i].err, r, errno);
		close(fd);
	}
	fd = us_bound("once.sock", SOCK_STREAM, -1);
	len = us_path_addr(&sa, "twice.sock");
	errno = 0;
	r = bind(fd, (struct sockaddr *)&sa, len);
	fx_errno_row("bind(\"twice.sock\") of a socket already bound", EINVAL, r, errno);
	fx_errno_rows_done();
}

ATF_TC(connect__no_listener_econnrefused);
ATF_TC_HEAD(connect__no_listener_econnrefused, tc)
{
	fx_meta(tc, "posix", "connect(2) to a path whose socket is bound but not listening fails "
	    "with ECONNREFUSED");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH connect ERRORS [ECONNREFUSED]");
}
ATF_TC_BODY(connect__no_listener_econnrefused, tc)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "quiet.sock");
	int fd;

	(void)us_bound("quiet.sock", SOCK_STREAM, -1);
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_REQUIRE_ERRNO(ECONNREFUSED, connect(fd, (struct sockaddr *)&sa, len));
}

ATF_TC(connect__stale_file_econnrefused);
ATF_TC_HEAD(connect__stale_file_econnrefused, tc)
{
	fx_meta(tc, "posix", "connect(2) to a socket file whose socket was closed fails with "
	    "ECONNREFUSED");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH connect ERRORS [ECONNREFUSED]; unix(7)");
}
ATF_TC_BODY(connect__stale_file_econnrefused, tc)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "stale.sock");
	int fd;

	FX_OK(close(us_bound("stale.sock", SOCK_STREAM, 4)));
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_REQUIRE_ERRNO(ECONNREFUSED, connect(fd, (struct sockaddr *)&sa, len));
}

ATF_TC(connect__missing_path_enoent);
ATF_TC_HEAD(connect__missing_path_enoent, tc)
{
	fx_meta(tc, "posix", "connect(2) to a path that does not exist fails with ENOENT");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH connect ERRORS [ENOENT]");
}
ATF_TC_BODY(connect__missing_path_enoent, tc)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "nobody-here.sock");
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	FX_REQUIRE_ERRNO(ENOENT, connect(fd, (struct sockaddr *)&sa, len));
}

ATF_TC(connect__not_a_socket_econnrefused);
ATF_TC_HEAD(connect__not_a_socket_econnrefused, tc)
{
	fx_meta(tc, "linux", "connect(2) to a path that is a regular file fails with ECONNREFUSED");
	atf_tc_set_md_var(tc, "X-spec", "unix(7) ERRORS: ECONNREFUSED, the remote address is not a listening socket");
}
ATF_TC_BODY(connect__not_a_socket_econnrefused, tc)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "regular");
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	FX_OK(close((int)FX_OK(open("regular", O_CREAT | O_WRONLY, 0644))));
	FX_REQUIRE_ERRNO(ECONNREFUSED, connect(fd, (struct sockaddr *)&sa, len));
}

ATF_TC(connect__type_mismatch_eprototype);
ATF_TC_HEAD(connect__type_mismatch_eprototype, tc)
{
	fx_meta(tc, "posix", "connect(2) of a datagram socket to a stream socket's path fails "
	    "with EPROTOTYPE");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH connect ERRORS [EPROTOTYPE]; connect(2) ERRORS");
}
ATF_TC_BODY(connect__type_mismatch_eprototype, tc)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "stream.sock");
	int fd;

	(void)us_bound("stream.sock", SOCK_STREAM, 4);
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	FX_REQUIRE_ERRNO(EPROTOTYPE, connect(fd, (struct sockaddr *)&sa, len));
}

ATF_TC(connect__already_connected_eisconn);
ATF_TC_HEAD(connect__already_connected_eisconn, tc)
{
	fx_meta(tc, "posix", "a second connect(2) on a connected stream socket fails with EISCONN");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH connect ERRORS [EISCONN]");
}
ATF_TC_BODY(connect__already_connected_eisconn, tc)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "srv.sock");
	int fd;

	(void)us_bound("srv.sock", SOCK_STREAM, 4);
	fd = us_connected("srv.sock", SOCK_STREAM);
	FX_REQUIRE_ERRNO(EISCONN, connect(fd, (struct sockaddr *)&sa, len));
}

ATF_TC(listen__dgram_eopnotsupp);
ATF_TC_HEAD(listen__dgram_eopnotsupp, tc)
{
	fx_meta(tc, "posix", "listen(2) on a datagram socket fails with EOPNOTSUPP");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH listen ERRORS [EOPNOTSUPP]");
}
ATF_TC_BODY(listen__dgram_eopnotsupp, tc)
{
	int fd = us_bound("dg.sock", SOCK_DGRAM, -1);

	FX_REQUIRE_ERRNO(EOPNOTSUPP, listen(fd, 1));
}

struct acceptor { int lfd; int fd; };

static void
accept_one(void *arg)
{
	struct acceptor *a = arg;
	char buf[4];

	a->fd = (int)FX_OK(accept(a->lfd, NULL, NULL));
	FX_REQUIRE_EQ(recv(a->fd, buf, sizeof buf, 0), 2);
	FX_REQUIRE_MEMEQ(buf, "hi", 2);
}

ATF_TC(accept__blocks_until_connect);
ATF_TC_HEAD(accept__blocks_until_connect, tc)
{
	fx_meta(tc, "posix", "accept(2) on a listening socket without pending connections blocks "
	    "until a client connects");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH accept: O_NONBLOCK not set, no connections present");
}
ATF_TC_BODY(accept__blocks_until_connect, tc)
{
	struct acceptor *a = fx_shared(sizeof *a);
	struct fx_child *c;
	int fd;

	a->lfd = us_bound("acc.sock", SOCK_STREAM, 4);
	us_set_timeouts(a->lfd, FX_DEADLINE);
	c = fx_spawn(accept_one, a);
	fx_wait_blocked_in(fx_child_pid(c), "accept", FX_DEADLINE);
	fd = us_connected("acc.sock", SOCK_STREAM);
	FX_REQUIRE_EQ(send(fd, "hi", 2, 0), 2);
	fx_child_join(c, FX_DEADLINE);
}

ATF_TC(accept__nonblock_eagain);
ATF_TC_HEAD(accept__nonblock_eagain, tc)
{
	fx_meta(tc, "posix", "accept(2) on a non-blocking listening socket without pending "
	    "connections fails with EAGAIN");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH accept ERRORS [EAGAIN]");
}
ATF_TC_BODY(accept__nonblock_eagain, tc)
{
	int lfd = us_bound("nb.sock", SOCK_STREAM, 4);

	FX_OK(fcntl(lfd, F_SETFL, O_NONBLOCK));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, accept(lfd, NULL, NULL));
}

ATF_TC(accept__addresses);
ATF_TC_HEAD(accept__addresses, tc)
{
	fx_meta(tc, "linux", "the accepted socket's local address is the listener's path, the "
	    "client's peer address is that path, and an unbound client is unnamed");
	atf_tc_set_md_var(tc, "X-spec", "unix(7) Address format: pathname, unnamed; XSH accept, getpeername");
}
ATF_TC_BODY(accept__addresses, tc)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof sa, pathlen = offsetof(struct sockaddr_un, sun_path) + sizeof "addr.sock";
	int lfd = us_bound("addr.sock", SOCK_STREAM, 4);
	int cl = us_connected("addr.sock", SOCK_STREAM);
	int sv = (int)FX_OK(accept(lfd, (struct sockaddr *)&sa, &len));

	FX_REQUIRE_EQ(len, sizeof(sa_family_t));
	len = sizeof sa;
	FX_OK(getsockname(sv, (struct sockaddr *)&sa, &len));
	FX_REQUIRE_EQ(len, pathlen);
	FX_REQUIRE(strcmp(sa.sun_path, "addr.sock") == 0, "getsockname gave \"%s\"", sa.sun_path);
	len = sizeof sa;
	FX_OK(getpeername(cl, (struct sockaddr *)&sa, &len));
	FX_REQUIRE_EQ(len, pathlen);
	FX_REQUIRE(strcmp(sa.sun_path, "addr.sock") == 0, "getpeername gave \"%s\"", sa.sun_path);
}

/* Connects non-blocking clients until the backlog refuses one; returns how many got in. */
static int
fill_backlog(const char *path)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, path);
	int i, fd, r;

	for (i = 0; i < 64; i++) {
		fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
		r = (int)FX_AT_ONCE(connect(fd, (struct sockaddr *)&sa, len));
		if (r == -1) {
			FX_REQUIRE(errno == EAGAIN, "connect #%d to a filling backlog: %s", i + 1,
			    fx_errno_name(errno));
			close(fd);
			return i;
		}
	}
	FX_FAIL("64 connections did not fill a listen backlog of 0");
}

ATF_TC(connect__backlog_full_nonblock_eagain);
ATF_TC_HEAD(connect__backlog_full_nonblock_eagain, tc)
{
	fx_meta(tc, "linux", "a non-blocking connect(2) to a listener whose backlog is full fails "
	    "with EAGAIN; once a connection is accepted the next one gets in");
	atf_tc_set_md_var(tc, "X-spec", "connect(2) ERRORS: EAGAIN for non-blocking UNIX domain sockets; listen(2) backlog");
}
ATF_TC_BODY(connect__backlog_full_nonblock_eagain, tc)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "full.sock");
	int lfd = us_bound("full.sock", SOCK_STREAM, 0), fd;

	FX_REQUIRE(fill_backlog("full.sock") >= 1, "the backlog took no connection at all");
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, connect(fd, (struct sockaddr *)&sa, len));
	FX_OK(accept(lfd, NULL, NULL));
	FX_OK(connect(fd, (struct sockaddr *)&sa, len));
}

static void
connect_blocking(void *arg)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, arg);
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	us_set_timeouts(fd, FX_DEADLINE);
	FX_OK(connect(fd, (struct sockaddr *)&sa, len));
}

ATF_TC(connect__backlog_full_blocks);
ATF_TC_HEAD(connect__backlog_full_blocks, tc)
{
	fx_meta(tc, "linux", "a blocking connect(2) to a listener whose backlog is full blocks "
	    "until the listener accepts a pending connection");
	atf_tc_set_md_var(tc, "X-spec", "connect(2); listen(2) backlog; unix(7)");
}
ATF_TC_BODY(connect__backlog_full_blocks, tc)
{
	int lfd = us_bound("wait.sock", SOCK_STREAM, 0);
	struct fx_child *c;

	FX_REQUIRE(fill_backlog("wait.sock") >= 1, "the backlog took no connection at all");
	c = fx_spawn(connect_blocking, "wait.sock");
	fx_wait_blocked_in(fx_child_pid(c), "connect", FX_DEADLINE);
	FX_OK(accept(lfd, NULL, NULL));
	fx_child_join(c, FX_DEADLINE);
}

struct perm { char path[96]; int r; int err; };

static void
try_connect(void *arg)
{
	struct perm *p = arg;
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, p->path);
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	errno = 0;
	p->r = connect(fd, (struct sockaddr *)&sa, len);
	p->err = errno;
}

/* As root: a child as the other user; otherwise a child as the caller, who then owns the file. */
static void
connect_unprivileged(struct perm *p)
{
	fx_child_join(fx_spawn_unprivileged(try_connect, p), FX_DEADLINE);
}

ATF_TC_WITH_CLEANUP(connect__needs_write_permission);
ATF_TC_HEAD(connect__needs_write_permission, tc)
{
	fx_meta(tc, "posix", "connect(2) needs write permission on the socket file: without it "
	    "the connect fails with EACCES, with it the connect succeeds");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH connect ERRORS [EACCES]; unix(7) Pathname socket ownership and permissions");
}
ATF_TC_BODY(connect__needs_write_permission, tc)
{
	struct perm *p = fx_shared(sizeof *p);
	bool root = fx_is_root();

	snprintf(p->path, sizeof p->path, "%s/perm.sock", fx_public_dir());
	(void)us_bound(p->path, SOCK_STREAM, 4);
	FX_OK(chmod(p->path, root ? 0775 : 0555));
	connect_unprivileged(p);
	FX_REQUIRE(p->r == -1 && p->err == EACCES, "%s connect to a socket file without write "
	    "permission: expected -1 with EACCES, got %d (%s)", root ? "other user's" : "owner's",
	    p->r, fx_errno_name(p->err));
	FX_OK(chmod(p->path, root ? 0772 : 0222));
	connect_unprivileged(p);
	FX_REQUIRE(p->r == 0, "connect with write permission: expected 0, got %d (%s)",
	    p->r, fx_errno_name(p->err));
}
ATF_TC_CLEANUP(connect__needs_write_permission, tc)
{
	fx_cleanup();
}

ATF_TC(bind__file_mode_follows_umask);
ATF_TC_HEAD(bind__file_mode_follows_umask, tc)
{
	fx_meta(tc, "linux", "the socket file bind(2) creates has the permissions 0777 less the "
	    "process's umask");
	atf_tc_set_md_var(tc, "X-spec", "unix(7) Pathname socket ownership and permissions");
}
ATF_TC_BODY(bind__file_mode_follows_umask, tc)
{
	struct stat st;
	mode_t old = umask(027);

	(void)us_bound("masked.sock", SOCK_STREAM, -1);
	umask(old);
	FX_OK(stat("masked.sock", &st));
	FX_REQUIRE_EQ(st.st_mode & 07777, 0750);
}

ATF_TC_WITH_CLEANUP(connect__needs_search_permission);
ATF_TC_HEAD(connect__needs_search_permission, tc)
{
	fx_meta(tc, "posix", "connect(2) needs search permission on the directories of the "
	    "socket's path: without it the connect fails with EACCES");
	atf_tc_set_md_var(tc, "X-spec", "POSIX.1-2017 XSH connect ERRORS [EACCES]: search permission denied on a component");
}
ATF_TC_BODY(connect__needs_search_permission, tc)
{
	struct perm *p = fx_shared(sizeof *p);
	char dir[96];
	bool root = fx_is_root();

	snprintf(dir, sizeof dir, "%s/dir", fx_public_dir());
	FX_OK(mkdir(dir, 0755));
	snprintf(p->path, sizeof p->path, "%s/s.sock", dir);
	(void)us_bound(p->path, SOCK_STREAM, 4);
	FX_OK(chmod(p->path, 0777));
	connect_unprivileged(p);
	FX_REQUIRE(p->r == 0, "connect through a searchable directory: expected 0, got %d (%s)",
	    p->r, fx_errno_name(p->err));
	FX_OK(chmod(dir, root ? 0750 : 0666));
	connect_unprivileged(p);
	FX_OK(chmod(dir, 0755));
	FX_REQUIRE(p->r == -1 && p->err == EACCES, "connect through a directory without search "
	    "permission: expected -1 with EACCES, got %d (%s)", p->r, fx_errno_name(p->err));
}
ATF_TC_CLEANUP(connect__needs_search_permission, tc)
{
	fx_cleanup();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bind__creates_socket_file);
	ATF_TP_ADD_TC(tp, bind__path_in_use_eaddrinuse);
	ATF_TP_ADD_TC(tp, bind__file_outlives_socket);
	ATF_TP_ADD_TC(tp, bind__errors);
	ATF_TP_ADD_TC(tp, connect__no_listener_econnrefused);
	ATF_TP_ADD_TC(tp, connect__stale_file_econnrefused);
	ATF_TP_ADD_TC(tp, connect__missing_path_enoent);
	ATF_TP_ADD_TC(tp, connect__not_a_socket_econnrefused);
	ATF_TP_ADD_TC(tp, connect__type_mismatch_eprototype);
	ATF_TP_ADD_TC(tp, connect__already_connected_eisconn);
	ATF_TP_ADD_TC(tp, listen__dgram_eopnotsupp);
	ATF_TP_ADD_TC(tp, accept__blocks_until_connect);
	ATF_TP_ADD_TC(tp, accept__nonblock_eagain);
	ATF_TP_ADD_TC(tp, accept__addresses);
	ATF_TP_ADD_TC(tp, connect__backlog_full_nonblock_eagain);
	ATF_TP_ADD_TC(tp, connect__backlog_full_blocks);
	ATF_TP_ADD_TC(tp, connect__needs_write_permission);
	ATF_TP_ADD_TC(tp, bind__file_mode_follows_umask);
	ATF_TP_ADD_TC(tp, connect__needs_search_permission);
	return atf_no_error();
}
