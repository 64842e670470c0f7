/* The port forwards of a running libslirp: those given at create and
 * those `hako port` adds and removes while the container runs. */
#pragma once

#include <glib.h>
#include <slirp/libslirp.h>

typedef struct HakoSlirpForwards HakoSlirpForwards;

HakoSlirpForwards *hako_slirp_forwards_new (Slirp *slirp);
void hako_slirp_forwards_free (HakoSlirpForwards *forwards);

/* SPEC as -p takes it. A host port already taken or not permitted is an
 * error naming the -p and what to do. */
gboolean hako_slirp_forwards_add (HakoSlirpForwards *forwards, const char *spec, GError **error);
/* Removes the forward listening where SPEC's host side says. */
gboolean hako_slirp_forwards_remove (HakoSlirpForwards *forwards, const char *spec, GError **error);
/* One line per forward, as it was given. */
char *hako_slirp_forwards_list (const HakoSlirpForwards *forwards);
/* The forwarded UDP ports in the container (guint16), for slirp-guard.h. */
const GArray *hako_slirp_forwards_udp_ports (const HakoSlirpForwards *forwards);
