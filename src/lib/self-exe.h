/* The runtime binary out of the container's reach. While hako is a
 * process inside a container's namespaces (the created container's
 * process until `start`, an exec's child until it execs), the container
 * can find it as /proc/PID/exe; a binary it could open for writing
 * there, as in runc's CVE-2019-5736, would be the host's hako. So the
 * commands that enter a container first re-execute hako from a sealed
 * memfd copy: /proc/PID/exe is then that copy, which nobody can write. */
#pragma once

#include <glib.h>

/* Re-executes the running command (/proc/self/cmdline, the environment,
 * every fd not close-on-exec) from a sealed copy of /proc/self/exe,
 * unless it already runs from one. Returns only when it does, or with an
 * error. */
gboolean hako_self_exe_seal (GError **error);

/* Whether the running binary is a sealed copy. */
gboolean hako_self_exe_is_sealed (void);
