/* ipcconf: runs the IPC conformance suite and reports what it found. */
#include "runner.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: ipcconf run [--target T]... [--jobs N] [--out DIR] [--filter F]...\n"
	    "       ipcconf merge BUNDLE... --out DIR\n"
	    "       ipcconf diff OLD NEW [--old-target T] [--new-target T] [--expect FILE]\n"
	    "       ipcconf list [--family F] [--json]\n"
	    "       ipcconf report BUNDLE --format junit|json|html|markdown|spec|ktap|kcidb|squad|lava [--out FILE]\n"
	    "       ipcconf coverage-kernel --out DIR [--source DIR] [--payload DIR]\n"
	    "       ipcconf selftest-kernel --out DIR [--only MUTANT]... | --list | --check\n"
	    "       ipcconf version\n"
	    "\n"
	    "run    runs the suite on each target (host, docker:IMAGE, qemu:KERNEL,\n"
	    "       qemu-ARCH:KERNEL, user:ARCH), prints a summary per target and family,\n"
	    "       and writes a result bundle to DIR (default ./ipcconf-out): bundle.json\n"
	    "       plus each target's Kyua store and HTML report under targets/\n"
	    "       (ipcconf run --help for its options and the targets' names)\n"
	    "merge  joins bundles made on different machines into one\n"
	    "diff   lists the behaviours whose outcome changed, regressions first\n"
	    "list   the catalogue: every case with its family, class and clause\n"
	    "report one report of a bundle: JUnit XML, JSON, a self-contained HTML\n"
	    "       matrix, a Markdown summary, or spec traceability (Markdown)\n"
	    "coverage-kernel  the kernel's IPC code covered by the suite: builds a gcov\n"
	    "       kernel, runs the suite in it under QEMU, writes an lcov report\n"
	    "       (ipcconf coverage-kernel --help)\n"
	    "selftest-kernel  the suite against mutants of the kernel's IPC code: boots\n"
	    "       each mutant of the coverage kernel with the families it breaks and\n"
	    "       reports which aimed cases caught it (ipcconf selftest-kernel --help)\n"
	    "exit status: 0 clean; 1 failures, regressions, leaks or a target that did\n"
	    "not complete; 2 usage or environment error (said before anything runs);\n"
	    "130 interrupted (Ctrl-C or SIGTERM: the bundle keeps what finished)\n");
}

/* ipcconf coverage-kernel|selftest-kernel ...: the script SCRIPT in <suite dir>/coverage/. */
static int
cmd_coverage_script(const char *what, const char *script, char **argv)
{
	const char *suite = default_suite_dir();
	char cmd[PATH_MAX + 64];

	if (suite == NULL) {
		fprintf(stderr, "ipcconf: %s: the suite's directory was not found\n", what);
		return EXIT_USAGE;
	}
	snprintf(cmd, sizeof cmd, "%s/coverage/%s", suite, script);
	argv[0] = cmd;
	execv(cmd, argv);
	fprintf(stderr, "ipcconf: %s: cannot run %s: %s\n", what, cmd, strerror(errno));
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "merge") == 0)
		return cmd_merge(argc - 1, argv + 1);
	if (strcmp(argv[1], "diff") == 0)
		return cmd_diff(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return cmd_report(argc - 1, argv + 1);
	if (strcmp(argv[1], "coverage-kernel") == 0)
		return cmd_coverage_script("coverage-kernel", "ipcconf-coverage-kernel", argv + 1);
	if (strcmp(argv[1], "selftest-kernel") == 0)
		return cmd_coverage_script("selftest-kernel", "ipcconf-selftest-kernel", argv + 1);
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("ipcconf %s\n", IPCCONF_VERSION);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	fprintf(stderr, "ipcconf: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
