/* A seccomp agent for the tests (config-linux.md, listenerPath): listens
 * on SOCKET, and for each connection writes the container process state
 * it receives to STATE_PREFIX.N and serves the listener fd that came with
 * it in a child of its own: mkdir and mkdirat "succeed" without making
 * anything, rmdir fails with ERRNO, any other notified call goes on as
 * usual. The listener of connection HANG (when given) is never answered:
 * its process stays stopped in that call.
 * Usage: seccomp-agent SOCKET STATE_PREFIX ERRNO [HANG] */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fd-util.h"

static void
serve (int listener, int fail_errno, int hang)
{
  struct seccomp_notif *request;
  struct seccomp_notif_resp *response;
  int mkdir_nr = seccomp_syscall_resolve_name ("mkdir");
  int mkdirat_nr = seccomp_syscall_resolve_name ("mkdirat");
  int rmdir_nr = seccomp_syscall_resolve_name ("rmdir");

  if (seccomp_notify_alloc (&request, &response) < 0)
    exit (1);
  for (;;)
    {
      memset (request, 0, sizeof *request);
      /* The container gone, the fd reports an error: done. */
      if (seccomp_notify_receive (listener, request) < 0)
        {
          if (errno == EINTR)
            continue;
          exit (0);
        }
      if (hang)
        continue;
      memset (response, 0, sizeof *response);
      response->id = request->id;
      if (request->data.nr == mkdir_nr || request->data.nr == mkdirat_nr)
        response->val = 0;
      else if (request->data.nr == rmdir_nr)
        response->error = -fail_errno;
      else
        response->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      /* ENOENT: the caller was killed meanwhile. */
      (void) seccomp_notify_respond (listener, response);
    }
}

/* The state (up to its end) and the fd that came with its first byte. */
static int
receive_state (int connection, const char *path)
{
  union
  {
    struct cmsghdr align;
    char buffer[CMSG_SPACE (sizeof (int))];
  } control;
  char buffer[65536];
  struct iovec iov = { .iov_base = buffer, .iov_len = sizeof buffer };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buffer,
                        .msg_controllen = sizeof control.buffer };
  ssize_t n = recvmsg (connection, &msg, MSG_CMSG_CLOEXEC);
  int fd = n > 0 ? hako_fd_take_first (&msg) : -1;
  FILE *out = fopen (path, "w");

  if (out == NULL)
    exit (1);
  while (n > 0)
    {
      fwrite (buffer, 1, n, out);
      n = read (connection, buffer, sizeof buffer);
    }
  fclose (out);
  return fd;
}

int
main (int argc, char **argv)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int server;

  unsigned hang;

  if ((argc != 4 && argc != 5) || strlen (argv[1]) >= sizeof address.sun_path)
    {
      fprintf (stderr, "usage: seccomp-agent SOCKET STATE_PREFIX ERRNO [HANG]\n");
      return 2;
    }
  hang = argc == 5 ? (unsigned) atoi (argv[4]) : 0;
  signal (SIGCHLD, SIG_IGN);
  strcpy (address.sun_path, argv[1]);
  server = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (server < 0 || bind (server, (struct sockaddr *) &address, sizeof address) < 0
      || listen (server, 4) < 0)
    {
      perror (argv[1]);
      return 1;
    }
  for (unsigned n = 1;; n++)
    {
      char path[4096];
      int connection = accept4 (server, NULL, NULL, SOCK_CLOEXEC);
      int listener;

      if (connection < 0)
        continue;
      snprintf (path, sizeof path, "%s.%u", argv[2], n);
      listener = receive_state (connection, path);
      close (connection);
      if (listener >= 0 && fork () == 0)
        serve (listener, atoi (argv[3]), n == hang);
      if (listener >= 0)
        close (listener);
    }
}
