/* The network helper: a process of its own, started by `create` after the
 * container process exists and ending with it. It is the hidden command
 * `hako _net-helper` (so it is always the same build as the runtime),
 * started by double fork and setsid, so it is nobody's child once create
 * exits; its pid and start time are kept in the state directory for
 * `delete`. It watches the container's process through a pidfd. With
 * --network pasta it runs pasta as its child instead of libslirp. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "net-config.h"

#define HAKO_NET_HELPER_COMMAND "_net-helper"
#define HAKO_NET_HELPER_PID_FILE "net-helper.pid"
#define HAKO_NET_HELPER_LOG_FILE "net-helper.log"
/* The fds the helper is started with: where it says it is ready, then
 * tap0 (slirp), or the container's network and user namespaces (pasta). */
#define HAKO_NET_HELPER_READY_FD 3
#define HAKO_NET_HELPER_TAP_FD 4
#define HAKO_NET_HELPER_NETNS_FD 4
#define HAKO_NET_HELPER_USERNS_FD 5
#define HAKO_NET_HELPER_MAX_FDS 3

/* Makes tap0 in the container's namespaces and starts the helper on it;
 * returns once the helper listens on every forward, or FALSE with the
 * helper gone. */
gboolean hako_net_start (const HakoNetConfig *config, const char *state_dir, int userns_fd,
                         int netns_fd, pid_t pid, guint64 pid_start, GError **error);
/* Kills the helper recorded in STATE_DIR, if it still runs, and waits for it. */
void hako_net_stop (const char *state_dir);

/* The helper's side: the container's process as a pidfd, once it is
 * known to be still the one that started at START; or -1. */
int hako_net_helper_open_container (pid_t pid, guint64 start, GError **error);
/* The helper's side: ready (ERROR NULL) or why not; closes FD. */
void hako_net_ready_write (int fd, const GError *error);
