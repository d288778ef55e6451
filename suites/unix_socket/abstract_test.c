/*
 * The Linux abstract socket namespace: an address whose sun_path starts with
 * a NUL byte names a socket without a file; the name goes away with the
 * socket. Also autobind, which picks such a name for the caller.
 */
#include "fx.h"
#include "usock.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Number of entries in the current (work) directory. */
static int
cwd_entries(void)
{
	DIR *d = FX_OK_PTR(opendir("."));
	int n = 0;

	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/*
 * The first entry of dir whose name contains `name` (the abstract name, which
 * carries the case and the pid), or NULL: where an implementation that backs
 * abstract names with files would put them (the work directory, the root,
 * the temporary directories, /run).
 */
static const char *
file_named_after(const char *dir, const char *name)
{
	static char found[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, name) != NULL) {
			snprintf(found, sizeof found, "%s/%s", dir, e->d_name);
			closedir(d);
			return found;
		}
	}
	closedir(d);
	return NULL;
}

/* True when /proc/net/unix lists "@name" (the name without its leading NUL). */
static bool
listed_in_proc(const struct sockaddr_un *sa, socklen_t len)
{
	char line[512], want[sizeof sa->sun_path + 2];
	size_t n = len - offsetof(struct sockaddr_un, sun_path) - 1;
	bool found = false;
	FILE *f = fx_fopen_documented("/proc/net/unix");

	snprintf(want, sizeof want, "@%.*s\n", (int)n, sa->sun_path + 1);
	while (!found && fgets(line, sizeof line, f) != NULL)
		found = strlen(line) > strlen(want) &&
		    strcmp(line + strlen(line) - strlen(want), want) == 0;
	fclose(f);
	return found;
}

FX_CASE(abstract__creates_no_file, "linux", "bind(2) to an abstract name creates no file, and the socket is "
    "reachable by that name (listed with @ in /proc/net/unix)",
    "unix(7) Address format: abstract")
{
	const char *dirs[] = { ".", "/", "/tmp", "/var/tmp", "/dev/shm", "/run",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp" }, *f;
	struct sockaddr_un sa;
	socklen_t len = us_abstract_addr(&sa, "nofile");
	int before = cwd_entries(), lfd, cl;
	size_t i;

	lfd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_OK(bind(lfd, (struct sockaddr *)&sa, len));
	FX_OK(listen(lfd, 1));
	FX_REQUIRE_EQ(cwd_entries(), before);
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		f = file_named_after(dirs[i], sa.sun_path + 1);
		FX_REQUIRE(f == NULL, "bind to the abstract name @%s created %s", sa.sun_path + 1, f);
	}
	FX_REQUIRE(listed_in_proc(&sa, len), "/proc/net/unix does not list @%s", sa.sun_path + 1);
	cl = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_OK(connect(cl, (struct sockaddr *)&sa, len));
	FX_OK(accept(lfd, NULL, NULL));
}

FX_CASE(abstract__name_in_use_eaddrinuse, "linux", "a second bind(2) to an abstract name in use fails with EADDRINUSE",
    "unix(7) ERRORS: EADDRINUSE; Address format: abstract")
{
	struct sockaddr_un sa;
	socklen_t len = us_abstract_addr(&sa, "busy");
	int a = (int)FX_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	int b = (int)FX_OK(socket(AF_UNIX, SOCK_DGRAM, 0));

	FX_OK(bind(a, (struct sockaddr *)&sa, len));
	FX_REQUIRE_ERRNO(EADDRINUSE, bind(b, (struct sockaddr *)&sa, len));
}

FX_CASE(abstract__released_on_close, "linux", "an abstract name disappears when its socket is closed: connect(2) "
    "then fails with ECONNREFUSED and a new bind(2) succeeds without unlink",
    "unix(7) Address format: abstract, automatically removed when closed")
{
	struct sockaddr_un sa;
	socklen_t len = us_abstract_addr(&sa, "again");
	int a = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0)), b, cl;

	FX_OK(bind(a, (struct sockaddr *)&sa, len));
	FX_OK(listen(a, 1));
	FX_OK(close(a));
	cl = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_REQUIRE_ERRNO(ECONNREFUSED, connect(cl, (struct sockaddr *)&sa, len));
	b = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	FX_OK(bind(b, (struct sockaddr *)&sa, len));
}

FX_CASE(abstract__getsockname_returns_name, "linux", "getsockname(2) of a socket bound to an abstract name returns the "
    "leading NUL, the name's bytes and a length counting exactly those",
    "unix(7) Address format: abstract, addrlen")
{
	struct sockaddr_un sa, got;
	socklen_t len = us_abstract_addr(&sa, "mine"), glen = sizeof got;
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_DGRAM, 0));

	FX_OK(bind(fd, (struct sockaddr *)&sa, len));
	memset(&got, 0x55, sizeof got);
	FX_OK(getsockname(fd, (struct sockaddr *)&got, &glen));
	FX_REQUIRE_EQ(glen, len);
	FX_REQUIRE_MEMEQ(&got, &sa, len);
}

FX_CASE(abstract__autobind, "linux", "bind(2) with an address length of sizeof(sa_family_t) autobinds to "
    "an abstract name of five hexadecimal digits",
    "unix(7) Autobind feature")
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = sizeof sa;
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_DGRAM, 0)), i;

	FX_OK(bind(fd, (struct sockaddr *)&sa, sizeof(sa_family_t)));
	FX_OK(getsockname(fd, (struct sockaddr *)&sa, &len));
	FX_REQUIRE_EQ(len, offsetof(struct sockaddr_un, sun_path) + 6);
	FX_REQUIRE_EQ(sa.sun_path[0], '\0');
	for (i = 1; i <= 5; i++)
		FX_REQUIRE(isxdigit((unsigned char)sa.sun_path[i]) && !isupper((unsigned char)sa.sun_path[i]),
		    "autobound name byte %d is %#x, not a lower-case hex digit", i, sa.sun_path[i]);
}

FX_CASE(abstract__unbound_name_econnrefused, "linux", "connect(2) to an abstract name nobody has bound fails with "
    "ECONNREFUSED (there is no file to be missing)",
    "unix(7) ERRORS: ECONNREFUSED; Address format: abstract")
{
	struct sockaddr_un sa;
	socklen_t len = us_abstract_addr(&sa, "absent");
	int fd = (int)FX_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	FX_REQUIRE_ERRNO(ECONNREFUSED, connect(fd, (struct sockaddr *)&sa, len));
}
