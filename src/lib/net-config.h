/* What network hako gives a container: the annotations of config.json
 * and the options of create/run, resolved into one HakoNetConfig. */
#pragma once

#include <glib.h>
#include <netinet/in.h>

#include "net-outbound.h"
#include "spec.h"

#define HAKO_ANNOTATION_NETWORK "org.hako.network"
#define HAKO_ANNOTATION_NETWORK_MTU "org.hako.network.mtu"
#define HAKO_ANNOTATION_NETWORK_HOST_LOOPBACK "org.hako.network.allow-host-loopback"

#define HAKO_NET_MTU_DEFAULT 65520
/* Below 1280 IPv6 cannot run; above 65520 libslirp cannot (its IF_MTU_MAX). */
#define HAKO_NET_MTU_MIN 1280
#define HAKO_NET_MTU_MAX 65520

typedef enum
{
  HAKO_NET_NONE,  /* the config's namespaces as they are */
  HAKO_NET_SLIRP, /* tap0 in the new network namespace, libslirp behind it */
  HAKO_NET_PASTA, /* pasta (Debian's passt), where installed */
} HakoNetMode;

/* One -p [HOSTIP:]HOSTPORT:CTRPORT[/tcp|/udp]. */
typedef struct
{
  char *spec;       /* as given, for messages and for the helper's command line */
  gboolean udp;
  int family;       /* AF_INET or AF_INET6, of the host address */
  struct in6_addr host_addr6;
  struct in_addr host_addr;
  guint16 host_port;
  guint16 container_port;
} HakoPortForward;

gboolean hako_port_forward_parse (const char *spec, HakoPortForward *out, GError **error);
void hako_port_forward_clear (HakoPortForward *forward);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoPortForward, hako_port_forward_clear)

/* The command line's part: NULL/0 where the config's annotations decide. */
typedef struct
{
  const char *network;       /* --network slirp|none */
  int mtu;                   /* --mtu; 0: not given */
  gboolean allow_host_loopback;
  const char *const *publish; /* -p, NULL-terminated */
  const char *dns;           /* --dns: the upstream for 10.0.2.3 */
  const char *const *outbound_addr; /* --outbound-addr, NULL-terminated */
  const char *outbound_if;   /* --outbound-if */
} HakoNetRequest;

typedef struct
{
  HakoNetMode mode;
  guint mtu;
  gboolean allow_host_loopback;
  GArray *forwards; /* of HakoPortForward */
  char *dns;        /* the upstream DNS server, or NULL: the host's resolver */
  HakoNetOutbound outbound;
} HakoNetConfig;

/* Resolves REQUEST over SPEC's annotations; a request that cannot be
 * honoured (no network namespace of the container's own) is an error. */
gboolean hako_net_config_resolve (const HakoSpec *spec, const HakoNetRequest *request,
                                  HakoNetConfig *config, GError **error);
void hako_net_config_clear (HakoNetConfig *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoNetConfig, hako_net_config_clear)
