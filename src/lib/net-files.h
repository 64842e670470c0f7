/* The container's /etc/resolv.conf and /etc/hosts when hako provides its
 * network: generated in its state directory and bind-mounted read-only,
 * never written into the bundle. A bundle that mounts either path itself
 * keeps its own. */
#pragma once

#include <glib.h>

#include "spec.h"

/* Writes the files into STATE_DIR (made if missing) and adds their
 * mounts to SPEC. */
gboolean hako_net_files_provide (HakoSpec *spec, const char *state_dir, GError **error);
