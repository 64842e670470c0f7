/* The host's loopback, kept out of the container's reach unless allowed.
 *
 * libslirp's own disable_host_loopback also drops the replies to UDP
 * forwarded from a client on the host's loopback (it treats them as new
 * datagrams to 10.0.2.2), so the helper leaves libslirp's loopback open
 * and filters the container's frames here instead: what is addressed to
 * the host side of the virtual network (10.0.2.0/24 and fd00::/64 but for
 * the DNS address and the container's own) may only be TCP of connections
 * the host made (no bare SYN) or UDP from a port that is forwarded. */
#pragma once

#include <glib.h>

typedef enum
{
  HAKO_GUARD_PASS,
  HAKO_GUARD_DROP,
  HAKO_GUARD_RESET, /* a TCP connection attempt: answer it with RESET_FRAME */
} HakoGuardVerdict;

/* UDP_PORTS: the forwarded container ports (guint16). A RESET verdict
 * fills RESET_FRAME (FRAME_LEN bytes suffice: the reset is never longer
 * than the SYN) and *RESET_LEN. */
HakoGuardVerdict hako_slirp_guard_check (const guint8 *frame, gsize frame_len, const GArray *udp_ports,
                                         guint8 *reset_frame, gsize *reset_len);

/* A reset from the container in a connection the host made through a
 * forward (TCP RST to the host side): TRUE, with the port of the host's
 * end in *HOST_PORT. libslirp closes the host's socket gently then, so
 * the helper makes the close a reset (see slirp-loop.c). */
gboolean hako_slirp_guard_is_reset (const guint8 *frame, gsize frame_len, guint16 *host_port);
