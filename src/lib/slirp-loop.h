/* The network helper's work: libslirp on the container's tap fd, with
 * port forwards, for as long as the container's process lives. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "net-config.h"

typedef struct
{
  int tap_fd;
  pid_t container_pid;
  guint64 container_start; /* its start time, to know the pid is still its */
  guint mtu;
  gboolean allow_host_loopback;
  const char *const *publish; /* the forwards, as -p takes them */
  const char *state_dir; /* where the control socket listens (see slirp-control.h) */
  const char *dns;  /* the upstream DNS server (see slirp-dns.h), or NULL */
  const char *const *outbound; /* the source addresses, one per family at most (see net-outbound.h) */
} HakoSlirpOptions;

/* Sets libslirp up with OPTIONS' forwards, then reports on READY_FD
 * (hako_net_ready_write) and runs until the container's process ends.
 * FALSE with ERROR when the set-up fails (also reported on READY_FD). */
gboolean hako_slirp_run (const HakoSlirpOptions *options, int ready_fd, GError **error);
