/* Idmapped bind mounts: mounts[].options idmap and ridmap, with the
 * mount's uidMappings/gidMappings or else the container's own.
 *
 * mount_setattr(MOUNT_ATTR_IDMAP) needs CAP_SYS_ADMIN in the user namespace
 * that owns the source's filesystem (for host files the initial one: the
 * host's root), which the setup process, already inside the container's
 * user namespace, never has. So the runtime makes each idmapped mount
 * before the setup starts: open_tree(OPEN_TREE_CLONE) of the source, then
 * MOUNT_ATTR_IDMAP to a user namespace holding the mapping. The setup
 * inherits the detached mount's fd through fork and moves it into place
 * (move_mount) at the mount's step of the plan: the container's user
 * namespace owns its mount namespace, so that needs no more privilege. */
#pragma once

#include <glib.h>

#include "mount.h"
#include "spec.h"

/* Opens the detached mount (step->mount_fd) of every idmapped bind of PLAN.
 * A mount without mappings of its own gets USERNS_FD, the container's user
 * namespace when it joins one by path, or else (USERNS_FD -1) a user
 * namespace mapped with UIDS and GIDS, the maps the container's gets.
 * On failure nothing stays open. */
gboolean hako_mount_plan_open_idmapped (HakoMountPlan *plan, int userns_fd, const HakoIdMappings *uids,
                                        const HakoIdMappings *gids, GError **error);

/* The detached clone of SOURCE (with its submounts if RECURSIVE), close on
 * exec: an fd, or -1 with errno. */
int hako_mount_idmap_clone (const char *source, gboolean recursive);
/* Idmaps the detached TREE_FD (its submounts too if RECURSIVE) to the
 * user namespace USERNS_FD, and makes it READONLY: 0, or -1 with errno. */
int hako_mount_idmap_set (int tree_fd, int userns_fd, gboolean recursive, gboolean readonly);
