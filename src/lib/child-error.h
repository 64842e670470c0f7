/* How the container's setup process, which may only make async-signal-safe
 * calls between clone and exec, reports a failure: a fixed-size record
 * written to a pipe that the runtime turns into a GError. Every string the
 * child needs is prepared by the parent before clone, so the record only
 * points back at it (by step index) and carries errno. */
#pragma once

#include <glib.h>

typedef enum
{
  HAKO_CHILD_STAGE_NONE = 0,
  HAKO_CHILD_STAGE_NAMESPACES, /* unshare/setns */
  HAKO_CHILD_STAGE_MOUNT,      /* one entry of the mount plan, see HakoMountPlan */
  HAKO_CHILD_STAGE_PROCESS,    /* one step of the process plan, see HakoProcessPlan */
  HAKO_CHILD_STAGE_EXEC,       /* execve of the payload */
  HAKO_CHILD_STAGE_SYNC,       /* talking to the runtime */
  HAKO_CHILD_STAGE_TERMINAL,   /* the new pseudo-terminal, see HakoTerminalStep */
  HAKO_CHILD_STAGE_SECCOMP,    /* loading linux.seccomp, see seccomp-filter.h */
  HAKO_CHILD_STAGE_NETWORK,    /* tap0 and its addresses, see net-tap.h */
  HAKO_CHILD_STAGE_OVERLAY,    /* fuse-overlayfs for the rootfs, see overlay.h */
} HakoChildStage;

typedef struct
{
  gint32 stage; /* HakoChildStage */
  gint32 step;  /* index into the stage's plan (meaning defined by each plan) */
  gint32 saved_errno;
} HakoChildError;

/* Fills *err and returns -1, so child code can write `return hako_child_fail (...)`. */
static inline int
hako_child_fail (HakoChildError *err, HakoChildStage stage, int step, int saved_errno)
{
  err->stage = stage;
  err->step = step;
  err->saved_errno = saved_errno;
  return -1;
}
