/*
 * Faults of memory mapping: mmap(2), munmap(2), mprotect(2), madvise(2) and
 * msync(2). The
 * sharing faults touch file-backed mappings only, so the fixtures' shared
 * anonymous pages (fx_shared) keep working.
 */
#include "fault.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	FAULT_REAL(mmap);
	int type = flags & MAP_TYPE;
	bool file = fd >= 0 && !(flags & MAP_ANONYMOUS);
	void *p;

	if (len == 0 && fault_is("mmap_length_zero_accepted")) {
		fault_fired();
		len = (size_t)sysconf(_SC_PAGESIZE);
	}
	if ((flags & MAP_FIXED_NOREPLACE) && fault_is("mmap_fixed_noreplace_clobbers")) {
		/* Translated as MAP_FIXED: whatever is mapped there is replaced. */
		fault_fired();
		flags = (flags & ~MAP_FIXED_NOREPLACE) | MAP_FIXED;
	}
	if (file && type == MAP_PRIVATE && fault_is("mmap_private_writes_through")) {
		p = real_mmap(addr, len, prot, (flags & ~MAP_TYPE) | MAP_SHARED, fd, off);
		if (p != MAP_FAILED) {
			fault_fired();
			return p;
		}
	}
	if (file && type == MAP_SHARED && fault_is("mmap_shared_file_as_private")) {
		fault_fired();
		flags = (flags & ~MAP_TYPE) | MAP_PRIVATE;
	}
	p = real_mmap(addr, len, prot, flags, fd, off);
	if (p == MAP_FAILED && errno == EACCES && file && type != MAP_PRIVATE &&
	    fault_is("mmap_shared_write_on_rdonly_fd")) {
		/* Silently downgraded to a private mapping instead of EACCES. */
		fault_fired();
		p = real_mmap(addr, len, prot, (flags & ~MAP_TYPE) | MAP_PRIVATE, fd, off);
	}
	return p;
}

int
munmap(void *addr, size_t len)
{
	FAULT_REAL(munmap);

	if (fault_is("munmap_keeps_mapping")) {
		fault_fired();
		return 0;
	}
	return real_munmap(addr, len);
}

int
mprotect(void *addr, size_t len, int prot)
{
	FAULT_REAL(mprotect);

	if (fault_is("mprotect_not_enforced")) {
		/* Accepted and recorded, never applied (an emulator with bigger host pages). */
		fault_fired();
		return 0;
	}
	return real_mprotect(addr, len, prot);
}

int
madvise(void *addr, size_t len, int advice)
{
	FAULT_REAL(madvise);

	if (advice == MADV_DONTNEED && fault_is("madvise_dontneed_ignored")) {
		/* Taken as a hint and ignored: private pages keep their data. */
		fault_fired();
		return 0;
	}
	return real_madvise(addr, len, advice);
}

int
msync(void *addr, size_t len, int flags)
{
	FAULT_REAL(msync);

	if ((flags & MS_SYNC) && (flags & MS_ASYNC) && fault_is("msync_flags_unchecked")) {
		fault_fired();
		flags &= ~MS_ASYNC;
	}
	return real_msync(addr, len, flags);
}
