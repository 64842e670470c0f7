#!/bin/sh
# Mount destinations and the paths hako masks, against a hostile rootfs:
# absolute and relative symlinks and "..", a directory swapped for a
# symlink while containers start, /dev and /dev/null as symlinks to host
# paths, and a /proc that is not procfs.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
. "$HAKO_TESTS_SRCDIR/security/lib.sh"
plan 16
make_plain_bundle b '["true"]'
cp b/config.json base.json
mkdir -p outside marker
echo marker > marker/file
# mounted_under DIR: some mount point of this mount namespace is at or below DIR.
mounted_under () { awk '{print $5}' /proc/self/mountinfo | grep -q "^$1"; }
# with_mount DEST: base.json plus a bind of marker/ at DEST, listing it.
with_mount () { cp base.json b/config.json; set_config b "c['mounts'].append({'destination': '$1', 'type': 'bind', 'source': '$TEST_TMP/marker', 'options': ['bind', 'ro']}); c['process']['args'] = ['cat', '/landed/file']"; }

ln -s / b/rootfs/abs
with_mount /abs/landed
ok "a destination through an absolute symlink (/abs -> /) stays in the rootfs" hk 0 run --bundle b m1
ok "... nothing was made or mounted on the host" sh -c "[ ! -e /landed ] && ! mounted_under /landed"
ln -s ../../../../../../../../.. b/rootfs/rel
with_mount /rel/landed
ok "... and so does one through a relative symlink climbing out" hk 0 run --bundle b m2
with_mount /../../../../../landed
ok "... and one with .. above the root" hk 0 run --bundle b m3
ln -s "$TEST_TMP/outside" b/rootfs/hostpath
with_mount /hostpath/landed
set_args b true
ok "... and one through a symlink naming a host path" sh -c "'$HAKO' --root '$root' run --bundle b m4 && [ -z \"\$(ls -A '$TEST_TMP/outside')\" ]"
rm -f b/rootfs/abs b/rootfs/rel b/rootfs/hostpath; rm -rf b/rootfs/landed b/rootfs/"$TEST_TMP"

# A directory swapped for a symlink to a host directory, in a loop, while
# containers with a mount below it start.
mkdir -p b/rootfs/swap
cp base.json b/config.json
set_config b "c['mounts'].append({'destination': '/swap/landed', 'type': 'tmpfs', 'source': 'tmpfs'})"
( while [ ! -e stop-swapping ]; do
    mv b/rootfs/swap b/rootfs/swap.dir 2>/dev/null; ln -s "$TEST_TMP/outside" b/rootfs/swap 2>/dev/null
    rm -f b/rootfs/swap 2>/dev/null; mv b/rootfs/swap.dir b/rootfs/swap 2>/dev/null
  done ) &
swapper=$!
for i in $(seq 20); do "$HAKO" --root "$root" run --bundle b swap$i >/dev/null 2>&1; done
touch stop-swapping; wait "$swapper"
ok "20 starts racing a dir/symlink swap made nothing in the host directory" sh -c "[ -z \"\$(ls -A '$TEST_TMP/outside')\" ] && ! mounted_under '$TEST_TMP/outside'"
ok "... and left no container" nothing_left

# /dev as a symlink to a host directory; /dev/null and /dev/console as ones
# to host files.
mkdir hostdev; echo precious > hostnull
rmdir b/rootfs/dev; ln -s "$TEST_TMP/hostdev" b/rootfs/dev
cp base.json b/config.json
hk 0 run --bundle b dev1
ok "/dev a symlink to a host directory: the devices go in the rootfs, none to the host" sh -c "[ -z \"\$(ls -A hostdev)\" ] && ! mounted_under '$TEST_TMP/hostdev'"
rm b/rootfs/dev; rm -rf b/rootfs/"$TEST_TMP"; mkdir b/rootfs/dev
ln -s "$TEST_TMP/hostnull" b/rootfs/dev/null
set_config b "c['mounts'] = [m for m in c['mounts'] if m['destination'] != '/dev']; c['process']['args'] = ['sh', '-c', 'echo overwritten > /dev/null']"
"$HAKO" --root "$root" run --bundle b dev2 >/dev/null 2>&1
ok "/dev/null a symlink to a host file: the file is untouched and nothing is bound on it" sh -c "[ \"\$(cat hostnull)\" = precious ] && ! mounted_under '$TEST_TMP/hostnull'"
rm -rf b/rootfs/dev/* b/rootfs/"$TEST_TMP"
# /dev/console, where the terminal's pty is bound, as a symlink to a host file.
echo precious > hostconsole
ln -s "$TEST_TMP/hostconsole" b/rootfs/dev/console
"${PYTHON3:-python3}" "$HAKO_TESTS_SRCDIR/integration/recvtty.py" "$TEST_TMP/console.sock" "$TEST_TMP/console.out" &
receiver=$!
for i in $(seq 100); do [ -S "$TEST_TMP/console.sock" ] && break; sleep 0.05; done
set_config b "c['process']['terminal'] = True; c['process']['args'] = ['sh', '-c', 'echo overwritten > /dev/console']"
hk 0 create --console-socket "$TEST_TMP/console.sock" --bundle b dev3
hk 0 start dev3
wait "$receiver"
hk 0 delete --force dev3
ok "/dev/console a symlink to a host file: the file is untouched and nothing is bound on it" sh -c "[ \"\$(cat hostconsole)\" = precious ] && ! mounted_under '$TEST_TMP/hostconsole'"
rm -rf b/rootfs/dev/* b/rootfs/"$TEST_TMP"
ok "... and nothing is left of any of them" nothing_left

# /proc that is not procfs: a fake directory bound over it.
mkdir -p fakeproc/sys; echo secret > fakeproc/keys
cp base.json b/config.json
set_config b "c['mounts'] = [m for m in c['mounts'] if m['destination'] != '/proc'] + [{'destination': '/proc', 'type': 'bind', 'source': '$TEST_TMP/fakeproc', 'options': ['bind']}]"
ok "a fake /proc is refused before hako masks it" sh -c "! '$HAKO' --root '$root' run --bundle b fake 2>err && grep -q '/proc/keys is not on procfs' err && [ \"\$(cat fakeproc/keys)\" = secret ] && ! mounted_under '$TEST_TMP/fakeproc'"
cp base.json b/config.json
set_config b "c['mounts'].append({'destination': '/proc', 'type': 'tmpfs', 'source': 'tmpfs'}); c['process']['args'] = ['sh', '-c', 'ls /proc | wc -l']"
ok "... a tmpfs over /proc hides procfs whole (nothing to mask there)" sh -c "'$HAKO' --root '$root' run --bundle b tmpproc | grep -qx 0"

# maskedPaths and readonlyPaths hold against the container's root.
cp base.json b/config.json
set_args b sh -c 'wc -c < /proc/keys; wc -c < /proc/timer_list; ls /proc/acpi | wc -l; echo x > /proc/sys/kernel/domainname && echo wrote; umount /proc/keys && echo unmasked; mount -o remount,rw /proc/sys && echo remounted; true'
hk 0 run --bundle b masks
ok "maskedPaths are empty: /proc/keys and /proc/timer_list read nothing, /proc/acpi lists nothing" sh -c "[ \"\$(sed -n 1,3p '$TEST_TMP/stdout' | tr '\\n' ' ')\" = '0 0 0 ' ]"
ok "... and cannot be unmounted" sh -c "! grep -q unmasked '$TEST_TMP/stdout'"
ok "readonlyPaths stay read-only, also against a remount" sh -c "! grep -Eq 'wrote|remounted' '$TEST_TMP/stdout'"
done_testing
