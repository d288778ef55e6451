/*
 * TCP and UDP between two processes on the loopback addresses 127.0.0.1 and
 * ::1 (and no other address): refused connections, ordered bytes, end of
 * file, datagram boundaries, and blocking accept/recv. Every behaviour is one
 * body run for each family; the IPv6 cases skip where ::1 is unavailable.
 */
#include "fx.h"
#include "usock.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One case per family for a body `fn(int family)`. */
#define LOOPBACK_CASE(name, fam, famname, descr, spec) \
	FX_CASE(name##_##famname, "posix", descr " (" #famname ")", spec) \
	{ \
		us_require_loopback(fam); \
		name(fam); \
	}
#define LOOPBACK_CASES(name, descr, spec) \
	LOOPBACK_CASE(name, AF_INET, ipv4, descr, spec) \
	LOOPBACK_CASE(name, AF_INET6, ipv6, descr, spec)

struct peer { int family; unsigned port; int fd; ssize_t n; char buf[1024]; };

/* A socket of `type` connected to the loopback address of p->family, port p->port. */
static int
connect_loopback(const struct peer *p, int type)
{
	struct sockaddr_storage ss;
	socklen_t len = us_loopback_addr(&ss, p->family, p->port);
	int fd = (int)FX_OK(socket(p->family, type, 0));

	us_set_timeouts(fd, FX_DEADLINE);
	FX_OK(connect(fd, (struct sockaddr *)&ss, len));
	return fd;
}

static void
tcp__connect_refused(int family)
{
	struct sockaddr_storage ss;
	int bound = us_loopback_bound(family, SOCK_STREAM, -1);
	socklen_t len = us_loopback_addr(&ss, family, us_port(bound));
	int fd = (int)FX_OK(socket(family, SOCK_STREAM, 0));

	/* The port is held by a socket that does not listen: nobody else can take it. */
	FX_REQUIRE_ERRNO(ECONNREFUSED, connect(fd, (struct sockaddr *)&ss, len));
}
LOOPBACK_CASES(tcp__connect_refused, "connect(2) to a loopback port where no socket listens "
    "fails with ECONNREFUSED", "POSIX.1-2017 XSH connect ERRORS [ECONNREFUSED]; tcp(7)")

static unsigned char
pattern(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

#define STREAM_BYTES (256 * 1024)

static void
send_pattern(void *arg)
{
	static unsigned char buf[STREAM_BYTES];
	struct peer *p = arg;
	size_t i, off, chunk;
	int fd = connect_loopback(p, SOCK_STREAM);

	for (i = 0; i < sizeof buf; i++)
		buf[i] = pattern(i);
	/* Chunks of varying size, so that order matters across sends. */
	for (off = 0, chunk = 1; off < sizeof buf; off += chunk, chunk = chunk * 3 % 8191 + 1) {
		if (chunk > sizeof buf - off)
			chunk = sizeof buf - off;
		FX_REQUIRE_EQ(send(fd, buf + off, chunk, 0), chunk);
	}
}

static void
tcp__ordered_bytes(int family)
{
	static unsigned char buf[STREAM_BYTES];
	struct peer *p = fx_shared(sizeof *p);
	int lfd = us_loopback_bound(family, SOCK_STREAM, 4), fd;
	struct fx_child *c;
	size_t i;

	p->family = family;
	p->port = us_port(lfd);
	us_set_timeouts(lfd, FX_DEADLINE);
	c = fx_spawn(send_pattern, p);
	fd = (int)FX_OK(accept(lfd, NULL, NULL));
	us_set_timeouts(fd, FX_DEADLINE);
	us_recv_all(fd, buf, sizeof buf);
	for (i = 0; i < sizeof buf; i++)
		FX_REQUIRE(buf[i] == pattern(i), "byte %zu is %#x, expected %#x", i, buf[i],
		    pattern(i));
	fx_child_join(c, FX_DEADLINE);
}
LOOPBACK_CASES(tcp__ordered_bytes, "256 KiB sent in chunks by one process over TCP on "
    "loopback arrive complete and in order in another", "POSIX.1-2017 XSH 2.10.6 SOCK_STREAM: "
    "reliable, sequenced; tcp(7)")

static void
send_bye(void *arg)
{
	int fd = connect_loopback(arg, SOCK_STREAM);

	FX_REQUIRE_EQ(send(fd, "bye", 3, 0), 3);
	FX_OK(close(fd));
}

static void
tcp__eof_on_close(int family)
{
	struct peer *p = fx_shared(sizeof *p);
	int lfd = us_loopback_bound(family, SOCK_STREAM, 4), fd;
	struct fx_child *c;
	char buf[8];

	p->family = family;
	p->port = us_port(lfd);
	us_set_timeouts(lfd, FX_DEADLINE);
	c = fx_spawn(send_bye, p);
	fd = (int)FX_OK(accept(lfd, NULL, NULL));
	us_set_timeouts(fd, FX_DEADLINE);
	fx_child_join(c, FX_DEADLINE);
	us_recv_all(fd, buf, 3);
	FX_REQUIRE_MEMEQ(buf, "bye", 3);
	FX_REQUIRE_EQ(recv(fd, buf, sizeof buf, 0), 0);
}
LOOPBACK_CASES(tcp__eof_on_close, "after the peer process closes its TCP socket, recv(2) "
    "returns the data sent and then 0", "POSIX.1-2017 XSH recv RETURN VALUE: orderly shutdown; tcp(7)")

static const size_t dgram_sizes[] = { 1, 100, 1000 };

static void
send_dgrams(void *arg)
{
	static char buf[1000];
	int fd = connect_loopback(arg, SOCK_DGRAM);
	size_t i;

	for (i = 0; i < 3; i++) {
		memset(buf, 'a' + (int)i, dgram_sizes[i]);
		FX_REQUIRE_EQ(send(fd, buf, dgram_sizes[i], 0), dgram_sizes[i]);
	}
}

static void
udp__keeps_boundaries(int family)
{
	struct peer *p = fx_shared(sizeof *p);
	int fd = us_loopback_bound(family, SOCK_DGRAM, -1);
	char buf[2048];
	size_t i;

	p->family = family;
	p->port = us_port(fd);
	us_set_timeouts(fd, FX_DEADLINE);
	fx_child_join(fx_spawn(send_dgrams, p), FX_DEADLINE);
	for (i = 0; i < 3; i++) {
		FX_REQUIRE_EQ(recv(fd, buf, sizeof buf, 0), dgram_sizes[i]);
		FX_REQUIRE(buf[0] == 'a' + (int)i && buf[dgram_sizes[i] - 1] == 'a' + (int)i,
		    "datagram %zu has the wrong contents", i);
	}
}
LOOPBACK_CASES(udp__keeps_boundaries, "datagrams of 1, 100 and 1000 bytes sent over UDP on "
    "loopback by another process arrive one per recv(2), each whole",
    "POSIX.1-2017 XSH 2.10.6 SOCK_DGRAM: record boundaries; udp(7)")

static void
accept_and_read(void *arg)
{
	struct peer *p = arg;
	int fd = (int)FX_OK(accept(p->fd, NULL, NULL));

	us_set_timeouts(fd, FX_DEADLINE);
	p->n = recv(fd, p->buf, sizeof p->buf, 0);
	FX_REQUIRE(p->n != -1, "recv in the child failed with %s", fx_errno_name(errno));
}

static void
tcp__accept_blocks(int family)
{
	struct peer *p = fx_shared(sizeof *p);
	struct fx_child *c;
	int fd;

	p->family = family;
	p->fd = us_loopback_bound(family, SOCK_STREAM, 4);
	p->port = us_port(p->fd);
	us_set_timeouts(p->fd, FX_DEADLINE);
	c = fx_spawn(accept_and_read, p);
	fx_wait_blocked_in(fx_child_pid(c), "accept", FX_DEADLINE);
	fd = connect_loopback(p, SOCK_STREAM);
	FX_REQUIRE_EQ(send(fd, "knock", 5, 0), 5);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(p->n, 5);
	FX_REQUIRE_MEMEQ(p->buf, "knock", 5);
}
LOOPBACK_CASES(tcp__accept_blocks, "accept(2) on a loopback TCP listener blocks until "
    "another process connects", "POSIX.1-2017 XSH accept: no connections present, O_NONBLOCK not set")

static void
recv_dgram(void *arg)
{
	struct peer *p = arg;

	p->n = recv(p->fd, p->buf, sizeof p->buf, 0);
	FX_REQUIRE(p->n != -1, "recv in the child failed with %s", fx_errno_name(errno));
}

static void
udp__recv_blocks(int family)
{
	struct peer *p = fx_shared(sizeof *p);
	struct fx_child *c;
	int fd;

	p->family = family;
	p->fd = us_loopback_bound(family, SOCK_DGRAM, -1);
	p->port = us_port(p->fd);
	us_set_timeouts(p->fd, FX_DEADLINE);
	c = fx_spawn(recv_dgram, p);
	fx_wait_blocked_in(fx_child_pid(c), "recv", FX_DEADLINE);
	fd = connect_loopback(p, SOCK_DGRAM);
	FX_REQUIRE_EQ(send(fd, "udp!", 4, 0), 4);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(p->n, 4);
	FX_REQUIRE_MEMEQ(p->buf, "udp!", 4);
}
LOOPBACK_CASES(udp__recv_blocks, "recv(2) on a loopback UDP socket without datagrams blocks "
    "until another process sends one", "POSIX.1-2017 XSH recv: no messages available, O_NONBLOCK not set")

struct halfclose { struct peer p; char got[8]; };

static void
half_close_then_read(void *arg)
{
	struct halfclose *h = arg;
	int fd = connect_loopback(&h->p, SOCK_STREAM);

	FX_REQUIRE_EQ(send(fd, "req", 3, 0), 3);
	FX_OK(shutdown(fd, SHUT_WR));
	us_recv_all(fd, h->got, 4);
	FX_REQUIRE_EQ(recv(fd, h->got + 4, 1, 0), 0);
}

static void
tcp__half_close(int family)
{
	struct halfclose *h = fx_shared(sizeof *h);
	int lfd = us_loopback_bound(family, SOCK_STREAM, 4), fd;
	struct fx_child *c;
	char buf[8];

	h->p.family = family;
	h->p.port = us_port(lfd);
	us_set_timeouts(lfd, FX_DEADLINE);
	c = fx_spawn(half_close_then_read, h);
	fd = (int)FX_OK(accept(lfd, NULL, NULL));
	us_set_timeouts(fd, FX_DEADLINE);
	us_recv_all(fd, buf, 3);
	FX_REQUIRE_EQ(recv(fd, buf, sizeof buf, 0), 0);
	FX_REQUIRE_EQ(send(fd, "resp", 4, 0), 4);
	FX_OK(close(fd));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_MEMEQ(h->got, "resp", 4);
}
LOOPBACK_CASES(tcp__half_close, "after a client's shutdown(SHUT_WR) over TCP on loopback the "
    "server reads end of file and can still send its reply, which the client reads",
    "POSIX.1-2017 XSH shutdown: SHUT_WR; tcp(7)")
