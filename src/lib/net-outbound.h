/* The source address of the container's outbound traffic: --outbound-addr
 * (an IPv4 and/or an IPv6 address of the host), --outbound-if (the
 * addresses of a host interface, looked up at create) or the annotation
 * org.hako.network.outbound (either form). A family left unset keeps the
 * source the host's routing table picks, as slirp4netns does. */
#pragma once

#include <glib.h>
#include <sys/socket.h>

#define HAKO_ANNOTATION_NETWORK_OUTBOUND "org.hako.network.outbound"

typedef struct
{
  char *addr4; /* the IPv4 source, as text; NULL: the routing table's */
  char *addr6; /* the IPv6 one */
} HakoNetOutbound;

/* TEXT as an IPv4 or IPv6 address, port 0; FALSE if it is neither. */
gboolean hako_net_outbound_address_parse (const char *text, struct sockaddr_storage *addr, socklen_t *len);
/* Adds TEXT, which must be an address of this host, and the first of its
 * family; SOURCE (the option or annotation) names it in errors. */
gboolean hako_net_outbound_add_address (HakoNetOutbound *outbound, const char *text, const char *source,
                                        GError **error);
/* The first IPv4 and the first non-link-local IPv6 address of host
 * interface NAME; a family it has none of stays unset. */
gboolean hako_net_outbound_add_interface (HakoNetOutbound *outbound, const char *name, const char *source,
                                          GError **error);
/* The annotation's value: comma-separated addresses, else an interface name. */
gboolean hako_net_outbound_parse_annotation (HakoNetOutbound *outbound, const char *value, GError **error);
void hako_net_outbound_clear (HakoNetOutbound *outbound);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoNetOutbound, hako_net_outbound_clear)
