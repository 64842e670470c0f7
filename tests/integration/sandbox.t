#!/bin/sh
# hako sandbox: a command on the host's own filesystem, isolated: the ids,
# the host name, writes to / thrown away (or kept with --changes), fresh
# /proc /dev /tmp /run, the current directory shared, $HOME hidden; every
# option; exit status and signals passed through; it dies with its parent;
# the errors; nothing left behind. As root and as an ordinary user.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
plan 78
if ! command -v fuse-overlayfs >/dev/null; then
  for i in $(seq 78); do skip "sandbox" "install fuse-overlayfs"; done
  exit 0
fi
root="$TEST_TMP/state"
py=${PYTHON3:-/usr/bin/python3}
uid=$(id -u); gid=$(id -g)
if [ "$uid" = 0 ]; then storage=/var/lib/hako/overlay; else storage=${XDG_DATA_HOME:-$HOME/.local/share}/hako/overlay; fi
sb () { local status=$1; shift; run_hako "$status" --root "$root" sandbox "$@"; }
out_is () { [ "$(cat "$TEST_TMP/stdout")" = "$1" ] || { echo "stdout: $(cat "$TEST_TMP/stdout"), expected: $1"; return 1; }; }
marker=/hako-sandbox-test-$$
touch "$TEST_TMP/.start"
# leftovers: no container, no private bundle, no overlay storage of a sandbox.
nothing_left () {
  [ -z "$(ls -A "$root" 2>/dev/null)" ] || { echo "state left:"; ls -la "$root"; return 1; }
  ! ls -d "$TEST_TMP"/hako-sandbox.* >/dev/null 2>&1 || { echo "bundle left"; return 1; }
  [ -z "$(find "$storage" -maxdepth 1 -name 'sandbox-*' -newer "$TEST_TMP/.start" 2>/dev/null)" ] || { echo "storage left"; ls "$storage"; return 1; }
}
wait_for () { local i; for i in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done; "$@"; }

# ---- identity, host name, the filesystem ----
ok "the caller's own uid inside" sb 0 -- id -u
ok "... and gid" sh -c "'$HAKO' --root '$root' sandbox -- id -g | grep -qx '$gid'"
ok "the uid map is the caller alone" sb 0 -- cat /proc/self/uid_map
ok "... as itself" sh -c "tr -s ' ' <'$TEST_TMP/stdout' | grep -qx ' *$uid $uid 1'"
ok "the host name is sandbox" sb 0 -- hostname
ok "... printed" out_is sandbox
ok "--hostname sets it" sb 0 --hostname builder -- hostname
ok "... printed" out_is builder
ok "a write to / succeeds inside" sb 0 -- sh -c "echo x > $marker && cat $marker"
ok "... and does not reach the host" test ! -e "$marker"
ok "/ is fuse-overlayfs inside" sb 0 -- sh -c "grep ' / / ' /proc/self/mountinfo"
ok "... so named" output_has stdout fuse-overlayfs
ok "the current directory is shared read-write" sb 0 -- sh -c "echo shared > '$TEST_TMP/from-sandbox'"
ok "... the host has the file" grep -qx shared "$TEST_TMP/from-sandbox"
ok "--ro-cwd shares it read-only" sb 2 --ro-cwd -- sh -c "echo x > '$TEST_TMP/ro-write'"
ok "... nothing written" test ! -e "$TEST_TMP/ro-write"
ok "\$HOME is hidden (empty)" sb 0 -- ls -A "$HOME"
ok "... nothing listed" out_is ""
ls -A "$HOME" > home.host
ok "--share-home shows it" sh -c "'$HAKO' --root '$root' sandbox --share-home -- ls -A '$HOME' | cmp - home.host"
echo host > /tmp/hako-sandbox-marker.$$
ok "/tmp is private" sb 0 -- sh -c "test ! -e /tmp/hako-sandbox-marker.$$ && touch /tmp/own"
rm -f /tmp/hako-sandbox-marker.$$
ok "/run is a private tmpfs (no runtime dir of the host)" sb 0 -- sh -c "test -z \"\$(ls -A /run)\""
ok "/dev is minimal" sb 0 -- ls /dev
ok "... null zero full random urandom tty pts shm, nothing else of the host's" sh -c "for d in null zero full random urandom tty pts shm; do grep -qx \$d '$TEST_TMP/stdout' || exit 1; done; ! grep -qE '^(fuse|vda|sda|kmsg|mem)\$' '$TEST_TMP/stdout'"
ok "its own /proc: a handful of processes, pid 1 the init" sb 0 -- sh -c "test \$(ls /proc | grep -c '^[0-9]') -lt 8 && test -e /proc/1"
ok "/sys is read-only, with only lo in a new network namespace" sb 0 -- sh -c "! touch /sys/x 2>/dev/null && test \"\$(ls /sys/class/net)\" = lo"

# ---- --root ----
ok "--root: uid 0 inside" sb 0 --root -- sh -c "id -u; head -n 1 /proc/self/uid_map"
ok "... the caller as 0" sh -c "head -n 1 '$TEST_TMP/stdout' | grep -qx 0 && sed -n 2p '$TEST_TMP/stdout' | tr -s ' ' | grep -qx ' *0 $uid [0-9]*'"
ok "... writes to / stay inside" sb 0 --root -- sh -c "echo x > $marker"
ok "... not on the host" test ! -e "$marker"

# ---- binds, tmpfs, environment ----
mkdir -p src-dir ro-dir
ok "--bind SRC:DST read-write (DST made in a --tmpfs)" sb 0 --tmpfs /srv --bind "$TEST_TMP/src-dir:/srv/data" -- sh -c "echo w > /srv/data/f"
ok "... the write is on the host" grep -qx w src-dir/f
ok "--ro-bind is read-only" sb 1 --ro-bind "$TEST_TMP/ro-dir:/srv/ro" -- touch /srv/ro/f
mkdir -p /tmp/hako-sandbox-bind.$$
ok "--bind SRC alone binds at the same path (here over the private /tmp)" sb 0 --bind /tmp/hako-sandbox-bind.$$ -- touch /tmp/hako-sandbox-bind.$$/f
ok "... the write is on the host" test -e /tmp/hako-sandbox-bind.$$/f
rm -rf /tmp/hako-sandbox-bind.$$
ok "--tmpfs DST: empty and writable" sb 0 --tmpfs /opt -- sh -c "test -z \"\$(ls -A /opt)\" && touch /opt/x"
if [ "$uid" = 0 ]; then
  ok "--bind DST is made where it does not exist (root: in the overlay)" sb 0 --bind "$TEST_TMP/src-dir:/srv/hako-made-$$" -- test -e /srv/hako-made-$$/f
  ok "... not on the host" test ! -e /srv/hako-made-$$
else
  ok "--bind DST the caller may not create is refused" sb 1 --bind "$TEST_TMP/src-dir:/srv/hako-made-$$" -- true
  ok "... saying why and what to do" output_has stderr "does not exist, and the caller may not create it there"
fi
ok "a bind source that does not exist is refused" sb 1 --bind /nonexistent-$$:/x -- true
ok "... naming it" output_has stderr "--bind /nonexistent-$$:/x: the source /nonexistent-$$ does not exist"
ok "--env sets a variable" sb 0 --env HAKO_SB_TEST=yes -- sh -c 'echo $HAKO_SB_TEST'
ok "... printed" out_is yes
ok "--clearenv leaves PWD and --env only" sb 0 --clearenv --env A=b -- /usr/bin/env
ok "... exactly" sh -c "sort '$TEST_TMP/stdout' | tr '\n' ' ' | grep -qx 'A=b PWD=$TEST_TMP '"
ok "a malformed --env is refused" sb 1 --env NOVALUE -- true

# ---- --changes, --no-overlay ----
mode_before=$(stat -c %a "$TEST_TMP")
ok "--changes DIR keeps the writes to /" sb 0 --changes "$TEST_TMP/changes" -- sh -c "echo kept > $marker"
ok "... in DIR/upper, and nothing else is left there" sh -c "grep -qx kept 'changes/upper$marker' && test \"\$(ls changes)\" = upper"
ok "... and leaves the modes of DIR's parents alone" test "$(stat -c %a "$TEST_TMP")" = "$mode_before"
ok "--changes with a directory that is not empty is refused" sb 1 --changes "$TEST_TMP/changes" -- true
ok "--no-overlay: / is the host's, read-only" sb 1 --no-overlay -- touch "$marker"
ok "... and so are its submounts" sb 0 --no-overlay -- awk -v t="$TEST_TMP" -v h="$HOME" '$5 !~ "^/(proc|sys|dev|tmp|run)" && $5 != t && $5 != h && $6 !~ /^ro/' /proc/self/mountinfo
ok "... (none writable)" out_is ""
ok "... the current directory still shared" sb 0 --no-overlay -- touch "$TEST_TMP/no-overlay-write"
ok "--no-overlay refuses a bind onto a path it cannot create" sb 1 --no-overlay --bind "$TEST_TMP/src-dir:/nonexistent-$$" -- true

# ---- exit status, signals, timeout, parent death ----
ok "the exit status passes through" sb 7 -- sh -c 'exit 7'
ok "a signal that ends it is 128+N" sb 143 -- sh -c 'kill -TERM $$'
"$HAKO" --root "$root" sandbox -- sleep 30 & rt=$!
wait_for sh -c "ls '$root' | grep -q ."
sleep 0.3
kill -TERM $rt; wait $rt; st=$?
ok "SIGTERM to hako reaches the payload (not ignored as a bare pid 1 would)" test "$st" = 143
ok "--timeout kills it, status 124" sh -c "s=\$(date +%s); '$HAKO' --root '$root' sandbox --timeout 1 -- sleep 20; [ \$? = 124 ] && [ \$((\$(date +%s) - s)) -lt 10 ]"
sh -c "'$HAKO' --root '$root' sandbox -- sleep 31 & exec sleep 60" & parent=$!
wait_for pgrep -f '^sleep 31$'
kill -9 $parent
ok "it dies with its parent" wait_for sh -c "! pgrep -f '^sleep 31\$'"
ok "... and removes what it made" wait_for nothing_left
"$HAKO" --root "$root" sandbox -- sleep 32 & rt=$!
wait_for sh -c "pgrep -f '^sleep 32\$'"
kill -9 $rt
ok "its payload dies with a runtime killed by SIGKILL" wait_for sh -c "! pgrep -f '^sleep 32\$'"
sb 0 -- true
ok "... and the next sandbox removes what was left" nothing_left

# ---- network ----
ok "--net gives tap0" sb 0 --net -- ls /sys/class/net
ok "... listed" output_has stdout tap0
port=$((20000 + $$ % 20000))
"$HAKO" --root "$root" sandbox --net -p "127.0.0.1:$port:8000" -- /usr/bin/python3 -c '
import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8000)); s.listen(1); c, _ = s.accept(); c.sendall(b"from-sandbox\n"); c.close()' >/dev/null 2>&1 & srv=$!
ok "-p forwards a host port into the sandbox" wait_for "$py" -c "
import socket; s = socket.create_connection(('127.0.0.1', $port), timeout=2); assert s.recv(64).startswith(b'from-sandbox')"
wait $srv
ok "-p without --net is refused" sb 1 -p 8080:80 -- true
ok "a malformed -p is refused" sb 1 --net -p 8080 -- true

# ---- resource limits, seccomp ----
if [ "$uid" = 0 ] && [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ]; then
  ok "--pids is enforced (cgroupfs v1, root)" sb 2 --pids 8 -- sh -c 'for i in $(seq 20); do sleep 2 & done; wait'
  ok "... the fork refused" output_has stderr "Cannot fork"
  ok "--memory is enforced: an allocation beyond it is killed" sb 137 --memory 32m -- /usr/bin/python3 -c "b = bytearray(256 << 20); b[::4096] = b'x' * len(b[::4096])"
  "$HAKO" --root "$root" sandbox --cpus 0.5 -- sleep 3 & rt=$!
  ok "--cpus becomes a CFS quota of 50000/100000" wait_for sh -c "grep -qx 50000 /sys/fs/cgroup/cpu/sandbox-*/cpu.cfs_quota_us /sys/fs/cgroup/cpu/*/sandbox-*/cpu.cfs_quota_us 2>/dev/null"
  kill $rt; wait $rt
else
  ok "--memory, --cpus, --pids are refused where nothing enforces them" sb 1 --memory 64m --cpus 1 --pids 10 -- true
  ok "... saying why" output_has stderr "--memory, --cpus and --pids need a cgroup, and none can be had here"
  ok "... and nothing is left" nothing_left
  ok "--pids alone is refused too" sb 1 --pids 10 -- true
fi
echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}' > deny-mkdir.json
ok "--seccomp FILE applies the filter" sb 1 --seccomp deny-mkdir.json -- mkdir /tmp/d
ok "--seccomp none: no filter" sb 0 --seccomp none -- mkdir /tmp/d
ok "--seccomp default: hako's own profile lets a command run" sb 0 --seccomp default -- true
ok "... and refuses it a new user namespace" sb 1 --seccomp default -- unshare -U true
ok "--seccomp none lets that through" sb 0 --seccomp none -- unshare -U true

# ---- terminal, usage ----
ok "a terminal when stdin is one" sh -c "script -qec \"'$HAKO' --root '$root' sandbox -- tty\" /dev/null | grep -q '/dev/pts/[0-9]'"
ok "a command is required" sb 1
ok "nothing is left behind at the end" nothing_left
done_testing
