/* `hako checkpoint` and `hako restore` (runc-checkpoint(8), runc-restore(8)):
 * CRIU's command line dumps the container's process tree into an image
 * directory, and restores it as a new container of a bundle.
 *
 * The mounts that come from outside the container (config.json's binds,
 * the host's device nodes bound in) are CRIU "external" mounts: dumped
 * under their destination as key, restored from their source, which the
 * image directory keeps (hako-mounts). The namespaces are the ones hako
 * made; one joined by path is refused. The restored tree is placed in the
 * container's new cgroup through criu itself, which waits for it there. */
#pragma once

#include <glib.h>

typedef struct
{
  const char *binary;      /* the global --criu PATH, or NULL for criu from $PATH */
  const char *image_path;  /* --image-path, default "checkpoint" */
  const char *work_path;   /* --work-path, default the image path */
  gboolean tcp_established;
  gboolean ext_unix_sk;
  gboolean shell_job;
  gboolean file_locks;
} HakoCriuOptions;

typedef struct
{
  const char *root; /* the state root (resolved) */
  const char *id;
  HakoCriuOptions criu;
  gboolean leave_running;
} HakoCheckpointOptions;

typedef struct
{
  const char *root;
  const char *id;
  HakoCriuOptions criu;
  const char *bundle;         /* default "." */
  gboolean detach;
  const char *pid_file;
  const char *console_socket;
} HakoRestoreOptions;

/* Dumps the running container; unless LEAVE_RUNNING it is gone after it
 * (deleted, as runc does). */
gboolean hako_container_checkpoint (const HakoCheckpointOptions *options, GError **error);
/* A new container ID from the bundle and the image. Detached, returns 0
 * once it runs; else waits for it, deletes it and returns its exit status
 * (128+N for signal N); -1 with ERROR set. */
int hako_container_restore (const HakoRestoreOptions *options, GError **error);
