#!/bin/sh
# linux.resources and linux.cgroupsPath: as root on cgroup v1 the cgroupfs
# manager makes, fills and removes the container's cgroups; without root
# (and no writable cgroup v2 subtree) limits are refused, or accepted
# unenforced by annotation.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 29
root="$TEST_TMP/state"
h () { run_hako "$@"; }
hr () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }

make_bundle b '["sh", "-c", "sleep 30"]'
limits="c['linux']['resources'] = {'memory': {'limit': 67108864, 'swappiness': 10}, 'cpu': {'shares': 512, 'quota': 50000, 'period': 100000, 'cpus': '0', 'mems': '0'}, 'pids': {'limit': 20}, 'devices': [{'allow': False, 'access': 'rwm'}, {'allow': True, 'type': 'c', 'major': 1, 'minor': 3, 'access': 'rwm'}]}"
set_config b "$limits"
make_bundle fork '["sh", "-c", "i=0; while [ $i -lt 10 ]; do sleep 5 & i=$((i+1)); done; echo forked all"]'
set_config fork "c['linux']['resources'] = {'pids': {'limit': 4}}"

if [ "$(id -u)" != 0 ] || [ ! -d /sys/fs/cgroup/memory ] || [ ! -d /sys/fs/cgroup/pids ]; then
  reason="needs root on a host with cgroup v1 memory and pids controllers"
  for t in "limits land in /sys/fs/cgroup/CONTROLLER/PATH" "the container process is in them" \
    "devices: nothing but the rules and the default devices" "a cgroup namespace has the container's cgroup as its root" \
    "kill --all signals what is outside the pid namespace" "delete removes every directory create made" \
    "a relative cgroupsPath is below hako's own cgroup" "the same id under two state roots gets two cgroups" \
    "pids.max stops a fork loop" \
    "a failing createRuntime hook leaves no cgroup" "an unmounted controller is named by JSON path" \
    "... and leaves no cgroup" "unified settings on cgroup v1 are refused" \
    "the systemd slice:prefix:name form is refused by cgroupfs"; do
    skip "$t" "$reason"
  done
else
  cg="/hako-test-$$"
  set_config b "c['linux']['cgroupsPath'] = '$cg/c1'"
  hr 0 create -b b c1
  pid=$(cat "$root/c1/state.json" | "${PYTHON3:-python3}" -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
  ok "limits land in /sys/fs/cgroup/CONTROLLER/PATH" sh -c "
    [ \$(cat /sys/fs/cgroup/memory$cg/c1/memory.limit_in_bytes) = 67108864 ] &&
    [ \$(cat /sys/fs/cgroup/memory$cg/c1/memory.swappiness) = 10 ] &&
    [ \$(cat /sys/fs/cgroup/cpu$cg/c1/cpu.shares) = 512 ] &&
    [ \$(cat /sys/fs/cgroup/cpu$cg/c1/cpu.cfs_quota_us) = 50000 ] &&
    [ \$(cat /sys/fs/cgroup/cpuset$cg/c1/cpuset.cpus) = 0 ] &&
    [ \$(cat /sys/fs/cgroup/pids$cg/c1/pids.max) = 20 ]"
  ok "the container process is in them" sh -c "grep -q '^[0-9]*:memory:$cg/c1\$' /proc/$pid/cgroup && grep -q '^[0-9]*:pids:$cg/c1\$' /proc/$pid/cgroup && grep -qx $pid /sys/fs/cgroup/cpu$cg/c1/cgroup.procs"
  ok "devices: nothing but the rules and the default devices" sh -c "
    grep -qx 'c 1:3 rwm' /sys/fs/cgroup/devices$cg/c1/devices.list &&
    grep -qx 'c 136:\* rwm' /sys/fs/cgroup/devices$cg/c1/devices.list && ! grep -q '^a' /sys/fs/cgroup/devices$cg/c1/devices.list"
  # Seen from its cgroup namespace, the container process is at the root.
  ok "a cgroup namespace has the container's cgroup as its root" sh -c "nsenter -t $pid -C cat /proc/$pid/cgroup | grep -q '^[0-9]*:memory:/\$'"
  hr 0 start c1
  # A second process in the cgroup, outside the container's pid namespace.
  sleep 60 &
  outsider=$!
  for procs in /sys/fs/cgroup/*$cg/c1/cgroup.procs; do echo $outsider > "$procs"; done
  hr 0 kill --all c1 KILL
  wait $outsider 2>/dev/null
  ok "kill --all signals what is outside the pid namespace" test $? = 137
  hr 0 delete --force c1
  ok "delete removes every directory create made" sh -c "! ls -d /sys/fs/cgroup/*$cg 2>/dev/null | grep ."

  set_config b "c['linux']['cgroupsPath'] = 'hako-test-$$/rel'"
  own=$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)
  hr 0 create -b b c2
  ok "a relative cgroupsPath is below hako's own cgroup" test -f "/sys/fs/cgroup/memory${own%/}/hako-test-$$/rel/memory.limit_in_bytes"
  hr 0 delete --force c2

  # Without cgroupsPath: the id, and the state root's hash under a root
  # other than the default, so the same id in two roots is two cgroups.
  set_config b "c['linux'].pop('cgroupsPath', None)"
  hr 0 create -b b same
  run_hako 0 --root "$TEST_TMP/other" create -b b same
  ok "the same id under two state roots gets two cgroups" sh -c "
    a=\$(sed -n 's/^[0-9]*:memory://p' /proc/\$(cat '$root/same/state.json' | '${PYTHON3:-python3}' -c 'import json,sys; print(json.load(sys.stdin)[\"pid\"])')/cgroup)
    b=\$(sed -n 's/^[0-9]*:memory://p' /proc/\$(cat '$TEST_TMP/other/same/state.json' | '${PYTHON3:-python3}' -c 'import json,sys; print(json.load(sys.stdin)[\"pid\"])')/cgroup)
    [ \"\$a\" != \"\$b\" ] && case \"\$a\" in */same-????????) ;; *) exit 1 ;; esac"
  hr 0 delete --force same
  run_hako 0 --root "$TEST_TMP/other" delete --force same

  ok "pids.max stops a fork loop" sh -c "'$HAKO' --root '$root' run -b fork c3 >out 2>err; grep -q 'fork' err && ! grep -q 'forked all' out"

  set_config b "c['linux']['cgroupsPath'] = '$cg/c4'; c['hooks'] = {'createRuntime': [{'path': '/bin/sh', 'args': ['sh', '-c', 'exit 3']}]}"
  hr 1 create -b b c4
  ok "a failing createRuntime hook leaves no cgroup" sh -c "! ls -d /sys/fs/cgroup/*$cg 2>/dev/null | grep . && [ ! -e '$root/c4' ]"

  make_bundle hp
  set_config hp "c['linux']['cgroupsPath'] = '$cg/c5'; c['linux']['resources'] = {'hugepageLimits': [{'pageSize': '2MB', 'limit': 2097152}]}"
  if [ -d /sys/fs/cgroup/hugetlb ]; then
    skip "an unmounted controller is named by JSON path" "hugetlb is mounted here"
    skip "... and leaves no cgroup" "hugetlb is mounted here"
  else
    ok "an unmounted controller is named by JSON path" sh -c "! '$HAKO' --root '$root' create -b hp c5 2>err; grep -qF 'linux.resources.hugepageLimits[0]: the hugetlb cgroup controller is not mounted' err"
    ok "... and leaves no cgroup" sh -c "! ls -d /sys/fs/cgroup/*$cg 2>/dev/null | grep . && [ ! -e '$root/c5' ]"
  fi
  set_config hp "c['linux']['resources'] = {'unified': {'memory.high': '1G'}}"
  ok "unified settings on cgroup v1 are refused" sh -c "! '$HAKO' --root '$root' create -b hp c6 2>err; grep -qF 'linux.resources.unified is for cgroup v2' err"
  set_config hp "c['linux']['cgroupsPath'] = 'system.slice:hako:c7'"
  ok "the systemd slice:prefix:name form is refused by cgroupfs" sh -c "! '$HAKO' --root '$root' create -b hp c7 2>err; grep -qF 'slice:prefix:name' err && [ ! -e '$root/c7' ]"
fi

# cgroup v2, as root: on a v2 host directly; on a hybrid host in a private
# mount namespace with the host's v2 tree at /sys/fs/cgroup (its
# controllers are then v1's, so only the v2 files of every cgroup exist).
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
  v2 () { sh -c "$1"; }
elif [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] && command -v unshare >/dev/null; then
  v2 () { unshare -m sh -c "mount --make-rprivate / && mount -t cgroup2 none /sys/fs/cgroup && $1"; }
else
  v2 () { false; }
fi
v2_tests="on cgroup v2, unified settings are written as they are|... and the container process is in the cgroup|kill --all KILL empties it through cgroup.kill|delete removes it|pids.max, where the controller is there, or an error naming it|on cgroup v2 too, pids.max stops a fork loop|on cgroup v2, the device filter denies what the rules deny, not the default devices|... and allows what they allow|net_cls settings are refused on cgroup v2"
if [ "$(id -u)" != 0 ] || ! v2 true; then
  IFS='|'
  for t in $v2_tests; do
    IFS=' '
    skip "$t" "needs root and a cgroup v2 tree (a v2 host, or a hybrid host's /sys/fs/cgroup/unified)"
  done
  unset IFS
else
  cg2="/hako-v2-$$"
  make_bundle v2b '["sh", "-c", "sleep 30"]'
  set_config v2b "c['linux']['cgroupsPath'] = '$cg2/c1'; c['linux']['resources'] = {'unified': {'cgroup.max.descendants': '5'}}"
  ok "on cgroup v2, unified settings are written as they are" v2 "'$HAKO' --root '$root' create -b v2b c21 && [ \$(cat /sys/fs/cgroup$cg2/c1/cgroup.max.descendants) = 5 ]"
  pid=$("${PYTHON3:-python3}" -c "import json; print(json.load(open('$root/c21/state.json'))['pid'])" 2>/dev/null)
  ok "... and the container process is in the cgroup" grep -qx "0::$cg2/c1" /proc/$pid/cgroup
  ok "kill --all KILL empties it through cgroup.kill" v2 "'$HAKO' --root '$root' start c21 && '$HAKO' --root '$root' kill --all c21 KILL && sleep 0.5 && [ -z \"\$(cat /sys/fs/cgroup$cg2/c1/cgroup.procs)\" ]"
  ok "delete removes it" v2 "'$HAKO' --root '$root' delete c21 && [ ! -e /sys/fs/cgroup$cg2 ]"
  set_config v2b "c['linux']['resources'] = {'pids': {'limit': 10}}"
  if v2 "grep -qw pids /sys/fs/cgroup/cgroup.controllers"; then
    ok "pids.max, where the controller is there, or an error naming it" v2 "'$HAKO' --root '$root' create -b v2b c22 && [ \$(cat /sys/fs/cgroup$cg2/c1/pids.max) = 10 ] && '$HAKO' --root '$root' delete --force c22 && [ ! -e /sys/fs/cgroup$cg2 ]"
  else
    ok "pids.max, where the controller is there, or an error naming it" v2 "! '$HAKO' --root '$root' create -b v2b c22 2>err && grep -qF 'linux.resources.pids.limit: /sys/fs/cgroup$cg2/c1 has no pids.max: the pids controller is not enabled there' err && [ ! -e /sys/fs/cgroup$cg2 ] && [ ! -e '$root/c22' ]"
  fi
  if v2 "grep -qw pids /sys/fs/cgroup/cgroup.controllers"; then
    set_config fork "c['linux']['cgroupsPath'] = '$cg2/c24'"
    ok "on cgroup v2 too, pids.max stops a fork loop" v2 "'$HAKO' --root '$root' run -b fork c24 >out 2>err; grep -q 'fork' err && ! grep -q 'forked all' out"
  else
    skip "on cgroup v2 too, pids.max stops a fork loop" "this v2 tree has no pids controller (a hybrid host's controllers are v1's)"
  fi
  make_bundle dev '["sh", "-c", "echo x > /dev/null && echo null-ok; exec 3</dev/fuse && echo fuse-ok"]'
  set_config dev "c['linux']['cgroupsPath'] = '$cg2/c25'; c['linux']['devices'] = [{'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 229, 'fileMode': 438}]; c['linux']['resources'] = {'devices': [{'allow': False, 'access': 'rwm'}]}"
  ok "on cgroup v2, the device filter denies what the rules deny, not the default devices" v2 "'$HAKO' --root '$root' run -b dev c25 >out 2>err; grep -q null-ok out && ! grep -q fuse-ok out && grep -q 'Operation not permitted' err"
  set_config dev "c['linux']['resources'] = {'devices': [{'allow': False, 'access': 'rwm'}, {'allow': True, 'type': 'c', 'major': 10, 'minor': 229, 'access': 'r'}]}"
  ok "... and allows what they allow" v2 "'$HAKO' --root '$root' run -b dev c26 >out 2>err && grep -q fuse-ok out"
  set_config v2b "c['linux']['resources'] = {'network': {'classID': 1}}"
  ok "net_cls settings are refused on cgroup v2" v2 "! '$HAKO' --root '$root' create -b v2b c23 2>err && grep -qF 'linux.resources.network.classID: cgroup v2 has no such limit' err && [ ! -e /sys/fs/cgroup$cg2 ]"
fi

# Whatever the user.
make_bundle plain '["true"]'
# (--cgroup-manager systemd where systemd cannot work: cgroup-systemd.t.)
ok "--cgroup-manager disabled runs without a cgroup" hr 0 --cgroup-manager disabled run -b plain d1
hr 1 --cgroup-manager disabled create -b b d2
ok "... and refuses limits naming the JSON path and why" output_has stderr "linux.resources.memory: no cgroup can enforce this limit here (--cgroup-manager disabled)"
ok "... or how to accept them unenforced" output_has stderr "org.hako.cgroup.unenforced=accept"
ok "... and leaves nothing" test ! -e "$root/d2"
if [ "$(id -u)" != 0 ] && [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
  hr 1 create -b b d4
  ok "without root on cgroup v1, the refusal says how to get a cgroup" sh -c "grep -qF 'run as root' '$TEST_TMP/stderr' && grep -qF 'Delegate=yes' '$TEST_TMP/stderr'"
elif [ "$(id -u)" != 0 ]; then
  hr 1 create -b b d4
  ok "without root on cgroup v2, the refusal says how to get a cgroup" sh -c "grep -qF 'to be delegated to you' '$TEST_TMP/stderr' && grep -qF 'Delegate=yes' '$TEST_TMP/stderr'"
else
  skip "without root, the refusal says how to get a cgroup" "as root hako makes a cgroup (tests above)"
fi
set_config plain "$limits; c['annotations'] = {'org.hako.cgroup.unenforced': 'accept'}"
hr 0 --cgroup-manager disabled run -b plain d3
ok "the annotation runs it, with one warning" sh -c "[ \$(grep -c 'is not enforced' '$TEST_TMP/stderr') = 1 ]"
done_testing
