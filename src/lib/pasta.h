/* --network pasta: the helper runs pasta (Debian's passt) on the
 * container's network namespace instead of libslirp, as its child, and
 * ends it when the container's process ends (pasta itself would live on:
 * it holds the namespace open). Forwards are given at create only. */
#pragma once

#include <glib.h>

#include "slirp-loop.h"

gboolean hako_pasta_installed (void);

/* OPTIONS as for libslirp but tap_fd and dns, unused: the namespaces are
 * fds HAKO_NET_HELPER_NETNS_FD and HAKO_NET_HELPER_USERNS_FD. */
gboolean hako_pasta_run (const HakoSlirpOptions *options, int ready_fd, GError **error);
