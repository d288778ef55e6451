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

FX_CASE(bind__creates_socket_file, "posix", "bind(2) of a Unix domain socket to a path creates a file of type "
    "socket (S_ISSOCK) at that path",
    "POSIX.1-2017 XSH bind; XBD <sys/stat.h> S_ISSOCK; unix(7) pathname")
{
	struct stat st;

	FX_REQUIRE_ERRNO(ENOENT, stat("made.sock", &st));
	(void)us_bound("made.sock", SOCK_STREAM, -1);
	FX_OK(stat("made.sock", &st));
	FX_REQUIRE(S_ISSOCK(st.st_mode), "made.sock has mode %#o, not a socket", st.st_mode);
}

FX_CASE(bind__path_in_use_eaddrinuse, "posix", "a second socket's bind(2) to a path already bound fails with EADDRINUSE",
    "POSIX.1-2017 XSH bind ERRORS [EADDRINUSE]")
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "taken.sock");
	int fd;

	(void)us_bound("taken.sock", SOCK_STREAM, 1);
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_REQUIRE_ERRNO(EADDRINUSE, bind(fd, (struct sockaddr *)&sa, len));
}

FX_CASE(bind__file_outlives_socket, "linux", "closing a bound socket leaves its file in place (a new bind fails "
    "with EADDRINUSE) until it is unlinked",
    "unix(7) Pathname sockets: binding to a socket file that already exists")
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

FX_CASE(bind__errors, "posix", "bind(2) fails with ENOENT for a missing directory, ENOTDIR for a file "
    "as directory, EADDRINUSE on an existing file, EINVAL when already bound",
    "POSIX.1-2017 XSH bind ERRORS; unix(7) ERRORS")
{
	static const struct { const char *path; int err; } rows[] = {
		{ "missing-dir/s.sock", ENOENT },
		{ "plain-file/s.sock", ENOTDIR },
		{ "plain-file", EADDRINUSE },
	};
	struct sockaddr_un sa;
	socklen_t len;
	size_t i;
	int fd;

	FX_OK(close((int)FX_OK(open("plain-file", O_CREAT | O_WRONLY, 0644))));
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
		len = us_path_addr(&sa, rows[i].path);
		FX_CHECK_ERRNO_MSG(rows[i].err, bind(fd, (struct sockaddr *)&sa, len),
		    "bind(\"%s\")", rows[i].path);
		close(fd);
	}
	fd = us_bound("once.sock", SOCK_STREAM, -1);
	len = us_path_addr(&sa, "twice.sock");
	FX_CHECK_ERRNO_MSG(EINVAL, bind(fd, (struct sockaddr *)&sa, len),
	    "bind(\"twice.sock\") of a socket already bound");
}

FX_CASE(connect__no_listener_econnrefused, "posix", "connect(2) to a path whose socket is bound but not listening fails "
    "with ECONNREFUSED",
    "POSIX.1-2017 XSH connect ERRORS [ECONNREFUSED]")
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "quiet.sock");
	int fd;

	(void)us_bound("quiet.sock", SOCK_STREAM, -1);
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_REQUIRE_ERRNO(ECONNREFUSED, connect(fd, (struct sockaddr *)&sa, len));
}

FX_CASE(connect__stale_file_econnrefused, "posix", "connect(2) to a socket file whose socket was closed fails with "
    "ECONNREFUSED",
    "POSIX.1-2017 XSH connect ERRORS [ECONNREFUSED]; unix(7)")
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "stale.sock");
	int fd;

	FX_OK(close(us_bound("stale.sock", SOCK_STREAM, 4)));
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_REQUIRE_ERRNO(ECONNREFUSED, connect(fd, (struct sockaddr *)&sa, len));
}

FX_CASE(connect__missing_path_enoent, "posix", "connect(2) to a path that does not exist fails with ENOENT",
    "POSIX.1-2017 XSH connect ERRORS [ENOENT]")
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "nobody-here.sock");
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	FX_REQUIRE_ERRNO(ENOENT, connect(fd, (struct sockaddr *)&sa, len));
}

FX_CASE(connect__not_a_socket_econnrefused, "linux", "connect(2) to a path that is a regular file fails with ECONNREFUSED",
    "unix(7) ERRORS: ECONNREFUSED, the remote address is not a listening socket")
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "regular");
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	FX_OK(close((int)FX_OK(open("regular", O_CREAT | O_WRONLY, 0644))));
	FX_REQUIRE_ERRNO(ECONNREFUSED, connect(fd, (struct sockaddr *)&sa, len));
}

FX_CASE(connect__type_mismatch_eprototype, "posix", "connect(2) of a datagram socket to a stream socket's path fails "
    "with EPROTOTYPE",
    "POSIX.1-2017 XSH connect ERRORS [EPROTOTYPE]; connect(2) ERRORS")
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "stream.sock");
	int fd;

	(void)us_bound("stream.sock", SOCK_STREAM, 4);
	fd = (int)FX_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	FX_REQUIRE_ERRNO(EPROTOTYPE, connect(fd, (struct sockaddr *)&sa, len));
}

FX_CASE(connect__already_connected_eisconn, "posix", "a second connect(2) on a connected stream socket fails with EISCONN",
    "POSIX.1-2017 XSH connect ERRORS [EISCONN]")
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, "srv.sock");
	int fd;

	(void)us_bound("srv.sock", SOCK_STREAM, 4);
	fd = us_connected("srv.sock", SOCK_STREAM);
	FX_REQUIRE_ERRNO(EISCONN, connect(fd, (struct sockaddr *)&sa, len));
}

FX_CASE(listen__dgram_eopnotsupp, "posix", "listen(2) on a datagram socket fails with EOPNOTSUPP",
    "POSIX.1-2017 XSH listen ERRORS [EOPNOTSUPP]")
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

FX_CASE(accept__blocks_until_connect, "posix", "accept(2) on a listening socket without pending connections blocks "
    "until a client connects",
    "POSIX.1-2017 XSH accept: O_NONBLOCK not set, no connections present")
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

FX_CASE(accept__nonblock_eagain, "posix", "accept(2) on a non-blocking listening socket without pending "
    "connections fails with EAGAIN",
    "POSIX.1-2017 XSH accept ERRORS [EAGAIN]")
{
	int lfd = us_bound("nb.sock", SOCK_STREAM, 4);

	FX_OK(fcntl(lfd, F_SETFL, O_NONBLOCK));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, accept(lfd, NULL, NULL));
}

FX_CASE(accept__addresses, "linux", "the accepted socket's local address is the listener's path, the "
    "client's peer address is that path, and an unbound client is unnamed",
    "unix(7) Address format: pathname, unnamed; XSH accept, getpeername")
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

FX_CASE(connect__backlog_full_nonblock_eagain, "linux", "a non-blocking connect(2) to a listener whose backlog is full fails "
    "with EAGAIN; once a connection is accepted the next one gets in",
    "connect(2) ERRORS: EAGAIN for non-blocking UNIX domain sockets; listen(2) backlog")
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

FX_CASE(connect__backlog_full_blocks, "linux", "a blocking connect(2) to a listener whose backlog is full blocks "
    "until the listener accepts a pending connection",
    "connect(2); listen(2) backlog; unix(7)")
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

FX_CASE(connect__needs_write_permission, "posix", "connect(2) needs write permission on the socket file: without it "
    "the connect fails with EACCES, with it the connect succeeds",
    "POSIX.1-2017 XSH connect ERRORS [EACCES]; unix(7) Pathname socket ownership and permissions")
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

FX_CASE(bind__file_mode_follows_umask, "linux", "the socket file bind(2) creates has the permissions 0777 less the "
    "process's umask",
    "unix(7) Pathname socket ownership and permissions")
{
	struct stat st;
	mode_t old = umask(027);

	(void)us_bound("masked.sock", SOCK_STREAM, -1);
	umask(old);
	FX_OK(stat("masked.sock", &st));
	FX_REQUIRE_EQ(st.st_mode & 07777, 0750);
}

FX_CASE(connect__needs_search_permission, "posix", "connect(2) needs search permission on the directories of the "
    "socket's path: without it the connect fails with EACCES",
    "POSIX.1-2017 XSH connect ERRORS [EACCES]: search permission denied on a component")
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
