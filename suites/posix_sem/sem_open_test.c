/*
 * sem_open(3), sem_close(3), sem_unlink(3): named POSIX semaphores.
 */
#include "psem_helpers.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

FX_CASE(sem_open__creat_initial_value, "posix", "O_CREAT creates a semaphore with the given initial value",
    "POSIX.1-2017 XSH sem_open: O_CREAT, value")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 3, name, sizeof name);

	FX_REQUIRE_EQ(value_of(s), 3);
	FX_REQUIRE_EQ(sem_trywait(s), 0);
	FX_REQUIRE_EQ(value_of(s), 2);
	FX_OK(sem_close(s));
}

FX_CASE(sem_open__creat_excl_existing_eexist, "posix", "O_CREAT|O_EXCL on an existing name fails with EEXIST",
    "POSIX.1-2017 XSH sem_open ERRORS [EEXIST]")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 0, name, sizeof name);

	FX_REQUIRE_ERRNO(EEXIST, SEM_OPEN_RC(name, O_CREAT | O_EXCL, 0600, 1));
	FX_OK(sem_close(s));
}

FX_CASE(sem_open__missing_enoent, "posix", "sem_open without O_CREAT of a name that does not exist fails with ENOENT",
    "POSIX.1-2017 XSH sem_open ERRORS [ENOENT]")
{
	char name[NAME_MAX + 1];

	fx_posix_name(FX_POSIX_SEM, "none", name, sizeof name);
	FX_REQUIRE_ERRNO(ENOENT, SEM_OPEN_RC(name, 0));
	FX_REQUIRE_ERRNO(ENOENT, SEM_OPEN_RC(name, O_EXCL));
}

FX_CASE(sem_open__value_above_max_einval, "posix", "O_CREAT with a value above SEM_VALUE_MAX fails with EINVAL and creates nothing",
    "POSIX.1-2017 XSH sem_open ERRORS [EINVAL]")
{
	char name[NAME_MAX + 1];

	fx_posix_name(FX_POSIX_SEM, "big", name, sizeof name);
	FX_REQUIRE_ERRNO(EINVAL, SEM_OPEN_RC(name, O_CREAT, 0600, (unsigned)SEM_VALUE_MAX + 1));
	FX_REQUIRE_ERRNO(ENOENT, SEM_OPEN_RC(name, 0));
}

/*
 * sem_open(name) fails with ENAMETOOLONG. glibc before 2.41 answers EINVAL
 * instead (its __shm_get_name; seen up to 2.36, fixed by 2.41): a known
 * deviation of those versions, declared by the version, not by seeing it, so
 * an older glibc that answers right shows the expectation as stale.
 */
static void
require_enametoolong(const char *name)
{
#ifdef __GLIBC__
	if (fx_glibc_older_than(2, 41))
		atf_tc_expect_fail("glibc %s (before 2.41): __shm_get_name rejects a name of "
		    "NAME_MAX or more characters with EINVAL, not ENAMETOOLONG",
		    gnu_get_libc_version());
#endif
	FX_REQUIRE_ERRNO(ENAMETOOLONG, SEM_OPEN_RC(name, O_CREAT, 0600, 0));
}

FX_CASE(sem_open__component_too_long_enametoolong, "posix", "a name whose component is longer than NAME_MAX fails with ENAMETOOLONG",
    "POSIX.1-2017 XSH sem_open ERRORS [ENAMETOOLONG]")
{
	char name[NAME_MAX + 3];

	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX + 1);
	name[NAME_MAX + 2] = '\0';
	require_enametoolong(name);
}

FX_CASE(sem_open__name_limited_to_name_max_minus_4, "linux", "with glibc's sem. prefix a name may have NAME_MAX-4 characters; one more fails with ENAMETOOLONG",
    "sem_overview(7): names limited to NAME_MAX-4 characters")
{
	char name[NAME_MAX + 2];
	int n = snprintf(name, sizeof name, "/ipcconf.%d.", (int)getpid());

#ifndef __GLIBC__
	fx_skip("the sem. prefix under /dev/shm is glibc's layout");
#endif
	memset(name + n, 'n', (size_t)(NAME_MAX - 4 + 1 - n));
	name[NAME_MAX - 4 + 1] = '\0';
	fx_track_name(FX_POSIX_SEM, name);
	FX_OK(sem_close(FX_OK_PTR(sem_open(name, O_CREAT | O_EXCL, 0600, 0))));
	FX_OK(sem_unlink(name));
	name[NAME_MAX - 4 + 1] = 'n';
	name[NAME_MAX - 4 + 2] = '\0';
	fx_track_name(FX_POSIX_SEM, name);
	FX_REQUIRE_ERRNO(ENAMETOOLONG, SEM_OPEN_RC(name, O_CREAT | O_EXCL, 0600, 0));
}

FX_CASE(sem_open__path_max_name_enametoolong, "posix", "a name longer than PATH_MAX fails with ENAMETOOLONG",
    "POSIX.1-2017 XSH sem_open ERRORS [ENAMETOOLONG]")
{
	char *name = malloc(PATH_MAX + 2);

	FX_REQUIRE(name != NULL, "malloc failed");
	name[0] = '/';
	memset(name + 1, 'n', PATH_MAX);
	name[PATH_MAX + 1] = '\0';
	require_enametoolong(name);
	free(name);
}

FX_CASE(sem_open__inner_slash_einval, "linux", "a name with a slash after the leading one fails with EINVAL (glibc)",
    "sem_overview(7): Named semaphores; XSH sem_open: other slashes implementation-defined")
{
	char name[NAME_MAX + 1], bad[NAME_MAX + 8];

	fx_posix_name(FX_POSIX_SEM, "x", name, sizeof name);
	snprintf(bad, sizeof bad, "%s/y", name);
	FX_REQUIRE_ERRNO(EINVAL, SEM_OPEN_RC(bad, O_CREAT, 0600, 0));
}

FX_CASE(sem_open__leading_slash_optional, "linux", "glibc treats \"name\" and \"/name\" as the same semaphore",
    "sem_overview(7): Named semaphores; XSH sem_open: name without a slash implementation-defined")
{
	char name[NAME_MAX + 1];
	sem_t *a = open_new("s", 0, name, sizeof name), *b;

	b = FX_OK_PTR(sem_open(name + 1, 0));
	FX_OK(sem_post(b));
	FX_REQUIRE_EQ(value_of(a), 1);
	FX_OK(sem_close(b));
	FX_OK(sem_close(a));
}

FX_CASE(sem_open__same_name_same_address, "posix", "opening the same name twice in one process returns the same semaphore address",
    "POSIX.1-2017 XSH sem_open: same semaphore address returned")
{
	char name[NAME_MAX + 1];
	sem_t *a = open_new("s", 0, name, sizeof name), *b;

	b = FX_OK_PTR(sem_open(name, 0));
	FX_REQUIRE(a == b, "sem_open(%s) returned %p, then %p", name, (void *)a, (void *)b);
	FX_OK(sem_post(a));
	FX_REQUIRE_EQ(value_of(b), 1);
}

struct by_name { char name[NAME_MAX + 1]; int value; };

static void
create_and_post(void *arg)
{
	struct by_name *n = arg;
	sem_t *s = FX_OK_PTR(sem_open(n->name, O_CREAT | O_EXCL, 0600, 1));

	FX_OK(sem_post(s));
	FX_OK(sem_close(s));
}

static void
open_and_take(void *arg)
{
	struct by_name *n = arg;
	sem_t *s = FX_OK_PTR(sem_open(n->name, 0));

	FX_OK(sem_wait(s));
	FX_OK(sem_getvalue(s, &n->value));
}

FX_CASE(sem_open__shared_by_name_between_processes, "posix", "processes that each open a name reach the same semaphore",
    "POSIX.1-2017 XSH sem_open: processes refer to the semaphore by name")
{
	struct by_name *n = fx_shared(sizeof *n);
	sem_t *s;

	fx_posix_name(FX_POSIX_SEM, "s", n->name, sizeof n->name);
	fx_child_join(fx_spawn(create_and_post, n), FX_DEADLINE);
	s = FX_OK_PTR(sem_open(n->name, 0));
	FX_REQUIRE_EQ(value_of(s), 2);
	fx_child_join(fx_spawn(open_and_take, n), FX_DEADLINE);
	FX_REQUIRE_EQ(n->value, 1);
	FX_REQUIRE_EQ(value_of(s), 1);
}

FX_CASE(sem_open__creat_existing_keeps_value, "posix", "O_CREAT without O_EXCL on an existing name opens it and ignores value",
    "POSIX.1-2017 XSH sem_open: O_CREAT has no effect if the semaphore exists")
{
	char name[NAME_MAX + 1];
	sem_t *a = open_new("s", 2, name, sizeof name), *b;

	b = FX_OK_PTR(sem_open(name, O_CREAT, 0600, 9));
	FX_REQUIRE_EQ(value_of(b), 2);
	FX_OK(sem_close(b));
	(void)a;
}

struct opener { char name[NAME_MAX + 1]; int ret, err; };

static void
try_open(void *arg)
{
	struct opener *o = arg;

	errno = 0;
	o->ret = SEM_OPEN_RC(o->name, 0);
	o->err = errno;
}

FX_CASE(sem_open__denied_eacces, "posix", "opening a semaphore whose mode denies the caller read and write fails with EACCES",
    "POSIX.1-2017 XSH sem_open ERRORS [EACCES]")
{
	struct opener *o = fx_shared(sizeof *o);
	struct fx_child *c;

	fx_posix_name(FX_POSIX_SEM, "s", o->name, sizeof o->name);
	/* As root the other user tries a 0600 semaphore; otherwise the owner tries a 0400 one. */
	FX_OK_PTR(sem_open(o->name, O_CREAT | O_EXCL, fx_is_root() ? 0600 : 0400, 0));
	c = fx_spawn_unprivileged(try_open, o);
	fx_child_join(c, FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(o->ret, o->err, EACCES);
}

FX_CASE(sem_open__visible_in_dev_shm, "linux", "a named semaphore is the file sem.NAME under /dev/shm (glibc), with the creation mode less umask",
    "sem_overview(7): Named semaphores, /dev/shm/sem.somename")
{
	char name[NAME_MAX + 1], path[NAME_MAX + 32];
	struct stat st;

#ifndef __GLIBC__
	fx_skip("sem.NAME under /dev/shm is glibc's layout");
#endif
	if (stat("/dev/shm", &st) == -1)
		fx_skip("no /dev/shm on this system: %s", fx_errno_name(errno));
	fx_posix_name(FX_POSIX_SEM, "s", name, sizeof name);
	umask(022);
	FX_OK_PTR(sem_open(name, O_CREAT | O_EXCL, 0660, 0));
	snprintf(path, sizeof path, "/dev/shm/sem.%s", name + 1);
	FX_OK(stat(path, &st));
	FX_REQUIRE_EQ(st.st_mode & 0777, 0640);
	FX_REQUIRE_EQ(st.st_uid, geteuid());
	FX_OK(sem_unlink(name));
	FX_REQUIRE_ERRNO(ENOENT, stat(path, &st));
}

FX_CASE(sem_close__keeps_semaphore, "posix", "sem_close does not remove the semaphore: reopening the name finds its value",
    "POSIX.1-2017 XSH sem_close")
{
	char name[NAME_MAX + 1];
	sem_t *s = open_new("s", 4, name, sizeof name);

	FX_OK(sem_post(s));
	FX_REQUIRE_EQ(sem_close(s), 0);
	s = FX_OK_PTR(sem_open(name, 0));
	FX_REQUIRE_EQ(value_of(s), 5);
}

struct holder { sem_t *sem; int value; };

static void
post_through_old_handle(void *arg)
{
	struct holder *h = arg;

	FX_OK(sem_post(h->sem));
	FX_OK(sem_getvalue(h->sem, &h->value));
}

FX_CASE(sem_unlink__open_handles_keep_working, "posix", "sem_unlink removes the name at once while open handles, here in two processes, keep working",
    "POSIX.1-2017 XSH sem_unlink")
{
	struct holder *h = fx_shared(sizeof *h);
	char name[NAME_MAX + 1];

	h->sem = open_new("s", 1, name, sizeof name);
	FX_REQUIRE_EQ(sem_unlink(name), 0);
	FX_REQUIRE_ERRNO(ENOENT, SEM_OPEN_RC(name, 0));
	fx_child_join(fx_spawn(post_through_old_handle, h), FX_DEADLINE);
	FX_REQUIRE_EQ(h->value, 2);
	FX_REQUIRE_EQ(sem_wait(h->sem), 0);
	FX_REQUIRE_EQ(value_of(h->sem), 1);
	FX_OK(sem_close(h->sem));
}

FX_CASE(sem_unlink__missing_enoent, "posix", "sem_unlink of a name that does not exist fails with ENOENT",
    "POSIX.1-2017 XSH sem_unlink ERRORS [ENOENT]")
{
	char name[NAME_MAX + 1];

	FX_OK(sem_close(open_new("s", 0, name, sizeof name)));
	FX_OK(sem_unlink(name));
	FX_REQUIRE_ERRNO(ENOENT, sem_unlink(name));
}

FX_CASE(sem_unlink__name_reused_is_new_semaphore, "posix", "after sem_unlink, O_CREAT on the name makes a new semaphore independent of the old handle",
    "POSIX.1-2017 XSH sem_unlink: later sem_open reconnects to a new semaphore")
{
	char name[NAME_MAX + 1];
	sem_t *old = open_new("s", 7, name, sizeof name), *fresh;

	FX_OK(sem_unlink(name));
	fresh = FX_OK_PTR(sem_open(name, O_CREAT | O_EXCL, 0600, 1));
	FX_OK(sem_post(fresh));
	FX_REQUIRE_EQ(value_of(old), 7);
	FX_REQUIRE_EQ(value_of(fresh), 2);
}

static void
try_unlink(void *arg)
{
	struct opener *o = arg;

	errno = 0;
	o->ret = sem_unlink(o->name);
	o->err = errno;
}

FX_CASE(sem_unlink__other_user_eacces, "posix", "another user may not unlink the semaphore: EACCES, and the name stays",
    "POSIX.1-2017 XSH sem_unlink ERRORS [EACCES]")
{
	struct opener *o = fx_shared(sizeof *o);
	sem_t *s;

	fx_require_root("unlinking needs a semaphore of another user");
#ifdef FX_LIBC_MUSL
	atf_tc_expect_fail("musl passes on unlink(2)'s EPERM from the sticky /dev/shm where "
	    "POSIX requires EACCES (glibc translates it)");
#endif
	s = open_new("s", 0, o->name, sizeof o->name);
	fx_child_join(fx_spawn_as_other_user(try_unlink, o), FX_DEADLINE);
	FX_REQUIRE_CHILD_ERRNO(o->ret, o->err, EACCES);
	FX_OK(sem_close(FX_OK_PTR(sem_open(o->name, 0))));
	(void)s;
}
