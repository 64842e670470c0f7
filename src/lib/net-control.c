#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "net-config.h"
#include "net-control.h"
#include "net-helper.h"
#include "slirp-control.h"
#include "state.h"

static int
connect_helper (const char *id, const char *dir, GError **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  hako_autofd int dir_fd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  /* Through the directory's fd: a long state path still fits sun_path. */
  g_snprintf (addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dir_fd, HAKO_NET_CONTROL_SOCKET);
  if (dir_fd >= 0 && fd >= 0 && connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0)
    return fd;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
               _("container \"%s\" has no network helper to ask (%s): it needs a network hako provides (--network slirp) and must be created or running"),
               id, g_strerror (errno));
  if (fd >= 0)
    close (fd);
  return -1;
}

gboolean
hako_net_port (const char *root, const char *id, const char *verb, const char *spec, char **list,
               GError **error)
{
  g_autoptr (HakoState) state = hako_state_load (root, id, error);
  g_autofree char *dir = NULL, *request = NULL;
  g_autoptr (GString) reply = g_string_new (NULL);
  g_auto (HakoPortForward) forward = { 0 };
  hako_autofd int fd = -1;
  char buf[4096];
  ssize_t n;

  if (state == NULL || (spec && !hako_port_forward_parse (spec, &forward, error)))
    return FALSE;
  dir = hako_state_dir (root, id);
  if ((fd = connect_helper (id, dir, error)) < 0)
    return FALSE;
  request = spec ? g_strdup_printf ("%s %s\n", verb, spec) : g_strdup_printf ("%s\n", verb);
  if (!hako_fd_write_all (fd, request, strlen (request), error))
    return FALSE;
  while ((n = read (fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (reply, buf, n);
  if (reply->len > 0 && reply->str[0] == 'O')
    {
      if (list)
        *list = g_strdup (reply->str + 1);
      return TRUE;
    }
  if (reply->len > 0 && reply->str[0] == 'E')
    g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED, reply->str + 1);
  else
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                 _("container \"%s\": its network helper closed the connection without an answer"), id);
  return FALSE;
}
