#!/bin/sh
# The lifecycle's harder cases: a runtime killed half-way, namespaces joined
# by path, time offsets, kill --all, concurrent creates on one id,
# --no-pivot, and labels the host cannot apply.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 30
root="$TEST_TMP/state"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
no_containers () { [ -z "$("$HAKO" --root "$root" list -q)" ] && [ -z "$(ls "$root" 2>/dev/null)" ]; }
state_pid () { "${PYTHON3:-python3}" -c "import json,sys; print(json.load(open(sys.argv[1]))['pid'])" "$root/$1/state.json"; }
no_process_matching () { ! ps -eo args | grep -v grep | grep -qF -- "$1"; }
make_bundle b '["sleep", "1000"]'
cp b/config.json base.json

# A runtime killed while a createRuntime hook runs leaves a container in
# "creating" that delete --force removes, with nothing left running.
set_config b "c['hooks'] = {'createRuntime': [{'path': '/bin/sleep', 'args': ['sleep', '3141']}]}"
"$HAKO" --root "$root" create --bundle b killed >/dev/null 2>&1 &
runtime=$!
for i in $(seq 200); do ps -eo args | grep -v grep | grep -q 'sleep 3141' && break; sleep 0.05; done
kill -KILL "$runtime"; wait "$runtime" 2>/dev/null
ok "the half-created container is listed as creating" sh -c "'$HAKO' --root '$root' state killed | grep -q '\"creating\"'"
pid=$(state_pid killed)
ok "delete --force cleans it up" hk 0 delete --force killed
ok "... no state is left" no_containers
ok "... the hook died with the runtime" sh -c "for i in \$(seq 100); do ps -eo args | grep -v grep | grep -q 'sleep 3141' || exit 0; sleep 0.05; done; exit 1"
ok "... and so did the container process" sh -c "[ '$pid' -gt 0 ] && for i in \$(seq 100); do [ -e /proc/$pid ] || exit 0; sleep 0.05; done; exit 1"

# A namespace the kernel refuses (its limit reached in an enclosing user
# namespace): the one-clone setup falls back to the step-by-step one, which
# says what failed.
cp base.json b/config.json
set_config b "c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 0, 'size': 1}]; c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 0, 'size': 1}]"
ok "a namespace limit reached fails create, naming the limit" sh -c "unshare -Ur sh -c 'echo 0 > /proc/sys/user/max_net_namespaces && exec \"\$0\" --root \"\$1\" run --bundle b limited' '$HAKO' '$root' 2>err.txt; [ \$? -ne 0 ] && grep -q 'linux.namespaces: cannot create the namespaces: .*max_\*_namespaces' err.txt"
ok "... and leaves nothing behind" no_containers

# Joining another container's user and uts namespaces by path.
cp base.json b/config.json
set_config b "c['hostname'] = 'alpha'"
hk 0 create --bundle b alpha
alpha=$(state_pid alpha)
mkdir -p b2 && cp -a b/rootfs b2/ && cp base.json b2/config.json
set_config b2 "c['process']['args'] = ['hostname']; c.pop('hostname', None); c['linux']['namespaces'] = [{'type': t} for t in ('pid', 'mount', 'ipc', 'network', 'cgroup')] + [{'type': 'user', 'path': '/proc/$alpha/ns/user'}, {'type': 'uts', 'path': '/proc/$alpha/ns/uts'}]"
ok "a container can join another's user and uts namespaces by path" hk 0 run --bundle b2 beta
ok "... and sees its hostname" output_has stdout "alpha"
ok "a namespace path that does not exist is refused, naming it" sh -c "'${PYTHON3:-python3}' -c \"import json; c=json.load(open('b2/config.json')); c['linux']['namespaces'][-1]['path']='/nonexistent/ns'; json.dump(c, open('b2/config.json','w'))\" && ! '$HAKO' --root '$root' run --bundle b2 gamma 2>err.txt && grep -q '/nonexistent/ns' err.txt"
hk 0 delete --force alpha

# A time namespace with a boottime offset of a year.
cp base.json b/config.json
set_config b "c['process']['args'] = ['cat', '/proc/uptime']; c['linux']['namespaces'].append({'type': 'time'}); c['linux']['timeOffsets'] = {'boottime': {'secs': 31536000, 'nanosecs': 0}}"
ok "linux.timeOffsets shift the container's boottime" hk 0 run --bundle b timed
ok "... by a year" sh -c "awk '{exit !(\$1 > 31536000)}' '$TEST_TMP/stdout'"

# kill --all reaches every process of the container.
cp base.json b/config.json
set_config b "c['process']['args'] = ['sh', '-c', 'sleep 2718 & sleep 2718 & wait']"
hk 0 run --detach --bundle b many
ok "kill --all KILL" hk 0 kill --all many KILL
ok "... leaves none of its processes" sh -c "for i in \$(seq 100); do ps -eo args | grep -v grep | grep -q 'sleep 2718' || exit 0; sleep 0.05; done; exit 1"
hk 0 delete --force many

# Two creates of one id at once: the lock lets exactly one through.
cp base.json b/config.json
"$HAKO" --root "$root" create --bundle b twin >/dev/null 2>&1 & first=$!
"$HAKO" --root "$root" create --bundle b twin >/dev/null 2>&1 & second=$!
wait $first; s1=$?; wait $second; s2=$?
ok "concurrent creates of one id: exactly one succeeds" sh -c "[ \$(( ($s1 == 0) + ($s2 == 0) )) -eq 1 ]"
hk 0 delete --force twin

set_config b "c['process']['args'] = ['echo', 'unpivoted']"
ok "--no-pivot runs the container with MS_MOVE and chroot" hk 0 run --no-pivot --bundle b np
set_config b "c['process']['apparmorProfile'] = 'hako-test'"
ok "an AppArmor profile the host cannot apply is refused, naming the field" hk 1 run --bundle b aa
ok "... with nothing left" sh -c "grep -q 'process.apparmorProfile' '$TEST_TMP/stderr' && [ -z \"\$('$HAKO' --root '$root' list -q)\" ]"
set_config b "c['process'].pop('apparmorProfile'); c['linux']['mountLabel'] = 'system_u:object_r:container_file_t:s0'"
ok "a mount label without SELinux is dropped: the container runs" hk 0 run --bundle b ml
ok "... with a warning that says so" output_has stderr "linux.mountLabel"

# What this hako cannot honour yet is refused, not silently dropped.
cp base.json b/config.json
set_config b "c['process']['args'] = ['sh', '-c', 'mkdir /blocked 2>&1; echo ran']; c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 1}]}"
ok "linux.seccomp filters the container's syscalls" hk 0 run --bundle b sc
ok "... mkdir gets the filter's EPERM, not the read-only root's EROFS" sh -c "grep -q 'Operation not permitted' '$TEST_TMP/stdout' && grep -q ran '$TEST_TMP/stdout'"
set_config b "c['process']['noNewPrivileges'] = False"
ok "... also without noNewPrivileges (loaded while the container's root still may)" sh -c "'$HAKO' --root '$root' run --bundle b sc2 | grep -q 'Operation not permitted'"
set_config b "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$TEST_TMP/no-agent.sock', 'syscalls': [{'names': ['mkdir'], 'action': 'SCMP_ACT_NOTIFY'}]}"
ok "SCMP_ACT_NOTIFY without an agent listening fails, naming listenerPath" sh -c "! '$HAKO' --root '$root' run --bundle b sc3 2>err.txt && grep -q 'linux.seccomp.listenerPath' err.txt && ! '$HAKO' --root '$root' state sc3 2>/dev/null"

# As real root: device nodes of linux.devices, and namespaces the host made.
cp base.json b/config.json
if [ "$(id -u)" = 0 ]; then
  set_config b "c['process']['args'] = ['sh', '-c', 'stat -c \"%F %t:%T %a %u:%g\" /dev/hako-null && echo ok > /dev/hako-null']; c['linux']['devices'] = [{'path': '/dev/hako-null', 'type': 'c', 'major': 1, 'minor': 3, 'fileMode': 438, 'uid': 7, 'gid': 8}]"
  ok "as root, linux.devices nodes are made with their numbers, mode and owner" hk 0 run --bundle b dev
  ok "... character special file 1:3 666 7:8" output_has stdout "character special file 1:3 666 7:8"
  touch uts-ns
  unshare --uts=uts-ns hostname joined-host-ns
  cp base.json b/config.json
  set_config b "c['process']['args'] = ['hostname']; c.pop('hostname'); c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'uts'] + [{'type': 'uts', 'path': '$TEST_TMP/uts-ns'}]"
  ok "as root, a namespace the host made can be joined by path" sh -c "'$HAKO' --root '$root' run --bundle b hostns | grep -qx joined-host-ns"
  umount uts-ns 2>/dev/null
else
  skip "as root, linux.devices nodes are made" "rootless binds the host's nodes"
  skip "... with their numbers, mode and owner" "rootless"
  skip "as root, a namespace the host made can be joined by path" "rootless cannot join host namespaces"
fi

# Id mapping errors say what to do (rootless; root writes any map itself).
cp base.json b/config.json
# (The plain rootfs: without PATH, fuse-overlayfs would be missing first.)
set_config b "c['process']['args'] = ['true']; c['annotations']['org.hako.rootfs'] = 'bind'"
if [ "$(id -u)" = 0 ]; then
  skip "newuidmap missing names the package" "root writes the maps directly"
  skip "a mapping outside the subordinate ranges is refused by newuidmap" "root may map any id"
  skip "... with newuidmap's reason" "root may map any id"
else
  ok "newuidmap missing names the package" sh -c "! PATH=/nonexistent '$HAKO' --root '$root' run --bundle b nomap 2>err.txt && grep -q 'install the package uidmap' err.txt"
  set_config b "c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $(id -u), 'size': 1}, {'containerID': 1, 'hostID': 3000000000, 'size': 10}]; c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': $(id -g), 'size': 1}]"
  ok "a mapping outside the subordinate ranges is refused by newuidmap" hk 1 run --bundle b badmap
  ok "... with newuidmap's reason" output_has stderr "newuidmap refused the mapping"
fi
done_testing
