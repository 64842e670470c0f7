/* `hako port`: the forwards of a running container, changed through its
 * network helper's control socket (slirp-control.h). */
#pragma once

#include <glib.h>

/* VERB "add" or "rm" with SPEC (as -p takes it), or "ls" (SPEC NULL):
 * *LIST gets what ls lists. */
gboolean hako_net_port (const char *root, const char *id, const char *verb, const char *spec,
                        char **list, GError **error);
