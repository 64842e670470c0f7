#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "net-outbound.h"

gboolean
hako_net_outbound_address_parse (const char *text, struct sockaddr_storage *addr, socklen_t *len)
{
  struct sockaddr_in *in = (struct sockaddr_in *) addr;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) addr;

  memset (addr, 0, sizeof *addr);
  if (inet_pton (AF_INET, text, &in->sin_addr) == 1)
    {
      in->sin_family = AF_INET;
      *len = sizeof *in;
      return TRUE;
    }
  if (inet_pton (AF_INET6, text, &in6->sin6_addr) == 1)
    {
      in6->sin6_family = AF_INET6;
      *len = sizeof *in6;
      return TRUE;
    }
  return FALSE;
}

/* ADDR (AF_INET or AF_INET6) in its canonical text form. */
static void
address_text (const struct sockaddr *addr, char text[INET6_ADDRSTRLEN])
{
  inet_ntop (addr->sa_family,
             addr->sa_family == AF_INET ? (const void *) &((const struct sockaddr_in *) addr)->sin_addr
                                        : (const void *) &((const struct sockaddr_in6 *) addr)->sin6_addr,
             text, INET6_ADDRSTRLEN);
}

/* The family's slot in OUTBOUND; FALSE if it is taken already. */
static gboolean
set_family (HakoNetOutbound *outbound, int family, const char *text, const char *source, GError **error)
{
  char **slot = family == AF_INET ? &outbound->addr4 : &outbound->addr6;

  if (*slot)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("%s %s: a second IPv%d address after %s: give at most one IPv4 and one IPv6 address"),
                   source, text, family == AF_INET ? 4 : 6, *slot);
      return FALSE;
    }
  *slot = g_strdup (text);
  return TRUE;
}

gboolean
hako_net_outbound_add_address (HakoNetOutbound *outbound, const char *text, const char *source,
                               GError **error)
{
  struct sockaddr_storage addr;
  socklen_t len;
  char canonical[INET6_ADDRSTRLEN];
  hako_autofd int fd = -1;

  if (!hako_net_outbound_address_parse (text, &addr, &len))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("%s %s: not an IPv4 or IPv6 address (e.g. 192.0.2.10 or 2001:db8::10)"), source, text);
      return FALSE;
    }
  /* The helper binds its outbound sockets to it: try that now, at create,
   * rather than fail each connection later. */
  fd = socket (addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, len) < 0)
    {
      int saved = errno;
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("%s %s: not usable as a source address of this host (%s): choose one that `ip address` lists"),
                   source, text, g_strerror (saved));
      return FALSE;
    }
  /* Kept in the canonical form, which later checks compare with. */
  address_text ((struct sockaddr *) &addr, canonical);
  return set_family (outbound, addr.ss_family, canonical, source, error);
}

gboolean
hako_net_outbound_add_interface (HakoNetOutbound *outbound, const char *name, const char *source,
                                 GError **error)
{
  struct ifaddrs *list = NULL;

  if (if_nametoindex (name) == 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("%s %s: no such network interface on this host: choose one that `ip link` lists"),
                   source, name);
      return FALSE;
    }
  if (getifaddrs (&list) < 0)
    return hako_error_set_errno (error, errno, "getifaddrs");
  for (struct ifaddrs *i = list; i; i = i->ifa_next)
    {
      char text[INET6_ADDRSTRLEN];
      int family = i->ifa_addr ? i->ifa_addr->sa_family : AF_UNSPEC;

      /* The first of each family that getifaddrs lists. */
      if (!g_str_equal (i->ifa_name, name) || (family == AF_INET ? outbound->addr4 != NULL
                                               : family != AF_INET6 || outbound->addr6 != NULL))
        continue;
      /* A link-local source needs a scope that the helper's bind has not. */
      if (family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL (&((struct sockaddr_in6 *) i->ifa_addr)->sin6_addr))
        continue;
      address_text (i->ifa_addr, text);
      *(family == AF_INET ? &outbound->addr4 : &outbound->addr6) = g_strdup (text);
    }
  freeifaddrs (list);
  return TRUE;
}

gboolean
hako_net_outbound_parse_annotation (HakoNetOutbound *outbound, const char *value, GError **error)
{
  const char *source = "config.json: annotations." HAKO_ANNOTATION_NETWORK_OUTBOUND;
  struct sockaddr_storage addr;
  socklen_t len;
  g_auto (GStrv) items = NULL;

  if (!strchr (value, ',') && !hako_net_outbound_address_parse (value, &addr, &len))
    return hako_net_outbound_add_interface (outbound, value, source, error);
  items = g_strsplit (value, ",", -1);
  for (char **item = items; *item; item++)
    if (!hako_net_outbound_add_address (outbound, g_strstrip (*item), source, error))
      return FALSE;
  return TRUE;
}

void
hako_net_outbound_clear (HakoNetOutbound *outbound)
{
  g_clear_pointer (&outbound->addr4, g_free);
  g_clear_pointer (&outbound->addr6, g_free);
}
