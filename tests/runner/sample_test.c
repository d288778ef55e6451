/*
 * A deliberately bad test program for the runner's own tests: one case passes,
 * one fails, one crashes and one times out, each after creating IPC objects.
 * The runner must report each outcome and the run must leave nothing behind.
 */
#include "fx.h"

#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <unistd.h>

/* Creates one object of each kind, all recorded for cleanup. */
static void
create_objects(void)
{
	char name[256];

	FX_OK(fx_msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	FX_OK(fx_semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	FX_OK(fx_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	FX_OK(shm_open(fx_posix_name(FX_POSIX_SHM, "s", name, sizeof name),
	    O_CREAT | O_RDWR, 0600));
	FX_OK(mq_open(fx_posix_name(FX_POSIX_MQ, "q", name, sizeof name),
	    O_CREAT | O_RDWR, 0600, NULL));
}

ATF_TC_WITH_CLEANUP(sample__passes);
ATF_TC_HEAD(sample__passes, tc)
{
	fx_meta(tc, "linux", "passes after creating objects");
	atf_tc_set_md_var(tc, "X-spec", "ipcconf runner tests");
}
ATF_TC_BODY(sample__passes, tc)
{
	/* The runner's tests list skip reasons with this; the farm tests need a run
	 * in which every case skipped (KTAP's exit 4). */
	if (getenv("IPCCONF_SAMPLE_SKIP") != NULL)
		atf_tc_skip("skipped on purpose: IPCCONF_SAMPLE_SKIP is set");
	create_objects();
	/* The runner's tests plant a regression with this (Kyua passes the environment on). */
	FX_REQUIRE(getenv("IPCCONF_SAMPLE_BREAK") == NULL, "broken on purpose: IPCCONF_SAMPLE_BREAK is set");
}
ATF_TC_CLEANUP(sample__passes, tc)
{
	/* The runner's tests plant a leak with this: the objects stay, recorded. */
	if (getenv("IPCCONF_SAMPLE_LEAK_OBJECTS") == NULL)
		fx_cleanup();
}

ATF_TC_WITH_CLEANUP(sample__fails);
ATF_TC_HEAD(sample__fails, tc)
{
	fx_meta(tc, "linux", "fails after creating objects");
	atf_tc_set_md_var(tc, "X-spec", "ipcconf runner tests");
}
ATF_TC_BODY(sample__fails, tc)
{
	if (getenv("IPCCONF_SAMPLE_XFAIL") != NULL)
		atf_tc_expect_fail("a known deviation on purpose: IPCCONF_SAMPLE_XFAIL is set");
	create_objects();
	FX_REQUIRE_ERRNO(EAGAIN, write(-1, "x", 1));
}
ATF_TC_CLEANUP(sample__fails, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sample__crashes);
ATF_TC_HEAD(sample__crashes, tc)
{
	fx_meta(tc, "linux", "crashes after creating objects");
	atf_tc_set_md_var(tc, "X-spec", "ipcconf runner tests");
}
ATF_TC_BODY(sample__crashes, tc)
{
	create_objects();
	abort();
}
ATF_TC_CLEANUP(sample__crashes, tc) { fx_cleanup(); }

ATF_TC_WITH_CLEANUP(sample__times_out);
ATF_TC_HEAD(sample__times_out, tc)
{
	fx_meta(tc, "linux", "hangs after creating objects until Kyua's timeout");
	atf_tc_set_md_var(tc, "X-spec", "ipcconf runner tests");
	atf_tc_set_md_var(tc, "timeout", "2");
}
ATF_TC_BODY(sample__times_out, tc)
{
	create_objects();
	for (;;)
		pause();
}
ATF_TC_CLEANUP(sample__times_out, tc) { fx_cleanup(); }

ATF_TC(sample__may_leave_a_process);
ATF_TC_HEAD(sample__may_leave_a_process, tc)
{
	fx_meta(tc, "linux", "with IPCCONF_SAMPLE_LEAK_PROCESS set, leaves a process running");
	atf_tc_set_md_var(tc, "X-spec", "ipcconf runner tests");
}
ATF_TC_BODY(sample__may_leave_a_process, tc)
{
	int p[2];
	pid_t pid;

	if (getenv("IPCCONF_SAMPLE_LEAK_PROCESS") == NULL)
		return;
	/*
	 * A raw fork in a new session: out of the fixtures' reach, and out of
	 * Kyua's process-group kill once setsid has happened (hence the wait).
	 */
	FX_OK(pipe(p));
	pid = FX_OK(fork());
	if (pid == 0) {
		setsid();
		(void)write(p[1], "s", 1);
		for (;;)
			pause();
	}
	fx_event_wait(p[0], FX_DEADLINE);
}

ATF_TC(sample__may_flake);
ATF_TC_HEAD(sample__may_flake, tc)
{
	fx_meta(tc, "linux", "with IPCCONF_SAMPLE_FLAKY=FILE, fails on every odd run counted in FILE");
	atf_tc_set_md_var(tc, "X-spec", "ipcconf runner tests");
}
ATF_TC_BODY(sample__may_flake, tc)
{
	const char *file = getenv("IPCCONF_SAMPLE_FLAKY");
	long n = 0;
	FILE *f;

	if (file == NULL)
		return;
	if ((f = fopen(file, "r")) != NULL) {
		if (fscanf(f, "%ld", &n) != 1)
			n = 0;
		fclose(f);
	}
	f = fopen(file, "w");
	FX_REQUIRE(f != NULL, "cannot write %s", file);
	fprintf(f, "%ld\n", ++n);
	fclose(f);
	FX_REQUIRE(n % 2 == 0, "run %ld of this case: odd runs fail on purpose", n);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sample__passes);
	ATF_TP_ADD_TC(tp, sample__fails);
	ATF_TP_ADD_TC(tp, sample__crashes);
	ATF_TP_ADD_TC(tp, sample__times_out);
	ATF_TP_ADD_TC(tp, sample__may_leave_a_process);
	ATF_TP_ADD_TC(tp, sample__may_flake);
	return atf_no_error();
}
