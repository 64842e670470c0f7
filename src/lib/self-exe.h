/* The runtime binary out of the container's reach. While hako is a
 * process inside a container's namespaces (the created container's
 * process until `start`, an exec's child until it execs), the container
 * can find it as /proc/PID/exe; a binary it could open for writing
 * there, as in runc's CVE-2019-5736, would be the host's hako. So the
 * commands that enter a container first re-execute hako from a sealed
 * memfd copy: /proc/PID/exe is then that copy, which nobody can write. */
#pragma once

#include <glib.h>
#include <sys/stat.h>

/* Whether a binary of status ST, run by an unprivileged caller (not
 * the host's root: HOST_ROOT false), could be written by a container:
 * every id a container can have is the caller's or a subordinate one,
 * never the host's root, so a binary of root's that only root may write
 * (an installed /usr/bin/hako) is out of reach without any copy. */
gboolean hako_self_exe_writable_by_containers (const struct stat *st, gboolean host_root);

/* Re-executes the running command (/proc/self/cmdline, the environment,
 * every fd not close-on-exec) from a sealed copy of /proc/self/exe,
 * unless it already runs from one or no container could write the
 * binary (see above). Returns only when it does, or with an
 * error. */
gboolean hako_self_exe_seal (GError **error);

/* Whether the running binary is a sealed copy. */
gboolean hako_self_exe_is_sealed (void);
