/* Setting a container up: from a parsed config to a container process
 * that waits, set up, for `start`. The runtime prepares every plan first;
 * the children then only run async-signal-safe code:
 *
 *   runtime makes the cgroup, applies nothing yet
 *   runtime ──fork──> first child: waits (with a cgroup) until the runtime
 *     moved it into the cgroup, before any namespace exists
 *                     first child: unshare(CLONE_NEWUSER) ─ USERNS_READY
 *     writes the maps ─────────────> the config's other namespaces, fork
 *                                      └─> container process ─ PID
 *                                          mounts ─ BEFORE_PIVOT (with create hooks)
 *     prestart, createRuntime hooks; state ─> createContainer hooks; sysctl...
 *                                          masked paths, pivot_root, identity
 *                                          listen on exec.sock ─ READY
 *     writes linux.resources into the cgroup, as runc after its setup
 *   `start` connects, sends the state ──> startContainer hooks, exec
 *   (the connection closes on exec, or carries the error report) */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "setup-protocol.h"
#include "spec.h"
#include "state.h"

typedef struct HakoSetup HakoSetup;

typedef struct
{
  const char *id;
  const char *bundle;    /* absolute */
  const char *state_dir; /* absolute */
  gboolean no_pivot;
  gboolean no_new_keyring;
  guint preserve_fds;    /* fds 3.. (after any LISTEN_FDS) passed to the container */
  int console_fd;        /* where the pty master of process.terminal goes, or -1 */
  gboolean console_offered; /* console_fd is a foreground run's, for a terminal if any */
  const char *cgroup_manager; /* --cgroup-manager, or NULL for the default */
  gboolean overlay;           /* --overlay: the rootfs through fuse-overlayfs (see overlay.h) */
  const char *overlay_storage; /* the overlay's storage, kept (NULL: the container's own) */
  const char *rootfs_readonly_from; /* bound read-only onto root.path (see mount.h), or NULL */
  gboolean init;              /* pid 1 an init that forwards signals to the payload (container-init.h) */
  const char *const *image_layers; /* --image: its layers' directories, bottom first, the overlay's lowerdirs */
  /* Called with the validated config before any plan is made from it
   * (may be NULL): the network's, which adds mounts. */
  gboolean (*prepare_spec) (HakoSpec *spec, gpointer data, GError **error);
  gpointer prepare_data;
} HakoSetupOptions;

/* Parses CONFIG (the bytes of the bundle's config.json) and prepares every plan. */
HakoSetup *hako_setup_new (const char *config, gsize config_len, const HakoSetupOptions *options,
                           GError **error);
void hako_setup_free (HakoSetup *setup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoSetup, hako_setup_free)

const HakoSpec *hako_setup_get_spec (const HakoSetup *setup);
/* The config, for the caller to keep once the setup is done with it. */
HakoSpec *hako_setup_steal_spec (HakoSetup *setup);
const char *hako_setup_get_rootfs (const HakoSetup *setup);
/* After the spawn: the container process's "user" or "net" namespace
 * (owned by the setup), or -1 when it could not be opened. */
int hako_setup_get_namespace_fd (const HakoSetup *setup, const char *name);

/* Runs the setup. STATE (status creating) gets the container's cgroup and
 * pid as soon as they exist and is saved under ROOT then, so that `delete
 * --force` can always find what is left. LOCK_FD is closed in the children. Returns
 * FALSE with everything started killed. */
gboolean hako_setup_spawn (HakoSetup *setup, const char *root, HakoState *state, int lock_fd,
                           GError **error);

/* The message for a report from the container process, for `start`. */
char *hako_setup_describe_start_report (const HakoSpec *spec, const HakoReport *report);
