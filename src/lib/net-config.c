#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "error.h"
#include "i18n.h"
#include "net-config.h"
#include "pasta.h"
#include "slirp-dns.h"

static gboolean
bad_forward (const char *spec, GError **error)
{
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
               _("-p %s: expected [HOSTIP:]HOSTPORT:CTRPORT[/tcp|/udp], e.g. 8080:80 or 127.0.0.1:5353:53/udp or [::1]:8080:80"),
               spec);
  return FALSE;
}

static gboolean
parse_port (const char *spec, const char *text, guint16 *port, GError **error)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &n, NULL))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("-p %s: \"%s\" is not a port number (1 to 65535)"), spec, text);
      return FALSE;
    }
  *port = n;
  return TRUE;
}

static gboolean
parse_host_address (const char *spec, const char *text, HakoPortForward *out, GError **error)
{
  gsize len = strlen (text);
  g_autofree char *inner = NULL;

  if (len >= 2 && text[0] == '[' && text[len - 1] == ']')
    {
      inner = g_strndup (text + 1, len - 2);
      out->family = AF_INET6;
      if (inet_pton (AF_INET6, inner, &out->host_addr6) == 1)
        return TRUE;
    }
  else if (inet_pton (AF_INET, text, &out->host_addr) == 1)
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
               _("-p %s: \"%s\" is not an IPv4 address or an IPv6 address in brackets (e.g. 127.0.0.1 or [::1])"),
               spec, text);
  return FALSE;
}

gboolean
hako_port_forward_parse (const char *spec, HakoPortForward *out, GError **error)
{
  g_autofree char *rest = g_strdup (spec);
  char *proto = strrchr (rest, '/');
  char *ctr, *host_port;

  memset (out, 0, sizeof *out);
  out->family = AF_INET;
  out->host_addr.s_addr = htonl (INADDR_ANY);
  if (proto)
    {
      *proto++ = '\0';
      if (g_str_equal (proto, "udp"))
        out->udp = TRUE;
      else if (!g_str_equal (proto, "tcp"))
        return bad_forward (spec, error);
    }
  /* From the right: an IPv6 host address has colons of its own. */
  ctr = strrchr (rest, ':');
  if (ctr == NULL)
    return bad_forward (spec, error);
  *ctr++ = '\0';
  host_port = strrchr (rest, ':');
  if (host_port)
    {
      *host_port++ = '\0';
      if (!parse_host_address (spec, rest, out, error))
        return FALSE;
    }
  else
    host_port = rest;
  if (!parse_port (spec, host_port, &out->host_port, error)
      || !parse_port (spec, ctr, &out->container_port, error))
    return FALSE;
  out->spec = g_strdup (spec);
  return TRUE;
}

void
hako_port_forward_clear (HakoPortForward *forward)
{
  g_clear_pointer (&forward->spec, g_free);
}

static gboolean
parse_mode (const char *text, const char *source, HakoNetMode *mode, GError **error)
{
  if (g_str_equal (text, "slirp"))
    *mode = HAKO_NET_SLIRP;
  else if (g_str_equal (text, "pasta"))
    *mode = HAKO_NET_PASTA;
  else if (g_str_equal (text, "none"))
    *mode = HAKO_NET_NONE;
  else
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("%s: unknown network \"%s\": use slirp, pasta or none"), source, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_mtu (gint64 mtu, const char *source, GError **error)
{
  if (mtu >= HAKO_NET_MTU_MIN && mtu <= HAKO_NET_MTU_MAX)
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
               _("%s: the MTU must be between %d and %d"), source, HAKO_NET_MTU_MIN, HAKO_NET_MTU_MAX);
  return FALSE;
}

/* The annotations' part, in CONFIG; the command line then overrides it. */
static gboolean
read_annotations (GHashTable *annotations, HakoNetConfig *config, GError **error)
{
  const char *value;
  guint64 n;

  if (annotations == NULL)
    return TRUE;
  if ((value = g_hash_table_lookup (annotations, HAKO_ANNOTATION_NETWORK))
      && !parse_mode (value, "config.json: annotations." HAKO_ANNOTATION_NETWORK, &config->mode, error))
    return FALSE;
  if ((value = g_hash_table_lookup (annotations, HAKO_ANNOTATION_NETWORK_MTU)))
    {
      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &n, NULL))
        n = 0;
      if (!check_mtu (n, "config.json: annotations." HAKO_ANNOTATION_NETWORK_MTU, error))
        return FALSE;
      config->mtu = n;
    }
  if ((value = g_hash_table_lookup (annotations, HAKO_ANNOTATION_NETWORK_HOST_LOOPBACK)))
    {
      if (!g_str_equal (value, "true") && !g_str_equal (value, "false"))
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                       _("config.json: annotations.%s must be \"true\" or \"false\", not \"%s\""),
                       HAKO_ANNOTATION_NETWORK_HOST_LOOPBACK, value);
          return FALSE;
        }
      config->allow_host_loopback = g_str_equal (value, "true");
    }
  if ((value = g_hash_table_lookup (annotations, HAKO_ANNOTATION_NETWORK_OUTBOUND))
      && !hako_net_outbound_parse_annotation (&config->outbound, value, error))
    return FALSE;
  return TRUE;
}

/* --outbound-addr or --outbound-if, in place of the annotation's choice. */
static gboolean
read_outbound_options (const HakoNetRequest *request, HakoNetOutbound *outbound, GError **error)
{
  if (request->outbound_addr && request->outbound_if)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--outbound-addr and --outbound-if exclude each other: give one of them"));
      return FALSE;
    }
  if (request->outbound_addr == NULL && request->outbound_if == NULL)
    return TRUE;
  hako_net_outbound_clear (outbound);
  if (request->outbound_if)
    return hako_net_outbound_add_interface (outbound, request->outbound_if, "--outbound-if", error);
  for (const char *const *p = request->outbound_addr; *p; p++)
    if (!hako_net_outbound_add_address (outbound, *p, "--outbound-addr", error))
      return FALSE;
  return TRUE;
}

static gboolean
has_own_network_namespace (const HakoSpec *spec)
{
  return spec->linux_ && spec->linux_->namespaces[HAKO_NS_NETWORK].present
         && spec->linux_->namespaces[HAKO_NS_NETWORK].path == NULL;
}

gboolean
hako_net_config_resolve (const HakoSpec *spec, const HakoNetRequest *request,
                         HakoNetConfig *config, GError **error)
{
  memset (config, 0, sizeof *config);
  config->mtu = HAKO_NET_MTU_DEFAULT;
  config->forwards = g_array_new (FALSE, TRUE, sizeof (HakoPortForward));
  g_array_set_clear_func (config->forwards, (GDestroyNotify) hako_port_forward_clear);
  if (!read_annotations (spec->annotations, config, error)
      || (request->network && !parse_mode (request->network, "--network", &config->mode, error))
      || (request->mtu && !check_mtu (request->mtu, "--mtu", error)))
    return FALSE;
  if (config->mode == HAKO_NET_NONE && (request->outbound_addr || request->outbound_if))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("%s is for a network hako provides: add --network slirp (or --network pasta)"),
                   request->outbound_if ? "--outbound-if" : "--outbound-addr");
      return FALSE;
    }
  if (!read_outbound_options (request, &config->outbound, error))
    return FALSE;
  if (request->mtu)
    config->mtu = request->mtu;
  config->allow_host_loopback |= request->allow_host_loopback;
  for (const char *const *p = request->publish; p && *p; p++)
    {
      HakoPortForward forward;
      if (!hako_port_forward_parse (*p, &forward, error))
        return FALSE;
      g_array_append_val (config->forwards, forward);
    }
  if (request->dns)
    {
      struct sockaddr_storage addr;
      socklen_t len;
      if (!hako_dns_parse_upstream (request->dns, &addr, &len, error))
        return FALSE;
      config->dns = g_strdup (request->dns);
    }
  if (config->mode == HAKO_NET_NONE
      && (config->forwards->len > 0 || request->allow_host_loopback || request->mtu || request->dns))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("-p, --mtu, --dns and --allow-host-loopback are for a network hako provides: add --network slirp"));
      return FALSE;
    }
  if (config->mode != HAKO_NET_NONE && !has_own_network_namespace (spec))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("the %s network needs a new network namespace: add {\"type\": \"network\"} (without a path) to linux.namespaces in config.json, or use --network none"),
                   config->mode == HAKO_NET_PASTA ? "pasta" : "slirp");
      return FALSE;
    }
  if (config->mode == HAKO_NET_PASTA && config->dns)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--dns is for --network slirp: pasta forwards DNS to the host's resolver itself"));
      return FALSE;
    }
  /* pasta refuses it ("Invalid or redundant outbound address"), and would
   * only say so in the helper's log. */
  if (config->mode == HAKO_NET_PASTA && g_strcmp0 (config->outbound.addr6, "::1") == 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--network pasta cannot send from the IPv6 loopback address ::1 (which --outbound-if lo also picks): choose --outbound-addr 127.0.0.1 or another address, or use --network slirp"));
      return FALSE;
    }
  if (config->mode == HAKO_NET_PASTA && !hako_pasta_installed ())
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                   _("--network pasta needs pasta, which is not installed: install the Debian package passt (apt-get install passt), or use --network slirp"));
      return FALSE;
    }
  return TRUE;
}

void
hako_net_config_clear (HakoNetConfig *config)
{
  g_clear_pointer (&config->forwards, g_array_unref);
  g_clear_pointer (&config->dns, g_free);
  hako_net_outbound_clear (&config->outbound);
}
