#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "overlay-jail.h"

typedef enum
{
  JAIL_TMPFS,   /* the root itself */
  JAIL_DIR,     /* mkdir TARGET */
  JAIL_FILE,    /* an empty file TARGET, to bind a file on */
  JAIL_SYMLINK, /* TARGET a symlink to SOURCE */
  JAIL_BIND,    /* SOURCE bound on TARGET, read-write */
  JAIL_RBIND,   /* SOURCE and its submounts bound on TARGET, read-write */
  JAIL_BIND_RO, /* SOURCE and its submounts bound on TARGET, read-only */
  JAIL_PROC,    /* a procfs of the pid namespace on TARGET */
  JAIL_PIVOT,   /* into the root, the old one detached */
} HakoJailKind;

typedef struct
{
  HakoJailKind kind;
  char *source, *target;
} HakoJailStep;

struct HakoOverlayJail
{
  char *root;
  GArray *steps; /* of HakoJailStep */
  GHashTable *dirs; /* the directories made in the root so far */
};

/* Where the system's programs and libraries are: bound read-only where
 * they are directories, recreated where they are symlinks (merged /usr);
 * Nix's and Guix's stores hold theirs. */
static const char *const system_paths[] = { "/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32",
                                            "/etc/ld.so.cache", "/nix/store", "/gnu/store" };
static const char *const devices[] = { "/dev/fuse", "/dev/null" };

static void
clear_step (HakoJailStep *step)
{
  g_free (step->source);
  g_free (step->target);
}

void
hako_overlay_jail_free (HakoOverlayJail *jail)
{
  if (jail == NULL)
    return;
  g_free (jail->root);
  g_array_unref (jail->steps);
  g_hash_table_unref (jail->dirs);
  g_free (jail);
}

static void
add (HakoOverlayJail *jail, HakoJailKind kind, const char *source, const char *path)
{
  HakoJailStep step = { kind, g_strdup (source), path ? g_build_filename (jail->root, path, NULL) : NULL };

  g_array_append_val (jail->steps, step);
}

/* PATH's directory and those above it, in the root. */
static void
add_parents (HakoOverlayJail *jail, const char *path)
{
  g_autofree char *parent = g_path_get_dirname (path);

  if (g_str_equal (parent, "/") || g_hash_table_contains (jail->dirs, parent))
    return;
  add_parents (jail, parent);
  add (jail, JAIL_DIR, NULL, parent);
  g_hash_table_add (jail->dirs, g_steal_pointer (&parent));
}

/* SOURCE bound on the same path in the root, as KIND; a directory or a file. */
static void
add_bind (HakoOverlayJail *jail, HakoJailKind kind, const char *source, gboolean is_dir)
{
  add_parents (jail, source);
  if (!g_hash_table_contains (jail->dirs, source))
    {
      add (jail, is_dir ? JAIL_DIR : JAIL_FILE, NULL, source);
      if (is_dir)
        g_hash_table_add (jail->dirs, g_strdup (source));
    }
  add (jail, kind, source, source);
}

/* Whether PATH is beneath one of the system paths bound already. */
static gboolean
under_system_path (const char *path)
{
  for (gsize i = 0; i < G_N_ELEMENTS (system_paths); i++)
    {
      gsize n = strlen (system_paths[i]);
      if (strncmp (path, system_paths[i], n) == 0 && path[n] == '/')
        return TRUE;
    }
  return FALSE;
}

HakoOverlayJail *
hako_overlay_jail_new (const char *root, const char *program, const char *lowerdir, const char *storage,
                       GError **error)
{
  g_autoptr (HakoOverlayJail) jail = g_new0 (HakoOverlayJail, 1);
  g_auto (GStrv) lowers = g_strsplit (lowerdir, ":", -1);
  g_autofree char *real_program = NULL;

  jail->root = g_strdup (root);
  jail->steps = g_array_new (FALSE, TRUE, sizeof (HakoJailStep));
  g_array_set_clear_func (jail->steps, (GDestroyNotify) clear_step);
  jail->dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  add (jail, JAIL_TMPFS, NULL, NULL);
  /* The storage as one mount: fuse-overlayfs renames from the work dir to
   * the upper dir, which two binds would refuse (EXDEV). With its
   * submounts: the merged directory's shared bind (the copy is its peer)
   * and the idmapped lowerdirs (see overlay-idmap.h), which, locked, only
   * a recursive bind may copy. First, before the
   * root holds more than itself for the copy to repeat. */
  add_bind (jail, JAIL_RBIND, storage, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (system_paths); i++)
    {
      struct stat st;
      g_autofree char *link = NULL;

      if (lstat (system_paths[i], &st) < 0)
        continue;
      if (S_ISLNK (st.st_mode) && (link = g_file_read_link (system_paths[i], NULL)) != NULL)
        {
          add_parents (jail, system_paths[i]);
          add (jail, JAIL_SYMLINK, link, system_paths[i]);
        }
      else if (S_ISDIR (st.st_mode) || S_ISREG (st.st_mode))
        add_bind (jail, JAIL_BIND_RO, system_paths[i], S_ISDIR (st.st_mode));
    }
  /* A fuse-overlayfs of the caller's own, outside the system's directories. */
  real_program = realpath (program, NULL);
  if (real_program == NULL)
    {
      hako_error_set_errno (error, errno, "%s", program);
      return NULL;
    }
  if (!under_system_path (real_program))
    add_bind (jail, JAIL_BIND_RO, real_program, FALSE);
  if (!g_str_equal (real_program, program) && !under_system_path (program))
    {
      add_parents (jail, program);
      add (jail, JAIL_SYMLINK, real_program, program);
    }
  for (guint i = 0; lowers[i]; i++)
    add_bind (jail, JAIL_BIND_RO, lowers[i], TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (devices); i++)
    add_bind (jail, JAIL_BIND, devices[i], FALSE);
  add_parents (jail, "/proc/x");
  add (jail, JAIL_PROC, NULL, "/proc");
  add (jail, JAIL_PIVOT, NULL, NULL);
  return g_steal_pointer (&jail);
}

char *
hako_overlay_jail_describe_step (const HakoOverlayJail *jail, int failed)
{
  const HakoJailStep *step;

  if (failed < 0 || (guint) failed >= jail->steps->len)
    return g_strdup ("?");
  step = &g_array_index (jail->steps, HakoJailStep, failed);
  switch (step->kind)
    {
    case JAIL_TMPFS:
      return g_strdup_printf (_("mount a tmpfs on %s"), jail->root);
    case JAIL_DIR:
    case JAIL_FILE:
      return g_strdup_printf (_("create %s"), step->target);
    case JAIL_SYMLINK:
      return g_strdup_printf (_("create the symlink %s"), step->target);
    case JAIL_BIND:
    case JAIL_RBIND:
    case JAIL_BIND_RO:
      return g_strdup_printf (_("bind %s on %s"), step->source, step->target);
    case JAIL_PROC:
      return g_strdup_printf (_("mount a procfs on %s"), step->target);
    case JAIL_PIVOT:
    default:
      return g_strdup_printf (_("make %s its root"), jail->root);
    }
}

/* ---- in the daemon's process: async-signal-safe only ---- */

static int
bind_read_only (const char *source, const char *target)
{
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

  if (mount (source, target, NULL, MS_BIND | MS_REC, NULL) < 0)
    return -1;
  /* Submounts too (a sandbox's lowerdir is /, with /home and the rest). */
  if (syscall (SYS_mount_setattr, AT_FDCWD, target, AT_RECURSIVE, &attr, sizeof attr) == 0)
    return 0;
  return mount (NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
}

static int
run_step (const HakoOverlayJail *jail, const HakoJailStep *step)
{
  int fd;

  switch (step->kind)
    {
    case JAIL_TMPFS:
      /* Private, so nothing made in it reaches another namespace. */
      if (mount ("tmpfs", jail->root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
        return -1;
      return mount (NULL, jail->root, NULL, MS_PRIVATE, NULL);
    case JAIL_DIR:
      return mkdir (step->target, 0755) < 0 && errno != EEXIST ? -1 : 0;
    case JAIL_FILE:
      fd = open (step->target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      return fd < 0 ? -1 : close (fd);
    case JAIL_SYMLINK:
      return symlink (step->source, step->target);
    case JAIL_BIND:
      return mount (step->source, step->target, NULL, MS_BIND, NULL);
    case JAIL_RBIND:
      return mount (step->source, step->target, NULL, MS_BIND | MS_REC, NULL);
    case JAIL_BIND_RO:
      return bind_read_only (step->source, step->target);
    case JAIL_PROC:
      return mount ("proc", step->target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    case JAIL_PIVOT:
    default:
      if (chdir (jail->root) < 0 || syscall (SYS_pivot_root, ".", ".") < 0)
        return -1;
      if (umount2 (".", MNT_DETACH) < 0)
        return -1;
      return chdir ("/");
    }
}

int
hako_overlay_jail_enter (const HakoOverlayJail *jail, int *failed)
{
  for (guint i = 0; i < jail->steps->len; i++)
    if (run_step (jail, &g_array_index (jail->steps, HakoJailStep, i)) < 0)
      {
        *failed = (int) i;
        return -1;
      }
  return 0;
}
