#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "error.h"
#include "i18n.h"
#include "net-config.h"
#include "slirp-forwards.h"

/* The guest addresses net-tap.c gives tap0. */
#define GUEST_ADDR4 "10.0.2.100"
#define GUEST_ADDR6 "fd00::100"

struct HakoSlirpForwards
{
  Slirp *slirp;
  GArray *forwards;  /* HakoPortForward */
  GArray *udp_ports; /* guint16 */
};

typedef union
{
  struct sockaddr sa;
  struct sockaddr_in in4;
  struct sockaddr_in6 in6;
} Address;

/* FORWARD's host side (*HOST) and container side (*GUEST); their length. */
static socklen_t
forward_addresses (const HakoPortForward *forward, Address *host, Address *guest)
{
  memset (host, 0, sizeof *host);
  memset (guest, 0, sizeof *guest);
  if (forward->family == AF_INET6)
    {
      host->in6 = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_addr = forward->host_addr6,
                                         .sin6_port = htons (forward->host_port) };
      guest->in6 = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_port = htons (forward->container_port) };
      inet_pton (AF_INET6, GUEST_ADDR6, &guest->in6.sin6_addr);
      return sizeof (struct sockaddr_in6);
    }
  host->in4 = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr = forward->host_addr,
                                    .sin_port = htons (forward->host_port) };
  guest->in4 = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons (forward->container_port) };
  inet_pton (AF_INET, GUEST_ADDR4, &guest->in4.sin_addr);
  return sizeof (struct sockaddr_in);
}

static int
forward_flags (const HakoPortForward *forward)
{
  return (forward->udp ? SLIRP_HOSTFWD_UDP : 0) | (forward->family == AF_INET6 ? SLIRP_HOSTFWD_V6ONLY : 0);
}

/* The message for a forward libslirp could not listen for; errno is bind's. */
static void
set_forward_error (const HakoPortForward *forward, int saved_errno, GError **error)
{
  g_autofree char *start = NULL;
  int unprivileged = 1024;

  if (saved_errno == EADDRINUSE)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("-p %s: host port %u is already in use: choose another host port"),
                   forward->spec, forward->host_port);
      return;
    }
  if (g_file_get_contents ("/proc/sys/net/ipv4/ip_unprivileged_port_start", &start, NULL, NULL))
    unprivileged = atoi (start);
  if (saved_errno == EACCES && forward->host_port < unprivileged)
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                 _("-p %s: host port %u is below %d (the sysctl net.ipv4.ip_unprivileged_port_start) and needs privileges: choose a port of %d or more"),
                 forward->spec, forward->host_port, unprivileged, unprivileged);
  else
    hako_error_set_errno (error, saved_errno, _("-p %s: cannot listen on the host port %u"),
                          forward->spec, forward->host_port);
}

/* libslirp listens for a TCP forward with a backlog of 1, so a burst of
 * connections overflows it (SYN cookies, resets): the socket bound to
 * ADDR gets a full backlog. */
static void
widen_backlog (const struct sockaddr *addr, socklen_t len)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      struct sockaddr_storage bound;
      socklen_t bound_len = sizeof bound;
      int fd = atoi (name), listening = 0;
      socklen_t int_len = sizeof listening;

      if (getsockopt (fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &int_len) == 0 && listening
          && getsockname (fd, (struct sockaddr *) &bound, &bound_len) == 0 && bound_len == len
          && memcmp (&bound, addr, len) == 0)
        listen (fd, SOMAXCONN);
    }
}

static void
refresh_udp_ports (HakoSlirpForwards *forwards)
{
  g_array_set_size (forwards->udp_ports, 0);
  for (guint i = 0; i < forwards->forwards->len; i++)
    {
      const HakoPortForward *forward = &g_array_index (forwards->forwards, HakoPortForward, i);
      if (forward->udp)
        g_array_append_val (forwards->udp_ports, forward->container_port);
    }
}

HakoSlirpForwards *
hako_slirp_forwards_new (Slirp *slirp)
{
  HakoSlirpForwards *forwards = g_new0 (HakoSlirpForwards, 1);

  forwards->slirp = slirp;
  forwards->forwards = g_array_new (FALSE, TRUE, sizeof (HakoPortForward));
  g_array_set_clear_func (forwards->forwards, (GDestroyNotify) hako_port_forward_clear);
  forwards->udp_ports = g_array_new (FALSE, FALSE, sizeof (guint16));
  return forwards;
}

void
hako_slirp_forwards_free (HakoSlirpForwards *forwards)
{
  if (forwards == NULL)
    return;
  g_array_unref (forwards->forwards);
  g_array_unref (forwards->udp_ports);
  g_free (forwards);
}

gboolean
hako_slirp_forwards_add (HakoSlirpForwards *forwards, const char *spec, GError **error)
{
  HakoPortForward forward;
  Address host, guest;
  socklen_t len;

  if (!hako_port_forward_parse (spec, &forward, error))
    return FALSE;
  len = forward_addresses (&forward, &host, &guest);
  errno = 0;
  if (slirp_add_hostxfwd (forwards->slirp, &host.sa, len, &guest.sa, len, forward_flags (&forward)) < 0)
    {
      set_forward_error (&forward, errno ? errno : EADDRINUSE, error);
      hako_port_forward_clear (&forward);
      return FALSE;
    }
  if (!forward.udp)
    widen_backlog (&host.sa, len);
  g_array_append_val (forwards->forwards, forward);
  refresh_udp_ports (forwards);
  return TRUE;
}

gboolean
hako_slirp_forwards_remove (HakoSlirpForwards *forwards, const char *spec, GError **error)
{
  g_auto (HakoPortForward) wanted = { 0 };
  Address host, guest, other_host;
  socklen_t len;

  if (!hako_port_forward_parse (spec, &wanted, error))
    return FALSE;
  len = forward_addresses (&wanted, &host, &guest);
  for (guint i = 0; i < forwards->forwards->len; i++)
    {
      const HakoPortForward *forward = &g_array_index (forwards->forwards, HakoPortForward, i);
      if (forward->udp != wanted.udp || forward_addresses (forward, &other_host, &guest) != len
          || memcmp (&other_host, &host, len) != 0)
        continue;
      slirp_remove_hostxfwd (forwards->slirp, &host.sa, len, forward_flags (forward));
      g_array_remove_index (forwards->forwards, i);
      refresh_udp_ports (forwards);
      return TRUE;
    }
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
               _("%s: no forward listens there (hako port ls lists them)"), spec);
  return FALSE;
}

char *
hako_slirp_forwards_list (const HakoSlirpForwards *forwards)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < forwards->forwards->len; i++)
    g_string_append_printf (list, "%s\n", g_array_index (forwards->forwards, HakoPortForward, i).spec);
  return g_string_free (list, FALSE);
}

const GArray *
hako_slirp_forwards_udp_ports (const HakoSlirpForwards *forwards)
{
  return forwards->udp_ports;
}
