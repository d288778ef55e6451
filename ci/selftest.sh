#!/bin/sh
# ci/selftest.sh [BUILD_DIR] [FAULT...]
#
# Proves that the suite catches a broken system: runs the suite once per
# fault of tests/faults/faults.tsv with the interposer libipcconf-faults.so
# preloaded (LD_PRELOAD, IPCCONF_FAULT=name), restricted to the fault's filter
# (a family or a program) so that it is quick, and compares each case's
# outcome with a clean run. A fault is caught only by the cases that aim at it
# (the catalogue's last column, PROGRAM:CASE,...): one of them failed, broke
# or timed out under it but passed in the clean run. Other cases that happen
# to fail are listed as unaimed and do not count. A fault no aimed case
# catches fails the self-test unless tests/faults/uncatchable.txt lists it
# with the reason; an aim naming no case of the clean run is a catalogue
# error (exit 2).
#
# The hang fault (hang_*) must also be reported as timed out and leave none
# of its objects behind; one fault is also delivered through
# IPCCONF_FAULT_FILE instead of the environment variable.
#
# Writes BUILD_DIR/selftest/selftest.md (fault -> catching cases) and prints
# the kill rate. With FAULT arguments (or IPCCONF_SELFTEST_FAULTS="a b"), runs
# only those faults. Exit 0 when every fault run was caught or is known
# uncatchable, 1 otherwise, 2 on a usage or environment error.
set -u
export LC_ALL=C

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
[ $# -gt 0 ] && shift
build=$(cd "$build" 2>/dev/null && pwd) || { echo "selftest: no build directory $build" >&2; exit 2; }
only="$* ${IPCCONF_SELFTEST_FAULTS:-}"
ipcconf=$build/runner/ipcconf
lib=$build/tests/faults/libipcconf-faults.so
catalogue=$src/tests/faults/faults.tsv
uncatchable=$src/tests/faults/uncatchable.txt
out=${IPCCONF_SELFTEST_OUT:-$build/selftest}

for f in "$ipcconf" "$lib" "$catalogue"; do
	[ -e "$f" ] || { echo "selftest: $f is missing (build first)" >&2; exit 2; }
done
command -v jq >/dev/null || { echo "selftest: jq is needed" >&2; exit 2; }
if file -L "$build/suites/pipe/pipe_test" 2>/dev/null | grep -q 'statically linked'; then
	echo "selftest: the suite is statically linked (IPCCONF_STATIC): the interposer cannot reach it" >&2
	exit 2
fi

rm -rf "$out"
mkdir -p "$out/clean" "$out/faults"
# Test programs may run as nobody: the fault logs must be writable by anyone.
chmod 1777 "$out/faults"

start=$(date +%s)

# run_suite DIR FILTER [ENV...]: ipcconf run into DIR, the environment added.
run_suite() {
	dir=$1 filter=$2
	shift 2
	env "$@" "$ipcconf" run --suite "$build" --filter "$filter" --jobs 2 --out "$dir" \
		>"$dir.log" 2>&1
	[ -f "$dir/bundle.json" ] &&
		[ "$(jq -r '.targets[0].status' "$dir/bundle.json")" = completed ]
}

# Cases that passed in a bundle, one id a line.
passed_cases() {
	jq -r '.cases[] | select(.results[].outcome == "passed") | .id' "$1/bundle.json" | sort
}

# Cases that failed, broke or timed out in a bundle: "id<TAB>outcome".
bad_cases() {
	jq -r '.cases[] | .id as $id | .results[] |
	       select(.outcome == "failed" or .outcome == "broken" or .outcome == "timed_out") |
	       "\($id)\t\(.outcome)"' "$1/bundle.json" | sort
}

# The objects a run under a fault created (its log) that are still there:
# removed here, and listed on stdout. A System V object must match id, key
# and creator uid, so that another user's object is never touched.
leftovers() {
	log=$1
	[ -f "$log" ] || return 0
	grep '^created ' "$log" | while read -r _ kind id pid uid key; do
		case $kind in
		sysv_msg|sysv_sem|sysv_shm)
			table=${kind#sysv_}
			# /proc/sysvipc/TABLE: key id ...; the creator's uid is column 10
			# (msg, shm) or 7 (sem).
			if awk -v id="$id" -v key="$key" -v uid="$uid" -v t="$table" \
			    'NR > 1 && $1 == key && $2 == id && $(t == "sem" ? 7 : 10) == uid { found = 1 }
			     END { exit !found }' "/proc/sysvipc/$table"; then
				echo "$kind id=$id (created by $pid)"
				case $table in
				msg) ipcrm -q "$id" 2>/dev/null ;;
				sem) ipcrm -s "$id" 2>/dev/null ;;
				shm) ipcrm -m "$id" 2>/dev/null ;;
				esac
			fi ;;
		posix_shm|posix_sem)
			name=${id#/}
			[ "$kind" = posix_sem ] && name=sem.$name
			if [ -e "/dev/shm/$name" ]; then
				echo "$kind $id"
				rm -f "/dev/shm/$name"
			fi ;;
		posix_mq)
			if [ -e "/dev/mqueue${id}" ]; then
				echo "$kind $id"
				rm -f "/dev/mqueue${id}"
			fi ;;
		esac
	done | sort -u
}

# Text for a Markdown table cell: "|" escaped.
md() {
	printf '%s' "$1" | sed 's/|/\\|/g'
}

# The objects the run in bundle DIR reported as left behind that the fault's
# log says a test program created (the run's own leak check is system-wide).
reported_leaks() {
	grep '^created ' "$2" 2>/dev/null | while read -r _ kind id _ _ _; do
		jq -r --arg k "$kind" --arg id "$id" '.targets[].leaks[]? |
		    select(startswith($k + " id=" + $id + " ") or . == ($k + " " + $id) or
		           . == ("dev_shm " + ($id | ltrimstr("/"))) or . == ("mqueue " + ($id | ltrimstr("/"))))' \
		    "$1/bundle.json"
	done
}

# The catalogue without comments: name family filter what model aim.
faults=$(grep -v '^#' "$catalogue" | grep -v '^[[:space:]]*$')
if [ -n "$(echo "$only" | tr -d ' ')" ]; then
	faults=$(echo "$faults" | awk -F '\t' -v only="$only" \
		'BEGIN { n = split(only, o, " "); for (i = 1; i <= n; i++) want[o[i]] = 1 } want[$1]')
fi
# Only the families this build has (IPCCONF_ONLY_FAMILIES may leave some out).
missing=$(echo "$faults" | cut -f2 | sort -u | while read -r fam; do
	[ -f "$build/suites/$fam/Kyuafile" ] || echo "$fam"
done)
if [ -n "$missing" ]; then
	echo "selftest: not built, their faults skipped: $(echo "$missing" | paste -sd ' ')"
	faults=$(echo "$faults" | awk -F '\t' -v miss="$missing" \
		'BEGIN { n = split(miss, m, "\n"); for (i = 1; i <= n; i++) skip[m[i]] = 1 } !skip[$2]')
fi
# The ipc_ns cases that catch namespace faults cannot run where no IPC
# namespace can be made (a container's seccomp profile): those faults cannot
# be judged here, and are skipped with that reason rather than called missed.
if ! unshare --ipc true 2>/dev/null && ! unshare --user --map-root-user --ipc true 2>/dev/null; then
	if echo "$faults" | cut -f2 | grep -qx ipc_ns; then
		echo "selftest: no IPC namespace can be made here (unshare fails), the ipc_ns faults are skipped"
		faults=$(echo "$faults" | awk -F '\t' '$2 != "ipc_ns"')
	fi
fi
[ -n "$faults" ] || { echo "selftest: no fault selected" >&2; exit 2; }
bad_rows=$(echo "$faults" | awk -F '\t' 'NF != 6 || $6 == "" { print $1 }')
[ -z "$bad_rows" ] || { echo "selftest: faults without an aim (6th column): $bad_rows" >&2; exit 2; }

# One clean run per filter the selected faults need.
for filter in $(echo "$faults" | cut -f3 | sort -u); do
	d=$out/clean/$(echo "$filter" | tr ':/' '__')
	run_suite "$d" "$filter" || { echo "selftest: the clean run of $filter failed; see $d.log" >&2; exit 2; }
	passed_cases "$d" >"$d.passed"
	jq -r '.cases[].id' "$d/bundle.json" | sed 's|.*/||' | sort -u >"$d.ids"
done
# Every aim names a case of its fault's clean run.
echo "$faults" | while IFS="$(printf '\t')" read -r name _ filter _ _ aim; do
	ids=$out/clean/$(echo "$filter" | tr ':/' '__').ids
	echo "$aim" | tr ',' '\n' | while read -r a; do
		grep -qxF "$a" "$ids" || echo "$name: $a"
	done
done >"$out/bad-aims"
if [ -s "$out/bad-aims" ]; then
	echo "selftest: aims that name no case of the fault's filtered run:" >&2
	sed 's/^/  /' "$out/bad-aims" >&2
	exit 2
fi

total=0 caught=0 known=0 failures=0
table=$out/table.md
: >"$table"
tab=$(printf '\t')
echo "$faults" >"$out/selected.tsv"
while IFS="$tab" read -r name family filter what model aim; do
	total=$((total + 1))
	d=$out/faults/$name
	clean=$out/clean/$(echo "$filter" | tr ':/' '__')
	log=$out/faults/$name.fired
	: >"$log"
	chmod 666 "$log"
	t0=$(date +%s)
	if ! run_suite "$d" "$filter" LD_PRELOAD="$lib" IPCCONF_FAULT="$name" IPCCONF_FAULT_LOG="$log"; then
		echo "selftest: the run under $name did not complete; see $d.log" >&2
		failures=$((failures + 1))
		continue
	fi
	secs=$(($(date +%s) - t0))
	# Kyua and ipcconf run with the interposer loaded too: it must leave them
	# alone, so the run under the fault lists every case the clean run did.
	if [ "$(jq '.cases | length' "$d/bundle.json")" != "$(jq '.cases | length' "$clean/bundle.json")" ]; then
		echo "selftest: the run under $name lost cases (the interposer disturbed Kyua or ipcconf?); see $d.log" >&2
		failures=$((failures + 1))
	fi
	bad_cases "$d" | join -t "$tab" - "$clean.passed" >"$d.failed"
	# Aimed catches only: "suites/FAMILY/PROGRAM:CASE" is aimed when PROGRAM:CASE is in the aim.
	echo "$aim" | tr ',' '\n' | sort -u >"$d.aim"
	awk -F '\t' 'NR == FNR { aim[$0] = 1; next } { id = $1; sub(/.*\//, "", id) } aim[id]' \
		"$d.aim" "$d.failed" >"$d.caught"
	unaimed=$(($(wc -l <"$d.failed") - $(wc -l <"$d.caught")))
	n=$(wc -l <"$d.caught")
	fired=$(grep -c '^fired ' "$log")
	left=$(leftovers "$log")
	cases=$(cut -f1 "$d.caught" | sed 's|.*/||' | head -5 | paste -sd ' ' | sed 's/ /, /g')
	[ "$n" -gt 5 ] && cases="$cases (+$((n - 5)) more)"
	[ "$unaimed" -gt 0 ] && cases="$cases; $unaimed unaimed"
	reason=$(grep "^$name:" "$uncatchable" 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
	verdict=
	if [ "$n" -gt 0 ]; then
		caught=$((caught + 1))
		verdict=caught
	elif [ -n "$reason" ]; then
		known=$((known + 1))
		verdict="uncatchable: $reason"
		cases="-"
	else
		failures=$((failures + 1))
		if [ "$fired" -eq 0 ]; then
			verdict="NOT CAUGHT (never fired: no case reached it)"
		elif [ "$unaimed" -gt 0 ]; then
			verdict="NOT CAUGHT by its aim (only $unaimed unaimed case(s) failed: $(cut -f1 "$d.failed" | sed 's|.*/||' | head -3 | paste -sd ' '))"
		else
			verdict="NOT CAUGHT (fired in $fired processes)"
		fi
		cases="-"
	fi
	case $name in
	hang_*)
		if ! cut -f2 "$d.caught" | grep -qx timed_out; then
			verdict="$verdict; NOT TIMED OUT"
			failures=$((failures + 1))
		elif [ -n "$left" ] || ! grep -q '^created ' "$log"; then
			verdict="$verdict; objects NOT cleaned up"
			failures=$((failures + 1))
		elif [ -n "$(reported_leaks "$d" "$log")" ]; then
			verdict="$verdict; the run reported its objects as left behind"
			failures=$((failures + 1))
		else
			verdict="$verdict; timed out, objects cleaned up"
		fi ;;
	esac
	[ -n "$left" ] && verdict="$verdict; left behind (removed now): $(echo "$left" | paste -sd ' ')"
	printf '%-36s %-11s %3d aimed case(s), %2d unaimed %3ss  %s\n' "$name" "$family" "$n" "$unaimed" "$secs" "$verdict"
	printf '| `%s` | %s | %s | %s | %s | %s |\n' "$name" "$family" "$(md "$what")" \
		"$(md "$model")" "$(md "$cases")" "$(md "$verdict")" >>"$table"
done <"$out/selected.tsv"

# The fault named by a file, for programs whose environment is scrubbed of
# IPCCONF_FAULT: the first quick fault of the selection, delivered the other way.
first=$(grep -v '^hang_' "$out/selected.tsv" | head -n1)
[ -n "$first" ] || first=$(head -n1 "$out/selected.tsv")
fname=$(echo "$first" | cut -f1)
ffilter=$(echo "$first" | cut -f3)
echo "$fname" >"$out/fault-file"
chmod 644 "$out/fault-file"
flog=$out/faults/via-file.fired
: >"$flog"; chmod 666 "$flog"
if run_suite "$out/faults/via-file" "$ffilter" LD_PRELOAD="$lib" \
	IPCCONF_FAULT_FILE="$out/fault-file" IPCCONF_FAULT_LOG="$flog" &&
	grep -q "^fired $fname " "$flog"; then
	echo "IPCCONF_FAULT_FILE: $fname read from a file and fired"
else
	echo "IPCCONF_FAULT_FILE: $fname did NOT fire when named by a file"
	failures=$((failures + 1))
fi
leftovers "$flog" >/dev/null

# Outside the suite's *_test programs the interposer does nothing: cat reading
# a pipe that is still empty waits for the data even under a fault that would
# make a test program's read return EOF at once.
if [ "$( (sleep 0.3; echo data) | env LD_PRELOAD="$lib" IPCCONF_FAULT=pipe_read_empty_eof cat)" = data ]; then
	echo "Outside *_test programs: the interposer leaves calls alone"
else
	echo "Outside *_test programs: the interposer CHANGED a call (cat saw EOF)"
	failures=$((failures + 1))
fi

elapsed=$(($(date +%s) - start))
rate=$(awk -v c="$caught" -v t="$total" 'BEGIN { printf "%.1f", t ? 100 * c / t : 0 }')
{
	echo "# Fault-injection self-test"
	echo
	echo "Kill rate: $caught of $total faults caught ($rate %); $known known uncatchable;" \
		"$elapsed s on $(uname -r)."
	echo "Command: \`ci/selftest.sh $build\`"
	echo
	echo "| fault | family | what it breaks | models | caught by | verdict |"
	echo "| --- | --- | --- | --- | --- | --- |"
	cat "$table"
} >"$out/selftest.md"
echo
echo "Kill rate: $caught/$total faults caught ($rate %), $known known uncatchable, $elapsed s"
echo "Table: $out/selftest.md"
[ "$failures" -eq 0 ]
