/* ipcconf: runs the IPC conformance suite and reports what it found. */
#include "runner.h"

#include <stdio.h>
#include <string.h>

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: ipcconf run [--out DIR] [--jobs N] [--suite DIR] [--filter F]...\n"
	    "       ipcconf version\n"
	    "\n"
	    "run      runs the suite on this machine with Kyua, prints a summary per\n"
	    "         family, writes the results store and an HTML report to DIR\n"
	    "         (default ./ipcconf-out), and exits 1 when a case failed or an\n"
	    "         IPC object was left behind\n"
	    "  --filter F   a family (pipe), a program (pipe_test) or PROGRAM:CASE\n"
	    "exit status: 0 clean, 1 failures or leaks, 2 usage or environment error\n");
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
