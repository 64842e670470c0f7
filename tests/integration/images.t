#!/bin/sh
# OCI images run directly (--image DIR[:REF]): an image umoci builds from a
# busybox rootfs in several layers (a deleted file, a replaced directory,
# an opaque one, files of other owners), its config's Entrypoint, Cmd,
# Env, WorkingDir, User and Labels, arguments overriding Cmd, the files'
# owners and modes as the image has them (rootless too: unpacked in a user
# namespace of the subordinate ids), one unpack into the layer store shared
# by two containers, hako images / rmi / prune, and hostile layouts
# (traversal, symlinks and hardlinks out, bad digests, diff_ids, sizes and
# media types, owners beyond the subordinate ids) refused with nothing
# written outside the store or left in it.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
plan 75
if ! command -v umoci >/dev/null || ! command -v fuse-overlayfs >/dev/null || [ ! -x /bin/busybox ]; then
  for i in $(seq 75); do skip "images" "install umoci, fuse-overlayfs and busybox-static"; done
  exit 0
fi
root="$TEST_TMP/state"
lib="${PYTHON3:-python3} $HAKO_TESTS_SRCDIR/integration/image-lib.py"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
if [ "$(id -u)" = 0 ]; then
  store=/var/lib/hako/layers
  rootless=
else
  store=${XDG_DATA_HOME:-$HOME/.local/share}/hako/layers
  rootless=--rootless
fi
# Container ids of this run only: the layer store is per user, not per test.
p=img$$
umoci_ () { umoci --log error "$@"; }
has () { grep -q -- "$1" "$TEST_TMP/$2" || { echo "no \"$1\" in $2:"; cat "$TEST_TMP/$2"; return 1; }; }
lacks () { ! grep -q -- "$1" "$TEST_TMP/$2" || { echo "\"$1\" in $2:"; cat "$TEST_TMP/$2"; return 1; }; }
digests () { ${PYTHON3:-python3} -c "
import json, sys
d = sys.argv[1]
m = json.load(open(d + '/index.json'))['manifests'][0]['digest'][7:]
print(' '.join(l['digest'] for l in json.load(open(d + '/blobs/sha256/' + m))['layers']))" "$1"; }
listed () { "$HAKO" images >images.out && grep -q "^$1 .* $2\$" images.out || { cat images.out; return 1; }; }
not_listed () { "$HAKO" images -q >images.out && ! grep -q "^$1\$" images.out || { cat images.out; return 1; }; }

# ---- an image umoci makes: each repack of a fresh unpack adds a layer ----
build_image () {
  umoci_ init --layout img && umoci_ new --image img:latest || return 1
  umoci_ unpack $rootless --image img:latest u1 || return 1
  mkdir -p u1/rootfs/bin u1/rootfs/etc/replaced u1/rootfs/etc/opaque u1/rootfs/srv u1/rootfs/proc \
    u1/rootfs/dev u1/rootfs/sys u1/rootfs/tmp
  cp /bin/busybox u1/rootfs/bin/
  for tool in sh echo cat id ls pwd sleep touch stat; do ln -s busybox "u1/rootfs/bin/$tool"; done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >u1/rootfs/etc/passwd
  printf 'root:x:0:\napp:x:1000:\nstaff:x:50:\n' >u1/rootfs/etc/group
  echo doomed >u1/rootfs/etc/gone
  echo old >u1/rootfs/etc/replaced/old
  echo hidden >u1/rootfs/etc/opaque/hidden
  umoci_ repack --image img:latest u1 && umoci_ unpack $rootless --image img:latest u2 || return 1
  rm u2/rootfs/etc/gone
  umoci_ repack --image img:latest u2 && umoci_ unpack $rootless --image img:latest u3 || return 1
  rm -r u3/rootfs/etc/replaced && mkdir u3/rootfs/etc/replaced && echo new >u3/rootfs/etc/replaced/new
  umoci_ repack --image img:latest u3 || return 1
  # umoci writes a whiteout per file; an opaque directory comes raw.
  $lib tar opaque.tar etc/ etc/opaque/ etc/opaque/.wh..wh..opq= etc/opaque/fresh=fresh || return 1
  umoci_ raw add-layer --image img:latest opaque.tar || return 1
  # Owners other than the caller's: a rootless umoci unpack would lose them.
  # The layer's own root of 1000 would make the overlay shift ids were it kept.
  $lib tar owners.tar ./^1000:1000:755 home/^0:0:755 home/app/^1000:1000:750 home/app/notes=mine^1000:1000:640 \
    usr/ usr/local/ usr/local/bin/ usr/local/bin/suid=x^1000:50:6755 etc/ etc/shadow=secret^0:0:600 || return 1
  umoci_ raw add-layer --image img:latest owners.tar || return 1
  umoci_ config --image img:latest --config.entrypoint /bin/sh --config.entrypoint -c \
    --config.cmd 'echo default-cmd; id -u; id -g; pwd; echo "$GREETING"; echo "$PATH"' \
    --config.env GREETING=hello --config.workingdir /srv --config.user app \
    --config.label com.example.colour=blue --config.label org.hako.rootfs=bind
}
ok "umoci builds a five-layer image from a busybox rootfs" build_image
layers=$(digests img)
base=${layers%% *}
top=${layers##* }
ok "... of five layers" test "$(echo $layers | wc -w)" = 5

ok "run --image runs it" hk 0 run --network none --image img ${p}a
cp "$TEST_TMP/stdout" run.out
ok "... Entrypoint with Cmd" grep -qx default-cmd run.out
ok "... as User app, through the image's /etc/passwd (uid and its group)" sh -c "sed -n 2,3p run.out | tr '\n' ' ' | grep -qx '1000 1000 '"
ok "... in WorkingDir" sh -c "sed -n 4p run.out | grep -qx /srv"
ok "... with Env, over hako spec's" sh -c "sed -n 5p run.out | grep -qx hello && sed -n 6p run.out | grep -q /usr/bin"
ok "... and left nothing behind (state, the record of its layers)" sh -c "[ ! -e '$root/${p}a' ] && ! grep -rqs '$root/${p}a' '$store/users'"

# ---- the files' owners and modes, as the image has them ----
ok "a container of the image" hk 0 run --network none --image img ${p}o -- \
  'stat -c "%u:%g %a %n" / /home/app /home/app/notes /usr/local/bin/suid /etc/shadow /etc/passwd; touch /home/app/new && stat -c "%u:%g new" /home/app/new'
cp "$TEST_TMP/stdout" owners.out
ok "... sees a directory and a file of 1000:1000 as theirs" sh -c "grep -qx '1000:1000 750 /home/app' owners.out && grep -qx '1000:1000 640 /home/app/notes' owners.out"
ok "... a setuid and setgid file with its owner and mode" grep -qx '1000:50 6755 /usr/local/bin/suid' owners.out
ok "... root's files as root's, mode 0600 kept" sh -c "grep -qx '0:0 600 /etc/shadow' owners.out && grep -qx '0:0 644 /etc/passwd' owners.out"
ok "... and / as root's: a layer's root keeps the store's owner, no id shift" grep -qx '0:0 755 /' owners.out
ok "... and User app can write its home" grep -qx '1000:1000 new' owners.out
owners_layer=$(echo $layers | cut -d' ' -f5)
if [ -n "$rootless" ]; then
  sub_start=$(awk -F: -v u="$(id -un)" -v i="$(id -u)" '$1 == u || $1 == i { print $2; exit }' /etc/subuid)
  ok "... the store holds them as the subordinate ids the container sees as 1000" \
    test "$(stat -c %u "$store/sha256/${owners_layer#sha256:}/home/app")" = $((sub_start + 999))
else
  ok "... the store holds them as the image's ids" test "$(stat -c %u:%g "$store/sha256/${owners_layer#sha256:}/home/app")" = 1000:1000
fi

ok "arguments after the id replace Cmd" hk 0 run --network none --image img:latest ${p}b -- 'ls /etc; ls /etc/replaced; ls /etc/opaque'
cp "$TEST_TMP/stdout" ls.out
ok "... a deleted file is gone (whiteout)" sh -c "! grep -qx gone ls.out && grep -qx passwd ls.out"
ok "... a replaced directory shows only its new files" sh -c "grep -qx new ls.out && ! grep -qx old ls.out"
ok "... an opaque directory hides the layers below" sh -c "grep -qx fresh ls.out && ! grep -qx hidden ls.out"

# ---- two containers of one image share the unpacked layers ----
inode_before=$(stat -c %i "$store/sha256/${base#sha256:}")
# The layer of /etc/opaque/fresh, which the first container writes.
opaque=$(echo $layers | cut -d' ' -f4)
tree_sum () { (cd "$store/sha256/${opaque#sha256:}" && find . -printf '%p %m %s\n' | sort); }
same_opaque () { tree_sum | cmp -s - opaque.before; }
tree_sum >opaque.before
ok "create two containers of the image" sh -c "'$HAKO' --root '$root' create --network none --image img ${p}c -- 'echo x > /etc/opaque/fresh; sleep 1000' && '$HAKO' --root '$root' create --network none --image img ${p}d sleep 1000"
ok "... the layers were not unpacked again" test "$(stat -c %i "$store/sha256/${base#sha256:}")" = "$inode_before"
ok "... hako images counts both containers on each layer" listed "$base" 2
ok "... and on the top one" listed "$top" 2
ok "... the state's bundle is the state directory" sh -c "'$HAKO' --root '$root' state ${p}c | grep -q '\"bundle\" *: *\"$root/${p}c\"'"
ok "... its config.json has the image's labels as annotations" grep -q '"com.example.colour" *: *"blue"' "$root/${p}c/config.json"
ok "... but no org.hako.* label" grep -q '"org.hako.rootfs" *: *"overlay"' "$root/${p}c/config.json"
ok "... and process.user from the image" grep -q '"uid" *: *1000' "$root/${p}c/config.json"
hk 0 start ${p}c
sleep 0.3
ok "... a write in a container does not reach the layer store" same_opaque
ok "rmi refuses a layer in use" hk 1 rmi "$base"
ok "... saying by how many containers" has "in use by 2 containers" stderr
ok "images prune keeps layers in use" sh -c "'$HAKO' images prune >/dev/null && '$HAKO' images -q | grep -qx '$base'"
ok "delete the containers" sh -c "'$HAKO' --root '$root' delete --force ${p}c && '$HAKO' --root '$root' delete --force ${p}d"
ok "... no container uses the layers any more" listed "$base" 0
ok "rmi removes an unused layer (by a prefix of its digest)" hk 0 rmi "$(echo "$top" | cut -c1-20)"
ok "... it is gone from the store" not_listed "$top"
ok "... with its files of other owners: nothing of it is left" sh -c "[ ! -e '$store/sha256/${top#sha256:}' ] && [ -z \"\$(ls -A '$store/tmp')\" ]"
ok "images prune removes the unused rest" sh -c "'$HAKO' images prune | grep -q 'removed'"
ok "... the base layer is gone" not_listed "$base"
ok "... and nothing of the image's layers is left" sh -c "for l in $layers; do [ ! -e \"$store/sha256/\${l#sha256:}\" ] || exit 1; done; [ -z \"\$(ls -A '$store/tmp')\" ]"
ok "rmi of a layer not in the store says so" hk 1 rmi "$base"
ok "... naming hako images" has "hako images" stderr

# Without subordinate ids the owners are lost, and a warning says so once
# (for all five layers) with the fix. Only root can be a user without them.
if [ -z "$rootless" ] && id nobody >/dev/null 2>&1; then
  lone=$(mktemp -d /tmp/hako-lone.XXXXXX)
  cp -r img "$lone/img" && mkdir "$lone/run" && chmod 0755 "$lone" && chown -R nobody "$lone"
  runuser -u nobody -- env -i HOME="$lone" XDG_RUNTIME_DIR="$lone/run" XDG_DATA_HOME="$lone/data" PATH="$PATH" \
    sh -c "'$HAKO' --root '$lone/state' create --network none --image '$lone/img' ${p}lone true; '$HAKO' --root '$lone/state' delete --force ${p}lone" 2>lone.err
  ok "without /etc/subuid ranges: one warning that the owners are lost, with the fix" sh -c \
    "[ \$(grep -c \"image layers are unpacked without their files' owners.*/etc/subuid has no range for user nobody.*add a line such as\" lone.err) = 1 ] || { cat lone.err; false; }"
  rm -rf "$lone"
else
  skip "without /etc/subuid ranges: one warning that the owners are lost, with the fix" "only root can run hako as a user without subordinate ids"
fi

# ---- choosing the manifest and the base config ----
mkdir -p bundle
"$HAKO" spec --bundle bundle
${PYTHON3:-python3} -c "
import json; c = json.load(open('bundle/config.json')); c['hostname'] = 'from-bundle'; c['root']['path'] = '/nonexistent'
json.dump(c, open('bundle/config.json', 'w'))"
ok "--bundle gives the base config (root.path ignored)" hk 0 run --network none --bundle bundle --image img ${p}e -- 'cat /proc/sys/kernel/hostname'
ok "... its hostname" has from-bundle stdout
ok "an unknown REF is refused, naming the ones there are" hk 1 run --network none --image img:nope ${p}f
ok "... with the fix" has 'no manifest is called "nope".*latest.*DIR:REF' stderr
ok "a directory that is no image layout is refused" hk 1 run --network none --image bundle ${p}f
ok "... saying what it should be" has "not an OCI image layout" stderr

# ---- hostile layouts ----
mkdir outside
echo secret >outside/secret
# refused CASE MESSAGE: refused with MESSAGE, nothing written outside, no
# layer or temporary directory kept, no container state.
refused () {
  $lib layout "h-$1" "$1" "$TEST_TMP/outside" || return 1
  hk 1 run --network none --image "h-$1" "${p}h" || return 1
  grep -q -- "$2" "$TEST_TMP/stderr" || { echo "no \"$2\" in:"; cat "$TEST_TMP/stderr"; return 1; }
  [ "$(ls "$TEST_TMP/outside")" = secret ] && [ "$(cat "$TEST_TMP/outside/secret")" = secret ] \
    || { echo "written outside:"; ls -la "$TEST_TMP/outside"; return 1; }
  [ ! -e "$TEST_TMP/escaped" ] && [ ! -e "$store/escaped" ] && [ ! -e "$store/tmp/escaped" ] || { echo "escaped"; return 1; }
  [ -z "$(ls -A "$store/tmp")" ] || { echo "left in $store/tmp:"; ls -la "$store/tmp"; return 1; }
  digest=$(digests "h-$1")
  [ ! -e "$store/sha256/${digest#sha256:}" ] || { echo "layer $digest kept"; return 1; }
  [ ! -e "$root/${p}h" ] || { echo "state left"; return 1; }
}
ok "hostile: ../ in a path" refused dotdot 'entry "../escaped": ".." is not allowed in a layer'
ok "hostile: ../ deeper in a path" refused deep-dotdot '"a/../../escaped"'
ok "hostile: an absolute path" refused absolute 'absolute paths are not allowed'
ok "hostile: a file written through a symlink out" refused symlink-out 'leads out of the layer through a symlink'
ok "hostile: ... through a relative symlink out" refused symlink-relative-out 'entry "evil/escaped": its path leads out'
ok "hostile: ... through a chain of symlinks" refused symlink-chain-out 'leads out of the layer'
ok "hostile: a hardlink through a symlink out" refused hardlink-out 'entry "stolen": its path leads out'
ok "hostile: a hardlink to an absolute path" refused hardlink-absolute 'absolute paths are not allowed'
ok "hostile: a hardlink to ../" refused hardlink-dotdot 'is not allowed'
ok "hostile: a layer whose bytes do not match its digest" refused wrong-digest 'wrong sha256 digest'
ok "hostile: a layer shorter than its size" refused wrong-size 'smaller than its size'
ok "hostile: a manifest whose digest is wrong" refused manifest-digest 'manifest.v1+json) does not match.*wrong sha256 digest'
ok "hostile: a missing blob" refused missing-blob 'blobs/sha256/'
ok "hostile: a corrupt gzip layer" refused corrupt-gzip 'tar archive'
ok "hostile: a layer that is no tar" refused not-a-tar 'tar archive'
ok "hostile: an unknown layer media type" refused unknown-media-type 'unknown layer media type'
ok "hostile: a config whose diff_id is not the layer's" refused wrong-diff-id 'its uncompressed content has the digest sha256:[0-9a-f]*, but the image.s config gives sha256:'
ok "... naming the layer" has "layer $(digests h-wrong-diff-id): its uncompressed" stderr
ok "hostile: a layer cut off after files of other owners (removed half-unpacked)" refused truncated 'entry "big": Truncated tar archive'
if [ -n "$rootless" ]; then
  ok "hostile: an owner beyond the subordinate ids" refused owner-out-of-range 'entry "etc/hello" belongs to 70000:0, which the user namespace'
  ok "... saying what to do" has 'potentially insufficient UIDs or GIDs.*give the user ranges of at least 70000 ids in /etc/subuid and /etc/subgid' stderr
else
  skip "hostile: an owner beyond the subordinate ids" "root maps every id"
  skip "... saying what to do" "root maps every id"
fi
# runs KIND: a python-made image of a KIND (plain, gzip, zstd) layer runs.
runs () {
  $lib layout "$1" "$1" "$TEST_TMP/outside" && hk 0 run --network none --image "$1" "${p}$1" \
    && grep -qx "hello from $1" "$TEST_TMP/stdout"
}
ok "a plain tar layer runs" runs plain
ok "a gzip tar layer runs" runs gzip
if command -v zstd >/dev/null; then
  ok "a zstd tar layer runs" runs zstd
else
  skip "a zstd tar layer runs" "install zstd (the tests compress with its command)"
  $lib layout zstd plain "$TEST_TMP/outside"
fi
ok "a layer with a device node runs" runs device
device_layer=$(digests device)
if [ "$(id -u)" = 0 ]; then
  ok "... the node is made, as root" test -c "$store/sha256/${device_layer#sha256:}/dev/null2"
else
  ok "... the node is skipped rootless, with a warning" has "1 device nodes skipped: an unprivileged user cannot create them" stderr
fi
ok "images prune removes their layers" sh -c "'$HAKO' images prune >/dev/null && ! '$HAKO' images -q | grep -q -e '$(digests plain)' -e '$(digests gzip)' -e '$(digests zstd)' -e '$device_layer'"
