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
