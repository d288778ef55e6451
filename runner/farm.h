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

/* shard.c: `run --shard I/N` (index from 1) and the joining of shards in `merge`. */
struct shard {
	int index, count;
};

/* Parses "I/N"; exits 2 when it is not one. */
void shard_parse(const char *spec, struct shard *s);

/*
 * The cases of sel (catalogue entries) in shard s, in sel's order: balanced
 * by the durations measured in the bundle at durations_path (NULL: by count).
 */
json_t *shard_cases(json_t *sel, const struct shard *s, const char *durations_path);

/*
 * Replaces the run's filters (at most max) with the ids of the cases of shard
 * s among those they select in suite; exits 2 when the shard has none.
 */
void shard_filters(const char *suite, const char **filters, int *nfilters, int max,
    const struct shard *s, const char *durations_path);

/* Records the shard as every target's "shards": ["I/N"]. */
void shard_mark(json_t *bundle, const struct shard *s);

/*
 * merge: joins each target of src that is a shard of a target of dst (same
 * id, shards of the same N, none in both) into that target, and takes it out
 * of src, so that bundle_merge adds only the others. Returns 0, or -1 with err.
 */
int shard_join(json_t *dst, const char *dst_dir, json_t *src, const char *src_dir, char *err,
    size_t errlen);

/*
 * expect.c: baselines of known deviations (--expect FILE, repeatable). Lines
 * "TARGET-PATTERN CASE-PATTERN OUTCOME REASON"; exits 2 on a malformed file.
 * Adds the file's lines to e (NULL: a new baseline) and returns it.
 */
struct expect;
struct expect *expect_load(struct expect *e, const char *path);

/*
 * A copy of bundle as the baseline judges it: a result a line expects is a
 * known deviation (a failure becomes expected_failure, the reason says so);
 * a pass where a line expects a failure is a stale expectation (failed).
 * Each judged result gets "baseline": { "judged", "file", "line" }.
 */
json_t *expect_rewrite(struct expect *e, json_t *bundle);

/* The same for one result (outcome and reason rewritten in place); 'k', 's' or 0. */
int expect_judge(struct expect *e, const char *target, const char *id, const char **outcome,
    char *reason, size_t len);

/* Lists the last rewrite's known deviations and stale expectations; returns how many are stale. */
int expect_print(struct expect *e, FILE *out);

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

/* Judges the streamed results of the only target, target_id, by the baseline e. */
void farm_stream_expect(struct farm_stream *s, struct expect *e, const char *target_id);

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
