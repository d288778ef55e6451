/*
 * SCM_RIGHTS ancillary messages: passing open file descriptions between
 * processes over a Unix domain socket.
 */
#include "fx.h"
#include "usock.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Receives one message with room for `room` descriptors; stores what arrived
 * in fds[], the msghdr flags in *mflags; returns the number of descriptors.
 */
static int
recv_fds(int sock, int *fds, int room, int flags, int *mflags)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int) * 8)]; } ctl;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	int n = 0;

	memset(&ctl, 0, sizeof ctl);
	msg.msg_control = ctl.buf;
	/* CMSG_LEN, not CMSG_SPACE: its padding would make room for one more int. */
	msg.msg_controllen = CMSG_LEN(sizeof(int) * (size_t)room);
	FX_REQUIRE_EQ(recvmsg(sock, &msg, flags), 1);
	FX_REQUIRE(byte == 'F', "data byte %#x, expected 'F'", byte);
	*mflags = msg.msg_flags;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
		FX_REQUIRE(cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS,
		    "unexpected control message level %d type %d", cm->cmsg_level, cm->cmsg_type);
		n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds, CMSG_DATA(cm), sizeof(int) * (size_t)n);
	}
	return n;
}

static void
pair(int sv[2])
{
	FX_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	us_set_timeouts(sv[0], FX_DEADLINE);
	us_set_timeouts(sv[1], FX_DEADLINE);
}

struct receiver { int sock; char got[16]; };

/* Receives a pipe's read end and reads from it: the child never inherited the pipe. */
static void
receive_and_read(void *arg)
{
	struct receiver *r = arg;
	int fd, mflags;

	FX_REQUIRE_EQ(recv_fds(r->sock, &fd, 1, 0, &mflags), 1);
	FX_REQUIRE_EQ(read(fd, r->got, sizeof r->got), 7);
}

FX_CASE(scm_rights__pipe_end_works_in_receiver, "posix", "a pipe's read end passed with SCM_RIGHTS to a process that never "
    "had it works there: it reads what the sender writes to the pipe",
    "POSIX.1-2017 XBD <sys/socket.h> SCM_RIGHTS; unix(7) Ancillary messages")
{
	struct receiver *r = fx_shared(sizeof *r);
	struct fx_child *c;
	int sv[2], p[2];

	pair(sv);
	r->sock = sv[1];
	c = fx_spawn(receive_and_read, r);
	FX_OK(pipe(p));
	us_send_fds(sv[0], &p[0], 1);
	FX_OK(close(p[0]));
	FX_REQUIRE_EQ(write(p[1], "through", 7), 7);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_MEMEQ(r->got, "through", 7);
}

FX_CASE(scm_rights__several_fds_one_message, "posix", "several descriptors in one SCM_RIGHTS message arrive in order as "
    "new descriptors for the same files",
    "unix(7) Ancillary messages: SCM_RIGHTS")
{
	struct stat a, b;
	int sv[2], p[2], fds[3], got[3], mflags, i;

	pair(sv);
	FX_OK(pipe(p));
	fds[0] = p[1];
	fds[1] = (int)FX_OK(open("file", O_CREAT | O_RDWR, 0600));
	fds[2] = p[0];
	us_send_fds(sv[0], fds, 3);
	FX_REQUIRE_EQ(recv_fds(sv[1], got, 3, 0, &mflags), 3);
	for (i = 0; i < 3; i++) {
		FX_REQUIRE(got[i] != fds[0] && got[i] != fds[1] && got[i] != fds[2],
		    "received descriptor %d is one of the sent ones", got[i]);
		FX_OK(fstat(fds[i], &a));
		FX_OK(fstat(got[i], &b));
		FX_REQUIRE(a.st_dev == b.st_dev && a.st_ino == b.st_ino,
		    "descriptor #%d received refers to another file", i);
	}
}

FX_CASE(scm_rights__shares_open_file_description, "posix", "a descriptor received with SCM_RIGHTS shares the open file "
    "description (its offset) with the sender's, as dup(2) would",
    "unix(7) SCM_RIGHTS: semantically similar to dup(2)")
{
	int sv[2], fd, got, mflags;

	pair(sv);
	fd = (int)FX_OK(open("file", O_CREAT | O_RDWR, 0600));
	FX_REQUIRE_EQ(write(fd, "0123456789", 10), 10);
	FX_OK(lseek(fd, 2, SEEK_SET));
	us_send_fds(sv[0], &fd, 1);
	FX_REQUIRE_EQ(recv_fds(sv[1], &got, 1, 0, &mflags), 1);
	FX_REQUIRE_EQ(lseek(got, 0, SEEK_CUR), 2);
	FX_OK(lseek(got, 7, SEEK_SET));
	FX_REQUIRE_EQ(lseek(fd, 0, SEEK_CUR), 7);
}

FX_CASE(scm_rights__in_flight_fd_outlives_sender_close, "posix", "a descriptor in flight keeps its file open after the sender closes "
    "its own copy: the receiver still reads through it",
    "unix(7) Ancillary messages: SCM_RIGHTS")
{
	int sv[2], p[2], got, mflags;
	char buf[8];

	pair(sv);
	FX_OK(pipe(p));
	FX_REQUIRE_EQ(write(p[1], "kept", 4), 4);
	us_send_fds(sv[0], &p[0], 1);
	FX_OK(close(p[0]));
	FX_OK(close(p[1]));
	FX_REQUIRE_EQ(recv_fds(sv[1], &got, 1, 0, &mflags), 1);
	FX_REQUIRE_EQ(read(got, buf, sizeof buf), 4);
	FX_REQUIRE_MEMEQ(buf, "kept", 4);
	FX_REQUIRE_EQ(read(got, buf, sizeof buf), 0);
}

FX_CASE(scm_rights__short_control_sets_ctrunc, "posix", "a control buffer too short for the descriptors sent sets MSG_CTRUNC; "
    "the descriptors that fit arrive",
    "POSIX.1-2017 XSH recvmsg: MSG_CTRUNC; unix(7) SCM_RIGHTS")
{
	int sv[2], p[2], got[2] = { -1, -1 }, mflags;
	struct stat a, b;

	pair(sv);
	FX_OK(pipe(p));
	us_send_fds(sv[0], p, 2);
	FX_REQUIRE_EQ(recv_fds(sv[1], got, 1, 0, &mflags), 1);
	FX_REQUIRE(mflags & MSG_CTRUNC, "msg_flags %#x lacks MSG_CTRUNC", mflags);
	FX_OK(fstat(p[0], &a));
	FX_OK(fstat(got[0], &b));
	FX_REQUIRE(a.st_ino == b.st_ino, "the descriptor that fit is not the first one sent");
	us_send_fds(sv[0], p, 2);
	FX_REQUIRE_EQ(recv_fds(sv[1], got, 2, 0, &mflags), 2);
	FX_REQUIRE(!(mflags & MSG_CTRUNC), "msg_flags %#x has MSG_CTRUNC with room enough", mflags);
}

FX_CASE(scm_rights__cmsg_cloexec, "linux", "MSG_CMSG_CLOEXEC sets FD_CLOEXEC on the descriptors received; "
    "without it they arrive without the flag",
    "recvmsg(2): MSG_CMSG_CLOEXEC; POSIX.1-2024 XSH recvmsg: MSG_CMSG_CLOEXEC")
{
	int sv[2], p[2], got, mflags;

	pair(sv);
	FX_OK(pipe2(p, O_CLOEXEC));
	us_send_fds(sv[0], &p[0], 1);
	FX_REQUIRE_EQ(recv_fds(sv[1], &got, 1, 0, &mflags), 1);
	FX_REQUIRE_EQ(fcntl(got, F_GETFD), 0);
	us_send_fds(sv[0], &p[0], 1);
	FX_REQUIRE_EQ(recv_fds(sv[1], &got, 1, MSG_CMSG_CLOEXEC, &mflags), 1);
	FX_REQUIRE_EQ(fcntl(got, F_GETFD), FD_CLOEXEC);
}

/* sendmsg(2) of one data byte with n copies of fd as SCM_RIGHTS (unchecked: for error cases). */
static ssize_t
send_rights(int sock, int fd, size_t n)
{
	static union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int) * 256)]; } ctl;
	struct iovec iov = { .iov_base = "F", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	size_t i;

	memset(&ctl, 0, sizeof ctl);
	msg.msg_control = ctl.buf;
	msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
	for (i = 0; i < n; i++)
		memcpy(CMSG_DATA(cm) + i * sizeof(int), &fd, sizeof fd);
	return sendmsg(sock, &msg, MSG_NOSIGNAL);
}

FX_CASE(scm_rights__bad_descriptor_ebadf, "linux", "sendmsg(2) with a descriptor in SCM_RIGHTS that is not open fails "
    "with EBADF and sends nothing",
    "unix(7) ERRORS: EBADF")
{
	int sv[2], fd;
	char buf[4];

	pair(sv);
	fd = (int)FX_OK(dup(0));
	FX_OK(close(fd));
	FX_REQUIRE_ERRNO(EBADF, send_rights(sv[0], fd, 1));
	FX_REQUIRE_ERRNO_AT_ONCE(EAGAIN, recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
}

FX_CASE(scm_rights__more_than_scm_max_fd_einval, "linux", "one SCM_RIGHTS message may carry SCM_MAX_FD (253) descriptors; one "
    "more fails with EINVAL",
    "unix(7) ERRORS: EINVAL, number of file descriptors exceeds SCM_MAX_FD")
{
	int sv[2];

	pair(sv);
#ifdef FX_LIBC_MUSL
	atf_tc_expect_fail("musl 1.2.3's sendmsg copies the control data into a fixed buffer and "
	    "fails with ENOMEM past 1024 bytes, short of SCM_MAX_FD descriptors");
#endif
	FX_REQUIRE_EQ(send_rights(sv[0], sv[0], 253), 1);
	FX_REQUIRE_ERRNO(EINVAL, send_rights(sv[0], sv[0], 254));
}

FX_CASE(scm_rights__every_socket_type, "posix", "SCM_RIGHTS passes a descriptor over SOCK_STREAM, SOCK_DGRAM and "
    "SOCK_SEQPACKET pairs alike",
    "unix(7) Ancillary messages: SCM_RIGHTS")
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	int sv[2], p[2], got, mflags;
	size_t i;
	char buf[4];

	FX_OK(pipe(p));
	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		FX_OK(socketpair(AF_UNIX, types[i], 0, sv));
		us_set_timeouts(sv[1], FX_DEADLINE);
		us_send_fds(sv[0], &p[1], 1);
		FX_REQUIRE_EQ(recv_fds(sv[1], &got, 1, 0, &mflags), 1);
		FX_REQUIRE_EQ(write(got, "w", 1), 1);
		FX_REQUIRE_EQ(read(p[0], buf, sizeof buf), 1);
		FX_OK(close(got));
		FX_OK(close(sv[0]));
		FX_OK(close(sv[1]));
	}
}
