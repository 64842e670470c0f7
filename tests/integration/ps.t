#!/bin/sh
# hako ps: a container's processes as runc-ps(8) shows them, its pids as
# JSON or ps(1)'s table filtered to them.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 9
root="$TEST_TMP/state"
id="ps-$$"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
make_bundle b '["sleep", "301"]'
# A plain rootfs: an overlay's fuse-overlayfs daemon is one more process in
# the container's pid namespace, which would change the counts below.
set_config b "c['annotations']['org.hako.rootfs'] = 'bind'"
hk 0 run -d --bundle b "$id" || echo "# could not start the container: $(cat "$TEST_TMP/stderr")"
hk 0 state "$id"
container_pid=$(sed -n 's/^ *"pid" *: *\([0-9]*\).*/\1/p' "$TEST_TMP/stdout")
hk 0 exec -d --pid-file "$TEST_TMP/exec.pid" "$id" sleep 302
exec_pid=$(cat "$TEST_TMP/exec.pid")

ok "--format json lists the container's pids" sh -c "'$HAKO' --root '$root' ps --format json '$id' >json.out && grep -q '^\[.*\]\$' json.out && grep -qw '$container_pid' json.out && grep -qw '$exec_pid' json.out"
ok "... and no other process" sh -c "! grep -qw '$$' json.out"
ok "the table is ps -ef's header and the container's lines" sh -c "'$HAKO' --root '$root' ps '$id' >table.out && head -n 1 table.out | grep -q 'PID.*CMD' && grep -q 'sleep 301' table.out && grep -q 'sleep 302' table.out && [ \$(wc -l <table.out) -eq 3 ]"
ok "extra arguments go to ps" sh -c "'$HAKO' --root '$root' ps '$id' -o pid,comm >o.out && head -n 1 o.out | grep -q 'PID *COMMAND' && grep -q '^ *$exec_pid *sleep\$' o.out"
ok "... after --" sh -c "'$HAKO' --root '$root' ps '$id' -- -o pid,args | grep -q 'sleep 302'"
ok "a ps without a PID column is refused" sh -c "! '$HAKO' --root '$root' ps '$id' -o comm 2>err && grep -q 'PID column' err"
ok "an unknown format is refused" hk 1 ps --format yaml "$id"
ok "an unknown container is refused" hk 1 ps nope
hk 0 delete --force "$id"
ok "a deleted container leaves nothing" sh -c "[ -z \"\$(ls -A '$root')\" ]"
done_testing
