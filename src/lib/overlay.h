/* The container's rootfs through fuse-overlayfs: lowerdir root.path,
 * upperdir and workdir in a per-container storage directory, so that the
 * bundle is never written and any number of containers can share it.
 *
 * The mount is made by the container process itself, in its user and mount
 * namespaces (so the host sees nothing mounted), before the mount plan: it
 * forks and execs fuse-overlayfs with an argv the runtime prepared. The
 * daemon fuse-overlayfs leaves behind is in the container's pid namespace,
 * which the overlay requires: the kernel kills it with the container's
 * pid 1, and the mount namespace goes with the last of them.
 *
 * The storage directory is found from the state directory (a symlink
 * there), so that deleting the state removes it whatever the environment of
 * the deleting command. */
#pragma once

#include <glib.h>

#include "child-error.h"
#include "spec.h"
#include "userns.h"

/* "overlay": the rootfs through fuse-overlayfs; "bind" (or absent): root.path as it is. */
#define HAKO_ANNOTATION_ROOTFS "org.hako.rootfs"
#define HAKO_OVERLAY_PACKAGE "fuse-overlayfs"

typedef struct HakoOverlay HakoOverlay;

/* Whether SPEC's annotations or REQUESTED (--overlay) ask for the overlay;
 * FALSE with ERROR set when the annotation has an unknown value. */
gboolean hako_overlay_wanted (const HakoSpec *spec, gboolean requested, gboolean *wanted,
                              GError **error);

/* In the runtime: checks that fuse-overlayfs and /dev/fuse can be used and
 * that SPEC gives the container a pid namespace of its own. The storage is
 * ID.DIGEST, DIGEST the start of STATE_DIR's sha256, removed with the
 * container; or STORAGE, the caller's directory for upper, work and merged,
 * which stays after it. ROOTFS is the lowerdir: root.path, or an image's
 * layers joined by ':', topmost first. */
HakoOverlay *hako_overlay_new (const HakoSpec *spec, const char *id, const char *state_dir,
                               const char *rootfs, const char *storage, GError **error);
void hako_overlay_free (HakoOverlay *overlay);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoOverlay, hako_overlay_free)

/* In the runtime, once the state directory STATE_DIR exists and the
 * container's MAPPINGS are known: makes the storage directory (recorded in
 * STATE_DIR) and the argv of fuse-overlayfs; as real root, idmapped
 * lowerdirs when their owner is unmapped (see overlay-idmap.h). */
gboolean hako_overlay_prepare (HakoOverlay *overlay, const char *state_dir,
                               const HakoUsernsMappings *mappings, GError **error);
/* In the runtime once the setup is forked (or will not be): closes the
 * detached mounts of idmapped lowerdirs that the setup inherits. */
void hako_overlay_close_lowers (HakoOverlay *overlay);
/* Where the merged tree will be, for the mount plan to bind as the rootfs. */
const char *hako_overlay_get_merged (const HakoOverlay *overlay);

/* Whether OVERLAY (may be NULL) has idmapped lowerdirs, which the setup's
 * first child attaches before it makes the container's user namespace. */
gboolean hako_overlay_has_idmapped_lowers (const HakoOverlay *overlay);
/* In the setup's first child, as the host's root, before the container's
 * user namespace exists: attaches the idmapped lowerdirs, if any, in a
 * mount namespace of its own (see overlay-idmap.h). Async-signal-safe. 0,
 * or -1 with *ERR (HAKO_CHILD_STAGE_OVERLAY). */
int hako_overlay_attach_lowers (const HakoOverlay *overlay, HakoChildError *err);
/* In the container process, in its namespaces, as its root: mounts the
 * overlay. Async-signal-safe. 0, or -1 with *ERR (HAKO_CHILD_STAGE_OVERLAY). */
int hako_overlay_mount (const HakoOverlay *overlay, HakoChildError *err);
char *hako_overlay_describe_error (const HakoOverlay *overlay, const HakoChildError *err);

/* Where the storage directories of containers are made (see overlay.c). */
char *hako_overlay_storage_root (void);

/* Removes the storage directory recorded in STATE_DIR, if any. */
void hako_overlay_remove_storage (const char *state_dir);

/* The uidmapping= (or gidmapping=) value that shows files owned by
 * OWNER (a host id) as owned by container 0 under MAPPINGS, or NULL when
 * they already are, or OWNER is not mapped at all (nothing to shift to). */
char *hako_overlay_id_shift (const HakoIdMappings *mappings, guint32 owner);
