#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "slirp-control.h"

#define REQUEST_MAX 512

int
hako_slirp_control_listen (const char *state_dir, GError **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

  memcpy (addr.sun_path, HAKO_NET_CONTROL_SOCKET, sizeof HAKO_NET_CONTROL_SOCKET);
  if (fd < 0 || chdir (state_dir) < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0
      || listen (fd, 8) < 0)
    {
      hako_error_set_errno (error, errno, _("network: cannot listen on %s/%s"), state_dir,
                            HAKO_NET_CONTROL_SOCKET);
      if (fd >= 0)
        close (fd);
      return -1;
    }
  return fd;
}

static char *
answer (HakoSlirpForwards *forwards, const char *request)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *list = NULL;

  if (g_str_has_prefix (request, "add "))
    hako_slirp_forwards_add (forwards, request + 4, &error);
  else if (g_str_has_prefix (request, "rm "))
    hako_slirp_forwards_remove (forwards, request + 3, &error);
  else if (g_str_equal (request, "ls"))
    list = hako_slirp_forwards_list (forwards);
  else
    g_set_error (&error, HAKO_ERROR, HAKO_ERROR_USAGE, "unknown request \"%s\"", request);
  if (error)
    return g_strconcat ("E", error->message, NULL);
  return g_strconcat ("O", list ? list : "", NULL);
}

void
hako_slirp_control_serve (int listen_fd, HakoSlirpForwards *forwards)
{
  struct timeval timeout = { .tv_sec = 2 };
  char request[REQUEST_MAX + 1];
  g_autofree char *reply = NULL;
  hako_autofd int fd = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
  gsize len = 0;
  ssize_t n;

  if (fd < 0)
    return;
  /* A client that stalls must not stall the container's network for long. */
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  while (len < REQUEST_MAX && (n = read (fd, request + len, REQUEST_MAX - len)) > 0)
    {
      len += n;
      if (memchr (request, '\n', len))
        break;
    }
  request[len] = '\0';
  request[strcspn (request, "\n")] = '\0';
  reply = answer (forwards, request);
  hako_fd_write_all (fd, reply, strlen (reply), NULL);
}
