/*
 * Faults of Unix domain sockets: ancillary data (SCM_RIGHTS,
 * SCM_CREDENTIALS), datagram truncation reports, SIGPIPE, SO_PEERCRED, the
 * abstract namespace, connect errors and SOCK_SEQPACKET.
 */
#include "fault.h"
#include "fault_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Runs a send with SIGPIPE blocked and discards the SIGPIPE it raised. */
#define WITHOUT_SIGPIPE(call) \
	({ sigset_t s_, o_, p_; struct timespec z_ = { 0, 0 }; bool w_; ssize_t r_; int e_; \
	   sigemptyset(&s_); sigaddset(&s_, SIGPIPE); sigprocmask(SIG_BLOCK, &s_, &o_); \
	   sigpending(&p_); w_ = sigismember(&p_, SIGPIPE); r_ = (call); e_ = errno; \
	   if (r_ == -1 && e_ == EPIPE && !w_) { fault_fired(); (void)sigtimedwait(&s_, NULL, &z_); } \
	   sigprocmask(SIG_SETMASK, &o_, NULL); errno = e_; r_; })

static bool
has_cmsg(const struct msghdr *m, int type)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR((struct msghdr *)m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == type)
			return true;
	return false;
}

ssize_t
sendmsg(int fd, const struct msghdr *m, int flags)
{
	FAULT_REAL(sendmsg);
	ssize_t r;

	if (m->msg_controllen > 0 && fault_is("scm_rights_dropped") && has_cmsg(m, SCM_RIGHTS)) {
		/* Data sent, the descriptors silently left out (untranslated ancillary data). */
		struct msghdr plain = *m;

		fault_fired();
		plain.msg_control = NULL;
		plain.msg_controllen = 0;
		return real_sendmsg(fd, &plain, flags);
	}
	if (fault_is("socket_no_sigpipe"))
		return WITHOUT_SIGPIPE(real_sendmsg(fd, m, flags));
	r = real_sendmsg(fd, m, flags);
	if (r == -1 && errno == EPERM && fault_is("scm_credentials_unchecked") &&
	    has_cmsg(m, SCM_CREDENTIALS)) {
		/* Forged credentials accepted: the sender's own are sent instead. */
		struct msghdr plain = *m;

		fault_fired();
		plain.msg_control = NULL;
		plain.msg_controllen = 0;
		return real_sendmsg(fd, &plain, flags);
	}
	return r;
}

ssize_t
send(int fd, const void *buf, size_t n, int flags)
{
	FAULT_REAL(send);

	if (fault_is("socket_no_sigpipe"))
		return WITHOUT_SIGPIPE(real_send(fd, buf, n, flags));
	return real_send(fd, buf, n, flags);
}

ssize_t
sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to, socklen_t tl)
{
	FAULT_REAL(sendto);

	if (fault_is("socket_no_sigpipe"))
		return WITHOUT_SIGPIPE(real_sendto(fd, buf, n, flags, to, tl));
	return real_sendto(fd, buf, n, flags, to, tl);
}

/*
 * Receive flags an implementation ignores: MSG_TRUNC (neither the real length
 * returned nor reported in msg_flags), MSG_PEEK (the data consumed),
 * MSG_WAITALL (a short read returned), MSG_CMSG_CLOEXEC (received descriptors
 * without FD_CLOEXEC).
 */
static int
strip_trunc(int flags)
{
	static const struct { const char *fault; int flag; } ignored[] = {
		{ "recv_msg_trunc_unsupported", MSG_TRUNC },
		{ "recv_msg_peek_consumes", MSG_PEEK },
		{ "recv_msg_waitall_ignored", MSG_WAITALL },
		{ "recv_cmsg_cloexec_ignored", MSG_CMSG_CLOEXEC },
	};
	size_t i;

	for (i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
		if ((flags & ignored[i].flag) && fault_is(ignored[i].fault)) {
			fault_fired();
			flags &= ~ignored[i].flag;
		}
	}
	return flags;
}

ssize_t
recv(int fd, void *buf, size_t n, int flags)
{
	FAULT_REAL(recv);

	return real_recv(fd, buf, n, strip_trunc(flags));
}

ssize_t
recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from, socklen_t *fl)
{
	FAULT_REAL(recvfrom);

	return real_recvfrom(fd, buf, n, strip_trunc(flags), from, fl);
}

ssize_t
recvmsg(int fd, struct msghdr *m, int flags)
{
	FAULT_REAL(recvmsg);
	ssize_t r = real_recvmsg(fd, m, strip_trunc(flags));

	if (r >= 0 && (m->msg_flags & MSG_TRUNC) && fault_is("recv_msg_trunc_unsupported")) {
		fault_fired();
		m->msg_flags &= ~MSG_TRUNC;
	}
	return r;
}

int
getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	FAULT_REAL(getsockopt);
	int r = real_getsockopt(fd, level, name, val, len);

	if (r == 0 && level == SOL_SOCKET && (name == SO_SNDBUF || name == SO_RCVBUF) &&
	    fault_is("so_sndbuf_not_doubled") && *len >= sizeof(int) && *(int *)val > 1) {
		/* The value reported as set, without the kernel's bookkeeping doubling. */
		fault_fired();
		*(int *)val /= 2;
	}
	if (r == 0 && level == SOL_SOCKET && name == SO_PEERCRED &&
	    fault_is("so_peercred_unset") && *len >= sizeof(struct ucred)) {
		/* The peer's credentials never recorded. */
		struct ucred *uc = val;

		fault_fired();
		uc->pid = 0;
		uc->uid = (uid_t)-1;
		uc->gid = (gid_t)-1;
	}
	return r;
}

static bool
is_abstract(const struct sockaddr *a, socklen_t len)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)a;

	return a != NULL && a->sa_family == AF_UNIX && len > sizeof(sa_family_t) &&
	    un->sun_path[0] == '\0';
}

static char abstract_file[256];

static void
remove_abstract_file(void)
{
	unlink(abstract_file);
}

int
bind(int fd, const struct sockaddr *a, socklen_t len)
{
	FAULT_REAL(bind);

	if (fault_is("abstract_namespace_unsupported") && is_abstract(a, len)) {
		fault_fired();
		errno = EINVAL;
		return -1;
	}
	if (fault_is("abstract_bind_creates_file") && is_abstract(a, len) &&
	    len > offsetof(struct sockaddr_un, sun_path) + 1) {
		/* An abstract name backed by a file in /tmp (removed when the program ends). */
		const struct sockaddr_un *un = (const struct sockaddr_un *)a;
		int r = real_bind(fd, a, len);

		if (r == 0) {
			snprintf(abstract_file, sizeof abstract_file, "/tmp/%.*s",
			    (int)(len - offsetof(struct sockaddr_un, sun_path) - 1), un->sun_path + 1);
			int f = open(abstract_file, O_CREAT | O_WRONLY, 0600);

			if (f >= 0) {
				close(f);
				fault_fired();
				atexit(remove_abstract_file);
			}
		}
		return r;
	}
	if (fault_is("bind_ignores_umask") && a != NULL && a->sa_family == AF_UNIX &&
	    !is_abstract(a, len) && len > sizeof(sa_family_t)) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)a;
		int r = real_bind(fd, a, len);

		if (r == 0) {
			/* The socket file made 0777 whatever the umask says. */
			fault_fired();
			(void)chmod(un->sun_path, 0777);
		}
		return r;
	}
	return real_bind(fd, a, len);
}

int
listen(int fd, int backlog)
{
	FAULT_REAL(listen);

	if (backlog < 128 && fault_is("listen_backlog_ignored")) {
		/* The backlog never limits pending connections. */
		fault_fired();
		backlog = 4096;
	}
	return real_listen(fd, backlog);
}

int
connect(int fd, const struct sockaddr *a, socklen_t len)
{
	FAULT_REAL(connect);
	int r;

	if (fault_is("abstract_namespace_unsupported") && is_abstract(a, len)) {
		fault_fired();
		errno = EINVAL;
		return -1;
	}
	r = real_connect(fd, a, len);
	if (r == -1 && errno == ENOENT && fault_is("connect_enoent_as_econnrefused")) {
		fault_fired();
		errno = ECONNREFUSED;
	}
	return r;
}

int
socket(int domain, int type, int proto)
{
	FAULT_REAL(socket);

	if (domain == AF_UNIX && (type & 0xf) == SOCK_SEQPACKET &&
	    fault_is("seqpacket_as_stream")) {
		fault_fired();
		type = (type & ~0xf) | SOCK_STREAM;
	}
	return real_socket(domain, type, proto);
}

int
socketpair(int domain, int type, int proto, int sv[2])
{
	FAULT_REAL(socketpair);

	if (domain == AF_UNIX && (type & 0xf) == SOCK_SEQPACKET &&
	    fault_is("seqpacket_as_stream")) {
		fault_fired();
		type = (type & ~0xf) | SOCK_STREAM;
	}
	return real_socketpair(domain, type, proto, sv);
}
