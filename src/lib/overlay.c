#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "log.h"
#include "overlay-idmap.h"
#include "overlay-jail.h"
#include "overlay.h"

#define FUSE_DEVICE "/dev/fuse"
/* The name of the storage directory's symlink in the state directory. */
#define STORAGE_LINK "overlay"

/* What failed in the container process (HakoChildError.step). */
enum
{
  STEP_SHARE, /* the mount point made a shared mount; saved_errno is errno */
  STEP_SPAWN, /* fork or execve; saved_errno is errno */
  STEP_EXIT,  /* fuse-overlayfs failed; saved_errno is its wait status */
  STEP_SLAVE, /* / made a slave mount for the daemon's root; saved_errno is errno */
  STEP_LOWER_NS, /* the idmapped lowerdirs' mount namespace; saved_errno is errno */
  STEP_LOWER,    /* STEP_LOWER + N: attaching idmapped lowerdir N; saved_errno is errno */
  STEP_JAIL = 1 << 16, /* STEP_JAIL + N: step N of the daemon's root; saved_errno is errno */
};
/* The daemon's process could not make its root (see overlay-jail.h). */
#define JAIL_EXIT 125

struct HakoOverlay
{
  char *program;  /* absolute path of fuse-overlayfs */
  char *rootfs;   /* the lowerdir: root.path, or an image's layers joined by ':', topmost first */
  char *storage;  /* the container's storage directory */
  char *merged;   /* STORAGE/merged, the mount point */
  gboolean kept;  /* the caller's storage directory, left after the container */
  gboolean new_mount_ns; /* the container makes its mount namespace (see overlay-idmap.h) */
  HakoOverlayIdmap idmap; /* as real root, the lowerdirs idmapped (see overlay-idmap.h) */
  HakoOverlayJail *jail;  /* the daemon's own root, or NULL (see overlay-jail.h) */
  char *log;      /* fuse-overlayfs's messages, in the state directory */
  int log_fd;     /* open for its stderr, or -1 */
  char **argv, **envp;
};

gboolean
hako_overlay_wanted (const HakoSpec *spec, gboolean requested, gboolean *wanted, GError **error)
{
  const char *value = spec->annotations ? g_hash_table_lookup (spec->annotations, HAKO_ANNOTATION_ROOTFS) : NULL;

  *wanted = requested;
  if (value == NULL || requested)
    return TRUE;
  if (!g_str_equal (value, "overlay") && !g_str_equal (value, "bind"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("config.json: annotations.%s: unknown value \"%s\": use overlay or bind"),
                   HAKO_ANNOTATION_ROOTFS, value);
      return FALSE;
    }
  *wanted = g_str_equal (value, "overlay");
  return TRUE;
}

/* Rootless, under $XDG_DATA_HOME (not the tmpfs runtime directory: an
 * upper dir can grow large); as root of the host, /var/lib. */
char *
hako_overlay_storage_root (void)
{
  return hako_userns_data_path ("overlay");
}

static gboolean
has_own_namespace (const HakoSpec *spec, int kind)
{
  return spec->linux_ && spec->linux_->namespaces[kind].present && spec->linux_->namespaces[kind].path == NULL;
}

/* ID alone would be shared by containers of one name under two state
 * roots (--root): the state directory's digest tells them apart. */
static char *
storage_name (const char *id, const char *state_dir)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, state_dir, -1);

  return g_strdup_printf ("%s.%.12s", id, digest);
}

HakoOverlay *
hako_overlay_new (const HakoSpec *spec, const char *id, const char *state_dir, const char *rootfs,
                  const char *storage, GError **error)
{
  g_autofree char *name = storage_name (id, state_dir);
  g_autoptr (HakoOverlay) overlay = g_new0 (HakoOverlay, 1);
  g_autofree char *root = hako_overlay_storage_root ();
  hako_autofd int fuse_fd = -1;

  if (!has_own_namespace (spec, HAKO_NS_PID))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("config.json: the overlay rootfs needs a pid namespace of the container's own, which ends its fuse-overlayfs daemon with it: add {\"type\": \"pid\"} to linux.namespaces, or set annotations.%s to bind"),
                   HAKO_ANNOTATION_ROOTFS);
      return NULL;
    }
  overlay->program = g_find_program_in_path ("fuse-overlayfs");
  if (overlay->program == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("the overlay rootfs needs fuse-overlayfs, which is not in PATH: install it (Debian: apt install %s), or set annotations.%s to bind"),
                   HAKO_OVERLAY_PACKAGE, HAKO_ANNOTATION_ROOTFS);
      return NULL;
    }
  fuse_fd = open (FUSE_DEVICE, O_RDWR | O_CLOEXEC);
  if (fuse_fd < 0)
    {
      hako_error_set_errno (error, errno,
                            _("the overlay rootfs needs %s (modprobe fuse; the device must be readable and writable by the caller, mode 0666)"),
                            FUSE_DEVICE);
      return NULL;
    }
  overlay->rootfs = g_strdup (rootfs);
  overlay->log_fd = -1;
  overlay->kept = storage != NULL;
  overlay->new_mount_ns = has_own_namespace (spec, HAKO_NS_MOUNT);
  overlay->storage = storage ? g_canonicalize_filename (storage, NULL) : g_build_filename (root, name, NULL);
  overlay->merged = g_build_filename (overlay->storage, "merged", NULL);
  return g_steal_pointer (&overlay);
}

void
hako_overlay_free (HakoOverlay *overlay)
{
  if (overlay == NULL)
    return;
  g_free (overlay->program);
  g_free (overlay->rootfs);
  g_clear_pointer (&overlay->jail, hako_overlay_jail_free);
  g_free (overlay->storage);
  g_free (overlay->merged);
  hako_overlay_idmap_clear (&overlay->idmap);
  g_free (overlay->log);
  if (overlay->log_fd >= 0)
    close (overlay->log_fd);
  g_strfreev (overlay->argv);
  g_strfreev (overlay->envp);
  g_free (overlay);
}

const char *
hako_overlay_get_merged (const HakoOverlay *overlay)
{
  return overlay->merged;
}

/* The highest container id MAPPINGS cover, plus one. */
static guint64
mapped_span (const HakoIdMappings *mappings)
{
  guint64 span = 0;

  for (guint i = 0; i < mappings->n; i++)
    span = MAX (span, (guint64) mappings->items[i].container_id + mappings->items[i].size);
  return span;
}

/* ID through MAPPINGS: a host id to the container's (TO_CONTAINER), or back. */
static gboolean
map_id (const HakoIdMappings *mappings, guint32 id, gboolean to_container, guint32 *out)
{
  for (guint i = 0; i < mappings->n; i++)
    {
      const HakoIdMapping *m = &mappings->items[i];
      guint32 from = to_container ? m->host_id : m->container_id;
      guint32 to = to_container ? m->container_id : m->host_id;
      if (id >= from && (guint64) id < (guint64) from + m->size)
        {
          *out = to + (id - from);
          return TRUE;
        }
    }
  return FALSE;
}

/* fuse-overlayfs takes ID:MAPPED:LEN triples: files stored (as its user
 * namespace sees them) with MAPPED.. are shown as ID.. . Container id C,
 * where the owner lands, and 0 swap places; the others stay as they are. */
char *
hako_overlay_id_shift (const HakoIdMappings *mappings, guint32 owner)
{
  GString *out;
  guint32 c;
  guint64 span = mapped_span (mappings);

  if (!map_id (mappings, owner, TRUE, &c) || c == 0)
    return NULL;
  out = g_string_new (NULL);
  g_string_append_printf (out, "0:%u:1", c);
  if (c > 1)
    g_string_append_printf (out, ":1:1:%u", c - 1);
  g_string_append_printf (out, ":%u:0:1", c);
  if (span > (guint64) c + 1)
    g_string_append_printf (out, ":%u:%u:%" G_GUINT64_FORMAT, c + 1, c + 1, span - c - 1);
  return g_string_free (out, FALSE);
}

/* The host id of container 0 under MAPPINGS, or -1. */
static gint64
host_root_id (const HakoIdMappings *mappings)
{
  for (guint i = 0; i < mappings->n; i++)
    if (mappings->items[i].container_id == 0)
      return mappings->items[i].host_id;
  return -1;
}

static gboolean
storage_error (const char *dir, GError **error)
{
  return hako_error_set_errno (error, errno,
                               _("cannot create the overlay's storage directory %s: make it writable, or point XDG_DATA_HOME (rootless) elsewhere"),
                               dir);
}

static gboolean
make_storage_dir (const char *dir, gint64 uid, gint64 gid, GError **error)
{
  if ((mkdir (dir, 0700) < 0 && errno != EEXIST)
      || ((uid >= 0 || gid >= 0) && chown (dir, (uid_t) uid, (gid_t) gid) < 0))
    return storage_error (dir, error);
  return TRUE;
}

/* STORAGE/lower and the idmapped lowerdirs' mount points in it, which the
 * container's root must reach to attach them. */
static gboolean
make_idmap_targets (const HakoOverlay *overlay, gint64 uid, gint64 gid, GError **error)
{
  g_autofree char *dir = g_build_filename (overlay->storage, "lower", NULL);

  if (overlay->idmap.n == 0)
    return TRUE;
  if (!make_storage_dir (dir, uid, gid, error))
    return FALSE;
  for (guint i = 0; i < overlay->idmap.n; i++)
    if (!make_storage_dir (overlay->idmap.targets[i], uid, gid, error))
      return FALSE;
  return TRUE;
}

/* As real root, the storage belongs to the container's root (whom the
 * mappings may make any host id), and the directories above it only let
 * it through; rootless, the caller owns it, and the container's root can
 * reach it as long as the caller is mapped. */
static gboolean
make_storage (HakoOverlay *overlay, const char *state_dir, const struct stat *lower,
              const HakoUsernsMappings *mappings, GError **error)
{
  static const char *const dirs[] = { "", "upper", "work", "merged", "daemon" };
  /* The daemon's root only with a jail (see overlay-jail.h). */
  gsize n_dirs = G_N_ELEMENTS (dirs) - (overlay->jail ? 0 : 1);
  g_autofree char *link = g_build_filename (state_dir, STORAGE_LINK, NULL);
  g_autofree char *parent = g_path_get_dirname (overlay->storage);
  g_autofree char *grandparent = g_path_get_dirname (parent);
  gboolean host_root = hako_userns_is_host_root ();
  gint64 uid = host_root && mappings ? host_root_id (&mappings->uids) : -1;
  gint64 gid = host_root && mappings ? host_root_id (&mappings->gids) : -1;

  if (!host_root && mappings && !map_id (&mappings->uids, geteuid (), TRUE, &(guint32){ 0 }))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("config.json: the overlay's storage in %s belongs to uid %u, which linux.uidMappings leaves unmapped, so the container's fuse-overlayfs could not reach it: map it (e.g. {\"containerID\": 1, \"hostID\": %u, \"size\": 1}), or set annotations.%s to bind"),
                   overlay->storage, (guint) geteuid (), (guint) geteuid (), HAKO_ANNOTATION_ROOTFS);
      return FALSE;
    }
  /* A container of the same id that was never deleted left it: stale. */
  if (!overlay->kept)
    hako_remove_tree (overlay->storage);
  /* Recorded before the storage exists, so that removing the state removes
   * it even after a runtime killed half-way through making it. */
  if (!overlay->kept && symlink (overlay->storage, link) < 0)
    return hako_error_set_errno (error, errno, _("cannot create %s"), link);
  /* The caller's own directory (kept) is theirs: its parents are left as they are. */
  if (g_mkdir_with_parents (parent, 0700) < 0
      || (host_root && !overlay->kept && (chmod (grandparent, 0711) < 0 || chmod (parent, 0711) < 0)))
    return storage_error (parent, error);
  for (gsize i = 0; i < n_dirs; i++)
    {
      g_autofree char *dir = g_build_filename (overlay->storage, dirs[i], NULL);
      if (!make_storage_dir (dir, uid, gid, error))
        return FALSE;
      /* The merged tree's / has the upper dir's mode: the rootfs's own, or
       * only the container's root could walk into it. */
      if (g_str_equal (dirs[i], "upper") && chmod (dir, lower->st_mode & 07777) < 0)
        return storage_error (dir, error);
    }
  return make_idmap_targets (overlay, uid, gid, error);
}

/* The fuse-overlayfs option that shows files of the on-disk owner ID as
 * the container's root (see hako_overlay_id_shift): through idmapped
 * lowers, fuse-overlayfs sees them as the host id MAPPINGS give the
 * container's ID. */
static char *
owner_shift (const HakoIdMappings *mappings, guint32 id, gboolean idmapped)
{
  guint32 seen = id;

  if (idmapped && !map_id (mappings, id, FALSE, &seen))
    return NULL;
  return hako_overlay_id_shift (mappings, seen);
}

/* The -o value. */
static char *
mount_options (const HakoOverlay *overlay, const char *lowerdir, const struct stat *lower,
               const HakoUsernsMappings *mappings)
{
  gboolean idmapped = overlay->idmap.n > 0;
  GString *out = g_string_new ("lowerdir=");
  /* An upper dir even with root.readonly: the mount plan creates mount
   * points in the rootfs, which the plan's last step makes read-only. */
  g_string_append_printf (out, "%s,upperdir=%s/upper,workdir=%s/work", lowerdir, overlay->storage,
                          overlay->storage);
  if (mappings)
    {
      g_autofree char *uids = owner_shift (&mappings->uids, lower->st_uid, idmapped);
      g_autofree char *gids = owner_shift (&mappings->gids, lower->st_gid, idmapped);
      if (uids)
        g_string_append_printf (out, ",uidmapping=%s", uids);
      if (gids)
        g_string_append_printf (out, ",gidmapping=%s", gids);
    }
  return g_string_free (out, FALSE);
}

/* As real root, whether the lowerdirs must be idmapped: their owner (the
 * topmost's) unmapped in the container, where fuse-overlayfs would show it
 * as the overflow id. Rootless, the owner is the caller, always mapped, and
 * an unprivileged user may not idmap host files anyway. In a mount
 * namespace the container joins, they could not be locked read-only. */
static gboolean
owner_unmapped (const HakoOverlay *overlay, const struct stat *lower, const HakoUsernsMappings *mappings)
{
  guint32 ignored;

  return mappings && overlay->new_mount_ns && hako_userns_is_host_root ()
         && (!map_id (&mappings->uids, lower->st_uid, TRUE, &ignored)
             || !map_id (&mappings->gids, lower->st_gid, TRUE, &ignored));
}

void
hako_overlay_close_lowers (HakoOverlay *overlay)
{
  hako_overlay_idmap_close (&overlay->idmap);
}

gboolean
hako_overlay_has_idmapped_lowers (const HakoOverlay *overlay)
{
  return overlay && overlay->idmap.n > 0;
}

gboolean
hako_overlay_prepare (HakoOverlay *overlay, const char *state_dir,
                      const HakoUsernsMappings *mappings, GError **error)
{
  g_autofree char *options = NULL, *lowerdir = NULL;
  g_auto (GStrv) lowers = g_strsplit (overlay->rootfs, ":", -1);
  /* The topmost lowerdir's owner and mode are the merged root's. */
  g_autofree char *top = g_strndup (overlay->rootfs, strcspn (overlay->rootfs, ":"));
  struct stat lower;

  if (stat (top, &lower) < 0)
    return hako_error_set_errno (error, errno, "root.path %s", top);
  /* Before the storage exists (the jail too): a refusal leaves nothing to remove. */
  if (owner_unmapped (overlay, &lower, mappings)
      && !hako_overlay_idmap_open (&overlay->idmap, overlay->rootfs, overlay->storage, mappings, &lower, error))
    return FALSE;
  lowerdir = overlay->idmap.n > 0 ? hako_overlay_idmap_lowerdir (&overlay->idmap) : g_strdup (overlay->rootfs);
  /* In a mount namespace the container joins, the daemon's setup must not
   * change its propagation (see hako_overlay_mount); a lowerdir of / has
   * the whole tree anyway. */
  if (overlay->new_mount_ns && !g_strv_contains ((const char *const *) lowers, "/"))
    {
      g_autofree char *jail_root = g_build_filename (overlay->storage, "daemon", NULL);
      if ((overlay->jail = hako_overlay_jail_new (jail_root, overlay->program, lowerdir, overlay->storage, error)) == NULL)
        return FALSE;
    }
  if (!make_storage (overlay, state_dir, &lower, mappings, error))
    return FALSE;
  options = mount_options (overlay, lowerdir, &lower, mappings);
  overlay->log = g_build_filename (state_dir, "overlay.log", NULL);
  overlay->log_fd = open (overlay->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (overlay->log_fd < 0)
    return hako_error_set_errno (error, errno, _("cannot create %s"), overlay->log);
  overlay->argv = g_new0 (char *, 5);
  overlay->argv[0] = g_strdup (overlay->program);
  overlay->argv[1] = g_strdup ("-o");
  overlay->argv[2] = g_steal_pointer (&options);
  overlay->argv[3] = g_strdup (overlay->merged);
  /* Its daemon needs nothing of the caller's environment; fusermount3 is
   * what it would look for in PATH. */
  overlay->envp = g_new0 (char *, 2);
  overlay->envp[0] = g_strdup ("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
  return TRUE;
}

/* ---- in the setup: async-signal-safe only ---- */

int
hako_overlay_attach_lowers (const HakoOverlay *overlay, HakoChildError *err)
{
  int failed;

  if (overlay->idmap.n > 0 && hako_overlay_idmap_attach (&overlay->idmap, &failed) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_OVERLAY, failed < 0 ? STEP_LOWER_NS : STEP_LOWER + failed, errno);
  return 0;
}

int
hako_overlay_mount (const HakoOverlay *overlay, HakoChildError *err)
{
  pid_t pid;
  int status;
  /* Written by the vfork child, which shares this frame. */
  volatile int jail_failed = -1, jail_errno = 0;

  /* The daemon's root is a pivot_root away, which a shared root refuses,
   * and its tmpfs must reach no other namespace: nothing made in this one
   * goes back to the host's (it receives still, as before). */
  if (overlay->jail && mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_OVERLAY, STEP_SLAVE, errno);
  /* pivot_root moves the root of every process of the mount namespace
   * that has the old one, and the daemon's paths (/proc/self/fd/N) would
   * then lead through its own mount: it deadlocks. So it runs in a mount
   * namespace of its own, and its mount reaches the container's through a
   * shared mount point. */
  if (mount (overlay->merged, overlay->merged, NULL, MS_BIND, NULL) < 0
      || mount (NULL, overlay->merged, NULL, MS_SHARED, NULL) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_OVERLAY, STEP_SHARE, errno);
  /* vfork: no copy of the container process's page tables for a child
   * that only makes a few system calls before execve (or _exit). */
  pid = vfork ();
  if (pid < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_OVERLAY, STEP_SPAWN, errno);
  if (pid == 0)
    {
      /* Its messages go to the log, for the runtime to quote on failure:
       * on success they are noise ("unknown argument ignored"). */
      if (dup2 (overlay->log_fd, STDOUT_FILENO) < 0 || dup2 (overlay->log_fd, STDERR_FILENO) < 0)
        _exit (127);
      /* The fds the payload is to get (--preserve-fds) are not the daemon's. */
      syscall (SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
      /* With the caller mapped as itself rather than as 0 (`hako sandbox`),
       * exec would drop the capability to mount. */
      if (unshare (CLONE_NEWNS) < 0)
        _exit (126);
      if (overlay->jail)
        {
          int failed = -1;
          if (hako_overlay_jail_enter (overlay->jail, &failed) < 0)
            {
              jail_errno = errno;
              jail_failed = failed;
              _exit (JAIL_EXIT);
            }
        }
      if (geteuid () != 0 && hako_cap_keep_over_exec (CAP_SYS_ADMIN) < 0)
        _exit (126);
      execve (overlay->argv[0], overlay->argv, overlay->envp);
      _exit (127);
    }
  /* fuse-overlayfs returns once its daemon has the mount in place. */
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return hako_child_fail (err, HAKO_CHILD_STAGE_OVERLAY, STEP_SPAWN, errno);
  if (WIFEXITED (status) && WEXITSTATUS (status) == JAIL_EXIT && jail_failed >= 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_OVERLAY, STEP_JAIL + jail_failed, jail_errno);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_OVERLAY, STEP_EXIT, status);
  return 0;
}

/* ---- in the runtime ---- */

/* fuse-overlayfs's last message, or its exit status. */
static char *
describe_exit (const HakoOverlay *overlay, int status)
{
  g_autofree char *log = NULL;
  g_auto (GStrv) lines = NULL;
  guint n;

  if (g_file_get_contents (overlay->log, &log, NULL, NULL))
    {
      lines = g_strsplit (g_strstrip (log), "\n", -1);
      n = g_strv_length (lines);
      if (n > 0 && *lines[n - 1])
        return g_strdup (lines[n - 1]);
    }
  if (WIFEXITED (status))
    return g_strdup_printf (_("exit status %d"), WEXITSTATUS (status));
  return g_strdup_printf (_("killed by signal %d"), WTERMSIG (status));
}

char *
hako_overlay_describe_error (const HakoOverlay *overlay, const HakoChildError *err)
{
  g_autofree char *why = NULL;

  if (err->step == STEP_SHARE)
    return g_strdup_printf (_("cannot make %s a shared mount point for the overlay rootfs: %s"),
                            overlay->merged, g_strerror (err->saved_errno));
  if (err->step == STEP_SPAWN)
    return g_strdup_printf (_("cannot run %s for the overlay rootfs: %s"), overlay->program,
                            g_strerror (err->saved_errno));
  if (err->step == STEP_SLAVE)
    return g_strdup_printf (_("cannot make the container's mounts slaves of the host's for the overlay rootfs's daemon: %s"),
                            g_strerror (err->saved_errno));
  if (err->step >= STEP_JAIL && overlay->jail)
    {
      g_autofree char *step = hako_overlay_jail_describe_step (overlay->jail, err->step - STEP_JAIL);
      return g_strdup_printf (_("cannot give fuse-overlayfs a root of its own for the overlay rootfs (%s): %s"), step,
                              g_strerror (err->saved_errno));
    }
  if (err->step == STEP_LOWER_NS)
    return g_strdup_printf (_("cannot make a mount namespace for the idmapped lowerdirs of the overlay rootfs: %s"),
                            g_strerror (err->saved_errno));
  if (err->step >= STEP_LOWER && (guint) (err->step - STEP_LOWER) < overlay->idmap.n)
    return g_strdup_printf (_("cannot attach the idmapped lowerdir %s on %s for the overlay rootfs: %s"),
                            overlay->idmap.sources[err->step - STEP_LOWER],
                            overlay->idmap.targets[err->step - STEP_LOWER], g_strerror (err->saved_errno));
  why = describe_exit (overlay, err->saved_errno);
  return g_strdup_printf (_("fuse-overlayfs could not mount the overlay rootfs (lowerdir %s, upper and work dirs in %s): %s"),
                          overlay->rootfs, overlay->storage, why);
}

void
hako_overlay_remove_storage (const char *state_dir)
{
  g_autofree char *link = g_build_filename (state_dir, STORAGE_LINK, NULL);
  g_autofree char *storage = g_file_read_link (link, NULL);
  g_autoptr (GError) error = NULL;

  /* Rootless, what the container's users other than its root wrote to the
   * upper dir belongs to subordinate ids: the helper copes with them. */
  if (storage && !hako_userns_remove_tree (storage, &error))
    hako_log_warning (_("cannot remove the overlay's storage %s: %s"), storage, error->message);
}
