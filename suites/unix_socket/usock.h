/*
 * Helpers of the unix_socket suite only: socket addresses (paths relative to
 * the work directory, so that sun_path's 108 bytes always suffice; abstract
 * names unique per case and pid; loopback addresses), and small wrappers
 * whose failures are reported as setup failures.
 */
#ifndef IPCCONF_USOCK_H
#define IPCCONF_USOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

/* Fills sa with the pathname `path`; returns the address length. */
socklen_t us_path_addr(struct sockaddr_un *sa, const char *path);

/*
 * Fills sa with the abstract name "\0ipcconf.<case>.<pid>.<tag>" (no NUL
 * at the end); returns the address length.
 */
socklen_t us_abstract_addr(struct sockaddr_un *sa, const char *tag);

/* A socket of `type` bound to `path`; listening with `backlog` when backlog >= 0. */
int us_bound(const char *path, int type, int backlog);

/* A socket of `type` connected to `path`. */
int us_connected(const char *path, int type);

/* Bounds blocking send and receive calls on fd to ms milliseconds (SO_SNDTIMEO, SO_RCVTIMEO). */
void us_set_timeouts(int fd, int ms);

/*
 * Sends chunk-sized messages with MSG_DONTWAIT until the call fails; fails the
 * case unless it failed with EAGAIN. Returns the number of bytes sent.
 */
size_t us_fill(int fd, size_t chunk);

/* What poll(2) reports at once (timeout 0) for POLLIN | POLLOUT on fd: its revents. */
short us_revents(int fd);

/*
 * Fails unless the revents of fd, masked with `mask`, are exactly `want`;
 * the message says `what` and names the flags seen and expected
 * ("after a send: revents POLLOUT, expected POLLIN|POLLOUT (of POLLIN|POLLOUT)").
 */
#define US_REQUIRE_REVENTS(fd, mask, want, what) \
	us_require_revents_(__FILE__, __LINE__, (fd), (mask), (want), (what))
void us_require_revents_(const char *file, int line, int fd, short mask, short want,
    const char *what);

/* Receives exactly n bytes (several calls on a stream); fails the case on an error or early EOF. */
void us_recv_all(int fd, void *buf, size_t n);

/*
 * Loopback: fills ss with 127.0.0.1 (AF_INET) or ::1 (AF_INET6) and `port`
 * (host order); returns the address length.
 */
socklen_t us_loopback_addr(struct sockaddr_storage *ss, int family, unsigned port);

/*
 * Skips the case when `family` cannot bind its loopback address (no ::1 on
 * this machine, IPv6 disabled), with the reason.
 */
void us_require_loopback(int family);

/* A socket of `type` bound to the loopback address of `family`, port 0; listening when backlog >= 0. */
int us_loopback_bound(int family, int type, int backlog);

/* The port (host order) a socket is bound to, from getsockname(2). */
unsigned us_port(int fd);

/* Sends the n descriptors fds[] in one SCM_RIGHTS message with the data byte "F" over sock. */
void us_send_fds(int sock, const int *fds, size_t n);

#endif
