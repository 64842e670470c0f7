#!/bin/sh
# hako pause and resume: the cgroup freezer, the "paused" status in state
# and list, kill and delete of a paused container; without a cgroup (no
# root on this cgroup v1 host) the refusal that says why.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 15
root="$TEST_TMP/state"
id="pause-$$"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
make_bundle b '["sleep", "303"]'
hk 0 run -d --bundle b "$id" || echo "# could not start the container: $(cat "$TEST_TMP/stderr")"

ok "pause of a created container is refused" sh -c "'$HAKO' --root '$root' create --bundle b '$id-c' && ! '$HAKO' --root '$root' pause '$id-c' 2>err && grep -q 'is created' err"
hk 0 delete --force "$id-c"
ok "resume of a running container is refused" sh -c "! '$HAKO' --root '$root' resume '$id' 2>err && grep -q 'needs a paused container' err"

if [ "$(id -u)" != 0 ] || [ ! -d /sys/fs/cgroup/freezer ]; then
  ok "without a cgroup, pause says why and what would give one" sh -c "! '$HAKO' --root '$root' pause '$id' 2>err && grep -q 'has no cgroup' err && grep -q 'cgroup' err && cat err"
  ok "... and leaves the container running" sh -c "'$HAKO' --root '$root' state '$id' | grep -q '\"running\"'"
  for t in "pause freezes the container's cgroup" "state says paused" "list says paused" \
    "exec in a paused container is refused" "pause of a paused container is refused" \
    "resume thaws it" "delete without --force refuses a paused container" "kill KILL ends a paused container" "delete --force removes a paused one"; do
    skip "$t" "needs root and the cgroup v1 freezer (this host's unprivileged user has no cgroup)"
  done
else
  skip "without a cgroup, pause says why and what would give one" "root has a cgroup here"
  skip "... and leaves the container running" "root has a cgroup here"
  hk 0 state "$id"
  pid=$(sed -n 's/^ *"pid" *: *\([0-9]*\).*/\1/p' "$TEST_TMP/stdout")
  freezer=$(sed -n 's/^[0-9]*:freezer:\(.*\)/\1/p' /proc/$pid/cgroup)
  ok "pause freezes the container's cgroup" sh -c "'$HAKO' --root '$root' pause '$id' && grep -qx FROZEN '/sys/fs/cgroup/freezer$freezer/freezer.state'"
  ok "state says paused" sh -c "'$HAKO' --root '$root' state '$id' | grep -q '\"status\" *: *\"paused\"'"
  ok "list says paused" sh -c "'$HAKO' --root '$root' list | grep '^$id ' | grep -q paused"
  ok "exec in a paused container is refused" sh -c "! '$HAKO' --root '$root' exec '$id' true 2>err && grep -q 'resume it first' err"
  ok "pause of a paused container is refused" hk 1 pause "$id"
  ok "resume thaws it" sh -c "'$HAKO' --root '$root' resume '$id' && grep -qx THAWED '/sys/fs/cgroup/freezer$freezer/freezer.state' && '$HAKO' --root '$root' state '$id' | grep -q '\"running\"'"
  hk 0 pause "$id"
  ok "delete without --force refuses a paused container" sh -c "! '$HAKO' --root '$root' delete '$id' 2>err && grep -q 'is paused: stop it first' err"
  ok "kill KILL ends a paused container" sh -c "'$HAKO' --root '$root' kill '$id' KILL && for i in \$(seq 100); do '$HAKO' --root '$root' state '$id' | grep -q '\"stopped\"' && exit 0; sleep 0.05; done; exit 1"
  hk 0 delete "$id"
  hk 0 run -d --bundle b "$id"
  hk 0 pause "$id"
  ok "delete --force removes a paused one" sh -c "'$HAKO' --root '$root' delete --force '$id' && [ ! -d '/sys/fs/cgroup/freezer$freezer' ]"
fi
ok "pause of an unknown container is refused" hk 1 pause nope
hk 0 delete --force "$id"
ok "nothing is left behind" sh -c "[ -z \"\$(ls -A '$root')\" ]"
done_testing
