/* The container's filesystem: the rootfs, config.json's mounts, default
 * devices and /dev symlinks, masked and read-only paths, pivot_root.
 *
 * The work is split in two because the setup process runs between clone
 * and exec, where only async-signal-safe calls are allowed:
 *
 *  - hako_mount_plan_new() runs in the runtime (GLib allowed) and turns the
 *    spec into a flat array of steps with every path, flag and data string
 *    prepared;
 *  - hako_mount_plan_apply() runs in the setup process and only makes system
 *    calls on that prepared memory (no malloc, no stdio, no GLib).
 *
 * Destinations are relative to the rootfs and are always resolved with
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) from a descriptor of the
 * rootfs, so symlinks and ".." inside the rootfs can never lead a mount (or a
 * created mount point) out of it; the mount itself targets the resolved
 * O_PATH descriptor through /proc/self/fd/N.
 *
 * Order of the steps: / made private (slave for rootfsPropagation "slave"),
 * the rootfs bound onto itself, the mounts in config order, default devices,
 * linux.devices and /dev symlinks, maskedPaths, readonlyPaths, pivot_root
 * (or MS_MOVE + chroot), root.readonly, rootfsPropagation. Masked and
 * read-only paths are applied just before pivot_root, relative to the rootfs:
 * the result is the same as afterwards, and the host /proc that the
 * /proc/self/fd/N trick needs is still there (the container may have none). */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "child-error.h"
#include "spec.h"

typedef struct
{
  gboolean rootless;     /* not real root on the host: bind devices instead of mknod */
  gboolean new_netns;    /* the container has its own network namespace: fresh sysfs */
  gboolean no_pivot;     /* MS_MOVE + chroot instead of pivot_root */
  gboolean new_cgroupns; /* the container has its own cgroup namespace: try cgroup2 */
  /* An ordinary user of the initial user namespace, who cannot idmap host
   * files (see mount-idmap.h): idmapped mounts are refused up front. */
  gboolean unprivileged;
  /* Where the runtime, when it is real root, makes the nodes of
   * linux.devices for the container to bind: mknod is refused inside the
   * container's user namespace. NULL: bind the host's own node. */
  const char *device_dir;
  /* What is bound as the rootfs instead of root.path (the overlay's merged
   * tree, see overlay.h), or NULL. */
  const char *rootfs_source;
} HakoMountPlanOptions;

typedef enum
{
  HAKO_MOUNT_STEP_ROOT_PREPARE,     /* / made MS_REC|MS_PRIVATE (or MS_SLAVE) */
  HAKO_MOUNT_STEP_ROOTFS_BIND,      /* root.path bound onto itself */
  HAKO_MOUNT_STEP_BIND,             /* bind mount of a host path */
  HAKO_MOUNT_STEP_FILESYSTEM,       /* a new tmpfs, proc, sysfs, devpts, mqueue, ... */
  HAKO_MOUNT_STEP_DEVICE_BIND,      /* empty file + bind of the host node (rootless) */
  HAKO_MOUNT_STEP_DEVICE_MKNOD,     /* mknod + chown + chmod */
  HAKO_MOUNT_STEP_SYMLINK,          /* /dev/fd, /dev/stdin, ..., /dev/ptmx */
  HAKO_MOUNT_STEP_DIRECTORY,        /* process.cwd made, while the root is still writable */
  HAKO_MOUNT_STEP_MASK,             /* /dev/null or a read-only tmpfs over a path */
  HAKO_MOUNT_STEP_READONLY,         /* a path bound onto itself, read-only */
  HAKO_MOUNT_STEP_PIVOT,            /* pivot_root (or MS_MOVE + chroot) and chdir "/" */
  HAKO_MOUNT_STEP_ROOT_READONLY,    /* / remounted read-only */
  HAKO_MOUNT_STEP_ROOT_PROPAGATION, /* rootfsPropagation shared/unbindable on / */
} HakoMountStepKind;

/* What part of a step failed; with the step index it makes HakoChildError.step. */
typedef enum
{
  HAKO_MOUNT_OP_RESOLVE,     /* opening or creating the destination */
  HAKO_MOUNT_OP_MOUNT,       /* the mount, bind, mknod, symlink, pivot itself */
  HAKO_MOUNT_OP_REMOUNT,     /* the MS_REMOUNT|MS_BIND pass with the flags */
  HAKO_MOUNT_OP_PROPAGATION, /* the separate propagation change */
  HAKO_MOUNT_OP_SETATTR,     /* mount_setattr(2) of the recursive attributes */
  HAKO_MOUNT_OP_OWNER,       /* chown/chmod of a device node */
  HAKO_MOUNT_OP_COPYUP,      /* tmpcopyup: copying the directory's contents in */
  HAKO_MOUNT_OP_N
} HakoMountOp;

#define HAKO_MOUNT_ERROR_STEP(index, op) ((index) * HAKO_MOUNT_OP_N + (op))

typedef struct
{
  HakoMountStepKind kind;
  char *label;        /* where it comes from: "mounts[3]", "maskedPaths[1] /proc/kcore" */
  char *path;         /* the container path for messages, "/dev/shm" */
  char *destination;  /* relative to the rootfs, "dev/shm" ("." for the root) */
  char *parent;       /* mknod and symlink steps: the directory, relative to the rootfs, */
  char *name;         /* and the name made in it */
  char *source;       /* host path of a bind; device name of a filesystem */
  char *fstype;       /* filesystem type; NULL for binds */
  char *data;         /* filesystem data; NULL when none */
  char *retry_data;   /* data to retry with on EINVAL (devpts without gid=) */
  char *fallback_source; /* a host path to rbind when the filesystem mount fails */
  char *target;       /* symlink target */
  gboolean tmpcopyup; /* a filesystem that starts with a copy of what the directory held */
  unsigned long flags;         /* mount(2) flags of the first mount call; MS_MOVE on a
                                  pivot step means MS_MOVE + chroot */
  unsigned long remount_flags; /* per-mount flags for the second pass; 0 for none */
  unsigned long propagation;   /* MS_PRIVATE|MS_REC, ...; 0 for none */
  guint64 attr_set, attr_clear; /* mount_setattr(2) with AT_RECURSIVE */
  gboolean dest_is_file;       /* create the destination as an empty file */
  mode_t mode;                 /* device node: S_IFCHR|0666 ... */
  dev_t rdev;
  gboolean set_owner;
  uid_t uid;
  gid_t gid;
  gboolean make_node;          /* a device bind whose source the runtime makes first */
  /* An idmapped bind (idmap, ridmap): the runtime makes it detached, see
   * mount-idmap.h, and the setup moves MOUNT_FD into place. */
  gboolean idmap, recursive_idmap;
  HakoIdMappings idmap_uids, idmap_gids; /* the mount's own; none: the container's */
  int mount_fd;                          /* the detached mount, or -1 */
  /* A bind of a file the runtime made in the state dir (device nodes, the
   * network's resolv.conf), which the container's root need not be able to
   * reach: the setup opens it while it still has the runtime's credentials
   * (see hako_mount_plan_open_runtime_sources) and binds SOURCE_FD_PATH. */
  gboolean runtime_source;
  int source_fd;
  char source_fd_path[32];
} HakoMountStep;

typedef struct
{
  char *rootfs; /* absolute host path of root.path */
  HakoMountStep *steps;
  guint n_steps;
} HakoMountPlan;

HakoMountPlan *hako_mount_plan_new (const HakoSpec *spec, const char *bundle_dir,
                                    const HakoMountPlanOptions *options, GError **error);
void hako_mount_plan_free (HakoMountPlan *plan);
/* Closes the detached mounts of the plan's idmapped binds, if open. */
void hako_mount_plan_close_idmapped (HakoMountPlan *plan);
/* Marks the binds whose source lies in STATE_DIR (see runtime_source). */
void hako_mount_plan_mark_runtime_sources (HakoMountPlan *plan, const char *state_dir);

/* In the runtime, as real root, before the setup: the device nodes of
 * options->device_dir (mode, numbers, owner as linux.devices says). */
gboolean hako_mount_plan_make_device_nodes (const HakoMountPlan *plan, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoMountPlan, hako_mount_plan_free)

/* In the setup process, already in the container's user and mount
 * namespaces: async-signal-safe. 0, or -1 with *ERR set (stage
 * HAKO_CHILD_STAGE_MOUNT, step HAKO_MOUNT_ERROR_STEP (index, op)). */
typedef int (*HakoMountBeforePivot) (void *data, HakoChildError *err);
/* BEFORE_PIVOT (may be NULL) runs once the mounts and devices are in
 * place, before the masked and read-only paths and pivot_root, while host
 * paths still resolve: where the createRuntime and createContainer hooks
 * belong, and the sysctls that read-only /proc/sys would refuse after.
 * It returns 0, or -1 with *ERR set. */
/* In the setup, in the container's mount namespace (a descriptor of another
 * would not bind) but before it takes the container's ids: opens the
 * runtime's bind sources. Async-signal-safe. */
int hako_mount_plan_open_runtime_sources (HakoMountPlan *plan, HakoChildError *err);
int hako_mount_plan_apply (const HakoMountPlan *plan, HakoMountBeforePivot before_pivot,
                           void *data, HakoChildError *err);

/* The message for a failure ERR reported by hako_mount_plan_apply, naming
 * the config entry at fault, with a hint where one is obvious. */
char *hako_mount_plan_describe_error (const HakoMountPlan *plan, const HakoChildError *err);
