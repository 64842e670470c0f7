#!/bin/sh
# The runtime and the host seen from inside a container: the hako binary
# (runc's CVE-2019-5736), a process that joins with exec (ptrace, /proc),
# the session keyring, the console socket, signals to host processes and
# the host's abstract unix sockets.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
. "$HAKO_TESTS_SRCDIR/security/lib.sh"
plan 15
make_plain_bundle b '["sleep", "300"]'
helpers_or_skip 15 b exe-attack ptrace-attack keyring abstract-connect
sum () { sha256sum "$HAKO" | cut -d' ' -f1; }
before=$(sum)
container_pid () { sed -n 's/.*"pid" *: *\([0-9]*\).*/\1/p' "$root/$1/state.json"; }

# The created container's process is hako until start: an O_PATH fd on its
# exe kept across start, then reopened for writing.
hk 0 create --bundle b c1
ok "the created container's process runs from a sealed copy of hako" sh -c "readlink /proc/$(container_pid c1)/exe | grep -q '^/memfd:'"
hk 0 exec -d c1 sh -c 'exe-attack 1 10 > /tmp/exe-attack.out'
sleep 0.3
hk 0 start c1
for i in $(seq 200); do hk 0 exec c1 cat /tmp/exe-attack.out >/dev/null 2>&1 && [ -s "$TEST_TMP/stdout" ] && break; sleep 0.1; done
ok "its /proc/1/exe cannot be overwritten from the container" sh -c "grep -Eq '^cannot-(see|open|write)' '$TEST_TMP/stdout' || { cat '$TEST_TMP/stdout'; false; }"
ok "... and the host's hako binary is unchanged" test "$(sum)" = "$before"
hk 0 delete --force c1

# A process joining with exec is hako inside the container until it execs.
# A seccomp agent holds it there: it never answers its setresgid.
agent="$HAKO_TESTS_BUILDDIR/security/seccomp-agent"
"$agent" "$TEST_TMP/agent.sock" "$TEST_TMP/agent-state" 1 2 &
agent_pid=$!
for i in $(seq 100); do [ -S "$TEST_TMP/agent.sock" ] && break; sleep 0.05; done
set_config b "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$TEST_TMP/agent.sock', 'syscalls': [{'names': ['setresgid'], 'action': 'SCMP_ACT_NOTIFY'}]}"
hk 0 run -d --bundle b c2
"$HAKO" --root "$root" exec c2 true >/dev/null 2>&1 &
exec_runtime=$!
for i in $(seq 100); do [ -f "$TEST_TMP/agent-state.2" ] && break; sleep 0.05; done
victim=$("${PYTHON3:-python3}" -c "import json,sys; print(json.load(open(sys.argv[1]))['pid'])" "$TEST_TMP/agent-state.2" 2>/dev/null)
ok "the exec'ing runtime runs from a sealed copy of hako" sh -c "readlink /proc/$exec_runtime/exe | grep -q '^/memfd:'"
in_container=$(sed -n 's/^NSpid:.*[[:space:]]\([0-9]*\)$/\1/p' /proc/"$victim"/status 2>/dev/null)
ok "the joining process is held in the container (pid $in_container there)" sh -c "[ -n '$in_container' ] && grep -q '^Seccomp:.*2' /proc/$victim/status"
hk 0 exec c2 ptrace-attack "$in_container"
cp "$TEST_TMP/stdout" ptrace.out
ok "... the container cannot ptrace it" output_has stdout "attach: Operation not permitted"
ok "... nor open its memory or its fds" sh -c "grep -Eq '^mem: (Permission denied|Operation not permitted)' ptrace.out && grep -Eq '^fd: (Permission denied|Operation not permitted)' ptrace.out || { cat ptrace.out; false; }"
hk 0 exec c2 exe-attack "$in_container" 1
ok "... nor its exe" sh -c "grep -Eq '^cannot-(see|open|write)' '$TEST_TMP/stdout' || { cat '$TEST_TMP/stdout'; false; }"
kill "$exec_runtime"; wait "$exec_runtime" 2>/dev/null
kill "$agent_pid"; wait "$agent_pid" 2>/dev/null
hk 0 delete --force c2
set_config b "c['linux'].pop('seccomp', None)"

run_args b c3 keyring
container_keyring=$(cat "$TEST_TMP/stdout")
ok "the container has a session keyring of its own" sh -c "[ '$container_keyring' != \"\$('$TEST_TMP/b/rootfs/bin/keyring')\" ]"
run_args b c4 keyring
ok "... another one than the next container" sh -c "[ '$container_keyring' != \"\$(cat '$TEST_TMP/stdout')\" ]"

# The console socket gets the pty master and nothing else.
"${PYTHON3:-python3}" - "$TEST_TMP/console.sock" "$TEST_TMP/console.out" <<'PY' &
import fcntl, os, socket, struct, sys
TIOCGPTN = 0x80045430
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1]); server.listen(1); server.settimeout(30)
conn, _ = server.accept()
name, fds, _, _ = socket.recv_fds(conn, 1024, 16)
rest = conn.recv(1024)
try:
    fcntl.ioctl(fds[0], TIOCGPTN, struct.pack("I", 0))
    master = True
except OSError:
    master = False
with open(sys.argv[2], "w") as f:
    f.write("fds=%d master=%s more=%r\n" % (len(fds), master, rest))
PY
receiver=$!
for i in $(seq 100); do [ -S "$TEST_TMP/console.sock" ] && break; sleep 0.05; done
set_config b "c['process']['terminal'] = True; c['process']['args'] = ['true']"
hk 0 create --console-socket "$TEST_TMP/console.sock" --bundle b c5
wait "$receiver"
ok "the console socket receives exactly one fd, a pty master, and nothing more" sh -c "grep -qx \"fds=1 master=True more=b''\" console.out || { cat console.out; false; }"
hk 0 delete --force c5
set_config b "c['process']['terminal'] = False"

sleep 300 &
host_sleep=$!
run_args b c6 sh -c "kill -9 $host_sleep; echo \$?"
ok "the container cannot signal a host process (its own pid namespace)" sh -c "kill -0 $host_sleep && grep -qx 1 '$TEST_TMP/stdout'"
kill "$host_sleep"

# A host service on an abstract unix socket (as X11 or D-Bus use them).
"${PYTHON3:-python3}" -c "
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind('\0hako-test-$$'); s.listen(1); open(sys.argv[1], 'w').close(); time.sleep(60)" "$TEST_TMP/abstract.ready" &
listener=$!
for i in $(seq 100); do [ -f "$TEST_TMP/abstract.ready" ] && break; sleep 0.05; done
ok "the host's abstract socket is reachable from the host" sh -c "'$TEST_TMP/b/rootfs/bin/abstract-connect' hako-test-$$ | grep -qx connected"
run_args b c7 abstract-connect "hako-test-$$"
ok "... but not from a container with a network namespace" output_has stdout "Connection refused"
kill "$listener"
ok "nothing is left" nothing_left
done_testing
