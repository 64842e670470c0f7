/* OCI hooks run in the runtime namespace (prestart, createRuntime,
 * poststart, poststop): the container's state JSON on stdin, the hook's
 * own args and env, killed when its timeout passes. */
#pragma once

#include <glib.h>

#include "spec.h"

/* Runs the hooks of KIND in order; the first failure stops the run and is
 * the error (naming hooks.KIND[i] and its path). */
gboolean hako_hooks_run (const HakoSpec *spec, HakoHookKind kind, const char *state_json,
                         GError **error);
