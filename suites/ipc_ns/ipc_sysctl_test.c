/*
 * The IPC sysctls themselves: root may write each of them in its own IPC
 * namespace, and reads back what it wrote (proc(5) for kernel/msg*, sem and
 * shm*, mq_overview(7) for fs/mqueue/ files; ipc_namespaces(7) makes them per
 * namespace). The cases that only need a limit skip when the write is refused
 * (fx_set_ipc_sysctl); these are where a target that refuses it fails, once
 * per sysctl. X-class linux.
 */
#include "fx.h"
#include "ipcns_util.h"

#include <sched.h>
#include <string.h>
#include <sys/statvfs.h>

/* Root writes one of the two values that differs from the current one, in a new IPC namespace. */
static void
require_root_writes(const char *path)
{
	const struct ipcns_limit *l = NULL;
	char before[128], after[128];
	const char *chosen;
	struct statvfs vfs;
	size_t i;
	int err;

	for (i = 0; i < ipcns_nlimits; i++)
		if (strcmp(ipcns_limits[i].path, path) == 0)
			l = &ipcns_limits[i];
	FX_REQUIRE(l != NULL, "no values for %s in ipcns_limits", path);
	/* Only real root: root of a user namespace may not own /proc/sys on older kernels. */
	FX_SETUP(unshare(CLONE_NEWIPC));
	if (statvfs("/proc/sys", &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0)
		fx_setup_refused(EROFS, "/proc/sys is mounted read-only here (a container's mount)");
	ipcns_require_sysctl(path, before, sizeof before);
	chosen = l->values[strcmp(before, l->values[0]) == 0];
	err = ipcns_write_sysctl(path, chosen);
	FX_REQUIRE(err == 0, "writing \"%s\" to /proc/sys/%s as root in a private IPC namespace "
	    "failed: %s (%s)", chosen, path, fx_errno_name(err), strerror(err));
	ipcns_require_sysctl(path, after, sizeof after);
	FX_REQUIRE(strcmp(after, chosen) == 0, "/proc/sys/%s reads \"%s\" after root wrote \"%s\"",
	    path, after, chosen);
}

#define ROOT_WRITES(name, path, spec) \
	FX_CASE_AS_ROOT(ipc_sysctl__root_writes_##name, "linux", "root may write /proc/sys/" \
	    path " in a private IPC namespace, and reads back what it wrote", spec) \
	{ \
		require_root_writes(path); \
	}

ROOT_WRITES(kernel_msgmax, "kernel/msgmax",
    "proc(5): /proc/sys/kernel/msgmax; ipc_namespaces(7)")
ROOT_WRITES(kernel_msgmnb, "kernel/msgmnb",
    "proc(5): /proc/sys/kernel/msgmnb; ipc_namespaces(7)")
ROOT_WRITES(kernel_msgmni, "kernel/msgmni",
    "proc(5): /proc/sys/kernel/msgmni; ipc_namespaces(7)")
ROOT_WRITES(kernel_sem, "kernel/sem",
    "proc(5): /proc/sys/kernel/sem; ipc_namespaces(7)")
ROOT_WRITES(kernel_shmall, "kernel/shmall",
    "proc(5): /proc/sys/kernel/shmall; ipc_namespaces(7)")
ROOT_WRITES(kernel_shmmax, "kernel/shmmax",
    "proc(5): /proc/sys/kernel/shmmax; ipc_namespaces(7)")
ROOT_WRITES(kernel_shmmni, "kernel/shmmni",
    "proc(5): /proc/sys/kernel/shmmni; ipc_namespaces(7)")
ROOT_WRITES(mqueue_queues_max, "fs/mqueue/queues_max",
    "mq_overview(7): /proc/sys/fs/mqueue/queues_max; ipc_namespaces(7)")
ROOT_WRITES(mqueue_msg_max, "fs/mqueue/msg_max",
    "mq_overview(7): /proc/sys/fs/mqueue/msg_max; ipc_namespaces(7)")
ROOT_WRITES(mqueue_msgsize_max, "fs/mqueue/msgsize_max",
    "mq_overview(7): /proc/sys/fs/mqueue/msgsize_max; ipc_namespaces(7)")
ROOT_WRITES(mqueue_msg_default, "fs/mqueue/msg_default",
    "mq_overview(7): /proc/sys/fs/mqueue/msg_default (since Linux 3.5); ipc_namespaces(7)")
ROOT_WRITES(mqueue_msgsize_default, "fs/mqueue/msgsize_default",
    "mq_overview(7): /proc/sys/fs/mqueue/msgsize_default (since Linux 3.5); ipc_namespaces(7)")
