#!/bin/sh
# Nothing of the runtime reaches the container: fds open in the caller or
# in hako itself, at create and at exec; and process.cwd cannot lead
# outside the rootfs through /proc/self/fd/N (runc's CVE-2024-21626).
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
. "$HAKO_TESTS_SRCDIR/security/lib.sh"
plan 9
make_plain_bundle b '["sleep", "300"]'
helpers_or_skip 9 b list-fds

set_args b list-fds
ok "run with fds 7 and 9 open in the caller: the payload has 0 1 2 only" sh -c "'$HAKO' --root '$root' run --bundle b r1 7</etc/passwd 9>'$TEST_TMP/nine' > out && grep -qx '0 1 2 ' out || { cat out; false; }"
ok "... and --preserve-fds 1 adds exactly fd 3" sh -c "'$HAKO' --root '$root' run --preserve-fds 1 --bundle b r2 3</etc/passwd 7</etc/passwd > out && grep -qx '0 1 2 3 ' out || { cat out; false; }"
ok "... and LISTEN_FDS=2 for hako's pid adds 3 and 4" sh -c "exec 3</etc/passwd 4</etc/passwd 5</etc/passwd; LISTEN_FDS=2 LISTEN_PID=\$\$ exec '$HAKO' --root '$root' run --bundle b r3 > out; " && grep -qx '0 1 2 3 4 ' out || { cat out; false; }

set_args b sleep 300
hk 0 create --bundle b c1 7</etc/passwd
hk 0 start c1
ok "the container process of a create with fd 7 open has only 0 1 2" sh -c "'$HAKO' --root '$root' exec c1 sh -c 'for fd in 3 4 5 6 7 8 9 10 11 12 13 14 15; do [ -e /proc/1/fd/\$fd ] && exit 1; done; exit 0'"
ok "exec with fds 7 and 9 open in the caller: the process has 0 1 2 only" sh -c "'$HAKO' --root '$root' exec c1 list-fds 7</etc/passwd 9</ > out && grep -qx '0 1 2 ' out || { cat out; false; }"
hk 0 delete --force c1

# process.cwd through /proc/self/fd/N: a symlink in the rootfs, or the path
# itself, to whatever directory fd the setup might hold at chdir time.
for n in 3 4 5 6 7 8 9 10; do ln -s "/proc/self/fd/$n" "b/rootfs/fd$n"; done
escaped=0
for n in 3 4 5 6 7 8 9 10; do
  set_config b "c['process']['cwd'] = '/fd$n'; c['process']['args'] = ['sh', '-c', 'pwd; ls -d ../../../../etc/subuid ../../../../tmp/hako-test.* 2>/dev/null; true']"
  "$HAKO" --root "$root" run --bundle b cwd$n 7<"$TEST_TMP" > out 2>err
  if grep -qE 'subuid|hako-test' out; then escaped=1; cat out; fi
done
ok "a cwd symlinked to /proc/self/fd/N never lands outside the rootfs" test "$escaped" = 0
set_config b "c['process']['cwd'] = '/proc/self/fd/7'"
ok "... nor does a cwd of /proc/self/fd/N itself" sh -c "! '$HAKO' --root '$root' run --bundle b cwdp 7<'$TEST_TMP' > out 2>err || ! grep -q hako-test out"
set_config b "c['process']['cwd'] = '/'; c['process']['args'] = ['sleep', '300']"
hk 0 run -d --bundle b c2
ok "exec --cwd /proc/self/fd/N is refused or stays inside" sh -c "for n in 3 4 5 6 7 8 9; do '$HAKO' --root '$root' exec --cwd /proc/self/fd/\$n c2 sh -c 'ls -d ../../../etc/subuid ../../../tmp/hako-test.* 2>/dev/null' 7<'$TEST_TMP' && exit 1; done; exit 0"
hk 0 delete --force c2
ok "nothing is left" nothing_left
done_testing
