/* The helper's control socket, net.sock in the container's state
 * directory: one request per connection, "add SPEC", "rm SPEC" or "ls",
 * answered with "O" and the text, or "E" and why not (see net-control.h). */
#pragma once

#include <glib.h>

#include "slirp-forwards.h"

#define HAKO_NET_CONTROL_SOCKET "net.sock"

/* Listens in STATE_DIR (which becomes the helper's working directory, so
 * that a long path still fits sun_path): the fd, or -1. */
int hako_slirp_control_listen (const char *state_dir, GError **error);
/* Accepts one connection on LISTEN_FD and answers its request. */
void hako_slirp_control_serve (int listen_fd, HakoSlirpForwards *forwards);
