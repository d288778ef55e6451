/*
 * The util-linux management tools of the seed notes: ipcs(1) lists System V
 * objects as msgctl/shmctl/semctl report them, ipcrm(1) removes them.
 */
#include "msgq.h"

#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

struct tool_run {
	char *argv[8];
	int out; /* the write end of the output pipe */
};

static void
exec_tool(void *arg)
{
	struct tool_run *t = arg;

	if (dup2(t->out, STDOUT_FILENO) == -1)
		_exit(126);
	execvp(t->argv[0], t->argv);
	_exit(127);
}

/* Skips the case unless `name` is an executable in PATH. */
static void
require_tool(const char *name)
{
	char path[4096], *dirs = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	char *dir, *save = NULL;

	for (dir = strtok_r(dirs, ":", &save); dir != NULL; dir = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (access(path, X_OK) == 0) {
			free(dirs);
			return;
		}
	}
	free(dirs);
	fx_skip("%s (util-linux) is not installed", name);
}

/*
 * A tool's output on one line for a failure's reason (Kyua takes a
 * multi-line reason for ipcconf's fault): its lines joined by " | ", blank
 * ones dropped, cut at len.
 */
static const char *
one_line(const char *out, char *buf, size_t len)
{
	size_t used = 0;
	const char *p;

	buf[0] = '\0';
	for (p = out; *p != '\0' && used + 4 < len; p++) {
		if (*p != '\n') {
			buf[used++] = *p == '\r' || *p == '\t' ? ' ' : *p;
			continue;
		}
		while (used > 0 && buf[used - 1] == ' ')
			used--;
		if (used > 0 && p[1] != '\0' && p[1] != '\n' &&
		    (used < 3 || strncmp(buf + used - 3, " | ", 3) != 0)) {
			memcpy(buf + used, " | ", 3);
			used += 3;
		}
	}
	while (used > 0 && buf[used - 1] == ' ')
		used--;
	buf[used] = '\0';
	return buf;
}

static char reason_line[4096];

/* Runs the tool (argv ends with NULL), collects its standard output, requires exit 0. */
static void
run_tool(char **argv, char *out, size_t len)
{
	struct tool_run *t = fx_shared(sizeof *t);
	long long end = fx_now_ms() + FX_DEADLINE;
	size_t used = 0, i;
	struct fx_child *c;
	char buf[96];
	int p[2], status;

	require_tool(argv[0]);
	for (i = 0; argv[i] != NULL && i < 7; i++)
		t->argv[i] = argv[i];
	FX_OK(pipe2(p, O_CLOEXEC));
	t->out = p[1];
	c = fx_spawn(exec_tool, t);
	FX_OK(close(p[1]));
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		int left = (int)(end - fx_now_ms());
		ssize_t n;

		FX_REQUIRE(left > 0 && poll(&pfd, 1, left) == 1, "%s: no output or EOF in time", argv[0]);
		n = FX_OK(read(p[0], out + used, len - 1 - used));
		if (n == 0)
			break;
		used += (size_t)n;
		FX_REQUIRE(used < len - 1, "%s: output longer than %zu bytes", argv[0], len);
	}
	out[used] = '\0';
	FX_OK(close(p[0]));
	status = fx_child_wait(c, FX_DEADLINE);
	FX_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s %s: %s; output: %s",
	    argv[0], argv[1] ? argv[1] : "", fx_status_text(status, buf, sizeof buf),
	    one_line(out, reason_line, sizeof reason_line));
}

/*
 * Finds the row of object `id` in ipcs output: "key id owner perms a b".
 * Returns false when no row has that id.
 */
struct ipcs_row { unsigned key; int id; char owner[64]; unsigned perms; unsigned long a, b; };

static bool
find_row(const char *out, int id, struct ipcs_row *r)
{
	const char *line = out;

	while (line != NULL && *line != '\0') {
		int n = sscanf(line, "%x %d %63s %o %lu %lu", &r->key, &r->id, r->owner, &r->perms,
		    &r->a, &r->b);

		if (n >= 5 && r->id == id)
			return true;
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return false;
}

/* The owner column: the user name cut to 10 characters, or the uid. */
static void
require_owner(const struct ipcs_row *r, uid_t uid)
{
	struct passwd *pw = getpwuid(uid);
	char expected[64];

	if (pw != NULL)
		snprintf(expected, sizeof expected, "%.10s", pw->pw_name);
	else
		snprintf(expected, sizeof expected, "%u", (unsigned)uid);
	FX_REQUIRE(strcmp(r->owner, expected) == 0, "ipcs shows owner '%s', expected '%s'",
	    r->owner, expected);
}

static char output[1 << 20];

FX_CASE(ipcs__q_lists_queue, "linux", "ipcs -q lists a queue's key, id, owner, perms, used bytes and messages as msgctl does",
    "ipcs(1) (util-linux): -q")
{
	int id = (int)FX_OK(fx_msgget(fx_ftok(1), IPC_CREAT | 0640));
	char *argv[] = { "ipcs", "-q", NULL };
	struct msqid_ds ds;
	struct ipcs_row r;

	MSGQ_SEND(id, 1, "abc");
	MSGQ_SEND(id, 2, "defg");
	ds = msgq_stat(id);
	run_tool(argv, output, sizeof output);
	FX_REQUIRE(find_row(output, id, &r), "queue %d not in 'ipcs -q': %s", id,
	    one_line(output, reason_line, sizeof reason_line));
	FX_REQUIRE_EQ(r.key, (unsigned)ds.msg_perm.__key);
	require_owner(&r, ds.msg_perm.uid);
	FX_REQUIRE_EQ(r.perms, ds.msg_perm.mode & 0777);
	FX_REQUIRE_EQ(r.a, ds.__msg_cbytes);
	FX_REQUIRE_EQ(r.b, ds.msg_qnum);
	FX_REQUIRE_EQ(r.b, 2);
}

FX_CASE(ipcs__m_lists_segment, "linux", "ipcs -m lists a segment's key, id, owner, perms, size and attach count as shmctl does",
    "ipcs(1) (util-linux): -m")
{
	int id = (int)FX_OK(fx_shmget(fx_ftok(2), 8192, IPC_CREAT | 0604));
	char *argv[] = { "ipcs", "-m", NULL };
	struct shmid_ds ds;
	struct ipcs_row r;

	FX_OK_PTR(shmat(id, NULL, SHM_RDONLY));
	FX_OK(shmctl(id, IPC_STAT, &ds));
	run_tool(argv, output, sizeof output);
	FX_REQUIRE(find_row(output, id, &r), "segment %d not in 'ipcs -m': %s", id,
	    one_line(output, reason_line, sizeof reason_line));
	FX_REQUIRE_EQ(r.key, (unsigned)ds.shm_perm.__key);
	require_owner(&r, ds.shm_perm.uid);
	FX_REQUIRE_EQ(r.perms, ds.shm_perm.mode & 0777);
	FX_REQUIRE_EQ(r.a, ds.shm_segsz);
	FX_REQUIRE_EQ(r.b, ds.shm_nattch);
	FX_REQUIRE_EQ(r.b, 1);
}

FX_CASE(ipcs__s_lists_semaphore_set, "linux", "ipcs -s lists a semaphore set's key, id, owner, perms and nsems as semctl does",
    "ipcs(1) (util-linux): -s")
{
	int id = (int)FX_OK(fx_semget(fx_ftok(3), 3, IPC_CREAT | 0660));
	char *argv[] = { "ipcs", "-s", NULL };
	struct semid_ds ds;
	struct ipcs_row r;

	FX_OK(semctl(id, 0, IPC_STAT, &ds));
	run_tool(argv, output, sizeof output);
	FX_REQUIRE(find_row(output, id, &r), "set %d not in 'ipcs -s': %s", id,
	    one_line(output, reason_line, sizeof reason_line));
	FX_REQUIRE_EQ(r.key, (unsigned)ds.sem_perm.__key);
	require_owner(&r, ds.sem_perm.uid);
	FX_REQUIRE_EQ(r.perms, ds.sem_perm.mode & 0777);
	FX_REQUIRE_EQ(r.a, ds.sem_nsems);
	FX_REQUIRE_EQ(r.a, 3);
}

FX_CASE(ipcrm__q_removes_queue_by_id, "linux", "ipcrm -q ID removes the queue: msgctl then fails with EINVAL",
    "ipcrm(1) (util-linux): -q msqid")
{
	int id = msgq_new();
	char ids[16], *argv[] = { "ipcrm", "-q", ids, NULL };
	struct msqid_ds ds;

	snprintf(ids, sizeof ids, "%d", id);
	run_tool(argv, output, sizeof output);
	FX_REQUIRE_ERRNO(EINVAL, msgctl(id, IPC_STAT, &ds));
}

FX_CASE(ipcrm__Q_removes_queue_by_key, "linux", "ipcrm -Q KEY removes the queue with that key: msgget(key, 0) then fails with ENOENT",
    "ipcrm(1) (util-linux): -Q msgkey")
{
	key_t key = fx_ftok(4);
	int id = (int)FX_OK(fx_msgget(key, IPC_CREAT | 0600));
	char keys[16], *argv[] = { "ipcrm", "-Q", keys, NULL };
	struct msqid_ds ds;

	snprintf(keys, sizeof keys, "0x%08x", (unsigned)key);
	run_tool(argv, output, sizeof output);
	FX_REQUIRE_ERRNO(ENOENT, msgget(key, 0));
	FX_REQUIRE_ERRNO(EINVAL, msgctl(id, IPC_STAT, &ds));
}

FX_CASE(ipcrm__m_removes_segment_by_id, "linux", "ipcrm -m ID removes an unattached segment: shmctl then fails with EINVAL",
    "ipcrm(1) (util-linux): -m shmid")
{
	int id = (int)FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char ids[16], *argv[] = { "ipcrm", "-m", ids, NULL };
	struct shmid_ds ds;

	snprintf(ids, sizeof ids, "%d", id);
	run_tool(argv, output, sizeof output);
	FX_REQUIRE_ERRNO(EINVAL, shmctl(id, IPC_STAT, &ds));
}

FX_CASE(ipcrm__s_removes_semaphore_set_by_id, "linux", "ipcrm -s ID removes the semaphore set: semctl then fails with EINVAL",
    "ipcrm(1) (util-linux): -s semid")
{
	int id = (int)FX_OK(fx_semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	char ids[16], *argv[] = { "ipcrm", "-s", ids, NULL };
	struct semid_ds ds;

	snprintf(ids, sizeof ids, "%d", id);
	run_tool(argv, output, sizeof output);
	FX_REQUIRE_ERRNO(EINVAL, semctl(id, 0, IPC_STAT, &ds));
}
