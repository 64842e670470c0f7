/* The overlay's lowerdirs idmapped, as real root, when their owner is
 * unmapped in the container (a rootfs of the host's root, run with
 * container 0 a subordinate id): fuse-overlayfs, in the container's user
 * namespace, would show every file as the overflow id (nobody).
 *
 * Each lowerdir is idmapped with the container's own mappings instead, as
 * the idmapped binds are (see mount-idmap.h): host 0's files show as the
 * container's 0, host 1000's as its 1000, with nothing copied or chowned.
 * The runtime makes the detached mounts (that needs CAP_SYS_ADMIN over the
 * host's filesystems, which the setup never has), read-only.
 *
 * Read-only for good: through them the bundle's files are the container
 * root's own, and a container root with every capability of its user
 * namespace reaches its fuse-overlayfs daemon's mounts (through
 * /proc/PID/root, or setns), where it could remount them read-write. The
 * kernel locks a mount's read-only flag when it copies the mount into a
 * mount namespace of a less privileged user namespace. So the setup's
 * first child, still the host's root, attaches them under the storage
 * directory (STORAGE/lower/N) in a mount namespace of its own (a slave of
 * the host's: nothing propagates back), before it makes the container's
 * user namespace; the container's mount namespace, made next, is a copy of
 * it, with them locked. They are gone with the container's mount
 * namespaces (its own, pivoted away from them, and its daemon's): the host
 * never sees them mounted. */
#pragma once

#include <glib.h>
#include <sys/stat.h>

#include "userns.h"

typedef struct
{
  guint n;        /* 0: not idmapped */
  char **sources; /* the lowerdirs, topmost first */
  char **targets; /* STORAGE/lower/N, where the setup attaches them */
  int *fds;       /* their detached idmapped mounts, -1 once closed */
} HakoOverlayIdmap;

/* In the runtime: the detached mounts of the ':'-separated LOWERDIR's
 * directories, idmapped with MAPPINGS, with targets under STORAGE. TOP is
 * the topmost's stat, whose owner the error message names. On failure
 * nothing stays open. */
gboolean hako_overlay_idmap_open (HakoOverlayIdmap *idmap, const char *lowerdir, const char *storage,
                                  const HakoUsernsMappings *mappings, const struct stat *top,
                                  GError **error);
/* The targets joined by ':', fuse-overlayfs's lowerdir. */
char *hako_overlay_idmap_lowerdir (const HakoOverlayIdmap *idmap);
/* In the runtime once the setup has them (or will not start): closes the detached mounts. */
void hako_overlay_idmap_close (HakoOverlayIdmap *idmap);
void hako_overlay_idmap_clear (HakoOverlayIdmap *idmap);

/* In the setup's first child, as the host's root, before it makes the
 * container's user namespace: a mount namespace of its own, a slave of the
 * host's, with each attached on its target and closed, so that none
 * reaches fuse-overlayfs or the payload. Async-signal-safe. 0, or -1 with
 * errno and *FAILED the index, or -1 for the mount namespace. */
int hako_overlay_idmap_attach (const HakoOverlayIdmap *idmap, int *failed);
