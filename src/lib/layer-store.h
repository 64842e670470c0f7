/* The content-addressed store of unpacked image layers, shared by every
 * container of the user, each layer unpacked once:
 *
 *   STORE/sha256/HEX/   the files of the layer blob of digest sha256:HEX
 *   STORE/tmp/          layers being unpacked, renamed into place when whole
 *   STORE/users/NAME    one per container with layers: its state directory
 *                       on the first line, the digests of its layers after
 *   STORE/lock          held (flock) from unpacking to recording the user,
 *                       and while removing: nothing removes a layer in use
 *
 * Rootless, the files of a layer belong to the caller's subordinate ids
 * (layer-owners.h): removing them (rmi, prune, tmp/) goes through
 * hako_userns_remove_tree.
 *
 * STORE is $XDG_DATA_HOME/hako/layers rootless, /var/lib/hako/layers as
 * real root. A container's state directory links to its users file, so
 * removing the state (delete, or a failed create) releases its layers; a
 * users file whose state directory is gone (a killed runtime) counts for
 * nothing and goes with the next prune. */
#pragma once

#include <glib.h>

#include "image.h"

typedef struct HakoLayerStore HakoLayerStore;

typedef struct
{
  char *digest;
  guint64 size;  /* bytes of its files */
  guint users;   /* containers using it */
} HakoLayerInfo;

/* Makes the store if needed and takes its lock. */
HakoLayerStore *hako_layer_store_open (GError **error);
void hako_layer_store_close (HakoLayerStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoLayerStore, hako_layer_store_close)

const char *hako_layer_store_get_path (const HakoLayerStore *store);

/* The directory of IMAGE's LAYER, unpacked first if it is not in the
 * store (its uncompressed tar checked against DIFF_ID; owners: see
 * layer-owners.h). */
char *hako_layer_store_ensure (HakoLayerStore *store, const HakoImage *image,
                               const HakoImageDescriptor *layer, const char *diff_id, GError **error);
/* Records that the container of STATE_DIR uses DIGESTS. */
gboolean hako_layer_store_pin (HakoLayerStore *store, const char *state_dir,
                               const char *const *digests, GError **error);
/* Forgets what STATE_DIR's container recorded, if anything (no lock needed:
 * only the container's own file goes). */
void hako_layer_store_unpin (const char *state_dir);

/* The layers, by digest, with their sizes and users. */
GPtrArray *hako_layer_store_list (HakoLayerStore *store, GError **error);
void hako_layer_info_free (HakoLayerInfo *info);
/* Removes the layer DIGEST (or a unique prefix of its hex digits);
 * refuses a layer in use. */
gboolean hako_layer_store_remove (HakoLayerStore *store, const char *digest, GError **error);
/* Removes every layer no container uses, and stale users files. */
gboolean hako_layer_store_prune (HakoLayerStore *store, guint *removed, GError **error);
