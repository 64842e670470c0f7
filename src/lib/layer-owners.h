/* Unpacking an image layer as whoever can keep its files' owners.
 *
 * As root (of the host, or of a user namespace an engine runs hako in):
 * in the runtime, owners as the tar says (device nodes as the host's
 * root only). Rootless with /etc/subuid and /etc/subgid ranges: in the
 * hidden command `hako _unpack-layer`, run as root of a user namespace of
 * hako's default mapping (0 -> the caller, 1..N -> the first ranges), as
 * Podman does; it must be a process that execs, since the runtime may be
 * multi-threaded and only async-signal-safe calls may come between its
 * fork and an exec. Each file then belongs to the host id that the
 * default container mapping shows as the tar's id: the store's ids are
 * the container's, and fuse-overlayfs shows them as they are (the layer's
 * root is the caller's, container 0, so hako_overlay_id_shift shifts
 * nothing). A container with a mapping of its own (linux.uidMappings)
 * sees the caller's files as its root's (the shift swaps 0 with wherever
 * the caller lands) and the others as its mapping makes those host ids:
 * the overflow id where it leaves them out. Rootless without ranges:
 * in the runtime, every file the caller's (owners lost), said once. */
#pragma once

#include <glib.h>

#include "image.h"

#define HAKO_LAYER_UNPACK_COMMAND "_unpack-layer"
/* The fds the hidden command is started with: the blob, the (empty)
 * directory to unpack into, and where it reports ("S" and the number of
 * device nodes skipped, or "E", the error code, ':' and the message). */
#define HAKO_LAYER_UNPACK_BLOB_FD 3
#define HAKO_LAYER_UNPACK_DIR_FD 4
#define HAKO_LAYER_UNPACK_REPORT_FD 5

typedef struct HakoLayerUnpacker HakoLayerUnpacker;

/* Chooses how this caller unpacks (and warns when owners are lost). */
HakoLayerUnpacker *hako_layer_unpacker_new (GError **error);
void hako_layer_unpacker_free (HakoLayerUnpacker *unpacker);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoLayerUnpacker, hako_layer_unpacker_free)

/* Unpacks LAYER (BLOB_FD, at its start) into the empty directory DIR_FD,
 * checking DIFF_ID (see hako_layer_unpack). */
gboolean hako_layer_unpacker_run (HakoLayerUnpacker *unpacker, const HakoImageDescriptor *layer,
                                  const char *diff_id, int blob_fd, int dir_fd, GError **error);

/* The hidden command's work, on its fds above: whether it unpacked. */
gboolean hako_layer_unpack_helper (const char *media_type, const char *name, const char *diff_id);
