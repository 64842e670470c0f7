#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"

gboolean
hako_fd_write_all (int fd, const char *data, gsize length, GError **error)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return hako_error_set_errno (error, errno, "write");
      data += n;
      length -= n;
    }
  return TRUE;
}

gboolean
hako_file_create_new (const char *path, const char *contents, gssize length, int mode,
                      GError **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

  if (fd < 0 && errno == EEXIST)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_EXISTS, _("%s already exists"), path);
      return FALSE;
    }
  if (fd < 0)
    return hako_error_set_errno (error, errno, _("cannot create %s"), path);
  if (length < 0)
    length = strlen (contents);
  if (!hako_fd_write_all (fd, contents, length, error) || close (fd) < 0)
    {
      if (error && *error == NULL)
        hako_error_set_errno (error, errno, "close");
      unlink (path);
      g_prefix_error (error, _("cannot write %s: "), path);
      return FALSE;
    }
  return TRUE;
}

gboolean
hako_file_replace (const char *path, const char *contents, gssize length, int mode,
                   GError **error)
{
  g_autofree char *temp = g_strconcat (path, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, mode);

  if (fd < 0)
    return hako_error_set_errno (error, errno, _("cannot create %s"), temp);
  if (length < 0)
    length = strlen (contents);
  if (!hako_fd_write_all (fd, contents, length, error) || close (fd) < 0)
    {
      if (error && *error == NULL)
        hako_error_set_errno (error, errno, "close");
      unlink (temp);
      g_prefix_error (error, _("cannot write %s: "), path);
      return FALSE;
    }
  if (rename (temp, path) < 0)
    {
      int saved_errno = errno;
      unlink (temp);
      return hako_error_set_errno (error, saved_errno, _("cannot write %s"), path);
    }
  return TRUE;
}

void
hako_remove_tree (const char *path)
{
  struct stat st;
  g_autoptr (GDir) entries = NULL;
  const char *name;

  if (lstat (path, &st) < 0)
    return;
  if (!S_ISDIR (st.st_mode))
    {
      unlink (path);
      return;
    }
  /* A read-only directory of the caller's (an image layer's /usr, say)
   * keeps its entries until it is writable again. */
  if (st.st_uid == geteuid () && (st.st_mode & S_IRWXU) != S_IRWXU)
    chmod (path, (st.st_mode & 07777) | S_IRWXU);
  entries = g_dir_open (path, 0, NULL);
  while (entries && (name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      hako_remove_tree (child);
    }
  rmdir (path);
}

void
hako_fd_mark_cloexec_from (int first)
{
  struct rlimit nofile;

  if (syscall (SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return;
  if (getrlimit (RLIMIT_NOFILE, &nofile) < 0 || nofile.rlim_cur > 1 << 20)
    nofile.rlim_cur = 1 << 20;
  for (rlim_t fd = first; fd < nofile.rlim_cur; fd++)
    fcntl ((int) fd, F_SETFD, FD_CLOEXEC);
}

/* Sends FD over SOCKET_FD with SCM_RIGHTS, PAYLOAD as the message. */
int
hako_fd_send (int socket_fd, int fd, const char *payload, size_t length)
{
  union
  {
    struct cmsghdr align;
    char buffer[CMSG_SPACE (sizeof (int))];
  } control;
  struct iovec iov = { .iov_base = (void *) payload, .iov_len = length };
  struct msghdr msg = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.buffer,
    .msg_controllen = sizeof control.buffer,
  };
  struct cmsghdr *cmsg;
  ssize_t n;

  memset (&control, 0, sizeof control);
  cmsg = CMSG_FIRSTHDR (&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &fd, sizeof (int));
  do
    n = sendmsg (socket_fd, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n < 0 ? -1 : 0;
}

/* The first fd MSG carries; any others are closed. -1 when it has none. */
int
hako_fd_take_first (struct msghdr *msg)
{
  int first = -1;

  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (msg); cmsg; cmsg = CMSG_NXTHDR (msg, cmsg))
    {
      gsize n_fds;

      if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
        continue;
      n_fds = (cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int);
      for (gsize i = 0; i < n_fds; i++)
        {
          int fd;
          memcpy (&fd, CMSG_DATA (cmsg) + i * sizeof (int), sizeof (int));
          if (first < 0)
            first = fd;
          else
            close (fd);
        }
    }
  return first;
}
