/* Unpacking one image layer (a tar, plain, gzip or zstd, read by
 * libarchive) into an empty directory. libarchive only parses: every file
 * is made here, relative to the directory's fd, through openat2
 * RESOLVE_BENEATH, so that no entry (`..`, an absolute path, a symlink or
 * hardlink leading out) can write or link anything outside it.
 *
 * Whiteouts (.wh.NAME) and opaque markers (.wh..wh..opq) stay as the files
 * they are: fuse-overlayfs honours them in its lower layers, where a
 * character device 0/0 would need privileges a rootless caller lacks.
 * Owners are kept only as real root; rootless, every file is the caller's
 * (the overlay's id shift shows them as the container's root), and device
 * nodes are skipped with a warning. */
#pragma once

#include <glib.h>

#include "image.h"

/* NAME (the blob's digest) is for messages. */
gboolean hako_layer_unpack (int blob_fd, HakoLayerCompression compression, int dir_fd,
                            const char *name, GError **error);
