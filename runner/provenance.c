/* Where a run happened: the provenance section of a bundle's target. */
#include "runner.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

void
iso8601_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* PRETTY_NAME from /etc/os-release, or "unknown". */
static void
distribution(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/etc/os-release", "re");

	snprintf(buf, len, "unknown");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		char *v, *end;

		if (strncmp(line, "PRETTY_NAME=", 12) != 0)
			continue;
		v = line + 12;
		if (*v == '"')
			v++;
		end = v + strcspn(v, "\"\n");
		*end = '\0';
		snprintf(buf, len, "%s", v);
		break;
	}
	fclose(f);
}

/* The C library this binary runs on: glibc from its own API, musl from its loader's banner. */
static void
libc_name_version(char *name, size_t nlen, char *version, size_t vlen)
{
	/*
	 * An image whose test programs use another C library than this command
	 * (the musl image runs musl programs under a glibc Kyua) says which.
	 */
	const char *suite_libc = getenv("IPCCONF_SUITE_LIBC");
	static char from_file[128];
	char path[4200], exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	/* Or the installed suite says so in <prefix>/libexec/ipcconf/suite-libc. */
	if (suite_libc == NULL && n > 0) {
		FILE *f;
		exe[n] = '\0';
		if (strrchr(exe, '/') != NULL)
			*strrchr(exe, '/') = '\0';
		snprintf(path, sizeof path, "%s/../%s/suite-libc", exe, IPCCONF_INSTALLED_SUITE_SUBDIR);
		if ((f = fopen(path, "re")) != NULL) {
			if (fgets(from_file, sizeof from_file, f) != NULL) {
				from_file[strcspn(from_file, "\n")] = '\0';
				suite_libc = from_file;
			}
			fclose(f);
		}
	}
	if (suite_libc != NULL && strchr(suite_libc, ' ') != NULL) {
		snprintf(name, nlen, "%.*s", (int)(strchr(suite_libc, ' ') - suite_libc), suite_libc);
		snprintf(version, vlen, "%s", strchr(suite_libc, ' ') + 1);
		return;
	}
#ifdef __GLIBC__
	snprintf(name, nlen, "glibc");
	snprintf(version, vlen, "%s", gnu_get_libc_version());
#else
	FILE *p;
	char line[128];

	snprintf(name, nlen, "musl");
	snprintf(version, vlen, "unknown");
	/* musl's dynamic loader prints "musl libc (x86_64)\nVersion 1.2.3" when run alone. */
	p = popen("for l in /lib/ld-musl-*.so.1; do [ -x \"$l\" ] && \"$l\" 2>&1; break; done", "r");
	if (p == NULL)
		return;
	while (fgets(line, sizeof line, p) != NULL)
		if (strncmp(line, "Version ", 8) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(version, vlen, "%s", line + 8);
		}
	pclose(p);
#endif
}

json_t *
provenance_here(void)
{
	struct utsname u;
	struct passwd *pw = getpwuid(geteuid());
	char date[32], distro[128], libc[16], libcv[64], host[256];
	const char *image = getenv("IPCCONF_CONTAINER_IMAGE");
	const char *container = access("/.dockerenv", F_OK) == 0 ? "docker" : NULL;

	uname(&u);
	iso8601_now(date, sizeof date);
	distribution(distro, sizeof distro);
	libc_name_version(libc, sizeof libc, libcv, sizeof libcv);
	if (gethostname(host, sizeof host) == -1)
		snprintf(host, sizeof host, "unknown");
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:i, s:s, s:s, "
	    "s:s}",
	    "hostname", host, "kernel_release", u.release, "kernel_version", u.version,
	    "arch", u.machine, "libc", libc, "libc_version", libcv, "distribution", distro,
	    "container", container, "container_image", image, "vm_kernel_image",
	    getenv("IPCCONF_VM_KERNEL_IMAGE"), "emulation", getenv("IPCCONF_EMULATION"),
	    "uid", (int)geteuid(), "user", pw ? pw->pw_name : "unknown", "date", date,
	    "ipcconf_version", IPCCONF_VERSION);
}
