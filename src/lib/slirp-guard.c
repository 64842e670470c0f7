#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "slirp-guard.h"

#define ETH_LEN 14
#define IP4_NET 0x0a000200u /* 10.0.2.0/24 */
#define IP4_DNS 0x0a000203u
#define IP4_GUEST 0x0a000264u
#define TCP_MIN 20
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

static guint16
read16 (const guint8 *p)
{
  return (p[0] << 8) | p[1];
}

static guint32
read32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

static void
write16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v;
}

static void
write32 (guint8 *p, guint32 v)
{
  write16 (p, v >> 16);
  write16 (p + 2, v);
}

static guint32
sum16 (const guint8 *p, gsize len, guint32 sum)
{
  for (; len > 1; p += 2, len -= 2)
    sum += read16 (p);
  if (len)
    sum += p[0] << 8;
  return sum;
}

static guint16
fold (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return ~sum;
}

static gboolean
host_side4 (const guint8 *dst)
{
  guint32 a = read32 (dst);
  return (a & 0xffffff00u) == IP4_NET && a != IP4_DNS && a != IP4_GUEST;
}

static gboolean
host_side6 (const guint8 *dst)
{
  static const guint8 prefix[8] = { 0xfd, 0 };
  static const guint8 dns[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3 };
  static const guint8 guest[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
  return memcmp (dst, prefix, 8) == 0 && memcmp (dst, dns, 16) != 0 && memcmp (dst, guest, 16) != 0;
}

static gboolean
forwarded (const GArray *udp_ports, guint16 port)
{
  for (guint i = 0; udp_ports && i < udp_ports->len; i++)
    if (g_array_index (udp_ports, guint16, i) == port)
      return TRUE;
  return FALSE;
}

/* The RST|ACK answering the SYN at TCP (of SYN_LEN bytes); IP: its header. */
static gsize
build_reset (const guint8 *frame, gboolean v6, gsize ip_len, const guint8 *tcp, guint8 *out)
{
  guint8 *ip = out + ETH_LEN, *rst;
  gsize addr_len = v6 ? 16 : 4, src_off = v6 ? 8 : 12;
  guint32 sum;

  memcpy (out, frame + 6, 6);       /* back to the container's MAC */
  memcpy (out + 6, frame, 6);       /* from the one it addressed */
  memcpy (out + 12, frame + 12, 2); /* ethertype */
  memcpy (ip, frame + ETH_LEN, ip_len);
  memcpy (ip + src_off, frame + ETH_LEN + src_off + addr_len, addr_len);
  memcpy (ip + src_off + addr_len, frame + ETH_LEN + src_off, addr_len);
  rst = ip + ip_len;
  memset (rst, 0, TCP_MIN);
  memcpy (rst, tcp + 2, 2);     /* source port: the one it called */
  memcpy (rst + 2, tcp, 2);     /* destination: its own */
  write32 (rst + 8, read32 (tcp + 4) + 1);
  rst[12] = (TCP_MIN / 4) << 4;
  rst[13] = TCP_RST | TCP_ACK;
  if (v6)
    {
      write16 (ip + 4, TCP_MIN);
      ip[6] = IPPROTO_TCP;
    }
  else
    {
      write16 (ip + 2, ip_len + TCP_MIN);
      write16 (ip + 10, 0);
      write16 (ip + 10, fold (sum16 (ip, ip_len, 0)));
    }
  /* The pseudo-header: addresses, protocol, TCP length. */
  sum = sum16 (ip + src_off, 2 * addr_len, IPPROTO_TCP + TCP_MIN);
  write16 (rst + 16, fold (sum16 (rst, TCP_MIN, sum)));
  return ETH_LEN + ip_len + TCP_MIN;
}

HakoGuardVerdict
hako_slirp_guard_check (const guint8 *frame, gsize frame_len, const GArray *udp_ports,
                        guint8 *reset_frame, gsize *reset_len)
{
  const guint8 *ip = frame + ETH_LEN, *l4;
  gboolean v6;
  gsize ip_len;
  int proto;

  if (frame_len < ETH_LEN)
    return HAKO_GUARD_DROP;
  switch (read16 (frame + 12))
    {
    case 0x0800:
      if (frame_len < ETH_LEN + 20)
        return HAKO_GUARD_DROP;
      v6 = FALSE;
      ip_len = (ip[0] & 0x0f) * 4;
      proto = ip[9];
      if (!host_side4 (ip + 16))
        return HAKO_GUARD_PASS;
      /* A fragment but the first has no ports to judge by. */
      if (read16 (ip + 6) & 0x1fff)
        return HAKO_GUARD_DROP;
      break;
    case 0x86dd:
      if (frame_len < ETH_LEN + 40)
        return HAKO_GUARD_DROP;
      v6 = TRUE;
      ip_len = 40;
      proto = ip[6];
      if (!host_side6 (ip + 24))
        return HAKO_GUARD_PASS;
      break;
    default:
      return HAKO_GUARD_PASS;
    }
  l4 = ip + ip_len;
  if (ip_len < 20)
    return HAKO_GUARD_DROP;
  if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
    return HAKO_GUARD_PASS; /* libslirp answers pings to its addresses itself */
  if (proto == IPPROTO_UDP && ETH_LEN + ip_len + 8 <= frame_len)
    return forwarded (udp_ports, read16 (l4)) ? HAKO_GUARD_PASS : HAKO_GUARD_DROP;
  if (proto != IPPROTO_TCP || ETH_LEN + ip_len + TCP_MIN > frame_len)
    return HAKO_GUARD_DROP;
  if ((l4[13] & (TCP_SYN | TCP_ACK)) != TCP_SYN)
    return HAKO_GUARD_PASS; /* a connection the host made through a forward */
  *reset_len = build_reset (frame, v6, ip_len, l4, reset_frame);
  return HAKO_GUARD_RESET;
}

gboolean
hako_slirp_guard_is_reset (const guint8 *frame, gsize frame_len, guint16 *host_port)
{
  const guint8 *ip = frame + ETH_LEN, *tcp;
  gsize ip_len;

  if (frame_len < ETH_LEN + 40)
    return FALSE;
  if (read16 (frame + 12) == 0x0800 && ip[9] == IPPROTO_TCP && host_side4 (ip + 16))
    ip_len = (ip[0] & 0x0f) * 4;
  else if (read16 (frame + 12) == 0x86dd && ip[6] == IPPROTO_TCP && host_side6 (ip + 24))
    ip_len = 40;
  else
    return FALSE;
  if (ip_len < 20 || ETH_LEN + ip_len + TCP_MIN > frame_len)
    return FALSE;
  tcp = ip + ip_len;
  *host_port = read16 (tcp + 2);
  return (tcp[13] & TCP_RST) != 0;
}
