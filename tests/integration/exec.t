#!/bin/sh
# hako exec: a new process in every namespace of a running container, as
# runc-exec(8) has it: the command line's overrides, --process FILE, a
# terminal, --detach with --pid-file, the exit status, and the refusals.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 39
root="$TEST_TMP/state"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
make_bundle b '["sleep", "300"]'
set_config b "c['process']['env'].append('FROM_CONFIG=yes')"
hk 0 run -d --bundle b c1 || echo "# could not start the container: $(cat "$TEST_TMP/stderr")"

ok "exec returns the process's exit status" hk 3 exec c1 sh -c 'exit 3'
ok "... and 128+N for a signal" hk 137 exec c1 sh -c 'kill -9 $$'
ok "the process sees the container's pid 1" sh -c "'$HAKO' --root '$root' exec c1 cat /proc/1/cmdline | tr '\\0' ' ' | grep -qx 'sleep 300 '"
ok "... and its hostname" sh -c "[ \"\$('$HAKO' --root '$root' exec c1 hostname)\" = hako ]"
ok "... and its root filesystem" sh -c "'$HAKO' --root '$root' exec c1 ls /bin/busybox && ! '$HAKO' --root '$root' exec c1 test -e /usr/bin"
ok "the config's environment is the base" sh -c "'$HAKO' --root '$root' exec c1 sh -c 'echo \$FROM_CONFIG' | grep -qx yes"
ok "--env adds and replaces variables" sh -c "'$HAKO' --root '$root' exec -e A=1 --env FROM_CONFIG=no c1 sh -c 'echo \$A \$FROM_CONFIG' | grep -qx '1 no'"
ok "--cwd sets the working directory" sh -c "'$HAKO' --root '$root' exec --cwd /tmp c1 sh -c pwd | grep -qx /tmp"
ok "--user and --additional-gids set the identity" sh -c "'$HAKO' --root '$root' exec -u 1000:1000 --additional-gids 1001 c1 id | grep -qx 'uid=1000 gid=1000 groups=1001'"
ok "--cap adds a capability" sh -c "'$HAKO' --root '$root' exec --cap CAP_NET_RAW c1 grep CapEff /proc/self/status | grep -q '00000000200024.0'"
ok "the container's no_new_privs stays on" sh -c "'$HAKO' --root '$root' exec c1 grep NoNewPrivs /proc/self/status | grep -q '1\$'"
ok "arguments after -- are the command's" sh -c "'$HAKO' --root '$root' exec c1 -- sh -c 'echo -n dash' | grep -qx dash"
ok "only stdio reaches the process" hk 0 exec c1 sh -c 'for fd in 3 4 5 6 7 8 9 10 11 12; do readlink /proc/$$/fd/$fd && exit 1; done; exit 0'
ok "--preserve-fds passes fds from 3 on" sh -c "'$HAKO' --root '$root' exec --preserve-fds 1 c1 sh -c 'cat <&3' 3<<EOT | grep -qx passed
passed
EOT"
ok "LISTEN_FDS addressed to hako pass on, addressed to the process's own pid" sh -c "echo listened >lfd.in && sh -c 'export LISTEN_FDS=1 LISTEN_PID=\$\$; exec 3<lfd.in; exec \"\$0\" --root \"\$1\" exec c1 sh -c \"echo \\\$LISTEN_FDS \\\$((LISTEN_PID == \\\$\\\$)); cat <&3\"' '$HAKO' '$root' >lfd.out && [ \"\$(cat lfd.out)\" = \"\$(printf '1 1\\nlistened')\" ]"
ok "... and LISTEN_FDS addressed to another process do not" sh -c "LISTEN_FDS=1 LISTEN_PID=1 '$HAKO' --root '$root' exec c1 sh -c 'echo \${LISTEN_FDS:-none}; readlink /proc/\$\$/fd/3 || echo closed' | tr '\\n' ' ' | grep -qx 'none closed '"
cgroup_tests="--cgroup memory:sub joins the sub-cgroup of that controller only
... and .. never leaves the container's cgroup
--cgroup of a missing sub-cgroup names it
--cgroup with a controller the container lacks names it"
if [ "$(id -u)" = 0 ]; then
  hk 0 state c1 && c1_pid=$(sed -n 's/^ *"pid" *: *\([0-9]*\).*/\1/p' "$TEST_TMP/stdout")
  memory_cgroup=$(sed -n 's/^[0-9]*:memory://p' /proc/$c1_pid/cgroup)
  mkdir "/sys/fs/cgroup/memory$memory_cgroup/sub"
  # Inside, the container's cgroup namespace shows its cgroup as "/".
  ok "$(echo "$cgroup_tests" | sed -n 1p)" sh -c "'$HAKO' --root '$root' exec --cgroup memory:sub c1 cat /proc/self/cgroup >cg.out && grep -qx '[0-9]*:memory:/sub' cg.out && grep -qx '[0-9]*:pids:/' cg.out"
  ok "$(echo "$cgroup_tests" | sed -n 2p)" sh -c "'$HAKO' --root '$root' exec --cgroup memory:sub/../../.. c1 cat /proc/self/cgroup | grep -qx '[0-9]*:memory:/'"
  ok "$(echo "$cgroup_tests" | sed -n 3p)" sh -c "! '$HAKO' --root '$root' exec --cgroup nosub c1 true 2>err && grep -q '/nosub: make it first' err"
  ok "$(echo "$cgroup_tests" | sed -n 4p)" sh -c "! '$HAKO' --root '$root' exec --cgroup nosuchctl,memory:sub c1 true 2>err && grep -q 'controller \"nosuchctl\"' err"
  rmdir "/sys/fs/cgroup/memory$memory_cgroup/sub"
  skip "--cgroup without a cgroup says why" "root has a cgroup here"
else
  while read -r t; do
    skip "$t" "needs root: this host's unprivileged user has no cgroup (cgroup v1)"
  done <<EOF
$cgroup_tests
EOF
  ok "--cgroup without a cgroup says why" sh -c "! '$HAKO' --root '$root' exec --cgroup sub c1 true 2>err && grep -q 'has no cgroup, which exec --cgroup needs' err"
fi

printf '{"args": ["sh", "-c", "echo \\"$X\\" $(pwd) $(id -u)"], "cwd": "/etc", "env": ["X=from-file"], "user": {"uid": 7, "gid": 7}}' >p.json
ok "--process FILE gives the whole process" sh -c "'$HAKO' --root '$root' exec --process p.json c1 | grep -qx 'from-file /etc 7'"
printf '{"args": ["true"], "cwd": "etc"}' >bad.json
ok "a process file is checked as config.json's process" sh -c "! '$HAKO' --root '$root' exec -p bad.json c1 2>err && grep -q 'cwd' err && grep -q 'bad.json' err"

ok "--detach returns at once and --pid-file has the pid" hk 0 exec -d --pid-file "$TEST_TMP/p.pid" c1 sleep 30
hk 0 state c1 && container_pid=$(sed -n 's/^ *"pid" *: *\([0-9]*\).*/\1/p' "$TEST_TMP/stdout")
ok "... of a process in the container's namespaces" sh -c "p=\$(cat '$TEST_TMP/p.pid'); grep -q sleep /proc/\$p/cmdline && for ns in pid mnt user uts net ipc cgroup; do [ \"\$(readlink /proc/\$p/ns/\$ns)\" = \"\$(readlink /proc/$container_pid/ns/\$ns)\" ] || exit 1; done"
ok "... and its cgroup" sh -c "[ \"\$(cat /proc/\$(cat '$TEST_TMP/p.pid')/cgroup)\" = \"\$(cat /proc/$container_pid/cgroup)\" ]"

ok "-t relays a new terminal in the foreground" sh -c "echo hello | '$HAKO' --root '$root' exec -t c1 sh -c 'tty; read line; echo got \$line' >tty.out && grep -q '^/dev/pts/' tty.out && grep -q 'got hello' tty.out"
"${PYTHON3:-python3}" "$HAKO_TESTS_SRCDIR/integration/recvtty.py" "$TEST_TMP/console.sock" "$TEST_TMP/console.out" &
receiver=$!
for i in $(seq 100); do [ -S "$TEST_TMP/console.sock" ] && break; sleep 0.05; done
ok "-t -d --console-socket sends the terminal" hk 0 exec -t -d --console-socket "$TEST_TMP/console.sock" c1 sh -c 'tty; echo on-console'
wait $receiver
ok "... where the process writes" sh -c "grep -q '^/dev/pts/' console.out && grep -q on-console console.out"

ok "a command and --process together are refused" hk 1 exec -p p.json c1 true
ok "... and neither" hk 1 exec c1
ok "a user name is refused with the fix" sh -c "! '$HAKO' --root '$root' exec -u nobody c1 true 2>err && grep -q 'numeric' err"
ok "--apparmor without AppArmor is refused" sh -c "! '$HAKO' --root '$root' exec --apparmor p c1 true 2>err && grep -q AppArmor err"
ok "-d -t without a console socket is refused" hk 1 exec -d -t c1 true
ok "--console-socket without -t is refused" hk 1 exec --console-socket "$TEST_TMP/console.sock" c1 true
ok "a missing command names it" sh -c "! '$HAKO' --root '$root' exec c1 no-such-command 2>err && grep -q 'no-such-command' err"
ok "exec in a container that does not exist fails" hk 1 exec nope true
hk 0 kill c1 KILL
for i in $(seq 100); do hk 0 state c1 && grep -q stopped "$TEST_TMP/stdout" && break; sleep 0.05; done
ok "exec in a stopped container is refused" sh -c "! '$HAKO' --root '$root' exec c1 true 2>err && grep -q 'is stopped' err"
hk 0 delete c1
ok "nothing is left behind" sh -c "ls -A '$root'; [ -z \"\$(ls -A '$root')\" ]"
done_testing
