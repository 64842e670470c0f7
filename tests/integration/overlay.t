#!/bin/sh
# The rootfs through fuse-overlayfs (annotation org.hako.rootfs=overlay,
# which `hako spec` writes, or --overlay): each container sees only its own
# writes, the bundle stays byte-identical, root.readonly holds, a rootfs
# owned by the caller is shifted to the container's root, the daemon dies
# with the container, delete (also after SIGKILLs) leaves nothing behind, and
# the errors before the payload starts.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 70
if ! command -v fuse-overlayfs >/dev/null || [ ! -x /bin/busybox ]; then
  for i in $(seq 70); do skip "overlay" "install fuse-overlayfs and busybox-static"; done
  exit 0
fi
root="$TEST_TMP/state"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
if [ "$(id -u)" = 0 ]; then storage=/var/lib/hako/overlay; else storage=${XDG_DATA_HOME:-$HOME/.local/share}/hako/overlay; fi
# Container ids of this run only: the storage directory is per user, not per test.
p=ovl$$
# st ID: the storage directory of container ID (named by its state directory too).
st () { echo "$storage/$1.$(printf %s "$root/$1" | sha256sum | cut -c1-12)"; }
tree_sum () { (cd b/rootfs && find . -printf '%p %m %u:%g %s\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
# same_tree [SUM]: the bundle's tree as SUM (default sum.before) has it.
same_tree () { tree_sum | cmp -s - "${1:-sum.before}" || { tree_sum | diff "${1:-sum.before}" -; return 1; }; }
# The brackets keep pgrep from matching the shell that runs it.
daemon_pattern () { echo "[f]use-overlayfs .*$(st "$1")/"; }
daemons () { pgrep -f "$(daemon_pattern "$1")"; }
no_daemon () { ! daemons "$1"; }
pid_of () { sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' "$root/$1/state.json"; }
delete_gone () { "$HAKO" --root "$root" delete --force "$1" && wait_for gone "$1"; }
# gone ID: no state, no storage, no daemon, nothing mounted on the host.
gone () {
  [ ! -e "$root/$1" ] || { echo "state of $1 left"; return 1; }
  [ ! -e "$(st "$1")" ] || { echo "storage of $1 left"; ls -laR "$(st "$1")"; return 1; }
  ! daemons "$1" || { echo "daemon of $1 left"; return 1; }
  ! pgrep -f -- "--bundle b $1\$" >/dev/null || { echo "a process of $1 left"; return 1; }
  ! grep -q "$(st "$1")" /proc/self/mountinfo || { echo "mounted on the host"; return 1; }
}
wait_for () { local i; for i in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done; "$@"; }
stopped () { hk 0 state "$1" && grep -q '"status": "stopped"' "$TEST_TMP/stdout"; }

make_bundle b
set_config b "c['root']['readonly'] = False"
ok "hako spec asks for the overlay" grep -q '"org.hako.rootfs": "overlay"' b/config.json
ok "hako features lists the annotation" sh -c "'$HAKO' features | grep -q '\"org.hako.rootfs\" : \"overlay|bind\"'"
tree_sum >sum.before

# Two containers of one bundle at once: each writes a file of the same name
# and reads back its own.
set_config b "c['process']['args'] = ['sh', '-c', 'cat /proc/sys/kernel/random/uuid > /who; echo x >> /bin/busybox; sleep 1; cat /who; ls /mine-* 2>/dev/null; touch /mine-\$(cat /who)']"
"$HAKO" --root "$root" run --bundle b ${p}a >out.a 2>err.a & pa=$!
"$HAKO" --root "$root" run --bundle b ${p}b >out.b 2>err.b & pb=$!
wait $pa; sa=$?; wait $pb; sb=$?
ok "two containers of one bundle run at once" sh -c "[ $sa = 0 ] && [ $sb = 0 ] || { cat err.a err.b; false; }"
ok "... each reads back its own write" sh -c "[ \$(wc -l <out.a) = 1 ] && [ \$(wc -l <out.b) = 1 ] && ! cmp -s out.a out.b || { cat out.a out.b; false; }"
ok "the bundle's files are byte-identical afterwards" same_tree
ok "... and run removed both containers' storage" sh -c "[ ! -e '$(st ${p}a)' ] && [ ! -e '$(st ${p}b)' ]"

set_config b "c['process']['args'] = ['sleep', '1000']"
ok "create with the overlay" hk 0 create --bundle b ${p}c
ok "... the host sees nothing mounted" sh -c "! grep -q fuse-overlayfs /proc/self/mountinfo || ! grep -q '$(st ${p}c)' /proc/self/mountinfo"
ok "... the container sees its rootfs as fuse-overlayfs" grep -q ' / [^ ]* [^ ]* - fuse.fuse-overlayfs' "/proc/$(pid_of ${p}c)/mountinfo"
ok "... its daemon runs" daemons ${p}c
ok "... its upper dir is in the storage directory" test -d "$(st ${p}c)/upper"
ok "delete --force removes it all" hk 0 delete --force ${p}c
ok "... no daemon, storage, state or mount left" wait_for gone ${p}c

set_config b "c['process']['args'] = ['sh', '-c', 'echo hi > /f']"
ok "the daemon ends with the container's processes" sh -c "'$HAKO' --root '$root' create --bundle b ${p}d && '$HAKO' --root '$root' start ${p}d"
ok "... without delete" wait_for no_daemon ${p}d
ok "... the write is in its upper dir" grep -qx hi "$(st ${p}d)/upper/f"
ok "... and delete removes it" hk 0 delete ${p}d
ok "... leaving nothing" gone ${p}d

set_config b "c['process']['args'] = ['sleep', '1000']"
hk 0 create --bundle b ${p}e
ok "after SIGKILL of the daemon" pkill -KILL -f "$(daemon_pattern ${p}e)"
ok "... delete --force leaves nothing" delete_gone ${p}e
hk 0 create --bundle b ${p}f && hk 0 start ${p}f
ok "after SIGKILL of the payload" kill -KILL "$(pid_of ${p}f)"
ok "... the daemon goes with it" wait_for no_daemon ${p}f
ok "... delete --force leaves nothing" delete_gone ${p}f
# killed_during_create ID: the runtime killed at moments through create of
# ID (before, while and after the overlay is mounted), then delete --force
# leaves nothing.
killed_during_create () {
  local delay pg killed_ok=0
  for delay in 0.005 0.01 0.02 0.04 0.08 0.16; do
    "$HAKO" --root "$root" create --bundle b "$1" >/dev/null 2>&1 & pg=$!
    sleep $delay
    kill -KILL $pg 2>/dev/null
    wait $pg 2>/dev/null
    "$HAKO" --root "$root" delete --force "$1" >/dev/null 2>&1
    wait_for gone "$1" >/dev/null 2>&1 || { echo "left after SIGKILL at $delay s:"; gone "$1"; killed_ok=1; }
  done
  return $killed_ok
}
ok "after SIGKILL of the runtime during create, delete --force leaves nothing" killed_during_create ${p}g

set_config b "c['root']['readonly'] = True; c['process']['args'] = ['sh', '-c', 'touch /x']"
ok "root.readonly gives a read-only overlay" hk 1 run --bundle b ${p}h
ok "... the write is refused" output_has stderr "Read-only file system"

# A rootfs extracted by a user (every file theirs), in a container whose
# root is a subordinate id and where that user is container 1: shown as
# owned by container 0 through fuse-overlayfs's uidmapping. Rootless the
# user is the caller; root may map any user (1000 here) and any id as the
# container's root, who must then be let through the test's directory.
if [ "$(id -u)" = 0 ]; then
  sub=100000 owner=1000:1000
  chmod 711 "$TEST_TMP"
else
  sub=$(awk -F: -v u="$(id -un)" '$1 == u { print $2; exit }' /etc/subuid)
  owner=$(id -u):$(id -g)
fi
user_shift="c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $sub, 'size': 1}, {'containerID': 1, 'hostID': ${owner%:*}, 'size': 1}]; c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': $sub, 'size': 1}, {'containerID': 1, 'hostID': ${owner#*:}, 'size': 1}]"
if [ -n "$sub" ]; then
  chown -R "$owner" b/rootfs
  set_config b "c['root']['readonly'] = False; $user_shift; c['process']['args'] = ['sh', '-c', 'stat -c %u:%g /bin/busybox /etc; touch /etc/new; stat -c %u:%g /etc/new']"
  ok "a rootfs owned by a user, shifted to the container's root" hk 0 run --bundle b ${p}i
  ok "... files and new files owned by container 0" sh -c "[ \"\$(sort -u '$TEST_TMP/stdout')\" = 0:0 ] || { cat '$TEST_TMP/stdout'; false; }"
  ok "... without chown of the bundle" sh -c "[ \"\$(stat -c %u:%g b/rootfs/bin/busybox)\" = $owner ]"
  chown -R "$(id -u):$(id -g)" b/rootfs
else
  for i in 1 2 3; do skip "id shifting" "no /etc/subuid range for $(id -un)"; done
fi

# The rootfs of its creator (every file theirs but /etc/u1000, user
# 1000's where the creator can give it away) in a container whose root is
# a subordinate id. As root, a rootfs of the host's root run as Podman's
# --userns=auto runs it: the lowerdirs are idmapped with the container's
# mappings, so host 0's files show as container 0 and host 1000's as 1000.
# Rootless, fuse-overlayfs shifts the caller, mapped as container 1, to 0
# (and stores container 0's new files as the caller's, who can remove them).
# Nothing is copied or chowned either way; bundle and image alike.
idmap="c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]; c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]"
echo u >b/rootfs/etc/u1000
if [ "$(id -u)" = 0 ]; then
  chown 1000:1000 b/rootfs/etc/u1000
  mappings=$idmap expected='0:0 0:0 1000:1000 0:0 ' upper_owner=100000:100000 umoci_rootless=
  # shifted ID: how its daemon shows the files.
  shifted () { grep -q " $(st "$1")/lower/0 .*idmapped" "/proc/$(daemons "$1")/mountinfo"; }
  how="the lowerdir is idmapped in the container's daemon"
else
  mappings=$user_shift expected='0:0 0:0 0:0 0:0 ' upper_owner=$owner umoci_rootless=--rootless
  shifted () { tr '\0' ' ' <"/proc/$(daemons "$1")/cmdline" | grep -q ",uidmapping=0:1:1:1:0:1,gidmapping=0:1:1:1:0:1 "; }
  how="fuse-overlayfs shifts the ids"
fi
shows='stat -c %u:%g /bin/busybox /etc /etc/u1000 >/etc/new; stat -c %u:%g /etc/new >>/etc/new'
new_file_shows () { [ "$(tr '\n' ' ' <"$1")" = "$expected" ] || { cat "$1"; return 1; }; }
layer_digests () { ${PYTHON3:-python3} -c "
import json, sys
m = json.load(open(sys.argv[1] + '/index.json'))['manifests'][0]['digest'][7:]
print(' '.join(l['digest'] for l in json.load(open(sys.argv[1] + '/blobs/sha256/' + m))['layers']))" "$1"; }
# An image of the bundle's rootfs in two layers, the second adding /etc/u1000.
umoci_ () { umoci --log error "$@"; }
build_image () {
  umoci_ init --layout img && umoci_ new --image img:latest && umoci_ unpack $umoci_rootless --image img:latest u \
    && cp -a b/rootfs/. u/rootfs/ && rm u/rootfs/etc/u1000 && umoci_ repack --image img:latest u && rm -rf u \
    && umoci_ unpack $umoci_rootless --image img:latest u && cp -a b/rootfs/etc/u1000 u/rootfs/etc/ \
    && umoci_ repack --image img:latest u
}
if [ -n "$sub" ]; then
  tree_sum >sum.shift
  set_config b "$mappings; c['process']['args'] = ['sh', '-c', '$shows; sleep 1000']"
  ok "a rootfs of its creator's with container 0 a subordinate id" sh -c "'$HAKO' --root '$root' create --bundle b ${p}s && '$HAKO' --root '$root' start ${p}s"
  ok "... shows the creator's files and new files as container 0, host 1000's as 1000" wait_for new_file_shows "$(st ${p}s)/upper/etc/new"
  ok "... the new file in the upper dir belongs to host $upper_owner" test "$(stat -c %u:%g "$(st ${p}s)/upper/etc/new")" = $upper_owner
  ok "... $how" shifted ${p}s
  ok "... the host sees nothing mounted" sh -c "! grep -q '$(st ${p}s)' /proc/self/mountinfo"
  ok "... delete --force leaves nothing" delete_gone ${p}s
  ok "... the bundle unchanged, owners too" same_tree sum.shift
  ok "... after SIGKILL of the runtime during create, delete --force leaves nothing" killed_during_create ${p}t
  # A container root given CAP_SYS_PTRACE reaches its fuse-overlayfs
  # daemon (/proc/PID/root): the daemon's root of its own holds nothing of
  # the host's but what it needs, and the lowerdir read-only. As root the
  # lowerdir, idmapped, is the container root's own: with every capability
  # (and no seccomp) it still cannot remount it, the kernel locks it.
  if [ "$(id -u)" = 0 ]; then l="$(st ${p}v)/lower/0" extra_caps="'CAP_SYS_ADMIN', " remount=1; else l="$PWD/b/rootfs" extra_caps= remount=0; fi
  set_config b "c['process']['capabilities'] = {k: [${extra_caps}'CAP_SYS_PTRACE', 'CAP_SYS_CHROOT', 'CAP_DAC_OVERRIDE'] for k in ('bounding', 'effective', 'permitted')}; c['linux'].pop('seccomp', None); c['process']['args'] = ['sh', '-c', 'for p in /proc/[0-9]*; do grep -q fuse-overlayfs \$p/cmdline && d=\${p#/proc/}; done; ls -d /proc/\$d/root$l/etc; echo reach=\$?; ls /proc/\$d/root/etc/passwd /proc/\$d/root$HOME; echo host=\$?; ls /proc/\$d/root/; touch /proc/\$d/root$l/etc/pwned; echo write=\$?; [ $remount = 0 ] || { busybox nsenter -t \$d -m busybox mount -o remount,rw,bind $l; echo remount=\$?; }']"
  ok "... a container root with CAP_SYS_PTRACE reaches its daemon's root, which has nothing else of the host's" sh -c "'$HAKO' --root '$root' run --bundle b ${p}v >'$TEST_TMP/stdout' 2>&1; grep -q '^reach=0' '$TEST_TMP/stdout' && grep -q '^host=[1-9]' '$TEST_TMP/stdout' || { cat '$TEST_TMP/stdout'; false; }"
  ok "... nor can it write the bundle through it" sh -c "grep -q '^write=[1-9]' '$TEST_TMP/stdout' && { [ $remount = 0 ] || grep -q '^remount=[1-9]' '$TEST_TMP/stdout'; } && [ ! -e b/rootfs/etc/pwned ] || { cat '$TEST_TMP/stdout'; false; }"
  ok "... leaving nothing" gone ${p}v
  if command -v umoci >/dev/null; then
    ok "an image of its creator's layers, the same" build_image
    ok "... run with container 0 a subordinate id" hk 0 run --bundle b --image img ${p}u -- sh -c "$shows; cat /etc/new"
    ok "... shows the creator's files and new files as container 0, host 1000's as 1000" new_file_shows "$TEST_TMP/stdout"
    ok "... leaving nothing" gone ${p}u
    # Its layers, which no other test uses, out of the layer store.
    "$HAKO" rmi $(layer_digests img) >/dev/null
  else
    for i in 1 2 3 4; do skip "image id shifting" "install umoci"; done
  fi
else
  for i in $(seq 15); do skip "id shifting" "no /etc/subuid range for $(id -un)"; done
fi
rm b/rootfs/etc/u1000
# What cannot be mapped is refused: as root, a rootfs whose owner is
# unmapped on a filesystem without idmapped mounts (ramfs); rootless, a
# container that leaves the caller, who owns the storage, unmapped.
if [ "$(id -u)" = 0 ]; then
  set_config b "$idmap; c['process']['args'] = ['true']"
  ok "a rootfs whose owner is unmapped, on a filesystem without idmapped mounts, is refused" sh -c "mkdir ram && unshare -m sh -c \"mount -t ramfs ramfs ram && cp -a b ram/ && '$HAKO' --root '$root' run --bundle ram/b ${p}p\" 2>'$TEST_TMP/stderr'; [ \$? = 1 ]"
  ok "... naming root.path, the owner and the fixes" sh -c "grep -q 'root.path .*/ram/b/rootfs: its owner 0:0 is unmapped in the container.*chown the rootfs.*map host 0:0.*set annotations.org.hako.rootfs to bind' '$TEST_TMP/stderr' || { cat '$TEST_TMP/stderr'; false; }"
elif [ -n "$sub" ]; then
  set_config b "c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $sub, 'size': 1}]; c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': $sub, 'size': 1}]"
  ok "a rootless container that leaves the caller unmapped is refused" hk 1 run --bundle b ${p}p
  ok "... saying what to map" output_has stderr "which linux.uidMappings leaves unmapped"
else
  for i in 1 2; do skip "caller unmapped" "no /etc/subuid range for $(id -un)"; done
fi
ok "... leaving nothing" gone ${p}p
set_config b "c['linux'].pop('uidMappings', None); c['linux'].pop('gidMappings', None)"

# What a container user other than root writes to the upper dir belongs,
# rootless, to a subordinate id the caller cannot remove as itself.
set_config b "c['process']['user'] = {'uid': 1000, 'gid': 1000}; c['process']['args'] = ['sh', '-c', 'mkdir /tmp/d && echo x > /tmp/d/f && chmod 555 /tmp/d']"
chmod 1777 b/rootfs/tmp
ok "a container user other than root writes a directory and a file" sh -c "'$HAKO' --root '$root' create --bundle b ${p}q && '$HAKO' --root '$root' start ${p}q"
ok "... kept in the upper dir, owned by the container user" sh -c "wait_for () { for i in \$(seq 200); do [ -e '$(st ${p}q)/upper/tmp/d/f' ] && return 0; sleep 0.05; done; return 1; }; wait_for && [ \"\$(stat -c %u '$(st ${p}q)/upper/tmp/d')\" != \$(id -u) ] || [ \$(id -u) = 0 ]"
ok "... delete removes them" sh -c "sleep 0.2; '$HAKO' --root '$root' delete --force ${p}q"
ok "... leaving nothing" wait_for gone ${p}q
chmod 755 b/rootfs/tmp
set_config b "c['process'].pop('user', None); c['process']['user'] = {'uid': 0, 'gid': 0}"

set_config b "c['process']['args'] = ['true']"
mkdir -p nofuse
for tool in newuidmap newgidmap; do ln -sf "$(command -v $tool)" nofuse/$tool; done
ok "without fuse-overlayfs in PATH, run fails" sh -c "PATH='$TEST_TMP/nofuse' '$HAKO' --root '$root' run --bundle b ${p}j 2>'$TEST_TMP/stderr'; [ \$? = 1 ]"
ok "... naming the Debian package" output_has stderr "apt install fuse-overlayfs"
ok "... leaving nothing" gone ${p}j
# /dev/fuse covered in a mount namespace of the test's own: rootless, in a
# user namespace that maps the caller as itself, so hako runs as the caller.
if [ "$(id -u)" = 0 ]; then own_ns=-m; else own_ns="--map-current-user --keep-caps -m"; fi
ok "with /dev/fuse unusable, run fails" sh -c "touch fuse.file && unshare $own_ns sh -c \"mount --bind fuse.file /dev/fuse && mount -o remount,bind,ro /dev/fuse && '$HAKO' --root '$root' run --bundle b ${p}m\" 2>'$TEST_TMP/stderr'; [ \$? = 1 ]"
ok "... naming /dev/fuse and a fix" output_has stderr "the overlay rootfs needs /dev/fuse (modprobe fuse"
ok "... leaving nothing" gone ${p}m
if [ "$(id -u)" = 0 ]; then
  ok "with the storage directory unwritable, run fails" sh -c "unshare -m sh -c \"mount --bind -o ro '$storage' '$storage' && '$HAKO' --root '$root' run --bundle b ${p}n\" 2>'$TEST_TMP/stderr'; [ \$? = 1 ]"
else
  ok "with the storage directory unwritable, run fails" sh -c "XDG_DATA_HOME=/etc/passwd '$HAKO' --root '$root' run --bundle b ${p}n 2>'$TEST_TMP/stderr'; [ \$? = 1 ]"
fi
ok "... naming the directory and a fix" output_has stderr "cannot create the overlay's storage directory"
ok "... leaving nothing" gone ${p}n
# A filesystem that cannot hold the upper dir: as root a tmpfs without
# inodes to spare, rootless procfs.
if [ "$(id -u)" = 0 ]; then
  ok "with the storage on a filesystem that cannot hold it, run fails" sh -c "unshare -m sh -c \"mount -t tmpfs -o nr_inodes=2 none '$storage' && '$HAKO' --root '$root' run --bundle b ${p}r\" 2>'$TEST_TMP/stderr'; [ \$? = 1 ]"
else
  ok "with the storage on a filesystem that cannot hold it, run fails" sh -c "XDG_DATA_HOME=/proc/self/fdinfo '$HAKO' --root '$root' run --bundle b ${p}r 2>'$TEST_TMP/stderr'; [ \$? = 1 ]"
fi
ok "... naming the directory and a fix" sh -c "grep -q \"cannot create the overlay's storage directory .*: make it writable\" '$TEST_TMP/stderr'"
ok "... leaving nothing" gone ${p}r
set_config b "c['annotations']['org.hako.rootfs'] = 'bind'; c['process']['args'] = ['sh', '-c', 'grep -c fuse /proc/self/mountinfo']"
ok "annotation bind: the plain rootfs" hk 1 run --bundle b ${p}k
ok "--overlay overrides it" hk 0 run --overlay --bundle b ${p}k
set_config b "c['annotations']['org.hako.rootfs'] = 'overlay'; c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'pid']; c['mounts'] = [m for m in c['mounts'] if m['type'] != 'proc']"
ok "the overlay without a pid namespace is refused" hk 1 run --bundle b ${p}o
ok "... saying why and what to add" output_has stderr 'add {"type": "pid"} to linux.namespaces'
ok "... leaving nothing" gone ${p}o
set_config b "c['annotations']['org.hako.rootfs'] = 'bogus'"
ok "an unknown annotation value is refused" hk 1 run --bundle b ${p}l
ok "... naming it" output_has stderr 'annotations.org.hako.rootfs: unknown value "bogus"'
done_testing
