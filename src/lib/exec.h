/* `hako exec`: a new process in a running container, as runc-exec(8)
 * describes it.
 *
 * The runtime (exec.c) opens the container process's namespaces and root
 * while it holds the container's lock, prepares every plan, then forks:
 *
 *   runtime ──fork──> child: non-dumpable, waits until placed in the cgroup
 *   places it ──────> joins the namespaces (user first unless host root),
 *                     fork ─> process: PID, in the container's pid namespace
 *                             chroot to the container's root, terminal,
 *                             rlimits, seccomp, identity, exec
 *   (the report pipe closes on exec, or carries the error report)
 *
 * The process's spec (exec-process.c) is the container's process with the
 * command line's overrides, or the --process file's, checked as
 * config.json's is. */
#pragma once

#include <glib.h>

#include "spec.h"

typedef struct
{
  const char *process_file;   /* --process FILE, or NULL for ARGS */
  const char *const *args;    /* the command and its arguments (without --process) */
  gboolean tty;               /* --tty */
  const char *cwd;            /* --cwd */
  const char *const *env;     /* --env NAME=VALUE... */
  const char *user;           /* --user UID[:GID] */
  const char *const *additional_gids; /* --additional-gids GID... */
  const char *const *caps;    /* --cap CAP_NAME... */
  gboolean no_new_privs;      /* --no-new-privs */
  const char *process_label;  /* --process-label */
  const char *apparmor;       /* --apparmor */
} HakoExecProcessOptions;

typedef struct
{
  const char *root; /* the state root (resolved) */
  const char *id;
  HakoExecProcessOptions process;
  const char *console_socket; /* --console-socket PATH */
  gboolean detach;            /* --detach */
  const char *pid_file;       /* --pid-file */
  guint preserve_fds;         /* --preserve-fds (after any LISTEN_FDS) */
  const char *const *cgroups; /* --cgroup [CONTROLLERS:]PATH...: a sub-cgroup to join */
  gboolean ignore_paused;     /* --ignore-paused: exec in a paused container too */
} HakoExecOptions;

/* Turns SPEC, the container's config, into the one of the new process:
 * its process replaced or overridden as OPTIONS say, and what belongs to
 * the container, not to a process (hostname, domainname, linux.sysctl, the mount label),
 * dropped since the container already has it. The container's
 * no_new_privs stays on (runc's rule). */
gboolean hako_exec_spec_prepare (HakoSpec *spec, const HakoExecProcessOptions *options,
                                 GError **error);

/* Runs the process; in the foreground, waits for it and returns its exit
 * status (128+N for signal N); detached, returns 0 once it runs. -1 with
 * ERROR set when it could not be started. */
int hako_container_exec (const HakoExecOptions *options, GError **error);
