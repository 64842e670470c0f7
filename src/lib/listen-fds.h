/* systemd socket activation (sd_listen_fds(3)) through the runtime: fds
 * 3.. that hako's caller addressed to it (LISTEN_FDS=N, LISTEN_PID=hako's
 * pid) pass on to the container's process, whose environment is rewritten
 * to address them to that process. */
#pragma once

#include <glib.h>

/* How many fds from 3 on were addressed to this process (0 when none);
 * when some were, *ENV (a process's environment, may be NULL) gets
 * LISTEN_FDS=N and a LISTEN_PID entry instead of any it had: "1" with
 * PID_ONE (the container's init), else a placeholder the process fills in
 * with hako_listen_fds_set_pid, once it knows its pid in the container. */
guint hako_listen_fds_take (char ***env, gboolean pid_one);

/* In a child before exec (async-signal-safe): writes the caller's pid into
 * ENVP's LISTEN_PID placeholder, when it has one. */
void hako_listen_fds_set_pid (char **envp);
