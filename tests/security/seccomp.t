#!/bin/sh
# linux.seccomp against the ways around it: the 32-bit (int $0x80) and x32
# entry points of an x86-64 kernel, and SCMP_ACT_NOTIFY handing syscalls to
# a seccomp agent (listenerPath) for the container process and an exec.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
. "$HAKO_TESTS_SRCDIR/security/lib.sh"
plan 13
make_plain_bundle b '["sleep", "300"]'

# block_mkdir ARCHS: a profile that fails mkdir with EACCES (13) on ARCHS.
block_mkdir () { echo "c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': $1, 'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 13}]}"; }
if [ "$(uname -m)" != x86_64 ]; then
  for t in 1 2 3 4; do skip "compat entry points" "not an x86-64 machine"; done
elif ! can_build_static; then
  for t in 1 2 3 4; do skip "compat entry points" "no gcc with a static libc to build the helper"; done
else
  build_helper compat-mkdir b
  set_config b "c['process']['args'] = ['sh', '-c', 'compat-mkdir i386 /tmp/a; compat-mkdir x32 /tmp/b; ls -d /tmp/a /tmp/b 2>/dev/null; true']; $(block_mkdir "['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']")"
  ok "with x86 and x32 listed, a 32-bit mkdir (int \$0x80) gets the rule's errno" sh -c "'$HAKO' --root '$root' run --bundle b i386 > out && sed -n 1p out | grep -qx -- -13"
  ok "... and so does an x32 mkdir (nr | 0x40000000)" sh -c "sed -n 2p out | grep -qx -- -13 && [ \$(wc -l < out) = 2 ]"
  set_config b "c['process']['args'] = ['sh', '-c', 'compat-mkdir i386 /tmp/a; echo status \$?; ls -d /tmp/a 2>/dev/null; true']; $(block_mkdir "['SCMP_ARCH_X86_64']")"
  ok "with only x86-64 listed, a 32-bit syscall kills the caller" sh -c "'$HAKO' --root '$root' run --bundle b native > out; grep -qx 'status 159' out && ! grep -q /tmp/a out"
  set_config b "c['process']['args'] = ['sh', '-c', 'compat-mkdir x32 /tmp/b; echo status \$?; ls -d /tmp/b 2>/dev/null; true']"
  ok "... and so does an x32 one" sh -c "'$HAKO' --root '$root' run --bundle b native2 > out; grep -qx 'status 159' out && ! grep -q /tmp/b out"
fi

# SCMP_ACT_NOTIFY: the agent fakes mkdir, fails rmdir with ENOTEMPTY (39).
agent="$HAKO_TESTS_BUILDDIR/security/seccomp-agent"
"$agent" "$TEST_TMP/agent.sock" "$TEST_TMP/agent-state" 39 &
agent_pid=$!
for i in $(seq 100); do [ -S "$TEST_TMP/agent.sock" ] && break; sleep 0.05; done
set_config b "c['process']['args'] = ['sleep', '300']; c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$TEST_TMP/agent.sock', 'listenerMetadata': 'test-metadata', 'syscalls': [{'names': ['mkdir', 'mkdirat', 'rmdir'], 'action': 'SCMP_ACT_NOTIFY'}]}"
ok "a container with SCMP_ACT_NOTIFY is created, the agent connected" hk 0 create --bundle b n1
state_field () { "${PYTHON3:-python3}" -c "import json,sys; s=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
pid=$(sed -n 's/.*"pid" *: *\([0-9]*\).*/\1/p' "$root/n1/state.json")
create_state_sent () {
  [ "$(state_field "$TEST_TMP/agent-state.1" '(s["fds"], s["pid"], s["metadata"], s["state"]["status"], s["state"]["id"], s["ociVersion"] != "")')" = "(['seccompFd'], $pid, 'test-metadata', 'creating', 'n1', True)" ]
}
ok "the agent got the container process state: fds, pid, metadata, state" create_state_sent
hk 0 start n1
ok "an exec'd mkdir is answered by the agent: success, nothing made" sh -c "'$HAKO' --root '$root' exec n1 sh -c 'busybox mkdir /tmp/faked && echo made; ls -d /tmp/faked 2>/dev/null; true' > out && [ \"\$(cat out)\" = made ]"
exec_state_sent () {
  [ "$(state_field "$TEST_TMP/agent-state.2" '(s["state"]["status"], s["pid"] != s["state"]["pid"])')" = "('running', True)" ]
}
ok "... the exec'd process got a connection of its own, its pid and the running state" exec_state_sent
ok "... and a refusal carries the agent's errno" sh -c "'$HAKO' --root '$root' exec n1 busybox rmdir /tmp 2>&1 | grep -q 'not empty'"
ok "syscalls not in the rule run as usual, under the filter" hk 0 exec n1 grep -q 'Seccomp:.*2' /proc/self/status
hk 0 kill n1 KILL
for i in $(seq 100); do hk 0 state n1 && grep -q stopped "$TEST_TMP/stdout" && break; sleep 0.05; done
hk 0 delete n1
kill "$agent_pid" 2>/dev/null
wait "$agent_pid" 2>/dev/null

set_config b "c['linux']['seccomp']['syscalls'] = [{'names': ['getpid', 'write'], 'action': 'SCMP_ACT_NOTIFY'}]"
ok "SCMP_ACT_NOTIFY on write is refused, naming the element" sh -c "! '$HAKO' --root '$root' create --bundle b n2 2>err && grep -q 'linux.seccomp.syscalls\\[0\\].names\\[1\\]' err"
set_config b "c['linux']['seccomp']['defaultAction'] = 'SCMP_ACT_NOTIFY'; c['linux']['seccomp']['syscalls'] = []"
ok "... and as the default action" sh -c "! '$HAKO' --root '$root' create --bundle b n3 2>err && grep -q 'linux.seccomp.defaultAction' err"
ok "nothing is left of the refused ones" nothing_left
done_testing
