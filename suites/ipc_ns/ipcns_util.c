/* Helpers of the ipc_ns test programs; see ipcns_util.h. */
#include "fx.h"
#include "ipcns_util.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
write_text(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd == -1)
		return errno;
	n = write(fd, text, len);
	err = n == (ssize_t)len ? 0 : n == -1 ? errno : EIO;
	close(fd);
	return err;
}

int
ipcns_enter_new(void)
{
	char map[64];
	int err;

	if (unshare(CLONE_NEWIPC) == 0)
		return 0;
	err = errno;
	if (unshare(CLONE_NEWUSER | CLONE_NEWIPC) == -1)
		return err;
	snprintf(map, sizeof map, "0 %d 1\n", (int)geteuid());
	if (write_text("/proc/self/uid_map", map) != 0)
		return err;
	(void)write_text("/proc/self/setgroups", "deny\n");
	snprintf(map, sizeof map, "0 %d 1\n", (int)getegid());
	if (write_text("/proc/self/gid_map", map) != 0)
		return err;
	return 0;
}

static bool
same_namespace(int fd, const char *self_path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(self_path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino;
}

int
ipcns_join(int userfd, int ipcfd)
{
	if (userfd != -1 && !same_namespace(userfd, "/proc/self/ns/user") &&
	    setns(userfd, CLONE_NEWUSER) == -1)
		return errno;
	if (setns(ipcfd, CLONE_NEWIPC) == -1)
		return errno;
	return 0;
}

void
ipcns_open(pid_t pid, int *userfd, int *ipcfd)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
	*userfd = fx_open_documented(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof path, "/proc/%d/ns/ipc", (int)pid);
	*ipcfd = fx_open_documented(path, O_RDONLY | O_CLOEXEC);
}

static void
dwell(void *arg)
{
	struct ipcns_dweller *d = arg;
	char byte;

	d->enter_err = ipcns_enter_new();
	if (d->enter_err != 0) {
		d->ready = 1;
		return;
	}
	d->inside(d);
	d->ready = 1;
	FX_REQUIRE_EQ(read(d->go[0], &byte, 1), 1);
	if (d->after != NULL)
		d->after(d);
}

/* Ready, or ended before it was (a failed check inside: its report says why). */
static bool
dweller_ready(void *arg)
{
	struct ipcns_dweller *d = arg;

	return d->ready != 0 || fx_child_exited(d->child);
}

struct ipcns_dweller *
ipcns_dweller_start(void (*inside)(struct ipcns_dweller *),
    void (*after)(struct ipcns_dweller *), void *data)
{
	struct ipcns_dweller *d = fx_shared(sizeof *d);

	d->inside = inside;
	d->after = after;
	d->data = data;
	FX_OK(pipe2(d->go, O_CLOEXEC));
	d->child = fx_spawn(dwell, d);
	fx_wait_until(dweller_ready, d, FX_DEADLINE, "the child to enter a new IPC namespace");
	if (d->ready == 0)
		fx_child_join(d->child, FX_DEADLINE); /* fails with the child's own report */
	if (d->enter_err != 0) {
		fx_child_join(d->child, FX_DEADLINE);
		fx_setup_refused(d->enter_err, "a new IPC namespace: unshare(CLONE_NEWIPC), "
		    "and no user namespace could stand in");
	}
	fx_wait_blocked_in(fx_child_pid(d->child), "read", FX_DEADLINE);
	return d;
}

void
ipcns_dweller_release(struct ipcns_dweller *d)
{
	FX_REQUIRE_EQ(write(d->go[1], "g", 1), 1);
	fx_child_join(d->child, FX_DEADLINE);
}

const struct ipcns_limit ipcns_limits[] = {
	{ "kernel/msgmni", { "100", "101" } },
	{ "kernel/msgmax", { "4096", "4097" } },
	{ "kernel/msgmnb", { "8192", "8193" } },
	{ "kernel/sem", { "100\t1000\t10\t50", "101\t1000\t10\t50" } },
	{ "kernel/shmmni", { "100", "101" } },
	{ "kernel/shmmax", { "1048576", "1048577" } },
	{ "kernel/shmall", { "2048", "2049" } },
	{ "fs/mqueue/queues_max", { "7", "8" } },
	{ "fs/mqueue/msg_max", { "5", "6" } },
	{ "fs/mqueue/msgsize_max", { "1024", "1025" } },
	{ "fs/mqueue/msg_default", { "3", "4" } },
	{ "fs/mqueue/msgsize_default", { "512", "513" } },
};
const size_t ipcns_nlimits = sizeof ipcns_limits / sizeof ipcns_limits[0];

int
ipcns_read_sysctl(const char *path, char *buf, size_t len)
{
	char full[256];
	ssize_t n;
	int fd, err;

	snprintf(full, sizeof full, "/proc/sys/%s", path);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return errno;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return err;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

void
ipcns_require_sysctl(const char *path, char *buf, size_t len)
{
	int err = ipcns_read_sysctl(path, buf, len);

	if (err == ENOENT)
		FX_FAIL(FX_NOT_IMPLEMENTED "/proc/sys/%s (ENOENT): the documented file is absent",
		    path);
	if (err != 0)
		FX_FAIL("reading /proc/sys/%s failed: %s", path, fx_errno_name(err));
}

int
ipcns_write_sysctl(const char *path, const char *text)
{
	char full[256];

	snprintf(full, sizeof full, "/proc/sys/%s", path);
	return write_text(full, text);
}

size_t
ipcns_sysvipc_count(const char *kind, key_t key, size_t *with_key)
{
	char path[64], line[512];
	size_t count = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/sysvipc/%s", kind);
	f = fx_fopen_documented(path);
	*with_key = 0;
	if (fgets(line, sizeof line, f) == NULL) /* the header line */
		FX_FAIL("%s is empty, without even its header line", path);
	while (fgets(line, sizeof line, f) != NULL) {
		long long k;

		if (sscanf(line, "%lld", &k) != 1)
			continue;
		count++;
		if ((key_t)k == key)
			(*with_key)++;
	}
	fclose(f);
	return count;
}
