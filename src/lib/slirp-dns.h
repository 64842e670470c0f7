/* DNS for the container at 10.0.2.3, forwarded by the helper itself to
 * one upstream server: the host's first nameserver in /etc/resolv.conf
 * (a 127.0.0.53 stub included: the helper lives on the host's network),
 * or the one --dns names. libslirp's own forwarder only knows
 * /etc/resolv.conf and port 53, so UDP queries to 10.0.2.3:53 are taken
 * before libslirp sees them; TCP and IPv6 DNS stay libslirp's. */
#pragma once

#include <glib.h>
#include <sys/socket.h>

typedef struct HakoDnsForwarder HakoDnsForwarder;

/* UPSTREAM as "IP", "IP:PORT", "[IPv6]" or "[IPv6]:PORT". */
gboolean hako_dns_parse_upstream (const char *text, struct sockaddr_storage *addr, socklen_t *len,
                                  GError **error);
/* The first nameserver of RESOLV_CONF, port 53; FALSE if it names none. */
gboolean hako_dns_upstream_from_resolv_conf (const char *resolv_conf, struct sockaddr_storage *addr,
                                             socklen_t *len);

/* SOURCE, when of UPSTREAM's family, is the address the queries go out
 * from (--outbound-addr), as libslirp's own sockets do; else NULL. */
HakoDnsForwarder *hako_dns_forwarder_new (const struct sockaddr_storage *upstream, socklen_t len,
                                          const struct sockaddr_storage *source, GError **error);
void hako_dns_forwarder_free (HakoDnsForwarder *forwarder);
int hako_dns_forwarder_fd (const HakoDnsForwarder *forwarder);
/* TRUE when FRAME (from the container) was a query it took and sent on. */
gboolean hako_dns_forwarder_take (HakoDnsForwarder *forwarder, const guint8 *frame, gsize len);
/* Reads the upstream's answers, each written to TAP_FD as a frame. */
void hako_dns_forwarder_answer (HakoDnsForwarder *forwarder, int tap_fd);
