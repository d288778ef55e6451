/* Helpers of the unix_socket suite; see usock.h. */
#include "usock.h"
#include "fx.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

socklen_t
us_path_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	FX_REQUIRE(strlen(path) < sizeof sa->sun_path,
	    "socket path %s is longer than sun_path (%zu bytes)", path, sizeof sa->sun_path);
	strcpy(sa->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

socklen_t
us_abstract_addr(struct sockaddr_un *sa, const char *tag)
{
	char name[sizeof sa->sun_path];
	int n;

	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	n = snprintf(name, sizeof name, "ipcconf.%.60s.%d.%s", fx_case_name(),
	    (int)getpid(), tag);
	if (n >= (int)sizeof name - 1)
		n = (int)sizeof name - 2;
	memcpy(sa->sun_path + 1, name, (size_t)n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

int
us_bound(const char *path, int type, int backlog)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, path);
	int fd = (int)FX_OK(socket(AF_UNIX, type, 0));

	FX_OK(bind(fd, (struct sockaddr *)&sa, len));
	if (backlog >= 0)
		FX_OK(listen(fd, backlog));
	return fd;
}

int
us_connected(const char *path, int type)
{
	struct sockaddr_un sa;
	socklen_t len = us_path_addr(&sa, path);
	int fd = (int)FX_OK(socket(AF_UNIX, type, 0));

	FX_OK(connect(fd, (struct sockaddr *)&sa, len));
	return fd;
}

void
us_set_timeouts(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	FX_OK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	FX_OK(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
}

size_t
us_fill(int fd, size_t chunk)
{
	static char buf[65536];
	size_t total = 0;
	ssize_t n;

	FX_REQUIRE(chunk <= sizeof buf, "us_fill: chunk %zu too large", chunk);
	memset(buf, 'f', chunk);
	while ((n = (ssize_t)FX_AT_ONCE(send(fd, buf, chunk, MSG_DONTWAIT))) > 0)
		total += (size_t)n;
	FX_REQUIRE(n == -1 && errno == EAGAIN,
	    "filling with send(MSG_DONTWAIT): expected -1 with EAGAIN at the end, got %zd (%s)",
	    n, fx_errno_name(errno));
	return total;
}

void
us_recv_all(int fd, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = recv(fd, (char *)buf + got, n - got, 0);
		FX_REQUIRE(r > 0, "recv after %zu of %zu bytes returned %zd (%s)", got, n, r,
		    r == -1 ? fx_errno_name(errno) : "end of file");
		got += (size_t)r;
	}
}

socklen_t
us_loopback_addr(struct sockaddr_storage *ss, int family, unsigned port)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof *in;
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		in6->sin6_addr = in6addr_loopback;
		return sizeof *in6;
	}
}

void
us_require_loopback(int family)
{
	struct sockaddr_storage ss;
	socklen_t len = us_loopback_addr(&ss, family, 0);
	int fd = socket(family, SOCK_DGRAM, 0);

	if (fd == -1 || bind(fd, (struct sockaddr *)&ss, len) == -1) {
		char reason[128];

		snprintf(reason, sizeof reason, "%s is not available here: %s failed with %s",
		    family == AF_INET ? "127.0.0.1" : "::1", fd == -1 ? "socket" : "bind",
		    fx_errno_name(errno));
		if (fd != -1)
			close(fd);
		fx_skip("%s", reason);
	}
	close(fd);
}

int
us_loopback_bound(int family, int type, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t len = us_loopback_addr(&ss, family, 0);
	int fd = (int)FX_OK(socket(family, type, 0));

	FX_OK(bind(fd, (struct sockaddr *)&ss, len));
	if (backlog >= 0)
		FX_OK(listen(fd, backlog));
	return fd;
}

unsigned
us_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	FX_OK(getsockname(fd, (struct sockaddr *)&ss, &len));
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

void
us_send_fds(int sock, const int *fds, size_t n)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int) * 16)]; } ctl;
	struct iovec iov = { .iov_base = "F", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	FX_REQUIRE(n >= 1 && n <= 16, "us_send_fds: %zu descriptors", n);
	memset(&ctl, 0, sizeof ctl);
	msg.msg_control = ctl.buf;
	msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	FX_REQUIRE_EQ(sendmsg(sock, &msg, 0), 1);
}

short
us_revents(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };

	FX_OK(poll(&pfd, 1, 0));
	return pfd.revents;
}

/* "POLLIN|POLLOUT", "none" for 0 (len 64 holds every flag). */
static const char *
poll_flags(short ev, char *buf, size_t len)
{
	static const struct { short bit; const char *name; } names[] = {
		{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" }, { POLLOUT, "POLLOUT" },
		{ POLLERR, "POLLERR" }, { POLLHUP, "POLLHUP" }, { POLLNVAL, "POLLNVAL" },
	};
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (ev & names[i].bit)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
			    used ? "|" : "", names[i].name);
	return buf[0] ? buf : "none";
}

void
us_require_revents_(const char *file, int line, int fd, short mask, short want,
    const char *what)
{
	short ev = us_revents(fd);
	char seen[64], wanted[64], of[64];

	if ((ev & mask) != want)
		fx_fail_at(file, line, "%s: revents %s, expected %s (of %s)", what,
		    poll_flags(ev, seen, sizeof seen), poll_flags(want, wanted, sizeof wanted),
		    poll_flags(mask, of, sizeof of));
}
