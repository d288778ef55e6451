# The project's shell tests, in TAP-like lines: sourced by tests/*/*_test.sh.
# Makes $tmp (removed at exit) and counts checks; `finish` prints the tally
# and exits 1 when a check failed.
#   check NAME COMMAND...        runs COMMAND: "ok - NAME" or "not ok - NAME"
#   status_is EXPECTED COMMAND... COMMAND's exit status is EXPECTED (output in $tmp/out)
#   says REGEX                   the last status_is output matches REGEX
#   jq_is FILE FILTER EXPECTED   jq -r FILTER FILE prints EXPECTED
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 checks=0

check() {
  local name=$1; shift
  checks=$((checks + 1))
  if "$@"; then echo "ok - $name"; else echo "not ok - $name"; failures=$((failures + 1)); fi
}
show_out() { sed 's/^/  | /' "$tmp/out" | tail -40; }
status_is() {
  local want=$1; shift
  "$@" >"$tmp/out" 2>&1; local got=$?
  [ "$got" = "$want" ] || { echo "  expected exit $want, got $got from: $*"; show_out; return 1; }
}
says() { grep -Eq -- "$1" "$tmp/out" || { echo "  output lacks: $1"; show_out; return 1; }; }
jq_is() {
  local got; got=$(jq -r "$2" "$1" 2>&1)
  [ "$got" = "$3" ] || { echo "  jq '$2' $1: expected '$3', got '$got'"; return 1; }
}
finish() {
  echo "$((checks - failures))/$checks checks passed"
  [ "$failures" = 0 ] || exit 1
  exit 0
}
