/*
 * shmat(2) and shmdt(2): attaching System V shared memory segments to an
 * address space, sharing them between processes, and detaching them.
 */
#include "fx.h"

#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

static struct shmid_ds
shm_stat(int id)
{
	struct shmid_ds ds;

	FX_OK(shmctl(id, IPC_STAT, &ds));
	return ds;
}

/* An address range of n pages that nothing is mapped at (reserved, then released). */
static char *
free_range(size_t n)
{
	char *p = FX_OK_PTR(mmap(NULL, n * fx_page_size(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	FX_OK(munmap(p, n * fx_page_size()));
	return p;
}

/* The first multiple of SHMLBA at or above p. */
static char *
shmlba_up(char *p)
{
	return p + (SHMLBA - (uintptr_t)p % SHMLBA) % SHMLBA;
}

FX_CASE(shmat__null_picks_aligned_address, "xsi", "shmat with a null address attaches at an address the system chooses, aligned to SHMLBA",
    "POSIX.1-2017 XSH shmat: shmaddr is a null pointer")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *p = FX_OK_PTR(shmat(id, NULL, 0));

	FX_REQUIRE(p != NULL && (uintptr_t)p % SHMLBA == 0,
	    "shmat(NULL) returned %p, not a non-null multiple of SHMLBA (%lu)", (void *)p,
	    (unsigned long)SHMLBA);
	p[0] = 1;
}

FX_CASE(shmat__given_address_used, "xsi", "shmat with an SHMLBA-aligned address attaches exactly there",
    "POSIX.1-2017 XSH shmat: shmaddr not null and SHM_RND not set")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *want = shmlba_up(free_range(2 + SHMLBA / fx_page_size()));

	FX_REQUIRE_EQ((uintptr_t)shmat(id, want, 0), (uintptr_t)want);
}

FX_CASE(shmat__unaligned_address_einval, "xsi", "shmat with an address that is not SHMLBA-aligned and no SHM_RND fails with EINVAL",
    "POSIX.1-2017 XSH shmat ERRORS [EINVAL]: shmaddr not aligned and SHM_RND not set")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *base = free_range(4);

	FX_REQUIRE_ERRNO(EINVAL, shmat(id, base + 1, 0));
	FX_REQUIRE_ERRNO(EINVAL, shmat(id, base + fx_page_size() / 2, SHM_RDONLY));
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 0);
}

FX_CASE(shmat__shm_rnd_rounds_down, "xsi", "with SHM_RND an unaligned address is rounded down to a multiple of SHMLBA",
    "POSIX.1-2017 XSH shmat: SHM_RND rounds shmaddr down to a multiple of SHMLBA")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *base = free_range(2 + SHMLBA / fx_page_size());
	char *aligned = shmlba_up(base);

	FX_REQUIRE_EQ((uintptr_t)shmat(id, aligned + 123, SHM_RND), (uintptr_t)aligned);
}

FX_CASE(shmat__two_attaches_alias, "xsi", "two attaches of one segment are different addresses for the same memory",
    "POSIX.1-2017 XSH shmat: attaches the segment to the address space")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *a = FX_OK_PTR(shmat(id, NULL, 0));
	char *b = FX_OK_PTR(shmat(id, NULL, 0));

	FX_REQUIRE(a != b, "both attaches at %p", (void *)a);
	strcpy(a, "through a");
	FX_REQUIRE_MEMEQ(b, "through a", 10);
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 2);
}

struct rw { key_t key; int to_child[2]; int to_parent[2]; };

/* Finds the segment by key in its own process, reads the parent's words, answers. */
static void
shm_peer(void *arg)
{
	struct rw *rw = arg;
	int id = FX_OK(shmget(rw->key, 0, 0600));
	char *p = FX_OK_PTR(shmat(id, NULL, 0));

	fx_event_wait(rw->to_child[0], FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p, "ping from the writer", 21);
	memcpy(p + 100, "pong from the reader", 21);
	fx_event_post(rw->to_parent[1]);
}

FX_CASE(shmat__processes_share_data, "xsi", "two processes that attach one key's segment read each other's stores",
    "POSIX.1-2017 XSH shmat; XSH 2.7 XSI Interprocess Communication")
{
	struct rw rw;
	struct fx_child *c;
	char *p;
	int id;

	rw.key = fx_ftok(1);
	id = FX_OK(fx_shmget(rw.key, 4096, IPC_CREAT | 0600));
	FX_OK(pipe(rw.to_child));
	FX_OK(pipe(rw.to_parent));
	c = fx_spawn(shm_peer, &rw);
	p = FX_OK_PTR(shmat(id, NULL, 0));
	memcpy(p, "ping from the writer", 21);
	fx_event_post(rw.to_child[1]);
	fx_event_wait(rw.to_parent[0], FX_DEADLINE);
	FX_REQUIRE_MEMEQ(p + 100, "pong from the reader", 21);
	fx_child_join(c, FX_DEADLINE);
}

static void
write_read_only(void *arg)
{
	volatile char *p = FX_OK_PTR(shmat(*(int *)arg, NULL, SHM_RDONLY));

	FX_REQUIRE_EQ(p[0], 'r');
	fx_no_core_dumps();
	p[0] = 'w';
}

FX_CASE(shmat__rdonly_write_sigsegv, "xsi", "a segment attached SHM_RDONLY can be read, and a store to it raises SIGSEGV",
    "POSIX.1-2017 XSH shmat: SHM_RDONLY attached for reading only")
{
	int *id = fx_shared(sizeof *id);
	char *p;

	*id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	p = FX_OK_PTR(shmat(*id, NULL, 0));
	p[0] = 'r';
	fx_child_expect_signal(fx_spawn(write_read_only, id), SIGSEGV, FX_DEADLINE);
	FX_REQUIRE_EQ(p[0], 'r');
}

FX_CASE(shmat__nattch_counts_attaches, "xsi", "shm_nattch rises by one per shmat and falls by one per shmdt",
    "POSIX.1-2017 XSH shmat: shm_nattch incremented; XSH shmdt: shm_nattch decremented")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	void *a, *b;

	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 0);
	a = FX_OK_PTR(shmat(id, NULL, 0));
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 1);
	b = FX_OK_PTR(shmat(id, NULL, SHM_RDONLY));
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 2);
	FX_OK(shmdt(a));
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 1);
	FX_OK(shmdt(b));
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 0);
}

struct inherit { char *addr; int go[2]; int done[2]; };

/* Uses the attachment inherited from the parent, then waits to be released. */
static void
inherited_user(void *arg)
{
	struct inherit *in = arg;

	FX_REQUIRE_MEMEQ(in->addr, "before fork", 12);
	memcpy(in->addr, "from child", 11);
	fx_event_post(in->done[1]);
	fx_event_wait(in->go[0], FX_DEADLINE);
}

FX_CASE(shmat__fork_inherits_attachment, "xsi", "a forked child inherits the attachment at the same address: shm_nattch rises and the memory is shared",
    "POSIX.1-2017 XSH fork: attached shared memory segments are inherited")
{
	struct inherit in;
	struct fx_child *c;
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));

	in.addr = FX_OK_PTR(shmat(id, NULL, 0));
	memcpy(in.addr, "before fork", 12);
	FX_OK(pipe(in.go));
	FX_OK(pipe(in.done));
	c = fx_spawn(inherited_user, &in);
	fx_event_wait(in.done[0], FX_DEADLINE);
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 2);
	FX_REQUIRE_MEMEQ(in.addr, "from child", 11);
	fx_event_post(in.go[1]);
	fx_child_join(c, FX_DEADLINE);
}

static void
wait_for_go(void *arg)
{
	fx_event_wait(*(int *)arg, FX_DEADLINE);
}

FX_CASE(shmat__exit_detaches, "xsi", "a process that exits detaches its segments: shm_nattch falls",
    "POSIX.1-2017 XSH _Exit: each attached shared-memory segment is detached")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	struct fx_child *c;
	int go[2];

	FX_OK_PTR(shmat(id, NULL, 0));
	FX_OK(pipe(go));
	c = fx_spawn(wait_for_go, &go[0]);
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 2);
	fx_event_post(go[1]);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 1);
	FX_REQUIRE_EQ(shm_stat(id).shm_lpid, fx_child_pid(c));
}

FX_CASE(shmat__exec_detaches, "xsi", "exec detaches the segments a process had attached: shm_nattch falls while the new image runs",
    "POSIX.1-2017 XSH exec: attached shared memory segments are detached")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	struct fx_image im;

	FX_OK_PTR(shmat(id, NULL, 0));
	/* The child inherits the attachment (nattch 2) and the exec detaches it. */
	im = fx_exec_waiting(NULL, NULL);
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 1);
	fx_exec_finish(&im);
}

FX_CASE(shmat__bad_id_einval, "xsi", "shmat of an invalid or removed identifier fails with EINVAL",
    "POSIX.1-2017 XSH shmat ERRORS [EINVAL]: not a valid shared memory identifier")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));

	FX_OK(shmctl(id, IPC_RMID, NULL));
	FX_REQUIRE_ERRNO(EINVAL, shmat(id, NULL, 0));
	FX_REQUIRE_ERRNO(EINVAL, shmat(-1, NULL, 0));
}

static void
attach_as_other(void *arg)
{
	int id = *(int *)arg;

	FX_REQUIRE_ERRNO(EACCES, shmat(id, NULL, 0));
	FX_REQUIRE_ERRNO(EACCES, shmat(id, NULL, SHM_RDONLY));
}

FX_CASE(shmat__other_user_eacces, "xsi", "another unprivileged user attaching a 0600 segment fails with EACCES",
    "POSIX.1-2017 XSH shmat ERRORS [EACCES]")
{
	int *id = fx_shared(sizeof *id);

	*id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	fx_child_join(fx_spawn_as_other_user(attach_as_other, id), FX_DEADLINE);
}

static void
attach_read_only_as_other(void *arg)
{
	int id = *(int *)arg;
	char *p;

	FX_REQUIRE_ERRNO(EACCES, shmat(id, NULL, 0));
	p = FX_OK_PTR(shmat(id, NULL, SHM_RDONLY));
	FX_REQUIRE_MEMEQ(p, "readable", 9);
}

FX_CASE(shmat__rdonly_needs_read_permission_only, "xsi", "another user with read permission only attaches SHM_RDONLY, and a read-write attach fails with EACCES",
    "POSIX.1-2017 XSH shmat: SHM_RDONLY needs read permission, otherwise read and write")
{
	int *id = fx_shared(sizeof *id);
	char *p;

	*id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0604));
	p = FX_OK_PTR(shmat(*id, NULL, 0));
	memcpy(p, "readable", 9);
	fx_child_join(fx_spawn_as_other_user(attach_read_only_as_other, id), FX_DEADLINE);
}

FX_CASE(shmat__overlap_without_remap_einval, "linux", "shmat at an address where something is mapped fails with EINVAL unless SHM_REMAP is given",
    "shmat(2) ERRORS: EINVAL ... SHM_REMAP was not specified and a mapping exists")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *m = FX_OK_PTR(mmap(NULL, 4 * SHMLBA, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char *at = shmlba_up(m);

	at[0] = 'm';
	FX_REQUIRE_ERRNO(EINVAL, shmat(id, at, 0));
	FX_REQUIRE_EQ(at[0], 'm');
}

FX_CASE(shmat__remap_replaces_mapping, "linux", "SHM_REMAP attaches over an existing mapping, replacing it",
    "shmat(2): SHM_REMAP (Linux-specific)")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *m = FX_OK_PTR(mmap(NULL, 4 * SHMLBA, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char *at = shmlba_up(m);
	char *seg;

	at[0] = 'm';
	seg = FX_OK_PTR(shmat(id, NULL, 0));
	seg[0] = 's';
	FX_REQUIRE_EQ((uintptr_t)shmat(id, at, SHM_REMAP), (uintptr_t)at);
	FX_REQUIRE_EQ(at[0], 's');
}

static void
touch_after_shmdt(void *arg)
{
	volatile char *p = FX_OK_PTR(shmat(*(int *)arg, NULL, 0));

	p[0] = 'x';
	FX_OK(shmdt((const void *)p));
	fx_no_core_dumps();
	p[0] = 'y';
}

FX_CASE(shmdt__unmaps_segment, "xsi", "after shmdt the address is no longer mapped: a store raises SIGSEGV, the segment keeps its data",
    "POSIX.1-2017 XSH shmdt: detaches the segment at shmaddr")
{
	int *id = fx_shared(sizeof *id);
	char *p;

	*id = FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	fx_child_expect_signal(fx_spawn(touch_after_shmdt, id), SIGSEGV, FX_DEADLINE);
	p = FX_OK_PTR(shmat(*id, NULL, 0));
	FX_REQUIRE_EQ(p[0], 'x');
}

FX_CASE(shmdt__not_attached_einval, "xsi", "shmdt of an address that is not the start of an attachment fails with EINVAL",
    "POSIX.1-2017 XSH shmdt ERRORS [EINVAL]")
{
	char *anon = FX_OK_PTR(mmap(NULL, fx_page_size(), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0));

	FX_REQUIRE_ERRNO(EINVAL, shmdt(anon));
	FX_REQUIRE_ERRNO(EINVAL, shmdt(anon + 1));
	FX_REQUIRE_ERRNO(EINVAL, shmdt(free_range(1)));
}

FX_CASE(shmdt__inside_attachment_einval, "xsi", "shmdt of an address inside an attachment but not its start fails with EINVAL and detaches nothing",
    "POSIX.1-2017 XSH shmdt ERRORS [EINVAL]: not the data segment start address")
{
	int id = FX_OK(fx_shmget(IPC_PRIVATE, 2 * fx_page_size(), IPC_CREAT | 0600));
	char *p = FX_OK_PTR(shmat(id, NULL, 0));

	FX_REQUIRE_ERRNO(EINVAL, shmdt(p + 1));
	FX_REQUIRE_ERRNO(EINVAL, shmdt(p + fx_page_size()));
	FX_REQUIRE_EQ(shm_stat(id).shm_nattch, 1);
	FX_OK(shmdt(p));
	FX_REQUIRE_ERRNO(EINVAL, shmdt(p));
}
