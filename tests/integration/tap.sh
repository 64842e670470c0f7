# Minimal TAP helpers for hako's integration tests (sourced by each *.t).
# Each test runs the built hako ($HAKO) as the invoking user.
set -u
: "${HAKO:?HAKO must point at the built hako binary}"
tap_count=0
tap_failed=0
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hako-test.XXXXXX")
# A test that stops half-way must not leave containers waiting for `start`:
# force-delete whatever is left in the state roots it used.
tap_cleanup () {
  local root id
  for root in "$TEST_TMP"/state*; do
    [ -d "$root" ] || continue
    for id in $("$HAKO" --root "$root" list -q 2>/dev/null); do
      "$HAKO" --root "$root" delete --force "$id" >/dev/null 2>&1
    done
  done
  rm -rf "$TEST_TMP"
}
trap tap_cleanup EXIT
cd "$TEST_TMP" || exit 1

plan () { echo "1..$1"; }

ok () {
  # ok DESCRIPTION COMMAND...: passes when COMMAND exits 0
  local description=$1; shift
  tap_count=$((tap_count + 1))
  if "$@" >"$TEST_TMP/.out" 2>&1; then
    printf 'ok %d - %s\n' "$tap_count" "$description"
  else
    tap_failed=$((tap_failed + 1))
    printf 'not ok %d - %s\n' "$tap_count" "$description"
    sed 's/^/# /' "$TEST_TMP/.out"
  fi
}

skip () {
  tap_count=$((tap_count + 1))
  echo "ok $tap_count - $1 # SKIP $2"
}

# run_hako EXPECTED_STATUS ARGS...: runs hako, keeping stdout and stderr
# in $TEST_TMP/stdout and $TEST_TMP/stderr; fails unless the status matches.
run_hako () {
  local expected=$1 status; shift
  "$HAKO" "$@" >"$TEST_TMP/stdout" 2>"$TEST_TMP/stderr"
  status=$?
  if [ "$status" != "$expected" ]; then
    echo "hako $*: exit status $status, expected $expected"
    sed 's/^/stderr: /' "$TEST_TMP/stderr"
    return 1
  fi
  # A sanitizer report is a failure whatever the exit status.
  if grep -qE 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:' "$TEST_TMP/stderr"; then
    cat "$TEST_TMP/stderr"
    return 1
  fi
}

# output_has FILE TEXT: FILE (stdout or stderr) contains TEXT
output_has () {
  grep -qF -- "$2" "$TEST_TMP/$1" || { echo "$1 lacks: $2"; sed "s/^/$1: /" "$TEST_TMP/$1"; return 1; }
}

validate_json () {
  # validate_json SCHEMA FILE
  "${PYTHON3:-python3}" "$HAKO_TESTS_SRCDIR/integration/validate-json.py" "$1" "$2"
}

done_testing () {
  [ "$tap_failed" -eq 0 ]
}
