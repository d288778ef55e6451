/*
 * socketpair(2) in the AF_UNIX domain: a pair of connected, unnamed sockets.
 */
#include "fx.h"
#include "usock.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const struct { int type; const char *name; } pair_types[] = {
	{ SOCK_STREAM, "SOCK_STREAM" },
	{ SOCK_DGRAM, "SOCK_DGRAM" },
	{ SOCK_SEQPACKET, "SOCK_SEQPACKET" },
};

FX_CASE(socketpair__two_way_every_type, "posix", "socketpair(2) gives a connected channel usable in both directions "
    "for SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET",
    "POSIX.1-2017 XSH socketpair; unix(7) DESCRIPTION")
{
	char buf[8];
	size_t i;
	int sv[2];

	for (i = 0; i < sizeof pair_types / sizeof pair_types[0]; i++) {
		FX_OK(socketpair(AF_UNIX, pair_types[i].type, 0, sv));
		FX_REQUIRE(send(sv[0], "ping", 4, 0) == 4, "%s: send 0->1: %s",
		    pair_types[i].name, fx_errno_name(errno));
		FX_REQUIRE(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT) == 4 &&
		    memcmp(buf, "ping", 4) == 0, "%s: 1 did not receive ping: %s",
		    pair_types[i].name, fx_errno_name(errno));
		FX_REQUIRE(send(sv[1], "pong", 4, 0) == 4, "%s: send 1->0: %s",
		    pair_types[i].name, fx_errno_name(errno));
		FX_REQUIRE(recv(sv[0], buf, sizeof buf, MSG_DONTWAIT) == 4 &&
		    memcmp(buf, "pong", 4) == 0, "%s: 0 did not receive pong: %s",
		    pair_types[i].name, fx_errno_name(errno));
		close(sv[0]);
		close(sv[1]);
	}
}

struct pair_child { int fd; char got[8]; ssize_t n; };

static void
echo_upper(void *arg)
{
	struct pair_child *p = arg;

	p->n = recv(p->fd, p->got, sizeof p->got, 0);
	FX_REQUIRE_EQ(p->n, 3);
	FX_REQUIRE_EQ(send(p->fd, "ABC", 3, 0), 3);
}

FX_CASE(socketpair__between_parent_and_child, "posix", "a socket pair inherited across fork(2) carries data both ways "
    "between the two processes",
    "POSIX.1-2017 XSH socketpair; XSH fork")
{
	struct pair_child *p = fx_shared(sizeof *p);
	struct fx_child *c;
	char buf[8];
	int sv[2];

	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	us_set_timeouts(sv[0], FX_DEADLINE);
	p->fd = sv[1];
	c = fx_spawn(echo_upper, p);
	FX_REQUIRE_EQ(send(sv[0], "abc", 3, 0), 3);
	us_recv_all(sv[0], buf, 3);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p->got, "abc", 3);
	FX_REQUIRE_MEMEQ(buf, "ABC", 3);
}

FX_CASE(socketpair__unnamed_addresses, "linux", "both sockets of a pair are unnamed: getsockname and getpeername "
    "return an address of length sizeof(sa_family_t)",
    "unix(7) Address format: unnamed")
{
	struct sockaddr_un sa;
	socklen_t len;
	int sv[2];

	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	len = sizeof sa;
	FX_OK(getsockname(sv[0], (struct sockaddr *)&sa, &len));
	FX_REQUIRE_EQ(len, sizeof(sa_family_t));
	FX_REQUIRE_EQ(sa.sun_family, AF_UNIX);
	len = sizeof sa;
	FX_OK(getpeername(sv[0], (struct sockaddr *)&sa, &len));
	FX_REQUIRE_EQ(len, sizeof(sa_family_t));
	FX_REQUIRE_EQ(sa.sun_family, AF_UNIX);
}

FX_CASE(socketpair__type_flags, "posix", "SOCK_NONBLOCK and SOCK_CLOEXEC in the type set O_NONBLOCK and "
    "FD_CLOEXEC on both descriptors",
    "POSIX.1-2024 XSH socketpair: SOCK_NONBLOCK, SOCK_CLOEXEC; socket(2)")
{
	int sv[2], i;

	FX_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv));
	for (i = 0; i < 2; i++) {
		FX_REQUIRE(fcntl(sv[i], F_GETFL) & O_NONBLOCK, "sv[%d] has no O_NONBLOCK", i);
		FX_REQUIRE_EQ(fcntl(sv[i], F_GETFD), FD_CLOEXEC);
	}
	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	for (i = 0; i < 2; i++) {
		FX_REQUIRE(!(fcntl(sv[i], F_GETFL) & O_NONBLOCK), "sv[%d] has O_NONBLOCK", i);
		FX_REQUIRE_EQ(fcntl(sv[i], F_GETFD), 0);
	}
}

FX_CASE(socketpair__errors, "posix", "socketpair(2) rejects a domain without pairs (EOPNOTSUPP), an "
    "unknown protocol (EPROTONOSUPPORT), an unsupported or invalid type",
    "POSIX.1-2017 XSH socketpair ERRORS; socketpair(2) ERRORS")
{
	static const struct { int domain, type, protocol, err; const char *what; } rows[] = {
		{ AF_INET, SOCK_STREAM, 0, EOPNOTSUPP, "AF_INET, SOCK_STREAM, 0" },
		{ AF_UNIX, SOCK_STREAM, 2, EPROTONOSUPPORT, "AF_UNIX, SOCK_STREAM, 2" },
		{ AF_UNIX, SOCK_PACKET, 0, ESOCKTNOSUPPORT, "AF_UNIX, SOCK_PACKET, 0" },
		{ AF_UNIX, 99, 0, EINVAL, "AF_UNIX, 99, 0" },
	};
	size_t i;
	int sv[2];

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		FX_CHECK_ERRNO_MSG(rows[i].err, socketpair(rows[i].domain, rows[i].type, rows[i].protocol, sv),
		    "socketpair(%s)", rows[i].what);
	}
}
