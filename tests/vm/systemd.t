#!/bin/sh
# The systemd cgroup manager against a real systemd, run in the test VM
# (by guest-suites.sh, after systemd-root.t) as the lingering user, whose
# user@UID.service has cpu cpuset io memory pids delegated, over the
# user's session bus: the scope, the limits it enforces, freeze and thaw,
# live updates, the cgroup namespace view, and that delete and failures
# leave nothing in systemd.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 26
SYSTEMCTL="systemctl --user"
. "$HAKO_TESTS_SRCDIR/vm/suite-lib.sh"
uid=$(id -u)

[ "$uid" != 0 ] || { echo "Bail out! run as the VM's unprivileged user (run-in-vm.sh --user)"; exit 1; }

# hako check, where delegation works: no warning about cgroups or the bus.
"$HAKO" check --format json > "$TEST_TMP/check.json" 2> "$TEST_TMP/check.err" || true
ok "hako check: cgroup v2 delegated by the user's systemd, and a session bus" ${PYTHON3:-python3} -c "
import json, sys
items = {i['name']: i for i in json.load(open(sys.argv[1]))}
assert items['cgroup']['status'] == 'ok' and 'delegated' in items['cgroup']['detail'], items['cgroup']
assert items['dbus']['status'] == 'ok', items['dbus']
" "$TEST_TMP/check.json"

bundle b '["sh", "-c", "sleep 60 & sleep 60"]' "c['linux']['resources'] = {'memory': {'limit': 67108864}, 'pids': {'limit': 50}, 'cpu': {'shares': 1024}, 'unified': {'memory.high': '50331648'}}"
hr 0 create -b b c1
created c1
ok "the default manager is systemd where the user's bus is reachable" sh -xc "[ \"$(state_field c1 cgroupManager)\" = systemd ]"
ok "the scope hako-c1[-HASH].scope is created under user@$uid.service" sh -xc "
  grep -qx '0::/user.slice/user-$uid.slice/user@$uid.service/.*/$unit' /proc/$pid/cgroup &&
  [ \"$dir\" = /sys/fs/cgroup\$(sed -n 's/^0:://p' /proc/$pid/cgroup) ] &&
  systemctl --user is-active $unit && [ \"\$(systemctl --user show -P Delegate $unit)\" = yes ]"
ok "limits (unified ones too) are unit properties and land in the scope's cgroup" sh -xc "
  [ \"\$(systemctl --user show -P MemoryMax $unit)\" = 67108864 ] &&
  [ \"\$(systemctl --user show -P TasksMax $unit)\" = 50 ] &&
  [ \"\$(systemctl --user show -P CPUWeight $unit)\" = 39 ] &&
  [ \"\$(systemctl --user show -P MemoryHigh $unit)\" = 50331648 ] &&
  [ \$(cat $dir/memory.max) = 67108864 ] && [ \$(cat $dir/pids.max) = 50 ] &&
  [ \$(cat $dir/cpu.weight) = 39 ] && [ \$(cat $dir/memory.high) = 50331648 ]"
hr 0 start c1
hr 0 pause c1
ok "pause freezes the scope (cgroup.freeze)" sh -xc "grep -qx 'frozen 1' $dir/cgroup.events && [ \$(cat $dir/cgroup.freeze) = 1 ] && [ \"\$('$HAKO' --root '$root' state c1 | ${PYTHON3:-python3} -c 'import json,sys; print(json.load(sys.stdin)[\"status\"])')\" = paused ]"
hr 0 resume c1
ok "resume thaws it" sh -xc "grep -qx 'frozen 0' $dir/cgroup.events && [ \$(cat $dir/cgroup.freeze) = 0 ]"
hr 0 update --memory 32m --pids-limit 40 c1
ok "a live update changes the cgroup and the unit" sh -xc "
  [ \$(cat $dir/memory.max) = 33554432 ] && [ \$(cat $dir/pids.max) = 40 ] &&
  [ \"\$(systemctl --user show -P MemoryMax $unit)\" = 33554432 ]"
hr 0 exec c1 cat /proc/self/cgroup
ok "exec joins the scope (the root of the container's cgroup namespace)" sh -xc "[ \"\$(cat $TEST_TMP/stdout)\" = 0::/ ] && [ \$(wc -l < $dir/cgroup.procs) = 2 ]"
mkdir "$dir/sub"
hr 0 exec --cgroup sub c1 cat /proc/self/cgroup
ok "exec --cgroup joins a sub-cgroup of the scope (through systemd from a login session)" sh -xc "[ \"\$(cat $TEST_TMP/stdout)\" = 0::/sub ]"
rmdir "$dir/sub"
hr 0 events --stats c1
ok "events --stats reads the scope's files" grep -q '"pids":{"current":2' "$TEST_TMP/stdout"
hr 0 kill --all c1 KILL
ok "kill --all kills everything in the scope (cgroup.kill)" sh -xc "
  for i in \$(seq 50); do [ -e $dir ] && [ -n \"\$(cat $dir/cgroup.procs 2>/dev/null)\" ] || exit 0; sleep 0.1; done; exit 1"
hr 0 delete --force c1
ok "delete leaves no unit and no cgroup" sh -xc "$no_units && [ ! -e $dir ]"

# The cgroup namespace: the scope is the container's root.
bundle ns '["sh", "-c", "cat /proc/self/cgroup; ls /sys/fs/cgroup; cat /sys/fs/cgroup/memory.max"]' \
  "c['linux']['resources'] = {'memory': {'limit': 50331648}}"
hr 0 run -b ns c2
ok "in its cgroup namespace /proc/self/cgroup is 0::/" sh -xc "head -n 1 $TEST_TMP/stdout | grep -qx '0::/'"
ok "its cgroup2 mount shows only the scope's subtree" sh -xc "
  grep -qx cgroup.procs $TEST_TMP/stdout && grep -qx 50331648 $TEST_TMP/stdout && ! grep -q -e user.slice -e app.slice $TEST_TMP/stdout"
ok "a container that ran to its end leaves no unit" sh -xc "$no_units"

# Enforcement: the limits hold against real load.
bundle oom '["busybox", "awk", "BEGIN { s = \"x\"; while (1) s = s s }"]' "c['linux']['resources'] = {'memory': {'limit': 33554432, 'swap': 33554432}}"
ok "a memory limit is enforced: an allocation above it is OOM-killed (status 137)" hr 137 run -b oom c3
bundle fork '["sh", "-c", "i=0; while [ $i -lt 20 ]; do sleep 5 & i=$((i+1)); done; echo forked all"]' \
  "c['linux']['resources'] = {'pids': {'limit': 5}}"
ok "a pids limit stops a fork loop" sh -xc "'$HAKO' --root '$root' run -b fork c4 >out 2>err; grep -q 'fork' err && ! grep -q 'forked all' out"
hr 0 delete --force c4
bundle busy '["sh", "-c", "while :; do :; done"]' "c['linux']['resources'] = {'cpu': {'quota': 20000, 'period': 100000}}"
hr 0 create -b busy c5
busy_dir=$(state_field c5 cgroupPaths)
hr 0 start c5
usage () { sed -n 's/^usage_usec //p' "$busy_dir/cpu.stat"; }
u0=$(usage); t0=$(date +%s%N); sleep 4; u1=$(usage); t1=$(date +%s%N)
share=$(( (u1 - u0) * 1000 / ((t1 - t0) / 1000) ))
echo "# cpu: $(( u1 - u0 )) us in $(( (t1 - t0) / 1000 )) us of wall time: $share per mille (quota 200)"
ok "a cpu quota of 20% holds a busy loop down (cpu.stat)" sh -xc "[ $share -gt 50 ] && [ $share -le 260 ] && grep -qx '20000 100000' $busy_dir/cpu.max"
hr 0 delete --force c5

# linux.cgroupsPath in systemd's form.
bundle named '["sh", "-c", "sleep 60"]' "c['linux']['cgroupsPath'] = 'user.slice:test:named'"
hr 0 create -b named c6
ok "cgroupsPath slice:prefix:name gives prefix-name.scope in that slice" sh -xc "
  [ \"\$(systemctl --user show -P Slice test-named.scope)\" = user.slice ] &&
  grep -qx '0::/user.slice/user-$uid.slice/user@$uid.service/user.slice/test-named.scope' /proc/$(state_field c6 pid)/cgroup"
hr 0 delete --force c6
# A path is cgroupfs's (an engine driving runc without --systemd-cgroup).
bundle plain '["true"]' "c['linux']['cgroupsPath'] = '/engine/c12'"
hr 0 create -b plain c12
ok "by default a cgroupsPath that is a path goes to cgroupfs, not systemd" sh -xc "
  ! grep -q '\"cgroupManager\": *\"systemd\"' $root/c12/state.json && $no_units"
hr 0 delete --force c12

# Failures after the scope exists leave nothing in systemd.
bundle hook '["true"]' "c['hooks'] = {'createRuntime': [{'path': '/bin/false'}]}"
hr 1 create -b hook c7
ok "a create failing after StartTransientUnit stops the scope" sh -xc "$no_units && [ ! -e $root/c7 ]"
# A unit of that name that is not the container's is left to its owner.
systemd-run --user --scope --quiet --unit=taken sleep 60 &
taken=$!
for i in $(seq 50); do systemctl --user is-active -q taken.scope && break; sleep 0.1; done
set_config hook "c['hooks'] = {}; c['linux']['cgroupsPath'] = '::taken'"
hr 1 create -b hook c11
ok "a unit name already taken is an error that leaves that unit alone" sh -xc "
  grep -q 'taken.scope' $TEST_TMP/stderr && systemctl --user is-active taken.scope && [ ! -e $root/c11 ]"
kill $taken; wait $taken 2>/dev/null
bundle huge '["true"]' "c['linux']['resources'] = {'hugepageLimits': [{'pageSize': '2MB', 'limit': 2097152}]}"
hr 1 create -b huge c8
ok "a controller the user manager does not delegate is named, with the Delegate= fix" sh -xc "
  grep -q 'linux.resources.hugepageLimits\[0\]' $TEST_TMP/stderr && grep -q 'Delegate=' $TEST_TMP/stderr && grep -q 'user@.service' $TEST_TMP/stderr"
ok "... and nothing is left behind" sh -xc "$no_units && [ ! -e $root/c8 ]"

# Without a user session: no bus.
nobus () { env -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR=/nonexistent "$HAKO" --root "$root" "$@" >"$TEST_TMP/stdout" 2>"$TEST_TMP/stderr"; }
nobus --systemd-cgroup run -b b c9
status=$?
ok "without a session bus, --systemd-cgroup fails and says how to get one" sh -xc "
  [ $status = 1 ] && grep -q 'loginctl enable-linger' $TEST_TMP/stderr && grep -q '/nonexistent/bus' $TEST_TMP/stderr && $no_units && [ ! -e $root/c9 ]"
nobus run -b b c10
status=$?
ok "... and by default limits are refused with the reason" sh -xc "
  [ $status = 1 ] && grep -q 'linux.resources.memory' $TEST_TMP/stderr && grep -q 'delegated' $TEST_TMP/stderr && [ ! -e $root/c10 ]"
