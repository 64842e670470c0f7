#!/bin/sh
# hako update: runc's flags and --resources FILE|- written into the
# container's cgroup (as root on this cgroup v1 host) and recorded in its
# saved config; the refusals, and without a cgroup the reason.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 13
root="$TEST_TMP/state"
id="update-$$"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
make_bundle b '["sleep", "304"]'
hk 0 run -d --bundle b "$id" || echo "# could not start the container: $(cat "$TEST_TMP/stderr")"

ok "a size that is no number is refused, naming the flag" sh -c "! '$HAKO' --root '$root' update --memory lots '$id' 2>err && grep -q -- '--memory \"lots\"' err"
ok "an unknown container is refused" hk 1 update --memory 1m nope
ok "Intel RDT schemas are refused" hk 1 update --l3-cache-schema L3:0=f "$id"

if [ "$(id -u)" != 0 ] || [ ! -d /sys/fs/cgroup/memory ] || [ ! -d /sys/fs/cgroup/pids ]; then
  ok "without a cgroup, update says why" sh -c "! '$HAKO' --root '$root' update --memory 64m '$id' 2>err && grep -q 'has no cgroup, which update needs' err"
  for t in "flags land in the cgroup files" "... cpu too" "--resources FILE replaces some limits" \
    "... the others stay" "--resources - reads stdin" "the new limits are recorded" \
    "a limit the config check refuses is refused, naming its field"; do
    skip "$t" "needs root and cgroup v1 memory, pids and cpu controllers (this host's unprivileged user has no cgroup)"
  done
else
  skip "without a cgroup, update says why" "root has a cgroup here"
  hk 0 state "$id"
  pid=$(sed -n 's/^ *"pid" *: *\([0-9]*\).*/\1/p' "$TEST_TMP/stdout")
  dir () { echo "/sys/fs/cgroup/$1$(sed -n "s/^[0-9]*:[^:]*\\<$1\\>[^:]*:\\(.*\\)/\\1/p" /proc/$pid/cgroup)"; }
  mem=$(dir memory); pids=$(dir pids); cpu=$(dir cpu)
  ok "flags land in the cgroup files" sh -c "'$HAKO' --root '$root' update --memory 64m --memory-reservation 32m --pids-limit 50 '$id' && [ \$(cat '$mem/memory.limit_in_bytes') = 67108864 ] && [ \$(cat '$mem/memory.soft_limit_in_bytes') = 33554432 ] && [ \$(cat '$pids/pids.max') = 50 ]"
  ok "... cpu too" sh -c "'$HAKO' --root '$root' update --cpu-share 512 --cpu-period 100000 --cpu-quota 20000 '$id' && [ \$(cat '$cpu/cpu.shares') = 512 ] && [ \$(cat '$cpu/cpu.cfs_quota_us') = 20000 ]"
  echo '{"memory": {"limit": 33554432}}' >r.json
  ok "--resources FILE replaces some limits" sh -c "'$HAKO' --root '$root' update -r r.json '$id' && [ \$(cat '$mem/memory.limit_in_bytes') = 33554432 ]"
  ok "... the others stay" sh -c "[ \$(cat '$pids/pids.max') = 50 ] && [ \$(cat '$cpu/cpu.shares') = 512 ]"
  ok "--resources - reads stdin" sh -c "echo '{\"pids\": {\"limit\": -1}}' | '$HAKO' --root '$root' update -r - '$id' && [ \$(cat '$pids/pids.max') = max ]"
  ok "the new limits are recorded" sh -c "grep -q 33554432 '$root/$id/config.json'"
  ok "a limit the config check refuses is refused, naming its field" sh -c "! '$HAKO' --root '$root' update --memory-swap 1m '$id' 2>err && grep -q 'linux.resources.memory.swap' err && [ \$(cat '$mem/memory.limit_in_bytes') = 33554432 ]"
fi
hk 0 delete --force "$id"
ok "a deleted container is refused" hk 1 update --memory 1m "$id"
ok "nothing is left behind" sh -c "[ -z \"\$(ls -A '$root')\" ]"
done_testing
