#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <slirp/libslirp.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "log.h"
#include "net-helper.h"
#include "net-outbound.h"
#include "slirp-control.h"
#include "slirp-dns.h"
#include "slirp-forwards.h"
#include "slirp-guard.h"
#include "slirp-loop.h"
#include "slirp-sandbox.h"
#include "state.h"
#include <stdlib.h>

/* The guest addresses net-tap.c gives tap0. */
#define GUEST_ADDR4 "10.0.2.100"
#define GUEST_ADDR6 "fd00::100"

typedef struct
{
  SlirpTimerId id;
  void *cb_opaque;
  gint64 expire_ms; /* -1: not armed */
} Timer;

typedef struct
{
  Slirp *slirp;
  int tap_fd;
  GArray *pollfds;  /* struct pollfd: first the loop's own, then libslirp's */
  GPtrArray *timers; /* Timer */
  guint8 *frame;
  guint8 *reset; /* the answer to a refused connection, as large as frame */
  gsize frame_size;
  gboolean guard;   /* the host's loopback is closed: see slirp-guard.h */
  HakoSlirpForwards *forwards;
  HakoDnsForwarder *dns; /* NULL: libslirp's own, from /etc/resolv.conf */
  int control_fd;        /* `hako port` connects here */
  /* The outbound source per family (ss_family AF_UNSPEC: the routing table's). */
  struct sockaddr_storage outbound4, outbound6;
} Loop;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static ssize_t
send_packet (const void *buf, size_t len, void *opaque)
{
  Loop *loop = opaque;
  ssize_t n;

  /* A full tap queue drops the frame, as a wire would: TCP resends. */
  do
    n = write (loop->tap_fd, buf, len);
  while (n < 0 && errno == EINTR);
  return n < 0 && errno != EAGAIN ? -1 : (ssize_t) len;
}

static void
guest_error (const char *msg, void *opaque)
{
  hako_log_debug ("slirp: guest error: %s", msg);
}

static int64_t
clock_get_ns (void *opaque)
{
  return now_ns ();
}

static void *
timer_new_opaque (SlirpTimerId id, void *cb_opaque, void *opaque)
{
  Loop *loop = opaque;
  Timer *timer = g_new0 (Timer, 1);

  timer->id = id;
  timer->cb_opaque = cb_opaque;
  timer->expire_ms = -1;
  g_ptr_array_add (loop->timers, timer);
  return timer;
}

static void
timer_free (void *timer, void *opaque)
{
  Loop *loop = opaque;

  g_ptr_array_remove (loop->timers, timer);
}

static void
timer_mod (void *timer, int64_t expire_time, void *opaque)
{
  ((Timer *) timer)->expire_ms = expire_time;
}

static void
no_op_fd (int fd, void *opaque)
{
}

static void
no_op (void *opaque)
{
}

static int
add_poll (int fd, int events, void *opaque)
{
  Loop *loop = opaque;
  struct pollfd p = { .fd = fd };

  if (events & SLIRP_POLL_IN)
    p.events |= POLLIN;
  if (events & SLIRP_POLL_OUT)
    p.events |= POLLOUT;
  if (events & SLIRP_POLL_PRI)
    p.events |= POLLPRI;
  g_array_append_val (loop->pollfds, p);
  return loop->pollfds->len - 1;
}

static int
get_revents (int idx, void *opaque)
{
  Loop *loop = opaque;
  short revents = g_array_index (loop->pollfds, struct pollfd, idx).revents;
  int events = 0;

  if (revents & POLLIN)
    events |= SLIRP_POLL_IN;
  if (revents & POLLOUT)
    events |= SLIRP_POLL_OUT;
  if (revents & POLLPRI)
    events |= SLIRP_POLL_PRI;
  if (revents & POLLERR)
    events |= SLIRP_POLL_ERR;
  if (revents & POLLHUP)
    events |= SLIRP_POLL_HUP;
  return events;
}

static const SlirpCb callbacks = {
  .send_packet = send_packet,
  .guest_error = guest_error,
  .clock_get_ns = clock_get_ns,
  .timer_free = timer_free,
  .timer_mod = timer_mod,
  .register_poll_fd = no_op_fd,
  .unregister_poll_fd = no_op_fd,
  .notify = no_op,
  .timer_new_opaque = timer_new_opaque,
};

/* The poll timeout, in ms, lowered to the next armed timer. */
static int
next_timeout (Loop *loop, guint32 slirp_timeout)
{
  gint64 now = now_ns () / 1000000, timeout = slirp_timeout == UINT32_MAX ? -1 : (gint64) slirp_timeout;

  for (guint i = 0; i < loop->timers->len; i++)
    {
      Timer *timer = loop->timers->pdata[i];
      if (timer->expire_ms >= 0 && (timeout < 0 || timer->expire_ms - now < timeout))
        timeout = MAX (timer->expire_ms - now, 0);
    }
  return timeout;
}

static void
run_timers (Loop *loop)
{
  gint64 now = now_ns () / 1000000;

  for (guint i = 0; i < loop->timers->len; i++)
    {
      Timer *timer = loop->timers->pdata[i];
      if (timer->expire_ms >= 0 && timer->expire_ms <= now)
        {
          timer->expire_ms = -1;
          slirp_handle_timer (loop->slirp, timer->id, timer->cb_opaque);
        }
    }
}

/* The helper's TCP socket whose peer is at PORT on the host closes with a
 * reset, as the container's end did. */
static void
linger_reset (guint16 port)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      struct sockaddr_storage peer;
      socklen_t len = sizeof peer;
      int fd = atoi (name);
      guint16 peer_port;

      if (getpeername (fd, (struct sockaddr *) &peer, &len) < 0)
        continue;
      peer_port = peer.ss_family == AF_INET6 ? ((struct sockaddr_in6 *) &peer)->sin6_port
                                             : ((struct sockaddr_in *) &peer)->sin_port;
      if ((peer.ss_family == AF_INET || peer.ss_family == AF_INET6) && ntohs (peer_port) == port)
        setsockopt (fd, SOL_SOCKET, SO_LINGER, &(struct linger){ .l_onoff = 1, .l_linger = 0 },
                    sizeof (struct linger));
    }
}

/* Every frame the container has queued, into libslirp. */
static void
read_frames (Loop *loop)
{
  gsize reset_len;
  guint16 host_port;

  for (;;)
    {
      ssize_t n = read (loop->tap_fd, loop->frame, loop->frame_size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      if (loop->dns && hako_dns_forwarder_take (loop->dns, loop->frame, n))
        continue;
      if (hako_slirp_guard_is_reset (loop->frame, n, &host_port))
        linger_reset (host_port);
      if (!loop->guard)
        {
          slirp_input (loop->slirp, loop->frame, n);
          continue;
        }
      switch (hako_slirp_guard_check (loop->frame, n, hako_slirp_forwards_udp_ports (loop->forwards), loop->reset, &reset_len))
        {
        case HAKO_GUARD_PASS:
          slirp_input (loop->slirp, loop->frame, n);
          break;
        case HAKO_GUARD_RESET:
          send_packet (loop->reset, reset_len, loop);
          break;
        case HAKO_GUARD_DROP:
          break;
        }
    }
}

static Slirp *
new_slirp (const HakoSlirpOptions *options, Loop *loop)
{
  SlirpConfig config = { .version = 4, .in_enabled = true, .in6_enabled = true,
                         .vprefix_len = 64, .if_mtu = options->mtu, .if_mru = options->mtu,
                         /* Closed by slirp-guard.c instead, which lets UDP replies through. */
                         .disable_host_loopback = false,
                         .disable_dhcp = true };

  inet_pton (AF_INET, "10.0.2.0", &config.vnetwork);
  inet_pton (AF_INET, "255.255.255.0", &config.vnetmask);
  inet_pton (AF_INET, "10.0.2.2", &config.vhost);
  inet_pton (AF_INET, "10.0.2.3", &config.vnameserver);
  inet_pton (AF_INET, GUEST_ADDR4, &config.vdhcp_start);
  inet_pton (AF_INET6, "fd00::", &config.vprefix_addr6);
  inet_pton (AF_INET6, "fd00::2", &config.vhost6);
  inet_pton (AF_INET6, "fd00::3", &config.vnameserver6);
  if (loop->outbound4.ss_family == AF_INET)
    config.outbound_addr = (struct sockaddr_in *) &loop->outbound4;
  if (loop->outbound6.ss_family == AF_INET6)
    config.outbound_addr6 = (struct sockaddr_in6 *) &loop->outbound6;
  return slirp_new (&config, &callbacks, loop);
}

/* The helper's own forwarder when the upstream is known: --dns, or the
 * host's first nameserver; else libslirp forwards. */
static gboolean
open_dns (const HakoSlirpOptions *options, Loop *loop, GError **error)
{
  struct sockaddr_storage upstream;
  const struct sockaddr_storage *source;
  socklen_t len;

  if (options->dns ? !hako_dns_parse_upstream (options->dns, &upstream, &len, error)
                   : !hako_dns_upstream_from_resolv_conf ("/etc/resolv.conf", &upstream, &len))
    return options->dns == NULL;
  source = upstream.ss_family == AF_INET ? &loop->outbound4 : &loop->outbound6;
  loop->dns = hako_dns_forwarder_new (&upstream, len, source->ss_family == upstream.ss_family ? source : NULL,
                                      error);
  return loop->dns != NULL;
}

/* The runtime checked them at create (net-outbound.c); here they only
 * need to be read. */
static gboolean
read_outbound (const HakoSlirpOptions *options, Loop *loop, GError **error)
{
  for (const char *const *p = options->outbound; p && *p; p++)
    {
      struct sockaddr_storage addr;
      socklen_t len;
      if (!hako_net_outbound_address_parse (*p, &addr, &len))
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, "--outbound-addr %s: not an address", *p);
          return FALSE;
        }
      *(addr.ss_family == AF_INET ? &loop->outbound4 : &loop->outbound6) = addr;
    }
  return TRUE;
}

static void
loop_run (Loop *loop, int pidfd)
{
  for (;;)
    {
      guint32 slirp_timeout = UINT32_MAX;
      struct pollfd *fds;
      gboolean tap_ready;
      int n;

      g_array_set_size (loop->pollfds, 0);
      add_poll (pidfd, SLIRP_POLL_IN, loop);
      add_poll (loop->tap_fd, SLIRP_POLL_IN, loop);
      add_poll (loop->control_fd, SLIRP_POLL_IN, loop);
      add_poll (loop->dns ? hako_dns_forwarder_fd (loop->dns) : -1, SLIRP_POLL_IN, loop);
      slirp_pollfds_fill (loop->slirp, &slirp_timeout, add_poll, loop);
      fds = (struct pollfd *) loop->pollfds->data;
      n = poll (fds, loop->pollfds->len, next_timeout (loop, slirp_timeout));
      if (n < 0 && errno != EINTR)
        {
          g_printerr ("hako: network helper: poll: %s\n", g_strerror (errno));
          return;
        }
      if (n > 0 && fds[0].revents)
        return; /* the container's process ended */
      /* libslirp's sockets first: the frames may close some of them and
       * open others, which this round of poll knows nothing about. */
      tap_ready = n > 0 && fds[1].revents & POLLIN;
      slirp_pollfds_poll (loop->slirp, n < 0, get_revents, loop);
      if (tap_ready)
        read_frames (loop);
      if (n > 0 && fds[2].revents & POLLIN)
        hako_slirp_control_serve (loop->control_fd, loop->forwards);
      if (n > 0 && fds[3].revents & POLLIN)
        hako_dns_forwarder_answer (loop->dns, loop->tap_fd);
      run_timers (loop);
    }
}

gboolean
hako_slirp_run (const HakoSlirpOptions *options, int ready_fd, GError **error)
{
  Loop loop = { .tap_fd = options->tap_fd, .control_fd = -1 };
  g_autoptr (GError) local_error = NULL;
  hako_autofd int pidfd = -1;
  gboolean ok = FALSE;

  /* libslirp writes to host sockets whose peer may be gone: EPIPE, not death. */
  signal (SIGPIPE, SIG_IGN);
  loop.pollfds = g_array_new (FALSE, FALSE, sizeof (struct pollfd));
  loop.timers = g_ptr_array_new_with_free_func (g_free);
  /* The largest frame: the MTU and an Ethernet header. */
  loop.frame_size = options->mtu + 14;
  loop.frame = g_malloc (loop.frame_size);
  loop.reset = g_malloc (loop.frame_size);
  loop.guard = !options->allow_host_loopback;
  if (fcntl (options->tap_fd, F_SETFL, O_NONBLOCK) < 0)
    hako_error_set_errno (&local_error, errno, "fcntl O_NONBLOCK");
  else if ((pidfd = hako_net_helper_open_container (options->container_pid, options->container_start, &local_error)) < 0
           || !read_outbound (options, &loop, &local_error) || !open_dns (options, &loop, &local_error))
    ;
  else if ((loop.control_fd = hako_slirp_control_listen (options->state_dir, &local_error)) < 0)
    ;
  else if ((loop.slirp = new_slirp (options, &loop)) == NULL)
    g_set_error_literal (&local_error, HAKO_ERROR, HAKO_ERROR_FAILED, "slirp_new");
  else
    {
      ok = TRUE;
      loop.forwards = hako_slirp_forwards_new (loop.slirp);
      for (const char *const *p = options->publish; ok && p && *p; p++)
        ok = hako_slirp_forwards_add (loop.forwards, *p, &local_error);
      /* Last: everything it listens on is open by now. */
      ok = ok && hako_slirp_sandbox_enter (&local_error);
    }
  hako_net_ready_write (ready_fd, local_error);
  if (ok)
    loop_run (&loop, pidfd);
  if (loop.slirp)
    slirp_cleanup (loop.slirp);
  g_ptr_array_unref (loop.timers);
  g_array_unref (loop.pollfds);
  g_free (loop.frame);
  g_free (loop.reset);
  hako_slirp_forwards_free (loop.forwards);
  hako_dns_forwarder_free (loop.dns);
  if (loop.control_fd >= 0)
    close (loop.control_fd);
  if (local_error)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}
