#!/bin/sh
# The systemd cgroup manager as root, in the test VM: the system's systemd
# over the system bus makes the scope in system.slice; limits are unit
# properties; device rules are enforced through eBPF; delete leaves
# nothing. (Run by guest-suites.sh before the user's suite, systemd.t.)
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 5
SYSTEMCTL=systemctl
. "$HAKO_TESTS_SRCDIR/vm/suite-lib.sh"

[ "$(id -u)" = 0 ] || { echo "Bail out! run as the VM's root"; exit 1; }

bundle b '["sh", "-c", "sleep 60"]' "c['linux']['resources'] = {'memory': {'limit': 67108864}}"
hr 0 create -b b r1
created r1
ok "as root the default manager is systemd, over the system bus" sh -xc "[ \"$(state_field r1 cgroupManager)\" = systemd ]"
ok "the scope is in system.slice" sh -xc "
  grep -qx '0::/system.slice/$unit' /proc/$pid/cgroup && [ $dir = /sys/fs/cgroup/system.slice/$unit ] && systemctl is-active $unit"
ok "limits are the unit's properties and the cgroup's" sh -xc "
  [ \"\$(systemctl show -P MemoryMax $unit)\" = 67108864 ] && [ \$(cat $dir/memory.max) = 67108864 ]"
hr 0 delete --force r1
ok "delete leaves no unit and no cgroup" sh -xc "$no_units && [ ! -e $dir ]"

# /dev/kmsg (1:11) is in the container, but no rule allows it.
bundle dev '["sh", "-c", "echo x > /dev/kmsg && echo written || echo denied"]' "c['linux']['devices'] = [{'path': '/dev/kmsg', 'type': 'c', 'major': 1, 'minor': 11}]; c['linux']['resources'] = {'devices': [{'allow': False, 'access': 'rwm'}]}"
hr 0 run -b dev r2
ok "device rules are enforced in the scope (eBPF)" sh -xc "grep -qx denied $TEST_TMP/stdout && $no_units"
