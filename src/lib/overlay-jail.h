/* The fuse-overlayfs daemon's own root: only what it needs.
 *
 * The daemon runs in the container's user and pid namespaces with every
 * capability there, in a mount namespace of its own copied from the
 * setup's, which still holds the host's whole tree. A container root given
 * CAP_SYS_PTRACE (or every capability) passes the kernel's ptrace check on
 * it, and /proc/PID/root of the daemon would then lead it out of its own
 * rootfs, into the caller's files (rootless) or anything the container's
 * ids may touch (as root). So before its exec the daemon's process makes a
 * tmpfs its root (pivot_root, the old one detached), holding read-only
 * binds of the system directories its program and libraries are in, its
 * program, the storage directory (with the merged directory's shared
 * bind), read-only binds of the lowerdirs (the bundle stays as it is even
 * through the daemon), the two devices it opens and a procfs of the container's
 * pid namespace. Each path keeps its name, so its command line is
 * unchanged. A lowerdir of / (`hako sandbox`) would bring the whole tree
 * back: there is no jail then. */
#pragma once

#include <glib.h>

#include "child-error.h"

typedef struct HakoOverlayJail HakoOverlayJail;

/* In the runtime: the plan for ROOT (an empty directory in STORAGE), with
 * PROGRAM, the ':'-separated LOWERDIR (none of them /) and STORAGE. */
HakoOverlayJail *hako_overlay_jail_new (const char *root, const char *program, const char *lowerdir,
                                        const char *storage, GError **error);
void hako_overlay_jail_free (HakoOverlayJail *jail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoOverlayJail, hako_overlay_jail_free)

/* In the daemon's process, after unshare (CLONE_NEWNS) and before its
 * exec: async-signal-safe. 0, or -1 with errno and *FAILED the step. */
int hako_overlay_jail_enter (const HakoOverlayJail *jail, int *failed);

/* What step FAILED did, for the error message. */
char *hako_overlay_jail_describe_step (const HakoOverlayJail *jail, int failed);
