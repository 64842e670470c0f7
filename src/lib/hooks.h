/* OCI hooks: the container's state JSON on stdin, the hook's own args and
 * env, killed when its timeout passes. One async-signal-safe runner
 * serves both the runtime namespace hooks (prestart, createRuntime,
 * poststart, poststop) and the ones run from inside the container's
 * namespaces during setup (createContainer, startContainer). */
#pragma once

#include <glib.h>

#include "spec.h"

typedef struct
{
  int exec_errno;   /* non-zero when the hook could not be executed */
  int wait_status;  /* as from waitpid */
  gboolean timed_out;
} HakoHookResult;

/* Runs one hook to completion. Async-signal-safe. Returns 0 when it ran
 * and exited 0; -1 otherwise, with *RESULT saying why. */
int hako_hook_exec (const HakoHook *hook, const char *state_json, gsize state_len,
                    HakoHookResult *result);

/* The hooks of KIND in order, from `index` 0 while each succeeds. Async-
 * signal-safe. Returns -1 with *FAILED_INDEX and *RESULT on the first failure. */
int hako_hooks_exec (const HakoSpec *spec, HakoHookKind kind, const char *state_json,
                     gsize state_len, guint *failed_index, HakoHookResult *result);

/* The message for a failed hook: "hooks.poststart[1]: /bin/x exited with status 3". */
char *hako_hook_describe_failure (const HakoSpec *spec, HakoHookKind kind, guint index,
                                  const HakoHookResult *result);

/* The runtime side, for hooks whose failure is only a warning (poststop):
 * runs every hook of KIND, logging each failure. */
void hako_hooks_run_warn (const HakoSpec *spec, HakoHookKind kind, const char *state_json);

/* The runtime side: runs the hooks of KIND and turns a failure into ERROR. */
gboolean hako_hooks_run (const HakoSpec *spec, HakoHookKind kind, const char *state_json,
                         GError **error);
