/*
 * ipcconf's fault-injection interposer (LD_PRELOAD): the core every fault
 * group uses. Exactly one fault is active at a time, named by the environment
 * variable IPCCONF_FAULT, or, when that is unset, by the first line of the
 * file IPCCONF_FAULT_FILE names. The interposer acts only inside programs
 * whose name ends in "_test" (the suite's ATF programs): in Kyua, the ipcconf
 * runner and everything else, every wrapper passes straight through.
 */
#ifndef IPCCONF_FAULT_H
#define IPCCONF_FAULT_H

#include <stdbool.h>
#include <sys/types.h>

/* True when `name` is the active fault and this process is a test program. */
bool fault_is(const char *name);

/*
 * Records that the active fault changed a call's behaviour in this process:
 * the first time, a line "fired NAME PID PROGRAM" goes to the file named by
 * IPCCONF_FAULT_LOG (when set), so that the self-test can tell a fault no case
 * caught from one no case reached.
 */
void fault_fired(void);

/*
 * Records an IPC object a test program created in IPCCONF_FAULT_LOG as
 * "created KIND ID PID UID [KEY]" ("created sysv_msg 32769 1234 0 0",
 * "created posix_shm /name 1234 0"), unless the process is in a private IPC
 * namespace, so that the self-test can check that a run under the fault still
 * removed everything it made (and remove what it did not, and nothing else).
 */
void fault_created(const char *kind, const char *id, const char *key);

/*
 * For the "a non-blocking call that waits" faults: sleeps two seconds (errno
 * kept), then the wrapper gives the call's own, correct, result.
 */
void fault_wait_first(void);

/* Marks this process (and its future children) as inside a private IPC namespace. */
void fault_entered_private_ipcns(void);

/* The next definition of `name` after this library (dlsym RTLD_NEXT); aborts when missing. */
void *fault_next(const char *name);

/* Declares `real_fn`, the next definition of fn, looked up on first use. */
#define FAULT_REAL(fn) \
	static __typeof__(fn) *real_##fn; \
	if (real_##fn == NULL) \
		real_##fn = (__typeof__(fn) *)fault_next(#fn)

#endif
