#!/bin/sh
# Multi-platform images (skopeo copy --all, buildx): of an index's
# manifests, the one for this host's os/architecture[/variant], whether
# index.json lists them itself or through a nested index under a ref; an
# index with nothing for this host is refused, naming what it has.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
plan 9
if ! command -v fuse-overlayfs >/dev/null || [ ! -x /bin/busybox ] || [ "$(uname -m)" != x86_64 ]; then
  for i in $(seq 9); do skip "multi-platform images" "install fuse-overlayfs and busybox-static (x86_64 hosts: the test's manifests are amd64)"; done
  exit 0
fi
root="$TEST_TMP/state"
lib="${PYTHON3:-python3} $HAKO_TESTS_SRCDIR/integration/image-lib.py"
p=plat$$
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
# platforms LAYOUT NESTED PLATFORM...: LAYOUT's index.json lists its manifest
# once per PLATFORM (os/arch[/variant]); the host's (linux/amd64) keeps its
# digest, the others point at a blob that is no manifest, which only a
# wrong choice would read. NESTED: the list is a nested index under ref "multi".
platforms () {
  ${PYTHON3:-python3} - "$@" <<'PY'
import hashlib, json, os, sys
layout, nested, platforms = sys.argv[1], sys.argv[2] == "yes", sys.argv[3:]
index = json.load(open(os.path.join(layout, "index.json")))
real = index["manifests"][0]
real.pop("annotations", None)
def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    open(os.path.join(layout, "blobs", "sha256", digest), "wb").write(data)
    return "sha256:" + digest, len(data)
decoy_digest, decoy_size = blob(b"not a manifest\n")
entries = []
for p in platforms:
    parts = p.split("/")
    platform = {"os": parts[0], "architecture": parts[1]}
    if len(parts) > 2:
        platform["variant"] = parts[2]
    entry = dict(real) if p == "linux/amd64" else {"mediaType": real["mediaType"], "digest": decoy_digest, "size": decoy_size}
    entry["platform"] = platform
    entries.append(entry)
listing = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}
if nested:
    digest, size = blob(json.dumps(listing).encode())
    listing = {"schemaVersion": 2, "manifests": [{"mediaType": listing["mediaType"], "digest": digest, "size": size,
               "annotations": {"org.opencontainers.image.ref.name": "multi"}}]}
json.dump(listing, open(os.path.join(layout, "index.json"), "w"))
PY
}
fresh () { rm -rf "$1" && $lib layout "$1" plain "$TEST_TMP/outside"; }

fresh flat && platforms flat no linux/arm64/v8 linux/s390x linux/amd64 windows/amd64
ok "index.json listing four platforms: the host's runs" hk 0 run --network none --image flat ${p}a
ok "... that one" grep -qx "hello from plain" "$TEST_TMP/stdout"
fresh nested && platforms nested yes linux/amd64 linux/arm/v7 linux/ppc64le
ok "a nested index under a ref: the host's manifest runs" hk 0 run --network none --image nested:multi ${p}b
ok "... that one" grep -qx "hello from plain" "$TEST_TMP/stdout"
ok "a nested index under a ref, without the ref: the only entry" hk 0 run --network none --image nested ${p}c
fresh foreign && platforms foreign yes linux/arm64/v8 linux/s390x
ok "no manifest for this host: refused" hk 1 run --network none --image foreign:multi ${p}d
ok "... naming the host's platform and the image's" grep -q "no manifest for this host's platform linux/amd64 (the image has linux/arm64/v8, linux/s390x): use an image built for linux/amd64" "$TEST_TMP/stderr"
ok "... leaving no state" test ! -e "$root/${p}d"
fresh twice && platforms twice no linux/amd64 linux/s390x linux/amd64
ok "two manifests for this host and neither called latest: refused as ambiguous" sh -c "'$HAKO' --root '$root' run --network none --image twice ${p}e 2>&1 | grep -q '2 manifests and none called \"latest\"'"
"$HAKO" images prune >/dev/null
