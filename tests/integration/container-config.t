#!/bin/sh
# What a container sees of its config: process attributes, mounts,
# masked and read-only paths, devices, hostname, sysctl, passed fds.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 33
root="$TEST_TMP/state"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
# inside PYTHON-EDIT SCRIPT: runs SCRIPT in a container of bundle b edited by PYTHON-EDIT
inside () {
  cp base.json b/config.json
  set_config b "$1; c['process']['args'] = ['sh', '-c', '''$2''']"
  hk 0 run --bundle b t
}
make_bundle b
cp b/config.json base.json
mkdir -p host-dir && echo from-host > host-dir/file

ok "process.env reaches the container" inside "c['process']['env'].append('GREETING=hi there')" 'echo "[$GREETING]"'
ok "... as given" output_has stdout "[hi there]"
ok "process.cwd is used, and created when missing" inside "c['process']['cwd'] = '/work/sub'" 'pwd'
ok "... /work/sub" output_has stdout "/work/sub"
ok "process.user sets uid, gid and additional gids" inside "c['process']['user'] = {'uid': 1000, 'gid': 1000, 'additionalGids': [1001]}" 'id'
ok "... uid=1000 gid=1000 groups=1001" sh -c "grep -q 'uid=1000 gid=1000 groups=1001' '$TEST_TMP/stdout' || grep -q 'uid=1000 gid=1000 groups=1000,1001' '$TEST_TMP/stdout' || { cat '$TEST_TMP/stdout'; [ \"\$(id -u)\" != 0 ] && ! grep -q hakotest /etc/subuid; }"
ok "process.rlimits are applied" inside "c['process']['rlimits'] = [{'type': 'RLIMIT_NOFILE', 'soft': 321, 'hard': 654}]" 'ulimit -n; ulimit -Hn'
ok "... soft 321 and hard 654" sh -c "[ \"\$(tr '\n' ' ' < '$TEST_TMP/stdout')\" = '321 654 ' ]"
ok "the capability sets are the config's" inside "pass" 'grep -E "^Cap(Eff|Bnd)" /proc/self/status'
ok "... CAP_AUDIT_WRITE, CAP_KILL and CAP_NET_BIND_SERVICE only" sh -c "grep -q 'CapBnd:.*20000420' '$TEST_TMP/stdout' && grep -q 'CapEff:.*20000420' '$TEST_TMP/stdout'"
ok "a capability hako does not know is a warning, not a failure (config.md)" inside "c['process']['capabilities']['bounding'].append('CAP_NOT_YET_INVENTED')" 'echo ran'
ok "... the warning names it" output_has stderr "process.capabilities.bounding[3]: CAP_NOT_YET_INVENTED is not a capability hako knows"
ok "noNewPrivileges is set" inside "pass" 'grep NoNewPrivs /proc/self/status'
ok "... NoNewPrivs 1" output_has stdout "NoNewPrivs:	1"
ok "hostname and domainname are set in the uts namespace" inside "c['hostname'] = 'box'; c['domainname'] = 'example.org'" 'hostname; cat /proc/sys/kernel/domainname'
ok "... box, example.org" sh -c "[ \"\$(tr '\n' ' ' < '$TEST_TMP/stdout')\" = 'box example.org ' ]"
ok "a namespaced sysctl is written" inside "c['linux']['sysctl'] = {'kernel.msgmax': '4321'}" 'cat /proc/sys/kernel/msgmax'
ok "... 4321" output_has stdout "4321"
ok "a read-only bind mount of a host directory" inside "c['mounts'].append({'destination': '/data', 'type': 'bind', 'source': '$TEST_TMP/host-dir', 'options': ['rbind', 'ro']})" 'cat /data/file; touch /data/new 2>/dev/null && echo writable || echo read-only'
ok "... shows the host file, read-only" sh -c "grep -q from-host '$TEST_TMP/stdout' && grep -q read-only '$TEST_TMP/stdout' && [ ! -e host-dir/new ]"
ok "a tmpfs mount is writable though the root is read-only" inside "c['mounts'].append({'destination': '/scratch', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m']})" 'echo x > /scratch/f && cat /scratch/f; touch /rootfile 2>/dev/null && echo root-writable || echo root-read-only'
ok "... x, and the root read-only" sh -c "grep -qx x '$TEST_TMP/stdout' && grep -q root-read-only '$TEST_TMP/stdout'"
ok "maskedPaths and readonlyPaths apply" inside "c['linux']['maskedPaths'].append('/proc/cpuinfo')" 'wc -c < /proc/cpuinfo; echo 1 > /proc/sys/kernel/msgmax 2>/dev/null && echo sys-writable || echo sys-read-only'
ok "... /proc/cpuinfo empty, /proc/sys read-only" sh -c "grep -qx 0 '$TEST_TMP/stdout' && grep -q sys-read-only '$TEST_TMP/stdout'"
ok "the default devices and /dev symlinks exist" inside "pass" 'for d in null zero full random urandom tty; do test -c /dev/$d || echo missing $d; done; test -L /dev/fd && test -L /dev/stdin && echo devices-ok'
ok "... all of them" sh -c "grep -qx devices-ok '$TEST_TMP/stdout' && ! grep -q missing '$TEST_TMP/stdout'"
exec 3<"$TEST_TMP/host-dir/file" 4>"$TEST_TMP/fd4"
ok "--preserve-fds 2 passes fds 3 and 4, and no other" sh -c "cp base.json b/config.json && '${PYTHON3:-python3}' -c \"import json; c=json.load(open('b/config.json')); c['process']['args']=['sh','-c','cat <&3; echo to-four >&4; ls /proc/self/fd']; json.dump(c, open('b/config.json','w'))\" && '$HAKO' --root '$root' run --preserve-fds 2 --bundle b t > out.txt && grep -q from-host out.txt && grep -q to-four '$TEST_TMP/fd4' && [ \"\$(grep -cE '^[0-9]+\$' out.txt)\" -le 6 ]"
exec 3<&- 4>&-
# runc's tmpcopyup (Podman's --tmpfs, --read-only): the tmpfs starts as a copy.
echo in-rootfs > b/rootfs/etc/copied && chmod 0640 b/rootfs/etc/copied
ok "a tmpfs with tmpcopyup starts with what the directory held" inside "c['mounts'].append({'destination': '/etc', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['tmpcopyup', 'size=1m']})" 'grep " /etc " /proc/mounts | cut -d" " -f3; cat /etc/copied; ls -l /etc/copied | cut -c1-10; echo new > /etc/new'
ok "... a tmpfs, the files and their modes copied, the rootfs untouched" sh -c "[ \"\$(cat '$TEST_TMP/stdout')\" = \"\$(printf 'tmpfs\\nin-rootfs\\n-rw-r-----')\" ] && ! [ -e b/rootfs/etc/new ]"
ok "LISTEN_FDS addressed to hako pass to the container, renumbered for its pid 1" sh -c "cp base.json b/config.json && '${PYTHON3:-python3}' -c \"import json; c=json.load(open('b/config.json')); c['process']['args']=['sh','-c','echo \\\$LISTEN_FDS \\\$LISTEN_PID; cat <&3']; json.dump(c, open('b/config.json','w'))\" && sh -c 'export LISTEN_FDS=1 LISTEN_PID=\$\$; exec 3<\"$TEST_TMP/host-dir/file\"; exec \"$HAKO\" --root \"$root\" run --bundle b lfd' > lfd.out"
ok "... LISTEN_FDS=1 LISTEN_PID=1 and fd 3 readable" sh -c "grep -qx '1 1' lfd.out && grep -q from-host lfd.out"
ok "without --preserve-fds the container gets only stdio" inside "pass" 'ls /proc/self/fd | wc -l'
ok "... 0, 1, 2 and ls's own" sh -c "[ \"\$(cat '$TEST_TMP/stdout')\" -le 4 ]"
done_testing
