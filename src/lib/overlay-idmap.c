#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "log.h"
#include "mount-idmap.h"
#include "overlay-idmap.h"
#include "overlay.h"

/* What the kernel refused: nothing on hako's side makes the filesystem
 * take idmapped mounts, so the message says what the user can change. */
static void
set_open_error (const char *source, const struct stat *top, int saved_errno, GError **error)
{
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
               _("root.path %s: its owner %u:%u is unmapped in the container, so hako idmaps it to the container's mappings, and that failed: %s (the filesystem must support idmapped mounts): chown the rootfs to ids linux.uidMappings and linux.gidMappings map, map host %u:%u in them, or set annotations.%s to bind"),
               source, (guint) top->st_uid, (guint) top->st_gid, g_strerror (saved_errno), (guint) top->st_uid,
               (guint) top->st_gid, HAKO_ANNOTATION_ROOTFS);
}

static gboolean
open_all (HakoOverlayIdmap *idmap, const HakoUsernsMappings *mappings, const struct stat *top, GError **error)
{
  hako_autofd int userns_fd = hako_userns_open_mapped (&mappings->uids, &mappings->gids, error);

  if (userns_fd < 0)
    return FALSE;
  for (guint i = 0; i < idmap->n; i++)
    {
      /* Not recursive: a lowerdir is one filesystem to fuse-overlayfs, as
       * it is to the kernel's overlayfs. */
      idmap->fds[i] = hako_mount_idmap_clone (idmap->sources[i], FALSE);
      if (idmap->fds[i] < 0 || hako_mount_idmap_set (idmap->fds[i], userns_fd, FALSE, TRUE) < 0)
        {
          set_open_error (idmap->sources[i], top, errno, error);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
hako_overlay_idmap_open (HakoOverlayIdmap *idmap, const char *lowerdir, const char *storage,
                         const HakoUsernsMappings *mappings, const struct stat *top, GError **error)
{
  idmap->sources = g_strsplit (lowerdir, ":", -1);
  idmap->n = g_strv_length (idmap->sources);
  idmap->targets = g_new0 (char *, idmap->n + 1);
  idmap->fds = g_new (int, idmap->n);
  for (guint i = 0; i < idmap->n; i++)
    {
      idmap->targets[i] = g_strdup_printf ("%s/lower/%u", storage, i);
      idmap->fds[i] = -1;
    }
  if (!open_all (idmap, mappings, top, error))
    {
      hako_overlay_idmap_clear (idmap);
      return FALSE;
    }
  hako_log_debug ("overlay: %u lowerdirs idmapped to the container's mappings", idmap->n);
  return TRUE;
}

char *
hako_overlay_idmap_lowerdir (const HakoOverlayIdmap *idmap)
{
  return g_strjoinv (":", idmap->targets);
}

void
hako_overlay_idmap_close (HakoOverlayIdmap *idmap)
{
  for (guint i = 0; i < idmap->n; i++)
    if (idmap->fds[i] >= 0)
      {
        close (idmap->fds[i]);
        idmap->fds[i] = -1;
      }
}

void
hako_overlay_idmap_clear (HakoOverlayIdmap *idmap)
{
  hako_overlay_idmap_close (idmap);
  g_clear_pointer (&idmap->sources, g_strfreev);
  g_clear_pointer (&idmap->targets, g_strfreev);
  g_clear_pointer (&idmap->fds, g_free);
  idmap->n = 0;
}

/* ---- in the setup: async-signal-safe only ---- */

int
hako_overlay_idmap_attach (const HakoOverlayIdmap *idmap, int *failed)
{
  *failed = -1;
  if (unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
    return -1;
  for (guint i = 0; i < idmap->n; i++)
    {
      if (syscall (SYS_move_mount, idmap->fds[i], "", AT_FDCWD, idmap->targets[i], MOVE_MOUNT_F_EMPTY_PATH) < 0)
        {
          *failed = (int) i;
          return -1;
        }
      close (idmap->fds[i]);
    }
  return 0;
}
