/* `hako pause` and `hako resume`: the container's cgroup frozen and
 * thawed (the v1 freezer, or v2's cgroup.freeze), recorded as "paused". */
#pragma once

#include <glib.h>

#include "state.h"

/* PAUSED: freezes a running container and records it paused; else thaws
 * a paused one and records it running. A container without a cgroup is
 * refused with the reason it has none. */
gboolean hako_container_set_paused (const char *root, const char *id, gboolean paused,
                                    GError **error);

/* Thaws STATE's cgroup, best effort: a frozen process takes a SIGKILL
 * only once thawed (cgroup v1), as runc does after killing a paused one. */
void hako_container_thaw (const HakoState *state);
