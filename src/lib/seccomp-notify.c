/* SCMP_ACT_NOTIFY: the listener fd and the container process state go to
 * the seccomp agent at listenerPath (config-linux.md). */
#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "json-read.h"
#include "seccomp-notify.h"

char *
hako_seccomp_notify_state (const HakoSeccomp *seccomp, pid_t pid, const char *state_json,
                           GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) state = NULL;
  g_autoptr (JsonNode) root = NULL;

  if (!hako_json_parse_document (state_json, -1, "state", &state, error))
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ociVersion");
  json_builder_add_string_value (builder, HAKO_OCI_VERSION);
  json_builder_set_member_name (builder, "fds");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "seccompFd");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, pid);
  if (seccomp->listener_metadata)
    {
      json_builder_set_member_name (builder, "metadata");
      json_builder_add_string_value (builder, seccomp->listener_metadata);
    }
  json_builder_set_member_name (builder, "state");
  json_builder_add_value (builder, g_steal_pointer (&state));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static int
connect_listener (const char *path, GError **error)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd;

  if (strlen (path) >= sizeof address.sun_path)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("linux.seccomp.listenerPath: %s is longer than a unix socket path can be "
                     "(%zu bytes): use a shorter path"),
                   path, sizeof address.sun_path - 1);
      return -1;
    }
  strcpy (address.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect (fd, (struct sockaddr *) &address, sizeof address) == 0)
    return fd;
  hako_error_set_errno (error, errno,
                        _("linux.seccomp.listenerPath: cannot connect to the seccomp agent at %s "
                          "(is it listening?)"),
                        path);
  if (fd >= 0)
    close (fd);
  return -1;
}

gboolean
hako_seccomp_notify_send (const HakoSeccomp *seccomp, int listener_fd, pid_t pid,
                          const char *state_json, GError **error)
{
  g_autofree char *message = hako_seccomp_notify_state (seccomp, pid, state_json, error);
  hako_autofd int fd = -1;
  gsize length;

  if (message == NULL)
    return FALSE;
  fd = connect_listener (seccomp->listener_path, error);
  if (fd < 0)
    return FALSE;
  /* The fd rides on the first byte; the rest follows as plain data. */
  length = strlen (message);
  if (hako_fd_send (fd, listener_fd, message, 1) < 0
      || !hako_fd_write_all (fd, message + 1, length - 1, NULL))
    return hako_error_set_errno (error, errno,
                                 _("linux.seccomp.listenerPath: cannot send the container "
                                   "process state to %s"),
                                 seccomp->listener_path);
  return TRUE;
}

static int
receive_listener (int socket_fd, GError **error)
{
  union
  {
    struct cmsghdr align;
    char buffer[CMSG_SPACE (sizeof (int))];
  } control;
  char byte;
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  struct msghdr msg = { .msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = control.buffer,
                        .msg_controllen = sizeof control.buffer };
  ssize_t n;
  int fd;

  do
    n = recvmsg (socket_fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  fd = n > 0 ? hako_fd_take_first (&msg) : -1;
  if (fd < 0)
    g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                         _("the container process loaded its SCMP_ACT_NOTIFY filter but sent no "
                           "listener fd"));
  return fd;
}

gboolean
hako_seccomp_notify_forward (const HakoSeccomp *seccomp, int socket_fd, pid_t pid,
                             const HakoState *state, GError **error)
{
  hako_autofd int listener = receive_listener (socket_fd, error);
  g_autofree char *json = NULL;

  if (listener < 0)
    return FALSE;
  json = hako_state_to_hook_json (state);
  return hako_seccomp_notify_send (seccomp, listener, pid, json, error);
}
