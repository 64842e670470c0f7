/* The container's cgroup: which manager owns it, where it lives, and the
 * steps of its life (create, place the first process, apply
 * linux.resources, signal everything in it, destroy). A manager is a set
 * of operations (cgroup-private.h): cgroupfs writes the cgroup
 * filesystems itself (cgroup-fs.c); systemd makes a scope for the
 * container over D-Bus (cgroup-systemd.c).
 *
 * The runtime drives every step; nothing here runs between fork and exec. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "spec.h"
#include "state.h"

typedef enum
{
  HAKO_CGROUP_MANAGER_NONE,     /* no cgroup: limits are refused (unsupported.c) */
  HAKO_CGROUP_MANAGER_CGROUPFS, /* the cgroup filesystems, written directly */
  HAKO_CGROUP_MANAGER_SYSTEMD,  /* a transient scope of the caller's systemd */
} HakoCgroupManager;

/* The manager for --cgroup-manager REQUESTED ("systemd", "cgroupfs",
 * "disabled", or NULL for the default: systemd when it can work here and
 * linux.cgroupsPath CGROUPS_PATH is unset or systemd's slice:prefix:name,
 * else cgroupfs when that can, else none). An explicit systemd that
 * cannot work is an error saying what is missing; an explicit cgroupfs
 * that cannot falls back to none, so that limits are refused with the
 * reason rather than at random. With none, *WHY_NONE says why, for that
 * refusal. */
gboolean hako_cgroup_manager_choose (const char *requested, const char *cgroups_path,
                                     HakoCgroupManager *out, char **why_none, GError **error);
/* Whether systemd can give this process a cgroup: a cgroup v2 host and
 * the manager's bus (see systemd-bus.h); if not, why and how to get it. */
gboolean hako_cgroup_systemd_usable (char **why_not);
/* Whether cgroupfs can work for this process (root with cgroup v1
 * hierarchies); if not, why and what would make it work. */
gboolean hako_cgroup_fs_usable (char **why_not);

typedef struct HakoCgroup HakoCgroup;

/* The error for COMMAND ("pause") on container ID, which has no cgroup:
 * why this host gave it none, and what would. Returns FALSE. */
gboolean hako_cgroup_refuse_missing (const char *id, const char *command, GError **error);

/* The cgroup of container ID under MANAGER (not NONE) for linux.cgroupsPath
 * CGROUPS_PATH (may be NULL), resolved but not created yet. */
HakoCgroup *hako_cgroup_new (HakoCgroupManager manager, const char *id, const char *cgroups_path,
                             GError **error);
/* A container's cgroup again, from what its state recorded: the manager's
 * name, the cgroup directories and the directories create made. */
HakoCgroup *hako_cgroup_from_state (const char *manager, const char *const *paths,
                                    const char *const *created);
void hako_cgroup_free (HakoCgroup *cgroup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoCgroup, hako_cgroup_free)

/* What the state records (see hako_cgroup_from_state). */
const char *hako_cgroup_manager_name (const HakoCgroup *cgroup);
const char *const *hako_cgroup_paths (const HakoCgroup *cgroup);
const char *const *hako_cgroup_created (const HakoCgroup *cgroup);
/* Puts what delete needs of CGROUP into STATE (manager, paths, what was
 * created): after placement, since systemd's scope has its directory only
 * once the container's process is in it. */
void hako_cgroup_record (const HakoCgroup *cgroup, HakoState *state);

/* Makes the cgroup directories; on failure nothing is left. */
gboolean hako_cgroup_create (HakoCgroup *cgroup, GError **error);
/* Moves process PID (and so every process it forks later) into the cgroup. */
gboolean hako_cgroup_place (HakoCgroup *cgroup, pid_t pid, GError **error);
/* exec --cgroup: makes the cgroup a sub-cgroup of the container's, from
 * REQUESTS ("PATH" for every hierarchy; on cgroup v1 also
 * "CONTROLLER[,CONTROLLER...]:PATH" for some), PATH relative to the
 * container's cgroup and never above it. Each must exist. */
gboolean hako_cgroup_select_sub (HakoCgroup *cgroup, const char *const *requests, GError **error);
/* Writes linux.resources; a limit this host cannot enforce is an error
 * naming its JSON path. */
gboolean hako_cgroup_apply (HakoCgroup *cgroup, const HakoResources *resources, GError **error);
/* The pids (pid_t) of every process in the cgroup, or NULL. */
GArray *hako_cgroup_pids (HakoCgroup *cgroup, GError **error);
/* Freezes (FROZEN) or thaws every process in the cgroup; a freeze
 * returns once all are frozen. */
gboolean hako_cgroup_freeze (HakoCgroup *cgroup, gboolean frozen, GError **error);
/* Sends SIGNAL_NUMBER to every process in the cgroup. */
void hako_cgroup_signal_all (HakoCgroup *cgroup, int signal_number);
/* Kills what is left in the cgroup and removes the directories create
 * made, retrying briefly while the kernel still counts exiting processes. */
gboolean hako_cgroup_destroy (HakoCgroup *cgroup, GError **error);

/* linux.cgroupsPath made safe: "." and ".." resolved without ever leaving
 * the root, duplicate slashes dropped; *ABSOLUTE tells whether it started
 * with "/". The result has no leading slash ("" for the root itself).
 * NULL or "" gives the default, the container id, relative as runc's. */
char *hako_cgroup_clean_path (const char *cgroups_path, const char *id, gboolean *absolute);
/* Whether PATH is systemd's "slice:prefix:name" form. */
gboolean hako_cgroup_path_is_systemd_form (const char *path);
