/*
 * What the runner does for kernel test farms: the cases a run selects
 * (select.c), and results streamed on standard output while the run goes
 * (stream.c: KTAP for kselftest-style harnesses, LAVA's test-case signals).
 */
#ifndef IPCCONF_RUNNER_FARM_H
#define IPCCONF_RUNNER_FARM_H

#include "runner.h"

/* The catalogue's entries selected by the run's filters (every entry without filters). */
json_t *catalogue_select(json_t *catalogue, const char *const *filters, int nfilters);

enum stream_format { STREAM_KTAP, STREAM_LAVA };

struct farm_stream;

/*
 * Starts streaming results in format on standard output, and sends
 * everything else the run prints to standard error. With one target, each
 * family's block is written as soon as all its selected cases have finished
 * (suite and filters give them); with several, each target's block at the end.
 */
struct farm_stream *farm_stream_open(enum stream_format format, const char *suite,
    const char *const *filters, int nfilters, int ntargets);

/* Reads the lines Kyua added to log (the only target's) and writes the families they complete. */
void farm_stream_poll(struct farm_stream *s, const char *log);

/*
 * Writes what is left from the run's bundle (cases that never reported are
 * "not ok ... # ERROR"), the totals, and frees s. Returns the run's exit
 * status: status itself, except that a KTAP run whose every case was
 * skipped exits 4 (kselftest's skip).
 */
int farm_stream_finish(struct farm_stream *s, json_t *bundle, int status);

#endif
