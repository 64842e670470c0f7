#include "config.h"

#include <errno.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "net-files.h"

/* slirp's DNS address (see slirp-dns.h). */
#define RESOLV_CONF "nameserver 10.0.2.3\n"

static gboolean
mounts_destination (const HakoSpec *spec, const char *destination)
{
  for (guint i = 0; i < spec->n_mounts; i++)
    if (g_strcmp0 (spec->mounts[i].destination, destination) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
provide (HakoSpec *spec, const char *state_dir, const char *name, const char *contents, GError **error)
{
  static const char *const options[] = { "bind", "ro", "nosuid", "nodev", "noexec", NULL };
  g_autofree char *destination = g_build_filename ("/etc", name, NULL);
  g_autofree char *source = g_build_filename (state_dir, name, NULL);
  HakoMount *mount;

  if (mounts_destination (spec, destination))
    return TRUE;
  if (!hako_file_replace (source, contents, -1, 0644, error))
    return FALSE;
  spec->mounts = g_renew (HakoMount, spec->mounts, spec->n_mounts + 1);
  mount = &spec->mounts[spec->n_mounts++];
  *mount = (HakoMount){ .destination = g_steal_pointer (&destination),
                        .source = g_steal_pointer (&source), .type = g_strdup ("bind"),
                        .options = g_strdupv ((char **) options) };
  return TRUE;
}

gboolean
hako_net_files_provide (HakoSpec *spec, const char *state_dir, GError **error)
{
  const char *hostname = spec->hostname && *spec->hostname ? spec->hostname : "localhost";
  g_autofree char *hosts = g_strdup_printf ("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                                            "10.0.2.100\t%s\nfd00::100\t%s\n", hostname, hostname);

  if (g_mkdir_with_parents (state_dir, 0700) < 0)
    return hako_error_set_errno (error, errno, _("cannot create %s"), state_dir);
  return provide (spec, state_dir, "resolv.conf", RESOLV_CONF, error)
         && provide (spec, state_dir, "hosts", hosts, error);
}
