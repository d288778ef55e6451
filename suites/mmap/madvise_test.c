/*
 * madvise(2) on mappings used for IPC: MADV_DONTNEED discards private
 * pages but never shared data.
 */
#include "fx.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DATA_FILE "madvise.data"

FX_CASE(madvise__dontneed_private_anon_zeroes, "linux", "after MADV_DONTNEED private anonymous pages read as zeros again",
    "madvise(2): MADV_DONTNEED ... zero-fill-on-demand pages for anonymous private mappings")
{
	char *p = FX_OK_PTR(mmap(NULL, 2 * fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	memset(p, 'q', 2 * fx_page_size());
	FX_OK(madvise(p, fx_page_size(), MADV_DONTNEED));
	FX_REQUIRE_EQ(p[0], 0);
	FX_REQUIRE_EQ(p[fx_page_size() - 1], 0);
	FX_REQUIRE_EQ(p[fx_page_size()], 'q');
}

FX_CASE(madvise__dontneed_shared_keeps_data, "linux", "after MADV_DONTNEED a MAP_SHARED page is reloaded with the shared data, not zeros",
    "madvise(2): MADV_DONTNEED ... shared mappings repopulate from the underlying file or memory")
{
	char *anon = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	int fd = FX_OK(open(DATA_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600));
	char *file;

	FX_OK(ftruncate(fd, (off_t)fx_page_size()));
	file = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	memcpy(anon, "kept", 4);
	memcpy(file, "kept", 4);
	FX_OK(madvise(anon, fx_page_size(), MADV_DONTNEED));
	FX_OK(madvise(file, fx_page_size(), MADV_DONTNEED));
	FX_REQUIRE_MEMEQ(anon, "kept", 4);
	FX_REQUIRE_MEMEQ(file, "kept", 4);
}
