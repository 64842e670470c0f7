#include "config.h"

#include <linux/mount.h>
#include <string.h>
#include <sys/mount.h>

#include "mount-options.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif

/* Sorted by name; "defaults" is the empty set, as for mount(8). */
static const HakoMountOption options[] = {
  { "async", HAKO_MOUNT_OPT_CLEAR, MS_SYNCHRONOUS },
  { "atime", HAKO_MOUNT_OPT_CLEAR, MS_NOATIME },
  { "bind", HAKO_MOUNT_OPT_FLAG, MS_BIND },
  { "defaults", HAKO_MOUNT_OPT_FLAG, 0 },
  { "dev", HAKO_MOUNT_OPT_CLEAR, MS_NODEV },
  { "diratime", HAKO_MOUNT_OPT_CLEAR, MS_NODIRATIME },
  { "dirsync", HAKO_MOUNT_OPT_FLAG, MS_DIRSYNC },
  { "exec", HAKO_MOUNT_OPT_CLEAR, MS_NOEXEC },
  { "idmap", HAKO_MOUNT_OPT_EXTENSION, 0 },
  { "iversion", HAKO_MOUNT_OPT_FLAG, MS_I_VERSION },
  { "lazytime", HAKO_MOUNT_OPT_FLAG, MS_LAZYTIME },
  { "loud", HAKO_MOUNT_OPT_CLEAR, MS_SILENT },
  { "mand", HAKO_MOUNT_OPT_FLAG, MS_MANDLOCK },
  { "noatime", HAKO_MOUNT_OPT_FLAG, MS_NOATIME },
  { "nodev", HAKO_MOUNT_OPT_FLAG, MS_NODEV },
  { "nodiratime", HAKO_MOUNT_OPT_FLAG, MS_NODIRATIME },
  { "noexec", HAKO_MOUNT_OPT_FLAG, MS_NOEXEC },
  { "noiversion", HAKO_MOUNT_OPT_CLEAR, MS_I_VERSION },
  { "nolazytime", HAKO_MOUNT_OPT_CLEAR, MS_LAZYTIME },
  { "nomand", HAKO_MOUNT_OPT_CLEAR, MS_MANDLOCK },
  { "norelatime", HAKO_MOUNT_OPT_CLEAR, MS_RELATIME },
  { "nostrictatime", HAKO_MOUNT_OPT_CLEAR, MS_STRICTATIME },
  { "nosuid", HAKO_MOUNT_OPT_FLAG, MS_NOSUID },
  { "nosymfollow", HAKO_MOUNT_OPT_FLAG, MS_NOSYMFOLLOW },
  { "private", HAKO_MOUNT_OPT_PROPAGATION, MS_PRIVATE },
  { "ratime", HAKO_MOUNT_OPT_ATTR_CLEAR, MOUNT_ATTR_NOATIME },
  { "rbind", HAKO_MOUNT_OPT_FLAG, MS_BIND | MS_REC },
  { "rdev", HAKO_MOUNT_OPT_ATTR_CLEAR, MOUNT_ATTR_NODEV },
  { "rdiratime", HAKO_MOUNT_OPT_ATTR_CLEAR, MOUNT_ATTR_NODIRATIME },
  { "relatime", HAKO_MOUNT_OPT_FLAG, MS_RELATIME },
  { "remount", HAKO_MOUNT_OPT_FLAG, MS_REMOUNT },
  { "rexec", HAKO_MOUNT_OPT_ATTR_CLEAR, MOUNT_ATTR_NOEXEC },
  { "ridmap", HAKO_MOUNT_OPT_EXTENSION, 0 },
  { "rnoatime", HAKO_MOUNT_OPT_ATTR_SET, MOUNT_ATTR_NOATIME },
  { "rnodev", HAKO_MOUNT_OPT_ATTR_SET, MOUNT_ATTR_NODEV },
  { "rnodiratime", HAKO_MOUNT_OPT_ATTR_SET, MOUNT_ATTR_NODIRATIME },
  { "rnoexec", HAKO_MOUNT_OPT_ATTR_SET, MOUNT_ATTR_NOEXEC },
  { "rnorelatime", HAKO_MOUNT_OPT_ATTR_CLEAR, MOUNT_ATTR_RELATIME },
  { "rnostrictatime", HAKO_MOUNT_OPT_ATTR_CLEAR, MOUNT_ATTR_STRICTATIME },
  { "rnosuid", HAKO_MOUNT_OPT_ATTR_SET, MOUNT_ATTR_NOSUID },
  { "rnosymfollow", HAKO_MOUNT_OPT_ATTR_SET, MOUNT_ATTR_NOSYMFOLLOW },
  { "ro", HAKO_MOUNT_OPT_FLAG, MS_RDONLY },
  { "rprivate", HAKO_MOUNT_OPT_PROPAGATION, MS_PRIVATE | MS_REC },
  { "rrelatime", HAKO_MOUNT_OPT_ATTR_SET, MOUNT_ATTR_RELATIME },
  { "rro", HAKO_MOUNT_OPT_ATTR_SET, MOUNT_ATTR_RDONLY },
  { "rrw", HAKO_MOUNT_OPT_ATTR_CLEAR, MOUNT_ATTR_RDONLY },
  { "rshared", HAKO_MOUNT_OPT_PROPAGATION, MS_SHARED | MS_REC },
  { "rslave", HAKO_MOUNT_OPT_PROPAGATION, MS_SLAVE | MS_REC },
  { "rstrictatime", HAKO_MOUNT_OPT_ATTR_SET, MOUNT_ATTR_STRICTATIME },
  { "rsuid", HAKO_MOUNT_OPT_ATTR_CLEAR, MOUNT_ATTR_NOSUID },
  { "rsymfollow", HAKO_MOUNT_OPT_ATTR_CLEAR, MOUNT_ATTR_NOSYMFOLLOW },
  { "runbindable", HAKO_MOUNT_OPT_PROPAGATION, MS_UNBINDABLE | MS_REC },
  { "rw", HAKO_MOUNT_OPT_CLEAR, MS_RDONLY },
  { "shared", HAKO_MOUNT_OPT_PROPAGATION, MS_SHARED },
  { "silent", HAKO_MOUNT_OPT_FLAG, MS_SILENT },
  { "slave", HAKO_MOUNT_OPT_PROPAGATION, MS_SLAVE },
  { "strictatime", HAKO_MOUNT_OPT_FLAG, MS_STRICTATIME },
  { "suid", HAKO_MOUNT_OPT_CLEAR, MS_NOSUID },
  { "symfollow", HAKO_MOUNT_OPT_CLEAR, MS_NOSYMFOLLOW },
  { "sync", HAKO_MOUNT_OPT_FLAG, MS_SYNCHRONOUS },
  { "tmpcopyup", HAKO_MOUNT_OPT_EXTENSION, 0 },
  { "unbindable", HAKO_MOUNT_OPT_PROPAGATION, MS_UNBINDABLE },
};

const HakoMountOption *
hako_mount_options_table (gsize *n)
{
  *n = G_N_ELEMENTS (options);
  return options;
}

static int
compare_option (const void *key, const void *element)
{
  return strcmp (key, ((const HakoMountOption *) element)->name);
}

static void
apply_extension (const char *name, HakoMountFlags *out)
{
  if (g_str_equal (name, "idmap"))
    out->idmap = TRUE;
  else if (g_str_equal (name, "ridmap"))
    out->idmap = out->recursive_idmap = TRUE;
  else
    out->tmpcopyup = TRUE;
}

void
hako_mount_flags_parse (const char *const *names, HakoMountFlags *out)
{
  g_autoptr (GString) data = g_string_new (NULL);

  memset (out, 0, sizeof *out);
  for (; names && *names; names++)
    {
      const HakoMountOption *option = bsearch (*names, options, G_N_ELEMENTS (options),
                                               sizeof options[0], compare_option);
      if (option == NULL)
        {
          /* Unknown options are filesystem-specific (config.md). */
          if (data->len)
            g_string_append_c (data, ',');
          g_string_append (data, *names);
          continue;
        }
      switch (option->kind)
        {
        case HAKO_MOUNT_OPT_FLAG:
          out->flags |= option->value;
          break;
        case HAKO_MOUNT_OPT_CLEAR:
          out->flags &= ~option->value;
          break;
        case HAKO_MOUNT_OPT_PROPAGATION:
          out->propagation = option->value;
          break;
        case HAKO_MOUNT_OPT_ATTR_SET:
          out->attr_set |= option->value;
          out->attr_clear &= ~option->value;
          break;
        case HAKO_MOUNT_OPT_ATTR_CLEAR:
          out->attr_clear |= option->value;
          out->attr_set &= ~option->value;
          break;
        case HAKO_MOUNT_OPT_EXTENSION:
          apply_extension (option->name, out);
          break;
        }
    }
  out->data = data->len ? g_strdup (data->str) : NULL;
}

gboolean
hako_mount_flags_is_bind (const HakoMountFlags *flags, const char *type)
{
  return (flags->flags & MS_BIND) || g_strcmp0 (type, "bind") == 0 || g_strcmp0 (type, "rbind") == 0;
}

void
hako_mount_flags_clear (HakoMountFlags *flags)
{
  g_clear_pointer (&flags->data, g_free);
}
