/* The container lifecycle: create, start, kill, delete, and the wait of `run`. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "net-config.h"
#include "state.h"

typedef struct
{
  const char *root;     /* the state root (resolved) */
  const char *id;
  const char *bundle;   /* default "." (with image: NULL, the state directory) */
  const char *image;    /* --image DIR[:REF], or NULL */
  const char *const *image_args; /* with image: the command instead of its Cmd (may be empty) */
  const char *pid_file; /* may be NULL */
  gboolean no_pivot;
  gboolean no_new_keyring;
  guint preserve_fds;
  const char *console_socket; /* --console-socket PATH, for process.terminal */
  const char *cgroup_manager; /* --cgroup-manager (systemd for --systemd-cgroup), or NULL */
  gboolean overlay;           /* --overlay */
  const char *overlay_storage; /* the overlay's storage directory, kept after delete, or NULL */
  const char *rootfs_readonly_from; /* the host tree bound read-only as the rootfs, or NULL */
  gboolean init;              /* an init as pid 1, dying with the runtime (container-init.h) */
  guint timeout;              /* run: seconds before the container is killed (0: none) */
  HakoNetRequest net;         /* --network, -p... */
} HakoCreateOptions;

/* Creates the container and leaves its process waiting for `start`. */
gboolean hako_container_create (const HakoCreateOptions *options, GError **error);
gboolean hako_container_start (const char *root, const char *id, GError **error);
gboolean hako_container_kill (const char *root, const char *id, int signal_number, gboolean all,
                              GError **error);
/* Refuses a created or running container unless FORCE, which kills it first. */
gboolean hako_container_delete (const char *root, const char *id, gboolean force, GError **error);

/* "KILL", "SIGKILL" and "9" all name SIGKILL; -1 when unknown. */
int hako_signal_from_name (const char *name);

/* create + start, then (unless DETACH) wait for the container process,
 * forwarding signals to it, and delete the container. Returns the exit
 * status (128+N for signal N), or -1 with ERROR set. */
int hako_container_run (const HakoCreateOptions *options, gboolean detach, GError **error);
