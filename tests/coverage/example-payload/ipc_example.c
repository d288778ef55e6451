/*
 * The example payload's program (tests/coverage/example-payload): a few pipe,
 * System V message queue and Unix socket calls, so that the coverage report of
 * another suite run through `ipcconf-coverage-kernel --payload` shows lines hit
 * in fs/pipe.c and ipc/msg.c. Built static (build.sh): the guest has no
 * libraries of its own. Prints one line per check and exits 1 when one fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

struct msg {
	long mtype;
	char mtext[16];
};

int main(void)
{
	int p[2], sv[2];
	char buf[16] = "";
	struct msg m = { 1, "hello" }, r;
	pid_t pid;
	int q, status;

	check(pipe(p) == 0, "pipe()");
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		_exit(write(p[1], "ping", 4) == 4 ? 0 : 1);
	}
	close(p[1]);
	check(read(p[0], buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0,
	    "read() returns what a child wrote into the pipe");
	check(read(p[0], buf, sizeof(buf)) == 0, "read() returns 0 once the writer closed");
	close(p[0]);
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the writer exited 0");

	q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	check(q >= 0, "msgget(IPC_PRIVATE)");
	if (q >= 0) {
		check(msgsnd(q, &m, sizeof(m.mtext), 0) == 0, "msgsnd()");
		check(msgrcv(q, &r, sizeof(r.mtext), 1, 0) == (ssize_t)sizeof(m.mtext) &&
		    strcmp(r.mtext, "hello") == 0, "msgrcv() returns the message");
		check(msgrcv(q, &r, sizeof(r.mtext), 0, IPC_NOWAIT) == -1 && errno == ENOMSG,
		    "msgrcv(IPC_NOWAIT) on an empty queue fails with ENOMSG");
		check(msgctl(q, IPC_RMID, NULL) == 0, "msgctl(IPC_RMID)");
	}

	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair(AF_UNIX)");
	check(send(sv[0], "x", 1, 0) == 1 && recv(sv[1], buf, 1, 0) == 1 && buf[0] == 'x',
	    "a byte through a Unix socket pair");
	close(sv[0]);
	close(sv[1]);

	printf("%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
