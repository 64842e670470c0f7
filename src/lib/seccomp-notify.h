/* SCMP_ACT_NOTIFY: the seccomp agent at linux.seccomp.listenerPath gets
 * the container process state (config-linux.md, "The Container Process
 * State") and the filter's listener fd, over one connection each time a
 * process loads the filter (the container process at create, each exec). */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "spec.h"
#include "state.h"

/* The container process state for PID (whose filter LISTENER_FD listens
 * to) with STATE_JSON, the container's state (runtime.md), as JSON. */
char *hako_seccomp_notify_state (const HakoSeccomp *seccomp, pid_t pid, const char *state_json,
                                 GError **error);

/* Connects to SECCOMP's listenerPath and sends hako_seccomp_notify_state
 * with LISTENER_FD (SCM_RIGHTS, named "seccompFd"), then closes the
 * connection. Errors name the listener path. */
gboolean hako_seccomp_notify_send (const HakoSeccomp *seccomp, int listener_fd, pid_t pid,
                                   const char *state_json, GError **error);

/* Takes the listener fd that the setup child of PID sent over SOCKET_FD
 * (hako_seccomp_plan_load_early) and sends it on with STATE, the
 * container's, as hako_seccomp_notify_send does. */
gboolean hako_seccomp_notify_forward (const HakoSeccomp *seccomp, int socket_fd, pid_t pid,
                                      const HakoState *state, GError **error);
