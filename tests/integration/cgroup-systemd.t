#!/bin/sh
# The systemd cgroup manager where it cannot work (this host: cgroups v1 or
# hybrid, no systemd): asking for it fails with what is missing and how to
# get it, and leaves nothing behind; the default falls back to cgroupfs or
# none. The manager itself is tested against a real systemd in tests/vm.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 4
root="$TEST_TMP/state"
hr () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }

make_bundle b '["true"]'
set_config b "c['annotations'] = {'org.hako.rootfs': 'bind'}"

if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
  # A cgroup v2 host: what is missing is the bus.
  if [ "$(id -u)" = 0 ]; then bus=/run/dbus/system_bus_socket; else bus=${XDG_RUNTIME_DIR:-/nonexistent}/bus; fi
  if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -S "$bus" ]; then
    for t in "--systemd-cgroup says what is missing" "... and leaves nothing behind" "--cgroup-manager systemd says the same" \
      "the default here is not systemd"; do
      skip "$t" "systemd is reachable here (tests/vm tests it)"
    done
    exit 0
  fi
  missing="$bus"
else
  missing="cgroup v1 or hybrid"
fi

hr 1 --systemd-cgroup run -b b c1
ok "--systemd-cgroup says what is missing" sh -c "grep -q -- '--cgroup-manager systemd: .*$missing' '$TEST_TMP/stderr' && grep -q 'disabled' '$TEST_TMP/stderr'"
ok "... and leaves nothing behind" sh -c "[ ! -e '$root/c1' ] && [ -z \"\$('$HAKO' --root '$root' list -q)\" ]"
hr 1 --cgroup-manager systemd create -b b c2
ok "--cgroup-manager systemd says the same" sh -c "grep -q -- '--cgroup-manager systemd: .*$missing' '$TEST_TMP/stderr' && [ ! -e '$root/c2' ]"
hr 0 create -b b c3
ok "the default here is not systemd" sh -c "! grep -q '\"cgroupManager\": *\"systemd\"' '$root/c3/state.json'"
hr 0 delete --force c3
