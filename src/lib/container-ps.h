/* `hako ps`: the processes of a container, as runc-ps(8) lists them. */
#pragma once

#include <glib.h>

/* The host pids (pid_t) of container ID's processes: its cgroup's when it
 * has one, else those of its pid namespace (none once it stopped). */
GArray *hako_container_pids (const char *root, const char *id, GError **error);

/* The lines of PS_OUTPUT (ps(1)'s, with a header) whose PID column holds
 * one of PIDS, after the header; an error when there is no PID column. */
char *hako_ps_filter (const char *ps_output, const GArray *pids, GError **error);
