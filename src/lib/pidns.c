#include "config.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "pidns.h"

GArray *
hako_pid_namespace_pids (pid_t pid)
{
  g_autofree char *own = g_strdup_printf ("/proc/%d/ns/pid", (int) pid);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr (GDir) proc = NULL;
  const char *name;
  struct stat ns;

  if (stat (own, &ns) < 0 || (proc = g_dir_open ("/proc", 0, NULL)) == NULL)
    return pids;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/ns/pid", name);
      struct stat other;
      if (g_ascii_isdigit (*name) && stat (path, &other) == 0 && other.st_ino == ns.st_ino
          && other.st_dev == ns.st_dev)
        {
          pid_t member = atoi (name);
          g_array_append_val (pids, member);
        }
    }
  return pids;
}
