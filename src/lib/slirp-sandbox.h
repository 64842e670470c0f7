/* The network helper's sandbox, entered once everything it listens on is
 * open: a mount namespace of its own where every mount is read-only (in a
 * user namespace of its own when the helper is not root), no capability
 * but CAP_NET_BIND_SERVICE (for `hako port add` of a low port as root),
 * no_new_privs, and a seccomp allow-list of the system calls a libslirp
 * loop makes; anything else fails with EPERM. */
#pragma once

#include <glib.h>

gboolean hako_slirp_sandbox_enter (GError **error);
