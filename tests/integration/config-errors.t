#!/bin/sh
# Every malformed config.json is refused with the exact path-precise message,
# exit status 1 and no sanitizer report; every good one validates.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
bad="$HAKO_TEST_DATA/config/bad"
good="$HAKO_TEST_DATA/config/good"
# Good fixtures without a process are complete only for parsing (test-spec).
runnable=$(grep -l '"process"' "$good"/*.json)
plan $(( $(ls "$bad"/*.json | wc -l) + $(echo "$runnable" | wc -w) ))

refused_with () {
  # refused_with FIXTURE: hako validate fails with "hako: " + FIXTURE.err
  mkdir -p "bundle-$1" && cp "$bad/$1.json" "bundle-$1/config.json"
  run_hako 1 validate --bundle "bundle-$1" || return 1
  expected="hako: $(cat "$bad/$1.err")"
  actual=$(head -n 1 "$TEST_TMP/stderr")
  [ "$actual" = "$expected" ] || { echo "expected: $expected"; echo "actual:   $actual"; return 1; }
}

accepted () {
  mkdir -p "good-$1" && cp "$good/$1.json" "good-$1/config.json"
  run_hako 0 validate --bundle "good-$1"
}

for f in "$bad"/*.json; do
  name=$(basename "$f" .json)
  ok "bad/$name is refused with its message" refused_with "$name"
done
for f in $runnable; do
  name=$(basename "$f" .json)
  ok "good/$name validates" accepted "$name"
done
done_testing
