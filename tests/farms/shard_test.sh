#!/usr/bin/env bash
# Shards: three shards of a filtered run are disjoint, balanced and the same
# on every run, and `merge` joins them into one column holding exactly the
# cases (and outcomes) of the unsharded run; with --shard-durations the parts
# are balanced by measured time; bad shards are refused.
# usage: shard_test.sh IPCCONF BUILD_DIR WORK_DIR
set -u
ipcconf=$1
. "$(dirname "$0")/../lib/tap.sh"

same() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'" | head -c 600; echo; return 1; }; }
ids() { jq -r '.cases[] | select(.results.host != null) | .id' "$1/bundle.json" | sort; }
outcomes() { jq -r '.cases[] | .id + " " + (.results | to_entries[0].value.outcome)' "$1/bundle.json" | sort; }
filters=(--filter sysv_msg --filter pipe)

"$ipcconf" run --jobs 2 "${filters[@]}" --out "$tmp/all" >"$tmp/out" 2>&1
check "the unsharded run exits 0" test $? = 0
for i in 1 2 3; do
  "$ipcconf" run --jobs 2 "${filters[@]}" --shard "$i/3" --out "$tmp/s$i" >"$tmp/out" 2>&1
  check "shard $i/3 exits 0" test $? = 0
done
check "  ...each records its shard" same "$(jq -r '.targets[0].shards[0]' "$tmp"/s{1,2,3}/bundle.json | tr '\n' ' ')" "1/3 2/3 3/3 "
check "  ...no case is in two shards" test -z "$(cat <(ids "$tmp/s1") <(ids "$tmp/s2") <(ids "$tmp/s3") | sort | uniq -d)"
n1=$(ids "$tmp/s1" | wc -l) n2=$(ids "$tmp/s2" | wc -l) n3=$(ids "$tmp/s3" | wc -l)
check "  ...their sizes differ by one at most ($n1, $n2, $n3)" test $(( $(printf '%s\n' "$n1" "$n2" "$n3" | sort -n | tail -1) - $(printf '%s\n' "$n1" "$n2" "$n3" | sort -n | head -1) )) -le 1
"$ipcconf" run --jobs 2 "${filters[@]}" --shard 2/3 --out "$tmp/s2again" >"$tmp/out" 2>&1
check "  ...and a shard is the same on another run" same "$(ids "$tmp/s2again")" "$(ids "$tmp/s2")"

check "merge joins the shards" status_is 0 "$ipcconf" merge "$tmp/s3" "$tmp/s1" "$tmp/s2" --out "$tmp/m"
check "  ...into one target" jq_is "$tmp/m/bundle.json" '[.targets[].id] | join(",")' host
check "  ...that lists its shards" jq_is "$tmp/m/bundle.json" '.targets[0].shards | sort | join(",")' "1/3,2/3,3/3"
check "  ...with exactly the unsharded run's cases" same "$(ids "$tmp/m")" "$(ids "$tmp/all")"
check "  ...and their outcomes" same "$(outcomes "$tmp/m")" "$(outcomes "$tmp/all")"
check "  ...totals counted over all shards" jq_is "$tmp/m/bundle.json" '.targets[0].totals | add' "$(ids "$tmp/all" | wc -l)"
check "  ...every shard's store kept" jq_is "$tmp/m/bundle.json" '[.targets[0].shard_stores[] | select(. != null)] | length' 3
check "  ...and the merged bundle reports" status_is 0 "$ipcconf" report "$tmp/m" --format junit --out "$tmp/m/r.xml"
# The same shard run twice (two bundles: merge refuses one bundle given twice on its own).
"$ipcconf" run --jobs 2 "${filters[@]}" --shard 1/3 --out "$tmp/s1again" >/dev/null 2>&1
check "a shard merged twice is refused" status_is 2 "$ipcconf" merge "$tmp/s1" "$tmp/s1again" --out "$tmp/twice"
check "  ...saying so" says "shard 1/3 is in two bundles"

# Balanced by measured durations: no part exceeds the ideal share by more than its longest case.
"$ipcconf" list --family sysv_msg --json >"$tmp/cat.json"
for i in 1 2 3; do "$ipcconf" list --family sysv_msg --shard "$i/3" --shard-durations "$tmp/all" --json >"$tmp/d$i.json"; done
sums=$(for i in 1 2 3; do jq --slurpfile b "$tmp/all/bundle.json" '[.[].id] as $ids |
  [$b[0].cases[] | select(.id as $x | $ids | index($x)) | .results.host.duration_s] | add' "$tmp/d$i.json"; done)
total=$(jq '[.cases[] | select(.family == "sysv_msg") | .results.host.duration_s] | add' "$tmp/all/bundle.json")
longest=$(jq '[.cases[] | select(.family == "sysv_msg") | .results.host.duration_s] | max' "$tmp/all/bundle.json")
check "--shard-durations: every case in one part" same "$(jq -r '.[].id' "$tmp"/d{1,2,3}.json | sort)" "$(jq -r '.[].id' "$tmp/cat.json" | sort)"
check "  ...parts within the longest case of a third of the time" awk -v t="$total" -v l="$longest" '{ if ($1 > t / 3 + l + 1e-9) bad = 1 } END { exit bad }' <<<"$sums"

check "--shard 4/3 is refused" status_is 2 "$ipcconf" run --shard 4/3 --out "$tmp/bad"
check "--shard 1/0 is refused" status_is 2 "$ipcconf" run --shard 1/0 --out "$tmp/bad"
check "a shard with no case is refused" status_is 2 "$ipcconf" run --filter ftok_test --shard 9/10 --out "$tmp/bad"
check "  ...saying so" says "this shard has no case"
check "--shard-durations without --shard is refused" status_is 2 "$ipcconf" run --shard-durations "$tmp/all" --out "$tmp/bad"
finish
