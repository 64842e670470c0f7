#!/usr/bin/env python3
"""OCI image layouts for images.t that umoci would not make.

image-lib.py tar OUT ENTRY...      a layer tar of ENTRY: NAME=TEXT (a file),
                                   NAME<PATH (the host's file PATH), NAME/ (a
                                   directory), NAME@TARGET (a symlink),
                                   NAME%TARGET (a hardlink), NAME!MAJOR:MINOR
                                   (a character device); any of them ending
                                   in ^UID:GID:MODE (octal) for its owner
                                   and mode
image-lib.py layout DIR CASE OUTSIDE
                                   a one-layer layout, hostile as CASE says
                                   (OUTSIDE: a directory nothing may reach),
                                   or one whose Cmd prints its /etc/hello
                                   (CASE plain, gzip, zstd, device: with a
                                   character device dev/null2); its config's
                                   diff_ids are right unless CASE is
                                   wrong-diff-id
"""
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

OCI = "application/vnd.oci.image."


def make_tar(entries):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for entry in entries:
            data = None
            owner = None
            if "^" in entry:
                entry, owner = entry.rsplit("^", 1)
            if "<" in entry:
                name, path = entry.split("<", 1)
                info = tarfile.TarInfo(name)
                with open(path, "rb") as f:
                    data = f.read()
                info.size, info.mode = len(data), 0o755
            elif "=" in entry:
                name, text = entry.split("=", 1)
                info = tarfile.TarInfo(name)
                data = text.encode()
                info.size, info.mode = len(data), 0o644
            elif "@" in entry:
                name, target = entry.split("@", 1)
                info = tarfile.TarInfo(name)
                info.type, info.linkname = tarfile.SYMTYPE, target
            elif "!" in entry:
                name, numbers = entry.split("!", 1)
                info = tarfile.TarInfo(name)
                info.type, info.mode = tarfile.CHRTYPE, 0o666
                info.devmajor, info.devminor = (int(n) for n in numbers.split(":"))
            elif "%" in entry:
                name, target = entry.split("%", 1)
                info = tarfile.TarInfo(name)
                info.type, info.linkname = tarfile.LNKTYPE, target
            else:
                info = tarfile.TarInfo(entry.rstrip("/"))
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            if owner:
                uid, gid, mode = owner.split(":")
                info.uid, info.gid, info.mode = int(uid), int(gid), int(mode, 8)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return out.getvalue()


def add_blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(layout, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(layout, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def descriptor(layout, media_type, data):
    return dict(add_blob(layout, data), mediaType=media_type)


def write_layout(layout, layer, layer_type, diff_id, case):
    os.makedirs(layout, exist_ok=True)
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    if case == "wrong-diff-id":
        # A config that lies about the layer, with its own right digest.
        diff_id = hashlib.sha256(b"another layer").hexdigest()
    config = json.dumps({"os": "linux", "architecture": "amd64",
                         "config": {"Cmd": ["cat", "/etc/hello"]},
                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff_id]}}).encode()
    layer_desc = descriptor(layout, layer_type, layer)
    if case == "wrong-digest":
        # Same size, other bytes: only the digest can tell.
        path = os.path.join(layout, "blobs", "sha256", layer_desc["digest"][7:])
        with open(path, "r+b") as f:
            f.seek(len(layer) // 2)
            f.write(b"X")
    if case == "wrong-size":
        layer_desc["size"] += 1
    if case == "missing-blob":
        os.unlink(os.path.join(layout, "blobs", "sha256", layer_desc["digest"][7:]))
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": OCI + "manifest.v1+json",
        "config": descriptor(layout, OCI + "config.v1+json", config),
        "layers": [layer_desc]}).encode()
    manifest_desc = descriptor(layout, OCI + "manifest.v1+json", manifest)
    if case == "manifest-digest":
        # The manifest's bytes under a name that is not their digest.
        manifest_desc["digest"] = "sha256:" + hashlib.sha256(b"other").hexdigest()
        with open(os.path.join(layout, "blobs", "sha256", manifest_desc["digest"][7:]), "wb") as f:
            f.write(manifest)
    manifest_desc["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [manifest_desc]}, f)


# CASE -> the layer's entries ({o}: OUTSIDE), or None for a plain layer.
HOSTILE = {
    "dotdot": ["../escaped={o}"],
    "deep-dotdot": ["a/", "a/../../escaped=x"],
    "absolute": ["{o}/escaped=x"],
    "symlink-out": ["evil@{o}", "evil/escaped=x"],
    "symlink-relative-out": ["evil@../../../../../../../../../..{o}", "evil/escaped=x"],
    "symlink-chain-out": ["a@b", "b@{o}", "a/escaped=x"],
    "hardlink-out": ["evil@{o}", "stolen%evil/secret"],
    "hardlink-absolute": ["stolen%{o}/secret"],
    "hardlink-dotdot": ["stolen%../secret"],
    # An owner beyond a rootless caller's 65536 subordinate ids.
    "owner-out-of-range": ["etc/", "etc/hello=x^70000:0:644"],
}
# Files of subordinate ids that a failure leaves half-unpacked, to be removed.
OWNED = ["home/^0:0:755", "home/app/^1000:1000:555", "home/app/a/^1000:1000:755",
         "home/app/a/file=x^1000:1000:444"]


def main():
    if sys.argv[1] == "tar":
        with open(sys.argv[2], "wb") as f:
            f.write(make_tar(sys.argv[3:]))
        return
    layout, case, outside = sys.argv[2:5]
    runnable = ["bin/", "bin/busybox</bin/busybox", "bin/cat@busybox", "etc/", "etc/hello=hello from " + case]
    if case == "device":
        runnable += ["dev/", "dev/null2!1:3"]
    if case in ("wrong-diff-id", "truncated"):
        runnable = OWNED + runnable + ["big=" + "x" * 65536]
    entries = [e.replace("{o}", outside) for e in HOSTILE.get(case, runnable)]
    layer = make_tar(entries)
    layer_type = OCI + "layer.v1.tar"
    if case == "truncated":
        # Whole entries first, then the end cut off in the last file's data.
        layer = layer[:len(layer) - 32768]
    diff_id = hashlib.sha256(layer).hexdigest()
    if case == "corrupt-gzip":
        layer, layer_type = b"\x1f\x8b\x08\x00garbage" * 64, OCI + "layer.v1.tar+gzip"
    elif case == "not-a-tar":
        layer = b"this is no tar archive\n" * 64
    elif case == "unknown-media-type":
        layer_type = OCI + "layer.v1.tar+bzip2"
    elif case == "gzip":
        layer, layer_type = gzip.compress(layer), OCI + "layer.v1.tar+gzip"
    elif case == "zstd":
        layer = subprocess.run(["zstd", "-q", "-c"], input=layer, stdout=subprocess.PIPE, check=True).stdout
        layer_type = OCI + "layer.v1.tar+zstd"
    write_layout(layout, layer, layer_type, diff_id, case)


if __name__ == "__main__":
    main()
