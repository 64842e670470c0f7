#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "self-exe.h"
#include "userns.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static gboolean
is_sealed (int fd)
{
  int seals = fcntl (fd, F_GET_SEALS);

  return seals >= 0 && (seals & SEALS) == SEALS;
}

gboolean
hako_self_exe_is_sealed (void)
{
  hako_autofd int fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);

  return fd >= 0 && is_sealed (fd);
}

/* A sealed memfd with the bytes of EXE_FD. */
static int
sealed_copy (int exe_fd, GError **error)
{
  hako_autofd int copy = memfd_create ("hako", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  struct stat st;
  off_t offset = 0;

  if (copy < 0 || fstat (exe_fd, &st) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot make a sealed copy of the hako binary"));
      return -1;
    }
  while (offset < st.st_size)
    {
      ssize_t n = sendfile (copy, exe_fd, &offset, st.st_size - offset);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          hako_error_set_errno (error, n < 0 ? errno : EIO,
                                _("cannot make a sealed copy of the hako binary"));
          return -1;
        }
    }
  if (fcntl (copy, F_ADD_SEALS, SEALS) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot seal the copy of the hako binary"));
      return -1;
    }
  return g_steal_fd (&copy);
}

/* The command line as the kernel has it: NUL-separated arguments. */
static GStrv
read_cmdline (GError **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  GPtrArray *args;

  if (!g_file_get_contents ("/proc/self/cmdline", &contents, &length, error))
    return NULL;
  args = g_ptr_array_new ();
  for (gsize start = 0; start < length; start += strlen (contents + start) + 1)
    g_ptr_array_add (args, g_strdup (contents + start));
  g_ptr_array_add (args, NULL);
  return (GStrv) g_ptr_array_free (args, FALSE);
}

gboolean
hako_self_exe_writable_by_containers (const struct stat *st, gboolean host_root)
{
  /* As host root, a container's root may be the host's. (In an engine's
   * user namespace, rootless Podman's, root's file shows as the overflow
   * id: hako makes the copy there rather than trust that id.) */
  if (host_root)
    return TRUE;
  return !(st->st_uid == 0 && hako_userns_is_initial () && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0);
}

gboolean
hako_self_exe_seal (GError **error)
{
  struct stat st;

  hako_autofd int exe = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  hako_autofd int copy = -1;
  g_auto (GStrv) argv = NULL;

  if (exe < 0)
    return hako_error_set_errno (error, errno, _("cannot open /proc/self/exe (is /proc mounted?)"));
  if (is_sealed (exe))
    return TRUE;
  if (fstat (exe, &st) == 0 && !hako_self_exe_writable_by_containers (&st, hako_userns_is_host_root ()))
    return TRUE;
  if ((copy = sealed_copy (exe, error)) < 0 || (argv = read_cmdline (error)) == NULL)
    return FALSE;
  fexecve (copy, argv, environ);
  return hako_error_set_errno (error, errno, _("cannot run the sealed copy of the hako binary"));
}
