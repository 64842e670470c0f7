/* Unpacking one image layer (a tar, plain, gzip or zstd, read by
 * libarchive) into an empty directory. libarchive only parses: every file
 * is made here, relative to the directory's fd, through openat2
 * RESOLVE_BENEATH, so that no entry (`..`, an absolute path, a symlink or
 * hardlink leading out) can write or link anything outside it.
 *
 * Whiteouts (.wh.NAME) and opaque markers (.wh..wh..opq) stay as the files
 * they are: fuse-overlayfs honours them in its lower layers, where a
 * character device 0/0 would need privileges a rootless caller lacks.
 * Owners are kept when FLAGS say (real root, or root of a user namespace
 * of the caller's subordinate ids: see layer-owners.h); otherwise every
 * file is the caller's. The owner of the layer's root directory is never
 * taken from the tar: it stays the store's, so that fuse-overlayfs's id
 * shift, which looks at the topmost lowerdir's owner, sees the store's
 * ids as the container's (see hako_overlay_id_shift). Device nodes are
 * made only with HAKO_LAYER_UNPACK_DEVICES, and counted in SKIPPED_NODES
 * otherwise.
 *
 * The sha256 of the uncompressed tar must be DIFF_ID (the image config's
 * rootfs.diff_ids entry), checked once the whole stream is read: on a
 * mismatch the directory holds files that the caller must remove. */
#pragma once

#include <glib.h>

#include "image.h"

typedef enum
{
  HAKO_LAYER_UNPACK_OWNERS = 1 << 0,  /* chown as the tar says */
  HAKO_LAYER_UNPACK_DEVICES = 1 << 1, /* mknod device nodes (real root) */
} HakoLayerUnpackFlags;

/* NAME (the blob's digest) is for messages. */
gboolean hako_layer_unpack (int blob_fd, HakoLayerCompression compression, int dir_fd,
                            const char *name, const char *diff_id, HakoLayerUnpackFlags flags,
                            guint *skipped_nodes, GError **error);
