/*
 * Credentials over Unix domain sockets: SCM_CREDENTIALS ancillary messages
 * (with SO_PASSCRED) and SO_PEERCRED.
 */
#include "fx.h"
#include "usock.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

static void
pair(int type, int sv[2])
{
	FX_OK(socketpair(AF_UNIX, type, 0, sv));
	us_set_timeouts(sv[0], FX_DEADLINE);
	us_set_timeouts(sv[1], FX_DEADLINE);
}

/* Receives one byte; returns true and fills *uc when an SCM_CREDENTIALS message came with it. */
static bool
recv_creds(int sock, struct ucred *uc)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(struct ucred))]; } ctl;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	struct cmsghdr *cm;

	FX_REQUIRE_EQ(recvmsg(sock, &msg, 0), 1);
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS) {
			FX_REQUIRE_EQ(cm->cmsg_len, CMSG_LEN(sizeof *uc));
			memcpy(uc, CMSG_DATA(cm), sizeof *uc);
			return true;
		}
	return false;
}

/* sendmsg(2) of one byte with explicit credentials; returns its result. */
static ssize_t
send_creds(int sock, pid_t pid, uid_t uid, gid_t gid)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(struct ucred))]; } ctl;
	struct ucred uc = { .pid = pid, .uid = uid, .gid = gid };
	struct iovec iov = { .iov_base = "c", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf };
	struct cmsghdr *cm;

	memset(&ctl, 0, sizeof ctl);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof uc);
	memcpy(CMSG_DATA(cm), &uc, sizeof uc);
	return sendmsg(sock, &msg, 0);
}

static uid_t
unprivileged_uid(void)
{
	return fx_is_root() ? fx_other_uid() : getuid();
}

static gid_t
unprivileged_gid(void)
{
	return fx_is_root() ? fx_other_gid() : getgid();
}

struct sender { int sock; ssize_t r; int err; };

static void
send_plain(void *arg)
{
	struct sender *s = arg;

	FX_REQUIRE_EQ(send(s->sock, "p", 1, 0), 1);
}

FX_CASE(scm_credentials__passcred_reports_sender, "linux", "with SO_PASSCRED set on the receiver, each message carries an "
    "SCM_CREDENTIALS message with the sending process's pid, uid and gid",
    "unix(7) SO_PASSCRED; Ancillary messages: SCM_CREDENTIALS")
{
	struct sender *s = fx_shared(sizeof *s);
	struct fx_child *c;
	struct ucred uc;
	int sv[2], on = 1;

	pair(SOCK_DGRAM, sv);
	FX_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
	s->sock = sv[0];
	c = fx_spawn_unprivileged(send_plain, s);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE(recv_creds(sv[1], &uc), "no SCM_CREDENTIALS message arrived");
	FX_REQUIRE_EQ(uc.pid, fx_child_pid(c));
	FX_REQUIRE_EQ(uc.uid, unprivileged_uid());
	FX_REQUIRE_EQ(uc.gid, unprivileged_gid());
}

FX_CASE(scm_credentials__none_without_passcred, "linux", "without SO_PASSCRED on the receiver, a plain message arrives "
    "without any control message",
    "unix(7) SO_PASSCRED")
{
	struct ucred uc;
	int sv[2];

	pair(SOCK_DGRAM, sv);
	FX_REQUIRE_EQ(send(sv[0], "p", 1, 0), 1);
	FX_REQUIRE(!recv_creds(sv[1], &uc), "SCM_CREDENTIALS arrived without SO_PASSCRED "
	    "(pid %d uid %d)", (int)uc.pid, (int)uc.uid);
}

FX_CASE(scm_credentials__explicit_own_accepted, "linux", "a sender may pass its own pid, uid and gid explicitly in "
    "SCM_CREDENTIALS; the receiver gets exactly those",
    "unix(7) Ancillary messages: SCM_CREDENTIALS")
{
	struct ucred uc;
	int sv[2], on = 1;

	pair(SOCK_STREAM, sv);
	FX_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
	FX_REQUIRE_EQ(send_creds(sv[0], getpid(), getuid(), getgid()), 1);
	FX_REQUIRE(recv_creds(sv[1], &uc), "no SCM_CREDENTIALS message arrived");
	FX_REQUIRE_EQ(uc.pid, getpid());
	FX_REQUIRE_EQ(uc.uid, getuid());
	FX_REQUIRE_EQ(uc.gid, getgid());
}

static void
send_forged_pid(void *arg)
{
	struct sender *s = arg;

	errno = 0;
	s->r = send_creds(s->sock, getppid(), getuid(), getgid());
	s->err = errno;
}

FX_CASE(scm_credentials__forged_pid_eperm, "linux", "an unprivileged sender that puts another process's pid in "
    "SCM_CREDENTIALS fails with EPERM",
    "unix(7) ERRORS: EPERM, the sender passed invalid credentials in the struct ucred")
{
	struct sender *s = fx_shared(sizeof *s);
	int sv[2];

	pair(SOCK_DGRAM, sv);
	s->sock = sv[0];
	fx_child_join(fx_spawn_unprivileged(send_forged_pid, s), FX_DEADLINE);
	FX_REQUIRE(s->r == -1 && s->err == EPERM, "sendmsg with the parent's pid: expected -1 "
	    "with EPERM, got %zd (%s)", s->r, fx_errno_name(s->err));
}

FX_CASE(so_peercred__socketpair_gives_own, "linux", "SO_PEERCRED on a socketpair(2) end gives the creating process's "
    "pid, uid and gid",
    "unix(7) SO_PEERCRED")
{
	struct ucred uc;
	socklen_t len = sizeof uc;
	int sv[2];

	pair(SOCK_STREAM, sv);
	FX_OK(getsockopt(sv[1], SOL_SOCKET, SO_PEERCRED, &uc, &len));
	FX_REQUIRE_EQ(len, sizeof uc);
	FX_REQUIRE_EQ(uc.pid, getpid());
	FX_REQUIRE_EQ(uc.uid, geteuid());
	FX_REQUIRE_EQ(uc.gid, getegid());
}

struct peer { char path[96]; struct ucred uc; };

/* Connects, records the listener's credentials, and waits for the server to close. */
static void
connect_and_wait(void *arg)
{
	struct peer *p = arg;
	socklen_t len = sizeof p->uc;
	int fd = us_connected(p->path, SOCK_STREAM);
	char byte;

	us_set_timeouts(fd, FX_DEADLINE);
	FX_OK(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &p->uc, &len));
	FX_REQUIRE_EQ(recv(fd, &byte, 1, 0), 0);
}

/* The listener is in the test's public directory so that the other user may connect. */
static struct fx_child *
peer_connects(struct peer *p, int *lfd, int *afd)
{
	struct fx_child *c;

	snprintf(p->path, sizeof p->path, "%s/peer.sock", fx_public_dir());
	*lfd = us_bound(p->path, SOCK_STREAM, 4);
	FX_OK(chmod(p->path, 0777));
	us_set_timeouts(*lfd, FX_DEADLINE);
	c = fx_spawn_unprivileged(connect_and_wait, p);
	*afd = (int)FX_OK(accept(*lfd, NULL, NULL));
	return c;
}

FX_CASE(so_peercred__server_sees_client, "linux", "SO_PEERCRED on an accepted socket gives the connecting process's "
    "pid, uid and gid",
    "unix(7) SO_PEERCRED: credentials in effect at connect(2)")
{
	struct peer *p = fx_shared(sizeof *p);
	struct fx_child *c;
	struct ucred uc;
	socklen_t len = sizeof uc;
	int lfd, afd;

	c = peer_connects(p, &lfd, &afd);
	FX_OK(getsockopt(afd, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	FX_OK(close(afd));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(uc.pid, fx_child_pid(c));
	FX_REQUIRE_EQ(uc.uid, unprivileged_uid());
	FX_REQUIRE_EQ(uc.gid, unprivileged_gid());
}

FX_CASE(so_peercred__client_sees_listener, "linux", "SO_PEERCRED on a connected client gives the listening process's "
    "pid, uid and gid, taken at listen(2)",
    "unix(7) SO_PEERCRED: credentials in effect at listen(2)")
{
	struct peer *p = fx_shared(sizeof *p);
	struct fx_child *c;
	int lfd, afd;

	c = peer_connects(p, &lfd, &afd);
	FX_OK(close(afd));
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(p->uc.pid, getpid());
	FX_REQUIRE_EQ(p->uc.uid, geteuid());
	FX_REQUIRE_EQ(p->uc.gid, getegid());
}
