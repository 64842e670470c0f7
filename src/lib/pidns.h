/* The processes of a pid namespace, seen from the host's /proc. */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* The pids (pid_t) of every process in PID's pid namespace, PID included;
 * empty when PID is gone. */
GArray *hako_pid_namespace_pids (pid_t pid);
