#!/usr/bin/env python3
"""image-archive.py ROOTFS_TAR NAME OUT_TAR: a one-layer image of ROOTFS_TAR
named NAME ("localhost/busybox:e2e"), as a tar that both `docker load`
(its manifest.json) and `ctr image import` (its OCI index.json) take: no
registry, no network."""
import hashlib
import io
import json
import sys
import tarfile


def blob(out, data):
    digest = hashlib.sha256(data).hexdigest()
    info = tarfile.TarInfo("blobs/sha256/" + digest)
    info.size = len(data)
    out.addfile(info, io.BytesIO(data))
    return digest


def main(rootfs_tar, name, out_tar):
    with open(rootfs_tar, "rb") as f:
        layer = f.read()
    layer_digest = hashlib.sha256(layer).hexdigest()
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                   "Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + layer_digest]},
    }).encode()
    with tarfile.open(out_tar, "w") as out:
        for d in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(d)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            out.addfile(info)
        blob(out, layer)
        config_digest = blob(out, config)
        manifest = json.dumps({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": "sha256:" + config_digest, "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                        "digest": "sha256:" + layer_digest, "size": len(layer)}],
        }).encode()
        manifest_digest = blob(out, manifest)
        files = {
            "oci-layout": json.dumps({"imageLayoutVersion": "1.0.0"}),
            "index.json": json.dumps({
                "schemaVersion": 2,
                "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "digest": "sha256:" + manifest_digest, "size": len(manifest),
                               "annotations": {"io.containerd.image.name": name,
                                               "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]}}],
            }),
            "manifest.json": json.dumps([{
                "Config": "blobs/sha256/" + config_digest, "RepoTags": [name],
                "Layers": ["blobs/sha256/" + layer_digest]}]),
        }
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main(*sys.argv[1:])
