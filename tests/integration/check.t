#!/bin/sh
# hako check on this host: every piece reported, ok here (the CI host is
# prepared as a stock distribution is), as text and JSON; and broken
# situations made for real: hako's helpers missing from PATH, no
# XDG_RUNTIME_DIR, a user without subordinate ids (root runs it as nobody).
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
plan 20
py=${PYTHON3:-python3}
uid=$(id -u)

ok "hako check passes on this host" run_hako 0 check
ok "... reporting every piece" sh -c "for n in newuidmap newgidmap subuid subgid userns runtime-dir fuse fuse-overlayfs tun cgroup dbus openat2 pidfd_open mount_setattr time-namespace; do grep -qE \"^(ok|warning|error) +\$n \" '$TEST_TMP/stdout' || { echo \"no \$n\"; exit 1; }; done"
ok "... newuidmap setuid root" sh -c "grep -E '^ok +newuidmap .*is setuid root' '$TEST_TMP/stdout' || grep -E '^ok +newuidmap .*file capabilities' '$TEST_TMP/stdout'"
ok "... the kernel calls hako needs" sh -c "grep -qE '^ok +openat2 ' '$TEST_TMP/stdout' && grep -qE '^ok +pidfd_open ' '$TEST_TMP/stdout'"
ok "... a fix under every warning" "$py" -c "
import sys
lines = open('$TEST_TMP/stdout').read().splitlines()
for i, l in enumerate(lines):
    if l.startswith(('warning', 'error')):
        assert 'fix:' in lines[i + 1], l
"
ok "... the summary" output_has stdout "hako can run rootless containers here."
if [ "$uid" = 0 ]; then
  ok "... subordinate ids not needed as root" grep -qE '^ok +subuid +not needed as root' "$TEST_TMP/stdout"
else
  ok "... the caller's subordinate id range" sh -c "grep -E '^ok +subuid +/etc/subuid gives $(id -un) [0-9]+ ids from [0-9]+' '$TEST_TMP/stdout'"
fi
ok "--format json" run_hako 0 check --format json
ok "... a list of name, status, detail (and fix)" "$py" -c "
import json
items = json.load(open('$TEST_TMP/stdout'))
assert len(items) == 15, len(items)
for i in items:
    assert set(i) <= {'name', 'status', 'detail', 'fix'} and i['status'] in ('ok', 'warning', 'error'), i
    assert (i['status'] == 'ok') == ('fix' not in i), i
"
ok "an unknown --format is a usage error" run_hako 1 check --format yaml
ok "... naming the choices" output_has stderr "use text or json"

# Broken: hako's helpers not in PATH.
ok "without newuidmap and fuse-overlayfs in PATH" sh -c "PATH=/nonexistent '$HAKO' check >'$TEST_TMP/stdout'; test \$? = 1"
ok "... fuse-overlayfs is an error with the package to install" sh -c "grep -A1 -E '^error +fuse-overlayfs ' '$TEST_TMP/stdout' | grep -q 'fix: apt install fuse-overlayfs'"
if [ "$uid" = 0 ]; then
  ok "... newuidmap is not needed as root" sh -c "grep -qE '^ok +newuidmap ' '$TEST_TMP/stdout'"
else
  ok "... newuidmap is an error with the package to install" sh -c "grep -A1 -E '^error +newuidmap ' '$TEST_TMP/stdout' | grep -q 'fix: apt install uidmap'"
fi
ok "... the summary says something is missing" output_has stdout "Something hako needs is missing"

# Broken: no runtime directory; as root, also a user without subordinate ids.
if [ "$uid" = 0 ]; then
  ok "a user without XDG_RUNTIME_DIR nor subordinate ids (nobody) fails" sh -c "cd / && runuser -u nobody -- env -i PATH='$PATH' '$HAKO' check >'$TEST_TMP/stdout'; test \$? = 1"
  ok "... no range for nobody, and the usermod that adds one" sh -c "grep -A1 -E '^warning +subuid +/etc/subuid has no range for nobody' '$TEST_TMP/stdout' | grep -q 'fix: sudo usermod --add-subuids 100000-165535 nobody'"
else
  ok "without XDG_RUNTIME_DIR it fails" sh -c "env -u XDG_RUNTIME_DIR '$HAKO' check >'$TEST_TMP/stdout'; test \$? = 1"
  ok "... its subordinate ids still found" sh -c "grep -qE '^ok +subuid ' '$TEST_TMP/stdout'"
fi
ok "... the runtime directory an error, with the fix" sh -c "grep -A1 -E '^error +runtime-dir +XDG_RUNTIME_DIR is not set' '$TEST_TMP/stdout' | grep -q 'fix: log in through a session'"
ok "... in JSON too" sh -c "cd / && env -u XDG_RUNTIME_DIR $([ "$uid" = 0 ] && echo "runuser -u nobody --") '$HAKO' check --format json | '$py' -c 'import json, sys; d = {i[\"name\"]: i for i in json.load(sys.stdin)}; assert d[\"runtime-dir\"][\"status\"] == \"error\"'"
ok "a check takes no arguments" run_hako 1 check extra
done_testing
