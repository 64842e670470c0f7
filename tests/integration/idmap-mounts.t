#!/bin/sh
# Idmapped bind mounts (idmap, ridmap, mounts[].uidMappings/gidMappings):
# as root, host files of uid 1234 seen as the container's root through the
# mount's own mapping, submounts idmapped by ridmap only, the container's
# mapping used when the mount has none, the kernel's refusal explained; as an
# ordinary user, the clear error that only root may idmap host files.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 16
root="$TEST_TMP/state"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
no_container () { [ -z "$("$HAKO" --root "$root" list -q)" ] && [ ! -e "$root/$1" ]; }
owner () { [ "$(stat -c %u:%g "$1")" = "$2" ] || { echo "$1 is $(stat -c %u:%g "$1"), expected $2"; return 1; }; }
# shows ID OUTPUT: the bundle runs as container ID and prints OUTPUT (its
# lines joined by spaces).
shows () {
  hk 0 run --bundle b "$1" || return 1
  [ "$(tr '\n' ' ' <"$TEST_TMP/stdout")" = "$2 " ] || { echo "output: $(cat "$TEST_TMP/stdout")"; return 1; }
}
# add_mount DESTINATION SOURCE OPTIONS [UID_MAPPINGS GID_MAPPINGS]: one
# more mount (OPTIONS and the mappings as Python literals).
add_mount () {
  local maps=""
  [ $# -gt 3 ] && maps=", 'uidMappings': $4, 'gidMappings': $5"
  set_config b "c['mounts'].append({'destination': '$1', 'source': '$2', 'options': $3$maps})"
}
last_mount () { echo "mounts[$(( $(grep -c '"destination"' b/config.json) - 1 ))]"; }
to_root='[{"containerID": 1234, "hostID": 0, "size": 1}]'
# The container's root may not be the host's: let it reach the bundle.
chmod 0755 "$TEST_TMP"
make_bundle b '["sh", "-c", "stat -c %u:%g /data /data/f && touch /data/new"]'
cp b/config.json base.json
mkdir -p host/sub subsrc
touch host/f subsrc/g
chown -R 1234:1234 host subsrc 2>/dev/null

# A tmpfs is the container's own: it cannot be idmapped (nor need it be).
cp base.json b/config.json
add_mount /scratch tmpfs "['idmap']"
set_config b "c['mounts'][-1]['type'] = 'tmpfs'"
ok "idmap on a tmpfs is refused, naming the mount" hk 1 run --bundle b scratch
ok "... and saying it is for bind mounts" output_has stderr "$(last_mount): idmap, ridmap and uidMappings apply to bind mounts only"

# skip_all REASON: skips the tests named on stdin, one a line.
skip_all () {
  while IFS= read -r t; do skip "$t" "$1"; done
}
root_tests="host uid 1234 as the container's root through the mount's own mapping
a file the container writes there belongs to uid 1234
rbind with idmap leaves the submount unmapped
ridmap maps the submount too
without mappings of its own, the mount takes the container's
what the container's root writes there is the host's root's
a container joining a user namespace by path idmaps with its mapping
a filesystem the kernel cannot idmap is refused
naming the mount and the reason
leaving no container behind"
if [ "$(id -u)" != 0 ]; then
  cp base.json b/config.json
  add_mount /data "$TEST_TMP/host" "['bind', 'idmap']"
  ok "an ordinary user's idmapped mount of host files is refused" hk 1 run --bundle b mine
  ok "... naming the mount and why" output_has stderr "$(last_mount): idmapped mounts of host files need root"
  ok "... and what to do" output_has stderr "run hako as root, or drop idmap and ridmap"
  ok "... leaving no container behind" no_container mine
  skip_all "idmapping host files needs root" <<EOF
$root_tests
EOF
  done_testing
  exit
fi
skip_all "root may idmap host files" <<EOF
an ordinary user's idmapped mount of host files is refused
naming the mount and why
and what to do
leaving no container behind
EOF

# host/ and its file belong to uid 1234, which the mount's own mapping
# makes the container's root (the container's user namespace is the
# identity).
cp base.json b/config.json
add_mount /data "$TEST_TMP/host" "['bind', 'idmap']" "$to_root" "$to_root"
if ! shows probe "0:0 0:0" >/dev/null && grep -q "does not support idmapped mounts" stderr; then
  skip_all "the filesystem of $TEST_TMP does not support idmapped mounts" <<EOF
$root_tests
EOF
  done_testing
  exit
fi
ok "through the mount's own mapping, host uid 1234 is the container's root" shows own "0:0 0:0"
ok "... and what the container's root writes there is 1234's on the host" owner host/new 1234:1234

# A submount below the source: idmap maps the mount itself, ridmap its
# submounts too.
mount --bind subsrc host/sub
cp base.json b/config.json
set_config b "c['process']['args'] = ['stat', '-c', '%u:%g', '/data/f', '/data/sub/g']"
add_mount /data "$TEST_TMP/host" "['rbind', 'idmap']" "$to_root" "$to_root"
ok "rbind with idmap leaves the submount unmapped" shows top "0:0 1234:1234"
set_config b "c['mounts'][-1]['options'] = ['rbind', 'ridmap']"
ok "ridmap maps the submount too" shows recursive "0:0 0:0"
umount host/sub

# No mapping of its own: the container's (0 -> 100000), so the host's
# root-owned files are the container's root's, which a plain bind shows not.
mkdir -p rootowned b/rootfs/data b/rootfs/plain
touch rootowned/f
cp base.json b/config.json
set_config b "c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]; c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': 100000, 'size': 65536}]; c['process']['args'] = ['sh', '-c', 'stat -c %u:%g /data/f /plain/f && touch /data/new']"
add_mount /data "$TEST_TMP/rootowned" "['bind', 'idmap']"
add_mount /plain "$TEST_TMP/rootowned" "['bind']"
ok "without mappings of its own, the mount takes the container's (unlike a plain bind)" shows container "0:0 65534:65534"
ok "... and what the container's root writes there is the host's root's" owner rootowned/new 0:0

# Joining that user namespace by path: its mapping is the container's.
set_config b "c['process']['args'] = ['sleep', '1000']"
hk 0 run --detach --bundle b holder
holder=$("${PYTHON3:-python3}" -c "import json,sys; print(json.load(open(sys.argv[1]))['pid'])" "$root/holder/state.json")
set_config b "c['process']['args'] = ['stat', '-c', '%u:%g', '/data/f']; c['linux']['namespaces'] = [{'type': t} for t in ('pid', 'mount', 'ipc', 'uts')] + [{'type': 'user', 'path': '/proc/$holder/ns/user'}]; del c['linux']['uidMappings'], c['linux']['gidMappings']; c['annotations'].pop('org.hako.network', None); c['annotations']['org.hako.rootfs'] = 'bind'"
ok "a container joining a user namespace by path idmaps with its mapping" shows joined "0:0"
hk 0 delete --force holder

# proc supports no idmapping: the kernel's EINVAL, explained.
cp base.json b/config.json
add_mount /data /proc "['rbind', 'idmap']"
ok "a filesystem the kernel cannot idmap is refused" hk 1 run --bundle b procfs
ok "... naming the mount and the reason" output_has stderr "$(last_mount): cannot idmap the bind source /proc: Invalid argument (the source's filesystem, or one mounted below it, does not support idmapped mounts)"
ok "... leaving no container behind" no_container procfs
done_testing
