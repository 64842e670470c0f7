#!/bin/sh
# Capabilities: nothing inheritable leaks, a setuid-root binary gains no
# more than the bounding set, and no_new_privs holds across exec (a setuid
# binary then gains nothing at all).
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
. "$HAKO_TESTS_SRCDIR/security/lib.sh"
plan 9
make_plain_bundle b '["capstat"]'
helpers_or_skip 9 b capstat
# The default bounding set: CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE.
bounding=0000000020000420
field () { tr ' ' '\n' < "$TEST_TMP/stdout" | sed -n "s/^$1=//p"; }

hk 0 run --bundle b c1
ok "the payload has no inheritable capabilities" test "$(field CapInh)" = 0000000000000000
ok "... no ambient ones, and the bounding set it was given" sh -c "[ '$(field CapAmb)' = 0000000000000000 ] && [ '$(field CapBnd)' = $bounding ]"
ok "... and no_new_privs" test "$(field NoNewPrivs)" = 1
set_args b sleep 300
hk 0 run -d --bundle b c2
hk 0 exec c2 sh -c 'exec sh -c "exec capstat"'
ok "an exec'd process, through two more execs: no inheritable caps, no_new_privs still set" sh -c "[ '$(field CapInh)' = 0000000000000000 ] && [ '$(field NoNewPrivs)' = 1 ]"
hk 0 exec --cap CAP_NET_RAW c2 capstat
ok "... and exec --cap adds to the effective set, not the inheritable one" test "$(field CapInh)" = 0000000000000000
hk 0 delete --force c2

# A setuid-root copy of capstat, owned by the container's root.
cp b/rootfs/bin/capstat b/rootfs/bin/capstat-suid
set_args b cat /proc/self/uid_map
hk 0 run --bundle b map
container_root=$(awk '$1 == 0 {print $2}' "$TEST_TMP/stdout")
if [ "$(id -u)" = 0 ]; then chown "$container_root" b/rootfs/bin/capstat-suid; fi
chmod 4755 b/rootfs/bin/capstat-suid
set_config b "c['process']['user'] = {'uid': 1000, 'gid': 1000}; c['process']['noNewPrivileges'] = False; c['process']['args'] = ['capstat-suid']"
hk 0 run --bundle b suid
ok "without no_new_privs a setuid-root binary becomes root (euid 0)" test "$(field euid)" = 0
ok "... but its capabilities stay within the bounding set" sh -c "[ \$(( 0x$(field CapEff) & ~0x$bounding )) = 0 ] && [ \$(( 0x$(field CapPrm) & ~0x$bounding )) = 0 ]"
set_config b "c['process']['noNewPrivileges'] = True"
hk 0 run --bundle b suid-nnp
ok "with no_new_privs the setuid bit gives nothing: euid stays 1000, no capabilities" sh -c "[ '$(field euid)' = 1000 ] && [ '$(field CapEff)' = 0000000000000000 ]"
ok "nothing is left" nothing_left
done_testing
