/*
 * fcntl(2) record locks at the edges of a range: which byte a lock's segment
 * ends on. The kernel mutant locks-overlap-gt (tests/kernel-faults) is caught
 * here. Every case locks a file of its own work directory.
 */
#include "lk.h"

#define PATH "lockfile"

FX_CASE(fcntl__one_byte_overlap_conflicts, "posix", "A write lock on [10, 20) conflicts with another process's lock that "
    "shares only its first or its last byte, and not with one that starts just after it",
    "POSIX.1-2017 XSH fcntl: F_SETLK fails when any part of the "
    "segment is locked by another process (the segment is l_start to l_start + l_len - 1)")
{
	int fd = lk_create(PATH);
	struct lk_probe *p;

	FX_OK(lk_set(fd, F_SETLK, F_WRLCK, 10, 10));
	p = lk_probe(PATH, F_SETLK, F_WRLCK, 19, 5);
	LK_REQUIRE_CONFLICT("F_SETLK F_WRLCK on [19, 24) over byte 19 of a write lock on [10, 20)",
	    p->ret, p->err);
	p = lk_probe(PATH, F_SETLK, F_WRLCK, 5, 6);
	LK_REQUIRE_CONFLICT("F_SETLK F_WRLCK on [5, 11) over byte 10 of a write lock on [10, 20)",
	    p->ret, p->err);
	p = lk_probe(PATH, F_SETLK, F_WRLCK, 20, 5);
	FX_REQUIRE(p->ret == 0, "F_SETLK F_WRLCK on [20, 25) just after a write lock on [10, 20): "
	    "%d (errno %s), expected 0", p->ret, fx_errno_name(p->err));
}

FX_CASE(fcntl__ranges_of_two_owners, "posix", "With two other processes holding write locks on [0, 10) and [20, 30), a third gets the gap [10, 20) "
    "exactly, conflicts on the first byte past either edge, and F_GETLK names the owner of the range it reports",
    "POSIX.1-2017 XSH fcntl: F_GETLK returns the first lock that would prevent this lock from being created; "
    "F_SETLK fails when any part of the segment is locked by another process")
{
	struct lk_holder *ha, *hb;
	struct fx_child *a, *b;
	struct lk_probe *p;
	struct flock fl;

	FX_OK(close(lk_create(PATH)));
	a = lk_hold_fcntl(PATH, F_SETLK, F_WRLCK, 0, 10, &ha);
	b = lk_hold_fcntl(PATH, F_SETLK, F_WRLCK, 20, 10, &hb);
	p = lk_probe(PATH, F_SETLK, F_WRLCK, 10, 10);
	FX_REQUIRE(p->ret == 0, "F_SETLK F_WRLCK on the gap [10, 20) between two owners' locks: "
	    "%d (errno %s), expected 0", p->ret, fx_errno_name(p->err));
	p = lk_probe(PATH, F_SETLK, F_WRLCK, 9, 2);
	LK_REQUIRE_CONFLICT("F_SETLK F_WRLCK on [9, 11) over the last byte of the first owner's lock",
	    p->ret, p->err);
	p = lk_probe(PATH, F_SETLK, F_WRLCK, 19, 2);
	LK_REQUIRE_CONFLICT("F_SETLK F_WRLCK on [19, 21) over the first byte of the second owner's lock",
	    p->ret, p->err);
	/* Each range reported goes with its own owner's pid, whichever lock comes first. */
	fl = lk_probe_getlk(PATH, 0, 30);
	if (fl.l_start == 0)
		LK_REQUIRE_LOCK(&fl, F_WRLCK, 0, 10, fx_child_pid(a));
	else
		LK_REQUIRE_LOCK(&fl, F_WRLCK, 20, 10, fx_child_pid(b));
	fl = lk_probe_getlk(PATH, 15, 15);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 20, 10, fx_child_pid(b));
	lk_let_go(ha, a);
	fl = lk_probe_getlk(PATH, 0, 30);
	LK_REQUIRE_LOCK(&fl, F_WRLCK, 20, 10, fx_child_pid(b));
	lk_let_go(hb, b);
	LK_REQUIRE_UNLOCKED(PATH, 0, 30);
}
