/* `hako sandbox`: a command run like `hako run`, on a config made from the
 * command line (sandbox-config.h) in a private bundle directory that goes
 * with the container. */
#pragma once

#include <glib.h>

#include "sandbox-config.h"

typedef struct
{
  const char *const *publish; /* -p, NULL-terminated; needs config.net */
  const char *changes;        /* --changes DIR: the overlay's upper layer kept in DIR/upper */
  guint timeout;              /* --timeout SECS, 0 for none */
  const char *cgroup_manager; /* the global --cgroup-manager, or NULL */
  const char *state_root;     /* resolved */
} HakoSandboxRun;

/* Runs CONFIG's command in the foreground. Returns its exit status (128+N
 * for signal N, 124 after the timeout), or -1 with ERROR set. */
int hako_sandbox_run (HakoSandboxConfig *config, const HakoSandboxRun *run, GError **error);
