#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "log.h"
#include "mount-idmap.h"
#include "userns.h"

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* What the kernel's refusals of open_tree and mount_setattr mean here. */
static const char *
idmap_hint (int saved_errno)
{
  switch (saved_errno)
    {
    case EPERM:
      return _("idmapping needs CAP_SYS_ADMIN in the user namespace that owns the source's filesystem: for host files, run hako as root");
    case EINVAL:
      return _("the source's filesystem, or one mounted below it, does not support idmapped mounts");
    case ENOSYS:
      return _("idmapped mounts need Linux 5.12 or later");
    default:
      return NULL;
    }
}

static gboolean
fail_idmap (const HakoMountStep *step, int saved_errno, GError **error)
{
  const char *hint = idmap_hint (saved_errno);

  if (hint)
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("%s: cannot idmap the bind source %s: %s (%s)"),
                 step->label, step->source, g_strerror (saved_errno), hint);
  else
    hako_error_set_errno (error, saved_errno, _("%s: cannot idmap the bind source %s"), step->label,
                          step->source);
  return FALSE;
}

/* Where a mount without mappings of its own gets its user namespace. */
typedef struct
{
  int joined_fd;                     /* the one the container joins, or -1; */
  const HakoIdMappings *uids, *gids; /* else the maps of the one it makes, */
  int made_fd;                       /* in a user namespace made on first use */
} ContainerUserns;

/* The user namespace STEP is mapped to: its own (a new one, in *OWN_FD) or the container's. */
static int
userns_for (const HakoMountStep *step, ContainerUserns *container, int *own_fd, GError **error)
{
  if (step->idmap_uids.n > 0)
    return *own_fd = hako_userns_open_mapped (&step->idmap_uids, &step->idmap_gids, error);
  if (container->joined_fd >= 0)
    return container->joined_fd;
  if (container->made_fd < 0)
    container->made_fd = hako_userns_open_mapped (container->uids, container->gids, error);
  return container->made_fd;
}

int
hako_mount_idmap_clone (const char *source, gboolean recursive)
{
  return (int) syscall (SYS_open_tree, AT_FDCWD, source,
                        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
}

int
hako_mount_idmap_set (int tree_fd, int userns_fd, gboolean recursive, gboolean readonly)
{
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP | (readonly ? MOUNT_ATTR_RDONLY : 0),
                             .userns_fd = (guint64) userns_fd };

  return (int) syscall (SYS_mount_setattr, tree_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
                        sizeof attr);
}

/* STEP's source cloned (with its submounts for rbind) and idmapped (its
 * submounts too for ridmap), in step->mount_fd. The cheap clone comes
 * first: it fails as soon as the caller lacks the privilege. */
static gboolean
open_step (HakoMountStep *step, ContainerUserns *container, GError **error)
{
  hako_autofd int tree_fd = hako_mount_idmap_clone (step->source, (step->flags & MS_REC) != 0);
  hako_autofd int own_fd = -1;
  int userns_fd;

  if (tree_fd < 0)
    return fail_idmap (step, errno, error);
  userns_fd = userns_for (step, container, &own_fd, error);
  if (userns_fd < 0)
    {
      g_prefix_error (error, "%s: ", step->label);
      return FALSE;
    }
  if (hako_mount_idmap_set (tree_fd, userns_fd, step->recursive_idmap, FALSE) < 0)
    return fail_idmap (step, errno, error);
  step->mount_fd = g_steal_fd (&tree_fd);
  hako_log_debug ("%s: %s idmapped to %s user namespace", step->label, step->source,
                  own_fd >= 0 ? "its own" : "the container's");
  return TRUE;
}

gboolean
hako_mount_plan_open_idmapped (HakoMountPlan *plan, int userns_fd, const HakoIdMappings *uids,
                               const HakoIdMappings *gids, GError **error)
{
  ContainerUserns container = { .joined_fd = userns_fd, .uids = uids, .gids = gids, .made_fd = -1 };
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < plan->n_steps; i++)
    ok = !plan->steps[i].idmap || open_step (&plan->steps[i], &container, error);
  if (container.made_fd >= 0)
    close (container.made_fd);
  if (!ok)
    hako_mount_plan_close_idmapped (plan);
  return ok;
}
