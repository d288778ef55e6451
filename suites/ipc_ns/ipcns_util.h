/*
 * Helpers shared by the ipc_ns test programs (and by no other family):
 * children that live in a new IPC namespace, joining another process's
 * namespace, and reading /proc/sysvipc and /proc/sys as text.
 */
#ifndef IPCCONF_IPCNS_UTIL_H
#define IPCCONF_IPCNS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct fx_child;

/*
 * In a child: unshare(CLONE_NEWIPC), or where that is not allowed a new user
 * namespace mapping the caller to root together with a new IPC namespace.
 * Returns 0, or the errno of the direct attempt when neither worked.
 */
int ipcns_enter_new(void);

/*
 * In a child: joins the IPC namespace that ipcfd refers to, first joining
 * userfd's user namespace when it is not the caller's own (-1: do not).
 * Returns 0 or the errno of the setns(2) that failed.
 */
int ipcns_join(int userfd, int ipcfd);

/* Opens /proc/PID/ns/user and /proc/PID/ns/ipc (fails the case when impossible). */
void ipcns_open(pid_t pid, int *userfd, int *ipcfd);

/*
 * A child that lives in a new IPC namespace: it enters it, runs inside(d),
 * then waits (blocked in read(2)) until released, then runs after(d) if set.
 */
struct ipcns_dweller {
	void (*inside)(struct ipcns_dweller *d);
	void (*after)(struct ipcns_dweller *d);
	void *data;          /* for inside/after, in memory shared with the parent */
	int go[2];           /* the child reads one byte from go[0] to go on */
	int enter_err;       /* errno when no new IPC namespace could be made */
	volatile int ready;  /* inside() has run (or entering failed) */
	struct fx_child *child;
};

/*
 * Allocates a dweller in shared memory and starts it; returns once it is
 * proven blocked after inside(). Skips the case when the child could not
 * enter a new IPC namespace.
 */
struct ipcns_dweller *ipcns_dweller_start(void (*inside)(struct ipcns_dweller *),
    void (*after)(struct ipcns_dweller *), void *data);
/* Lets the dweller go on and waits for it to exit 0 (its namespace then dies). */
void ipcns_dweller_release(struct ipcns_dweller *d);

/*
 * The IPC sysctls, each with two values of which at least one differs from
 * any current value: the kernel/ limits of proc(5), the fs/mqueue/ ones of
 * mq_overview(7), all of which ipc_namespaces(7) says are per namespace.
 */
struct ipcns_limit {
	const char *path;        /* under /proc/sys */
	const char *values[2];   /* as the kernel prints them */
};
extern const struct ipcns_limit ipcns_limits[];
extern const size_t ipcns_nlimits;

/* Reads /proc/sys/<path> as text without the final newline into buf; 0 or errno. */
int ipcns_read_sysctl(const char *path, char *buf, size_t len);
/*
 * The same, failing the case when it cannot: "not implemented" when the
 * documented file is absent (fx_outcome.h).
 */
void ipcns_require_sysctl(const char *path, char *buf, size_t len);
/* Writes text to /proc/sys/<path>; 0 or errno. */
int ipcns_write_sysctl(const char *path, const char *text);

/*
 * The number of objects /proc/sysvipc/<kind> ("msg", "sem", "shm") lists,
 * and how many of them have the given key (fails the case when unreadable).
 */
size_t ipcns_sysvipc_count(const char *kind, key_t key, size_t *with_key);

#endif
