#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "slirp-dns.h"

#define ETH_LEN 14
#define IP_LEN 20
#define UDP_LEN 8
#define DNS_MAX 4096
#define VNAMESERVER 0x0a000203u /* 10.0.2.3 */

/* A query on its way: who asked, under which id. */
typedef struct
{
  gboolean used;
  guint16 id;           /* the container's */
  guint8 guest_mac[6], our_mac[6];
  guint8 guest_ip[4];
  guint16 guest_port;
} Pending;

struct HakoDnsForwarder
{
  int fd;
  struct sockaddr_storage upstream;
  socklen_t upstream_len;
  guint16 next_id;
  Pending pending[1 << 16]; /* by the id sent upstream */
  guint8 frame[ETH_LEN + IP_LEN + UDP_LEN + DNS_MAX];
};

gboolean
hako_dns_parse_upstream (const char *text, struct sockaddr_storage *addr, socklen_t *len,
                         GError **error)
{
  g_autofree char *host = NULL;
  const char *port_text = NULL, *close;
  guint64 port = 53;
  struct sockaddr_in *in4 = (struct sockaddr_in *) addr;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) addr;

  memset (addr, 0, sizeof *addr);
  if (text[0] == '[' && (close = strchr (text, ']')) != NULL)
    {
      host = g_strndup (text + 1, close - text - 1);
      if (close[1] == ':')
        port_text = close + 2;
      else if (close[1] != '\0')
        host[0] = '\0';
    }
  else if ((close = strchr (text, ':')) != NULL && strchr (close + 1, ':') == NULL)
    {
      host = g_strndup (text, close - text);
      port_text = close + 1;
    }
  else
    host = g_strdup (text);
  if ((port_text && !g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL)) || host == NULL)
    goto bad;
  if (inet_pton (AF_INET, host, &in4->sin_addr) == 1)
    {
      in4->sin_family = AF_INET;
      in4->sin_port = htons (port);
      *len = sizeof *in4;
      return TRUE;
    }
  if (inet_pton (AF_INET6, host, &in6->sin6_addr) == 1)
    {
      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons (port);
      *len = sizeof *in6;
      return TRUE;
    }
bad:
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
               _("--dns %s: expected IP or IP:PORT (an IPv6 address in brackets), e.g. 192.0.2.53 or 127.0.0.1:5353 or [::1]:53"),
               text);
  return FALSE;
}

gboolean
hako_dns_upstream_from_resolv_conf (const char *resolv_conf, struct sockaddr_storage *addr,
                                    socklen_t *len)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (resolv_conf, &contents, NULL, NULL))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) words = g_strsplit_set (g_strstrip (*line), " \t", -1);
      /* A scoped IPv6 address (fe80::1%eth0) is not one to forward to. */
      if (g_strv_length (words) >= 2 && g_str_equal (words[0], "nameserver") && !strchr (words[1], '%'))
        {
          g_autofree char *text = strchr (words[1], ':') ? g_strdup_printf ("[%s]", words[1])
                                                         : g_strdup (words[1]);
          if (hako_dns_parse_upstream (text, addr, len, NULL))
            return TRUE;
        }
    }
  return FALSE;
}

HakoDnsForwarder *
hako_dns_forwarder_new (const struct sockaddr_storage *upstream, socklen_t len,
                        const struct sockaddr_storage *source, GError **error)
{
  HakoDnsForwarder *forwarder = g_new0 (HakoDnsForwarder, 1);

  forwarder->fd = socket (upstream->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (forwarder->fd < 0
      || (source && bind (forwarder->fd, (const struct sockaddr *) source, len) < 0))
    {
      hako_error_set_errno (error, errno, source ? "bind" : "socket");
      if (forwarder->fd >= 0)
        close (forwarder->fd);
      g_free (forwarder);
      return NULL;
    }
  memcpy (&forwarder->upstream, upstream, len);
  forwarder->upstream_len = len;
  forwarder->next_id = g_random_int ();
  return forwarder;
}

void
hako_dns_forwarder_free (HakoDnsForwarder *forwarder)
{
  if (forwarder == NULL)
    return;
  close (forwarder->fd);
  g_free (forwarder);
}

int
hako_dns_forwarder_fd (const HakoDnsForwarder *forwarder)
{
  return forwarder->fd;
}

static guint16
read16 (const guint8 *p)
{
  return (p[0] << 8) | p[1];
}

static void
write16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v;
}

gboolean
hako_dns_forwarder_take (HakoDnsForwarder *forwarder, const guint8 *frame, gsize len)
{
  const guint8 *ip = frame + ETH_LEN, *udp, *dns;
  gsize ip_len, dns_len;
  guint32 dst;
  Pending *p;
  guint16 id;

  if (len < ETH_LEN + IP_LEN + UDP_LEN + 12 || read16 (frame + 12) != 0x0800 || ip[9] != IPPROTO_UDP)
    return FALSE;
  memcpy (&dst, ip + 16, 4);
  ip_len = (ip[0] & 0x0f) * 4;
  udp = ip + ip_len;
  if (ntohl (dst) != VNAMESERVER || ip_len < IP_LEN || (read16 (ip + 6) & 0x3fff)
      || ETH_LEN + ip_len + UDP_LEN + 12 > len || read16 (udp + 2) != 53)
    return FALSE;
  dns = udp + UDP_LEN;
  dns_len = MIN ((gsize) read16 (udp + 4), len - ETH_LEN - ip_len) - UDP_LEN;
  if (dns_len < 12 || dns_len > DNS_MAX)
    return TRUE; /* not a query anyone could answer */
  id = forwarder->next_id++;
  p = &forwarder->pending[id];
  p->used = TRUE;
  p->id = read16 (dns);
  memcpy (p->our_mac, frame, 6);
  memcpy (p->guest_mac, frame + 6, 6);
  memcpy (p->guest_ip, ip + 12, 4);
  p->guest_port = read16 (udp);
  /* The query itself, under our id, to the upstream. */
  memcpy (forwarder->frame, dns, dns_len);
  write16 (forwarder->frame, id);
  sendto (forwarder->fd, forwarder->frame, dns_len, 0, (struct sockaddr *) &forwarder->upstream,
          forwarder->upstream_len);
  return TRUE;
}

static guint16
ip_checksum (const guint8 *p, gsize len)
{
  guint32 sum = 0;

  for (gsize i = 0; i + 1 < len; i += 2)
    sum += read16 (p + i);
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return ~sum;
}

void
hako_dns_forwarder_answer (HakoDnsForwarder *forwarder, int tap_fd)
{
  guint8 *eth = forwarder->frame, *ip = eth + ETH_LEN, *udp = ip + IP_LEN, *dns = udp + UDP_LEN;
  guint32 server = htonl (VNAMESERVER);
  ssize_t n;

  while ((n = recv (forwarder->fd, dns, DNS_MAX, 0)) >= 12 || (n < 0 && errno == EINTR))
    {
      Pending *p;
      if (n < 0)
        continue;
      p = &forwarder->pending[read16 (dns)];
      if (!p->used)
        continue;
      p->used = FALSE;
      write16 (dns, p->id);
      memcpy (eth, p->guest_mac, 6);
      memcpy (eth + 6, p->our_mac, 6);
      write16 (eth + 12, 0x0800);
      memset (ip, 0, IP_LEN);
      ip[0] = 0x45;
      write16 (ip + 2, IP_LEN + UDP_LEN + n);
      ip[8] = 64;
      ip[9] = IPPROTO_UDP;
      memcpy (ip + 12, &server, 4);
      memcpy (ip + 16, p->guest_ip, 4);
      write16 (ip + 10, ip_checksum (ip, IP_LEN));
      write16 (udp, 53);
      write16 (udp + 2, p->guest_port);
      write16 (udp + 4, UDP_LEN + n);
      write16 (udp + 6, 0); /* no checksum: allowed over IPv4 */
      (void) !write (tap_fd, eth, ETH_LEN + IP_LEN + UDP_LEN + n);
    }
}
