/* The container's filesystem. The first half of this file builds the plan
 * in the runtime (GLib allowed); the second half applies it in the setup
 * process and must stay async-signal-safe: system calls, and string work
 * on stack buffers only. See mount.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "mount-options.h"
#include "mount.h"
#include "mount-copyup.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef MOUNT_ATTR__ATIME
#define MOUNT_ATTR__ATIME 0x00000070
#endif

/* The flags a bind mount gets only through a second MS_REMOUNT|MS_BIND call. */
#define PER_MOUNT_FLAGS                                                                            \
  (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME        \
   | MS_STRICTATIME | MS_NOSYMFOLLOW)
#define ATIME_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

/* ======================= plan building (runtime) ======================= */

typedef struct
{
  const char *path;
  unsigned int major, minor;
} DefaultDevice;

/* config-linux.md "Default Devices" (/dev/ptmx is the pts/ptmx symlink). */
static const DefaultDevice default_devices[] = {
  { "/dev/null", 1, 3 },    { "/dev/zero", 1, 5 },    { "/dev/full", 1, 7 },
  { "/dev/random", 1, 8 },  { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
};

/* runtime-linux.md "Dev symbolic links". */
static const char *const default_symlinks[][2] = {
  { "/dev/fd", "/proc/self/fd" },
  { "/dev/stdin", "/proc/self/fd/0" },
  { "/dev/stdout", "/proc/self/fd/1" },
  { "/dev/stderr", "/proc/self/fd/2" },
};

typedef struct
{
  GArray *steps; /* HakoMountStep */
  const HakoSpec *spec;
  const char *bundle_dir;
  const HakoMountPlanOptions *options;
} PlanBuilder;

static void
step_clear (gpointer data)
{
  HakoMountStep *step = data;

  g_free (step->label);
  g_free (step->path);
  g_free (step->destination);
  g_free (step->parent);
  g_free (step->name);
  g_free (step->source);
  g_free (step->fstype);
  g_free (step->data);
  g_free (step->retry_data);
  g_free (step->fallback_source);
  g_free (step->target);
  g_free (step->idmap_uids.items);
  g_free (step->idmap_gids.items);
}

/* "/dev/shm" for "dev/shm", "/x" for "../../x": container paths are
 * relative to "/", and ".." never climbs above it. */
static char *
container_path (const char *path)
{
  return g_canonicalize_filename (path, "/");
}

static char *
rootfs_relative (const char *canonical)
{
  return g_strdup (canonical[1] ? canonical + 1 : ".");
}

/* Appends a step for container path PATH (NULL when it has none); takes LABEL. */
static HakoMountStep *
add_step (PlanBuilder *b, HakoMountStepKind kind, char *label, const char *path)
{
  HakoMountStep step = { .kind = kind, .label = label, .uid = (uid_t) -1, .gid = (gid_t) -1,
                         .mount_fd = -1, .source_fd = -1 };

  if (path)
    {
      step.path = container_path (path);
      step.destination = rootfs_relative (step.path);
    }
  g_array_append_val (b->steps, step);
  return &g_array_index (b->steps, HakoMountStep, b->steps->len - 1);
}

/* Splits the step's destination into the directory and the name that *at
 * calls (mknodat, symlinkat) need. */
static void
set_parent_and_name (HakoMountStep *step)
{
  g_autofree char *dir = g_path_get_dirname (step->path);

  step->parent = rootfs_relative (dir);
  step->name = g_path_get_basename (step->path);
}

static void
copy_attrs (HakoMountStep *step, const HakoMountFlags *flags)
{
  step->propagation = flags->propagation;
  step->attr_set = flags->attr_set;
  step->attr_clear = flags->attr_clear;
  /* mount_setattr(2) changes the atime mode as a whole. */
  if ((step->attr_set | step->attr_clear) & MOUNT_ATTR__ATIME)
    step->attr_clear |= MOUNT_ATTR__ATIME;
}

static gboolean
add_bind (PlanBuilder *b, char *label, const char *destination, const char *source,
          const HakoMountFlags *flags, unsigned long extra_flags, GError **error)
{
  g_autofree char *absolute = g_canonicalize_filename (source, b->bundle_dir);
  HakoMountStep *step;
  struct stat st;

  if (stat (absolute, &st) < 0)
    {
      int saved_errno = errno;
      g_set_error (error, HAKO_ERROR, saved_errno == ENOENT ? HAKO_ERROR_NOT_FOUND : HAKO_ERROR_FAILED,
                   _("%s: cannot use the bind source %s: %s"), label, absolute,
                   g_strerror (saved_errno));
      g_free (label);
      return FALSE;
    }
  step = add_step (b, HAKO_MOUNT_STEP_BIND, label, destination);
  step->source = g_steal_pointer (&absolute);
  step->flags = MS_BIND | ((flags->flags | extra_flags) & MS_REC);
  step->remount_flags = flags->flags & PER_MOUNT_FLAGS;
  step->dest_is_file = !S_ISDIR (st.st_mode);
  copy_attrs (step, flags);
  return TRUE;
}

static gboolean
has_prefix_in (GPtrArray *parts, const char *prefix)
{
  for (guint i = 0; i < parts->len; i++)
    if (g_str_has_prefix (parts->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

/* The parts of PARTS (NULL-terminated) joined by ",", leaving out those
 * starting with SKIP (when not NULL); NULL when nothing is left. */
static char *
join_options (GPtrArray *parts, const char *skip)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < parts->len; i++)
    {
      if (skip && g_str_has_prefix (parts->pdata[i], skip))
        continue;
      if (out->len)
        g_string_append_c (out, ',');
      g_string_append (out, parts->pdata[i]);
    }
  return out->len ? g_strdup (out->str) : NULL;
}

/* devpts gets its own instance and a usable ptmx; a gid= that the user
 * namespace does not map (EINVAL) is retried without it. */
static void
prepare_devpts (HakoMountStep *step)
{
  g_auto (GStrv) given = g_strsplit (step->data ? step->data : "", ",", -1);
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();

  for (char **p = given; *p; p++)
    if (**p)
      g_ptr_array_add (parts, *p);
  if (!has_prefix_in (parts, "newinstance"))
    g_ptr_array_add (parts, (char *) "newinstance");
  if (!has_prefix_in (parts, "ptmxmode="))
    g_ptr_array_add (parts, (char *) "ptmxmode=0666");
  g_free (step->data);
  step->data = join_options (parts, NULL);
  if (has_prefix_in (parts, "gid="))
    step->retry_data = join_options (parts, "gid=");
}

static gboolean
is_cgroup (const char *type)
{
  return g_strcmp0 (type, "cgroup") == 0 || g_strcmp0 (type, "cgroup2") == 0;
}

/* A new filesystem. cgroup (v1 or v2) becomes cgroup2, with the host's
 * /sys/fs/cgroup as the fallback when the kernel refuses it. */
static void
add_filesystem (PlanBuilder *b, char *label, const HakoMount *mount, const HakoMountFlags *flags)
{
  HakoMountStep *step = add_step (b, HAKO_MOUNT_STEP_FILESYSTEM, label, mount->destination);
  const char *type = is_cgroup (mount->type) ? "cgroup2" : mount->type;

  step->fstype = g_strdup (type);
  step->source = g_strdup (mount->source ? mount->source : type);
  step->flags = flags->flags & ~(MS_BIND | MS_REC);
  step->data = g_strdup (flags->data);
  step->tmpcopyup = flags->tmpcopyup;
  copy_attrs (step, flags);
  if (g_strcmp0 (type, "devpts") == 0)
    prepare_devpts (step);
  if (is_cgroup (mount->type))
    {
      step->fallback_source = g_strdup ("/sys/fs/cgroup");
      step->remount_flags = flags->flags & PER_MOUNT_FLAGS;
    }
}


/* tmpcopyup (runc's extension) fills a new tmpfs: on anything else it
 * would have nothing to do. */
static gboolean
check_extensions (const char *label, const HakoMount *mount, const HakoMountFlags *flags,
                  GError **error)
{
  if (!flags->tmpcopyup || g_strcmp0 (mount->type, "tmpfs") == 0)
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
               _("%s: the mount option \"tmpcopyup\" is for a tmpfs, not type \"%s\": drop the option"),
               label, mount->type ? mount->type : "");
  return FALSE;
}

static void
copy_mappings (HakoIdMappings *out, const HakoIdMappings *in)
{
  out->items = g_memdup2 (in->items, in->n * sizeof (HakoIdMapping));
  out->n = in->n;
}

/* idmap or ridmap (mappings alone mean idmap, as for crun and runc) on the
 * bind just added; spec.c has refused them on anything else. */
static gboolean
set_idmap (PlanBuilder *b, const HakoMount *mount, const HakoMountFlags *flags, GError **error)
{
  HakoMountStep *step = &g_array_index (b->steps, HakoMountStep, b->steps->len - 1);

  if (!flags->idmap && mount->uid_mappings.n == 0)
    return TRUE;
  if (b->options->unprivileged)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("%s: idmapped mounts of host files need root: only a process with CAP_SYS_ADMIN in the initial user namespace may idmap them; run hako as root, or drop idmap and ridmap and chown the source to ids the container maps"),
                   step->label);
      return FALSE;
    }
  step->idmap = TRUE;
  step->recursive_idmap = flags->recursive_idmap;
  copy_mappings (&step->idmap_uids, &mount->uid_mappings);
  copy_mappings (&step->idmap_gids, &mount->gid_mappings);
  return TRUE;
}

static gboolean
add_config_mount (PlanBuilder *b, guint index, GError **error)
{
  const HakoMount *mount = &b->spec->mounts[index];
  g_auto (HakoMountFlags) flags = { 0 };
  char *label = g_strdup_printf ("mounts[%u]", index);

  hako_mount_flags_parse ((const char *const *) mount->options, &flags);
  if (!check_extensions (label, mount, &flags, error))
    {
      g_free (label);
      return FALSE;
    }
  if (hako_mount_flags_is_bind (&flags, mount->type))
    {
      if (mount->source == NULL)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                       _("%s: a bind mount needs a source"), label);
          g_free (label);
          return FALSE;
        }
      return add_bind (b, label, mount->destination, mount->source, &flags, 0, error)
             && set_idmap (b, mount, &flags, error);
    }
  /* Without its own network namespace the kernel refuses a new sysfs. */
  if (g_strcmp0 (mount->type, "sysfs") == 0 && !b->options->new_netns)
    return add_bind (b, label, mount->destination, "/sys", &flags, MS_REC, error);
  if (is_cgroup (mount->type) && !b->options->new_cgroupns)
    return add_bind (b, label, mount->destination, "/sys/fs/cgroup", &flags, MS_REC, error);
  add_filesystem (b, label, mount, &flags);
  return TRUE;
}

/* The mount of config.json at container path PATH, or NULL. */
static const HakoMount *
find_mount (const HakoSpec *spec, const char *path)
{
  const HakoMount *found = NULL;

  for (guint i = 0; i < spec->n_mounts; i++)
    {
      g_autofree char *canonical = container_path (spec->mounts[i].destination);
      if (g_str_equal (canonical, path))
        found = &spec->mounts[i];
    }
  return found;
}

static gboolean
binds_host_dev (const HakoSpec *spec)
{
  const HakoMount *dev = find_mount (spec, "/dev");
  g_auto (HakoMountFlags) flags = { 0 };

  if (dev == NULL)
    return FALSE;
  hako_mount_flags_parse ((const char *const *) dev->options, &flags);
  return hako_mount_flags_is_bind (&flags, dev->type);
}

static mode_t
device_type_mode (char type)
{
  switch (type)
    {
    case 'b':
      return S_IFBLK;
    case 'p':
      return S_IFIFO;
    default: /* 'c' and 'u' */
      return S_IFCHR;
    }
}

/* A device node: bound from the host when rootless (a fifo needs no
 * privilege and is always made), made with mknod otherwise. */
static void
add_device (PlanBuilder *b, char *label, const HakoDevice *device, int config_index)
{
  gboolean bind = b->options->rootless && device->type != 'p';
  HakoMountStep *step = add_step (b, bind ? HAKO_MOUNT_STEP_DEVICE_BIND : HAKO_MOUNT_STEP_DEVICE_MKNOD,
                                  label, device->path);

  if (bind)
    {
      step->flags = MS_BIND;
      step->dest_is_file = TRUE;
      step->make_node = config_index >= 0 && b->options->device_dir != NULL;
      if (!step->make_node)
        {
          step->source = g_strdup (step->path);
          return;
        }
      step->source = g_strdup_printf ("%s/%d", b->options->device_dir, config_index);
    }
  else
    set_parent_and_name (step);
  step->mode = device_type_mode (device->type)
               | (device->file_mode.set ? (mode_t) (device->file_mode.value & 07777) : 0666);
  step->rdev = makedev (device->major, device->minor);
  step->set_owner = device->uid.set || device->gid.set;
  if (device->uid.set)
    step->uid = (uid_t) device->uid.value;
  if (device->gid.set)
    step->gid = (gid_t) device->gid.value;
}

static gboolean
config_has_device (const HakoLinux *linux_, const char *path)
{
  for (guint i = 0; linux_ && i < linux_->n_devices; i++)
    {
      g_autofree char *canonical = container_path (linux_->devices[i].path);
      if (g_str_equal (canonical, path))
        return TRUE;
    }
  return FALSE;
}

static void
add_symlink (PlanBuilder *b, const char *path, const char *target)
{
  HakoMountStep *step = add_step (b, HAKO_MOUNT_STEP_SYMLINK, g_strdup (_("/dev symlink")), path);

  set_parent_and_name (step);
  step->target = g_strdup (target);
}

static void
add_default_dev (PlanBuilder *b)
{
  const HakoMount *pts = find_mount (b->spec, "/dev/pts");

  for (guint i = 0; i < G_N_ELEMENTS (default_devices); i++)
    {
      HakoDevice device = { .type = 'c', .path = (char *) default_devices[i].path,
                            .major = default_devices[i].major, .minor = default_devices[i].minor };
      if (!config_has_device (b->spec->linux_, device.path))
        add_device (b, g_strdup (_("default device")), &device, -1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (default_symlinks); i++)
    add_symlink (b, default_symlinks[i][0], default_symlinks[i][1]);
  if (pts && g_strcmp0 (pts->type, "devpts") == 0)
    add_symlink (b, "/dev/ptmx", "pts/ptmx");
}

static void
add_devices (PlanBuilder *b)
{
  const HakoLinux *linux_ = b->spec->linux_;

  if (!binds_host_dev (b->spec))
    add_default_dev (b);
  for (guint i = 0; linux_ && i < linux_->n_devices; i++)
    add_device (b, g_strdup_printf ("linux.devices[%u]", i), &linux_->devices[i], i);
}

static void
add_path_list (PlanBuilder *b, HakoMountStepKind kind, const char *field, GStrv paths)
{
  for (guint i = 0; paths && paths[i]; i++)
    {
      HakoMountStep *step = add_step (b, kind, NULL, paths[i]);
      step->label = g_strdup_printf ("%s[%u] %s", field, i, step->path);
      if (kind == HAKO_MOUNT_STEP_MASK)
        {
          step->source = g_strdup ("/dev/null");
          step->fstype = g_strdup ("tmpfs");
        }
      else
        step->remount_flags = MS_RDONLY;
    }
}

static gboolean
parse_propagation (const char *name, unsigned long *out, GError **error)
{
  static const struct
  {
    const char *name;
    unsigned long value;
  } table[] = { { "private", MS_PRIVATE },       { "shared", MS_SHARED },
                { "slave", MS_SLAVE },           { "unbindable", MS_UNBINDABLE },
                /* runc's names, which Podman uses: the change is recursive anyway. */
                { "rprivate", MS_PRIVATE },      { "rshared", MS_SHARED },
                { "rslave", MS_SLAVE },          { "runbindable", MS_UNBINDABLE } };

  *out = MS_PRIVATE;
  if (name == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_str_equal (name, table[i].name))
      {
        *out = table[i].value;
        return TRUE;
      }
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
               _("linux.rootfsPropagation: unknown value \"%s\" (use private, shared, slave or unbindable)"),
               name);
  return FALSE;
}

static char *
root_label (const char *rootfs)
{
  return g_strdup_printf ("root.path %s", rootfs);
}

/* / private (or slave, to keep receiving the host's mounts), then the
 * rootfs bound onto itself so that it is a mount point. */
static void
add_root_start (PlanBuilder *b, const char *rootfs, unsigned long propagation)
{
  HakoMountStep *step = add_step (b, HAKO_MOUNT_STEP_ROOT_PREPARE, root_label (rootfs), "/");

  step->propagation = MS_REC | (propagation == MS_SLAVE ? MS_SLAVE : MS_PRIVATE);
  step = add_step (b, HAKO_MOUNT_STEP_ROOTFS_BIND, root_label (rootfs), "/");
  step->flags = MS_BIND | MS_REC;
  if (b->options->rootfs_readonly_from)
    {
      step->source = g_strdup (b->options->rootfs_readonly_from);
      step->target = g_strdup (rootfs);
      step->attr_set = MOUNT_ATTR_RDONLY;
    }
  else
    step->source = g_strdup (b->options->rootfs_source ? b->options->rootfs_source : rootfs);
}

static void
add_root_end (PlanBuilder *b, const char *rootfs, unsigned long propagation)
{
  HakoMountStep *step = add_step (b, HAKO_MOUNT_STEP_PIVOT, root_label (rootfs), "/");

  step->flags = b->options->no_pivot ? MS_MOVE : 0;
  if (b->spec->root->readonly)
    {
      step = add_step (b, HAKO_MOUNT_STEP_ROOT_READONLY, g_strdup ("root.readonly"), "/");
      step->remount_flags = MS_RDONLY;
    }
  if (propagation == MS_SHARED || propagation == MS_UNBINDABLE)
    {
      step = add_step (b, HAKO_MOUNT_STEP_ROOT_PROPAGATION, g_strdup ("linux.rootfsPropagation"), "/");
      step->propagation = MS_REC | propagation;
    }
}

static gboolean
build (PlanBuilder *b, const char *rootfs, GError **error)
{
  const HakoLinux *linux_ = b->spec->linux_;
  unsigned long propagation;

  if (!parse_propagation (linux_ ? linux_->rootfs_propagation : NULL, &propagation, error))
    return FALSE;
  add_root_start (b, rootfs, propagation);
  for (guint i = 0; i < b->spec->n_mounts; i++)
    if (!add_config_mount (b, i, error))
      return FALSE;
  add_devices (b);
  if (b->spec->process && b->spec->process->cwd)
    add_step (b, HAKO_MOUNT_STEP_DIRECTORY, g_strdup ("process.cwd"), b->spec->process->cwd);
  if (linux_)
    {
      add_path_list (b, HAKO_MOUNT_STEP_MASK, "maskedPaths", linux_->masked_paths);
      add_path_list (b, HAKO_MOUNT_STEP_READONLY, "readonlyPaths", linux_->readonly_paths);
    }
  add_root_end (b, rootfs, propagation);
  return TRUE;
}

HakoMountPlan *
hako_mount_plan_new (const HakoSpec *spec, const char *bundle_dir,
                     const HakoMountPlanOptions *options, GError **error)
{
  g_autoptr (HakoMountPlan) plan = g_new0 (HakoMountPlan, 1);
  g_autofree char *bundle = g_canonicalize_filename (bundle_dir, NULL);
  g_autoptr (GArray) steps = g_array_new (FALSE, TRUE, sizeof (HakoMountStep));
  PlanBuilder builder = { steps, spec, bundle, options };
  gsize n_steps = 0;

  g_array_set_clear_func (steps, step_clear);
  if (spec->root == NULL || spec->root->path == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("root.path: the container needs a root filesystem"));
      return NULL;
    }
  plan->rootfs = g_canonicalize_filename (spec->root->path, bundle);
  if (!build (&builder, plan->rootfs, error))
    return NULL;
  g_array_set_clear_func (steps, NULL);
  plan->steps = g_array_steal (steps, &n_steps);
  plan->n_steps = n_steps;
  return g_steal_pointer (&plan);
}

gboolean
hako_mount_plan_make_device_nodes (const HakoMountPlan *plan, GError **error)
{
  for (guint i = 0; i < plan->n_steps; i++)
    {
      const HakoMountStep *step = &plan->steps[i];
      g_autofree char *dir = NULL;

      if (!step->make_node)
        continue;
      dir = g_path_get_dirname (step->source);
      if (g_mkdir_with_parents (dir, 0700) < 0)
        return hako_error_set_errno (error, errno, _("cannot create %s"), dir);
      if (mknod (step->source, step->mode, step->rdev) < 0 || chmod (step->source, step->mode & 07777) < 0
          || (step->set_owner && chown (step->source, step->uid, step->gid) < 0))
        return hako_error_set_errno (error, errno, _("%s: cannot make the device node %s"),
                                     step->label, step->path);
    }
  return TRUE;
}

void
hako_mount_plan_close_idmapped (HakoMountPlan *plan)
{
  for (guint i = 0; i < plan->n_steps; i++)
    if (plan->steps[i].mount_fd >= 0)
      {
        close (plan->steps[i].mount_fd);
        plan->steps[i].mount_fd = -1;
      }
}

void
hako_mount_plan_mark_runtime_sources (HakoMountPlan *plan, const char *state_dir)
{
  g_autofree char *prefix = g_strconcat (state_dir, "/", NULL);

  for (guint i = 0; i < plan->n_steps; i++)
    {
      HakoMountStep *step = &plan->steps[i];
      step->runtime_source = (step->kind == HAKO_MOUNT_STEP_BIND || step->kind == HAKO_MOUNT_STEP_DEVICE_BIND)
                             && !step->idmap && step->source && g_str_has_prefix (step->source, prefix);
    }
}

void
hako_mount_plan_free (HakoMountPlan *plan)
{
  if (plan == NULL)
    return;
  hako_mount_plan_close_idmapped (plan);
  for (guint i = 0; i < plan->n_steps; i++)
    step_clear (&plan->steps[i]);
  g_free (plan->steps);
  g_free (plan->rootfs);
  g_free (plan);
}

/* ================ applying the plan (setup process) ================
 * Async-signal-safe from here to describe_error: no allocation, no stdio,
 * no GLib calls (macros only); strings live in the plan or on the stack. */

#define RESOLVE_FLAGS (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)
#define MAX_SYMLINKS 40
#define FD_PATH_SIZE 32

typedef struct
{
  int rootfd; /* O_PATH of the rootfs once bound; -1 before */
  int index;  /* the step being applied */
  HakoChildError *err;
} Apply;

static int
fail (Apply *a, HakoMountOp op)
{
  return hako_child_fail (a->err, HAKO_CHILD_STAGE_MOUNT, HAKO_MOUNT_ERROR_STEP (a->index, op), errno);
}

static void
close_keep_errno (int fd)
{
  int saved_errno = errno;

  if (fd >= 0)
    close (fd);
  errno = saved_errno;
}

/* "/proc/self/fd/FD": the mount target for an O_PATH descriptor. */
static void
fd_path (char out[FD_PATH_SIZE], int fd)
{
  static const char prefix[] = "/proc/self/fd/";
  char digits[12];
  unsigned int value = (unsigned int) fd;
  size_t n = 0, len = sizeof prefix - 1;

  do
    digits[n++] = (char) ('0' + value % 10);
  while ((value /= 10) != 0);
  memcpy (out, prefix, len);
  while (n)
    out[len++] = digits[--n];
  out[len] = '\0';
}

/* PATH resolved inside the rootfs: an O_PATH descriptor, or -1 with errno. */
static int
resolve_in_root (int rootfd, const char *path)
{
  struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_FLAGS };
  int fd, tries = 0;

  do
    fd = (int) syscall (SYS_openat2, rootfd, path, &how, sizeof how);
  while (fd < 0 && (errno == EINTR || (errno == EAGAIN && ++tries < 64)));
  return fd;
}

static int
append (char *buf, size_t size, size_t *len, const char *s, size_t n)
{
  if (*len + n >= size)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  memcpy (buf + *len, s, n);
  *len += n;
  buf[*len] = '\0';
  return 0;
}

/* Component [START, END) of BUF, in directory PARENTFD, is a symlink whose
 * target is missing: replace the path up to it by the target, so that the
 * target is created inside the rootfs instead. */
static int
splice_symlink (char *buf, size_t size, size_t start, size_t end, int parentfd)
{
  char target[PATH_MAX], name[NAME_MAX + 1], out[PATH_MAX];
  size_t len = 0;
  ssize_t n;

  if (end - start > NAME_MAX)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  memcpy (name, buf + start, end - start);
  name[end - start] = '\0';
  n = readlinkat (parentfd, name, target, sizeof target - 1);
  if (n < 0)
    {
      errno = errno == EINVAL ? EEXIST : errno; /* not a symlink after all */
      return -1;
    }
  target[n] = '\0';
  out[0] = '\0';
  if ((target[0] != '/' && append (out, sizeof out, &len, buf, start) < 0)
      || append (out, sizeof out, &len, target, (size_t) n) < 0
      || append (out, sizeof out, &len, buf + end, strlen (buf + end)) < 0)
    return -1;
  if (len >= size)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  memcpy (buf, out, len + 1);
  return 0;
}

static int
create_entry (int parentfd, const char *name, int is_file)
{
  int fd;

  if (!is_file)
    return mkdirat (parentfd, name, 0755);
  fd = openat (parentfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return -1;
  close (fd);
  return 0;
}

/* Creates the first missing component of BUF (the last one as a file when
 * LAST_IS_FILE), or splices in the target of a dangling symlink. 0 when
 * progress was made, -1 with errno. */
static int
create_first_missing (int rootfd, char *buf, size_t size, int last_is_file)
{
  int parentfd = -1, r;
  size_t start = 0, end;

  for (;;)
    {
      char saved;
      int fd;

      while (buf[start] == '/')
        start++;
      if (buf[start] == '\0')
        break; /* everything exists now (a concurrent change): resolve again */
      for (end = start; buf[end] && buf[end] != '/'; end++)
        ;
      saved = buf[end];
      buf[end] = '\0';
      fd = resolve_in_root (rootfd, buf);
      if (fd < 0 && errno == ENOENT)
        {
          r = create_entry (parentfd >= 0 ? parentfd : rootfd, buf + start, saved == '\0' && last_is_file);
          buf[end] = saved;
          if (r < 0 && errno == EEXIST)
            r = splice_symlink (buf, size, start, end, parentfd >= 0 ? parentfd : rootfd);
          close_keep_errno (parentfd);
          return r;
        }
      buf[end] = saved;
      close_keep_errno (parentfd);
      if (fd < 0)
        return -1;
      parentfd = fd;
      start = end;
    }
  close_keep_errno (parentfd);
  return 0;
}

/* PATH inside the rootfs, made (directories, and a file at the end when
 * LAST_IS_FILE) where missing: an O_PATH descriptor or -1 with errno. */
static int
ensure_in_root (int rootfd, const char *path, int last_is_file)
{
  char buf[PATH_MAX];
  size_t len = 0;
  int rounds = 0;

  if (append (buf, sizeof buf, &len, path, strlen (path)) < 0)
    return -1;
  for (;;)
    {
      int fd = resolve_in_root (rootfd, buf);
      if (fd >= 0 || errno != ENOENT)
        return fd;
      if (++rounds > PATH_MAX / 2 + MAX_SYMLINKS)
        {
          errno = ELOOP;
          return -1;
        }
      if (create_first_missing (rootfd, buf, sizeof buf, last_is_file) < 0)
        return -1;
    }
}

static int
mount_on_fd (const char *source, int fd, const char *fstype, unsigned long flags, const void *data)
{
  char target[FD_PATH_SIZE];

  fd_path (target, fd);
  return mount (source, target, fstype, flags, data);
}

/* statfs f_flags (ST_*) as the MS_* flags a remount has to repeat. */
static unsigned long
ms_flags_of (unsigned long st)
{
  static const unsigned long map[][2] = {
    { ST_RDONLY, MS_RDONLY },       { ST_NOSUID, MS_NOSUID },
    { ST_NODEV, MS_NODEV },         { ST_NOEXEC, MS_NOEXEC },
    { ST_NOATIME, MS_NOATIME },     { ST_NODIRATIME, MS_NODIRATIME },
    { ST_RELATIME, MS_RELATIME },   { ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
  };
  unsigned long ms = 0;

  for (size_t i = 0; i < G_N_ELEMENTS (map); i++)
    if (st & map[i][0])
      ms |= map[i][1];
  if (!(ms & (MS_NOATIME | MS_RELATIME)))
    ms |= MS_STRICTATIME;
  return ms;
}

/* Remounts the bind mount at TARGET with WANTED plus the flags it already
 * has that a user namespace may not clear (nosuid, nodev, noexec, ro, and
 * the atime mode unless WANTED sets one), as runc does. */
static int
remount_bind (const char *target, unsigned long wanted)
{
  struct statfs st;
  unsigned long current, keep;

  if (statfs (target, &st) < 0)
    return -1;
  current = ms_flags_of ((unsigned long) st.f_flags);
  keep = current & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NODIRATIME | MS_NOSYMFOLLOW);
  if (!(wanted & ATIME_FLAGS))
    keep |= current & ATIME_FLAGS;
  if (mount (NULL, target, NULL, MS_REMOUNT | MS_BIND | wanted | keep, NULL) == 0)
    return 0;
  /* A mount that came from a more privileged mount namespace has its atime
   * mode locked (MNT_LOCK_ATIME): keep the one it has rather than fail, as
   * crun does; the other flags asked for still apply. */
  if (errno != EPERM || !(wanted & ATIME_FLAGS) || (wanted & ATIME_FLAGS) == (current & ATIME_FLAGS))
    return -1;
  wanted = (wanted & ~ATIME_FLAGS) | (current & ATIME_FLAGS);
  return mount (NULL, target, NULL, MS_REMOUNT | MS_BIND | wanted | keep, NULL);
}

static int
set_attrs (int fd, const HakoMountStep *step)
{
  struct mount_attr attr = { .attr_set = step->attr_set, .attr_clr = step->attr_clear };

  return (int) syscall (SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr);
}

/* What follows a mount of STEP: its flags (a second pass for binds), its
 * propagation, its recursive attributes; all on the new mount, which the
 * destination now resolves to. */
static int
finish_mount (Apply *a, const HakoMountStep *step, unsigned long remount_flags)
{
  char target[FD_PATH_SIZE];
  HakoMountOp op = HAKO_MOUNT_OP_RESOLVE;
  int fd, r = 0;

  if (!remount_flags && !step->propagation && !step->attr_set && !step->attr_clear)
    return 0;
  fd = resolve_in_root (a->rootfd, step->destination);
  if (fd < 0)
    return fail (a, op);
  fd_path (target, fd);
  if (remount_flags && (r = remount_bind (target, remount_flags)) < 0)
    op = HAKO_MOUNT_OP_REMOUNT;
  else if (step->propagation && (r = mount (NULL, target, NULL, step->propagation, NULL)) < 0)
    op = HAKO_MOUNT_OP_PROPAGATION;
  else if ((step->attr_set || step->attr_clear) && (r = set_attrs (fd, step)) < 0)
    op = HAKO_MOUNT_OP_SETATTR;
  close_keep_errno (fd);
  return r < 0 ? fail (a, op) : 0;
}

/* The runtime's detached mount MOUNT_FD attached on the O_PATH descriptor FD. */
static int
move_mount_on_fd (int mount_fd, int fd)
{
  return (int) syscall (SYS_move_mount, mount_fd, "", fd, "",
                        MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

static int
apply_bind (Apply *a, const HakoMountStep *step, const char *source, unsigned long flags,
            unsigned long remount_flags)
{
  int fd = ensure_in_root (a->rootfd, step->destination, step->dest_is_file);
  int r;

  if (fd < 0)
    return fail (a, HAKO_MOUNT_OP_RESOLVE);
  if (step->runtime_source && source == step->source)
    source = step->source_fd_path;
  r = step->mount_fd >= 0 ? move_mount_on_fd (step->mount_fd, fd)
                          : mount_on_fd (source, fd, NULL, flags, NULL);
  close_keep_errno (fd);
  if (r < 0)
    return fail (a, HAKO_MOUNT_OP_MOUNT);
  return finish_mount (a, step, remount_flags);
}

/* A readable descriptor of the directory the O_PATH descriptor FD names. */
static int
open_directory_of (int fd)
{
  char path[FD_PATH_SIZE];

  fd_path (path, fd);
  return open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* tmpcopyup: BELOW's contents into the new mount at the destination. */
static int
copy_up (Apply *a, const HakoMountStep *step, int below)
{
  int top = resolve_in_root (a->rootfd, step->destination);
  int dir = top < 0 ? -1 : open_directory_of (top);
  int r = dir < 0 ? -1 : hako_mount_copy_tree (below, dir);

  if (top >= 0)
    close_keep_errno (top);
  if (dir >= 0)
    close_keep_errno (dir);
  return r < 0 ? fail (a, HAKO_MOUNT_OP_COPYUP) : 0;
}

static int
apply_filesystem (Apply *a, const HakoMountStep *step)
{
  int fd = ensure_in_root (a->rootfd, step->destination, 0);
  int below = -1, r;

  if (fd < 0)
    return fail (a, HAKO_MOUNT_OP_RESOLVE);
  /* What the directory holds, still reachable once the tmpfs covers it. */
  if (step->tmpcopyup && (below = open_directory_of (fd)) < 0)
    {
      close_keep_errno (fd);
      return fail (a, HAKO_MOUNT_OP_COPYUP);
    }
  r = mount_on_fd (step->source, fd, step->fstype, step->flags, step->data);
  if (r < 0 && errno == EINVAL && step->retry_data)
    r = mount_on_fd (step->source, fd, step->fstype, step->flags, step->retry_data);
  close_keep_errno (fd);
  if (r < 0)
    {
      close_keep_errno (below);
      if (step->fallback_source)
        return apply_bind (a, step, step->fallback_source, MS_BIND | MS_REC, step->remount_flags);
      return fail (a, HAKO_MOUNT_OP_MOUNT);
    }
  r = below >= 0 ? copy_up (a, step, below) : 0;
  close_keep_errno (below);
  return r < 0 ? r : finish_mount (a, step, 0);
}

/* An existing node at NAME is fine when it is the requested device. */
static int
check_existing_node (int dirfd, const HakoMountStep *step)
{
  struct stat st;

  if (fstatat (dirfd, step->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return -1;
  if ((st.st_mode & S_IFMT) == (step->mode & S_IFMT)
      && (S_ISFIFO (st.st_mode) || st.st_rdev == step->rdev))
    return 0;
  errno = EEXIST;
  return -1;
}

static int
apply_mknod (Apply *a, const HakoMountStep *step)
{
  int dirfd = ensure_in_root (a->rootfd, step->parent, 0);
  HakoMountOp op = HAKO_MOUNT_OP_MOUNT;
  int r;

  if (dirfd < 0)
    return fail (a, HAKO_MOUNT_OP_RESOLVE);
  r = mknodat (dirfd, step->name, step->mode, step->rdev);
  if (r < 0 && errno == EEXIST)
    r = check_existing_node (dirfd, step);
  if (r == 0)
    {
      op = HAKO_MOUNT_OP_OWNER;
      r = fchmodat (dirfd, step->name, step->mode & 07777, 0);
      if (r == 0 && step->set_owner)
        r = fchownat (dirfd, step->name, step->uid, step->gid, AT_SYMLINK_NOFOLLOW);
    }
  close_keep_errno (dirfd);
  return r < 0 ? fail (a, op) : 0;
}

static int
apply_symlink (Apply *a, const HakoMountStep *step)
{
  int dirfd = ensure_in_root (a->rootfd, step->parent, 0);
  int r;

  if (dirfd < 0)
    return fail (a, HAKO_MOUNT_OP_RESOLVE);
  r = symlinkat (step->target, dirfd, step->name);
  if (r < 0 && errno == EEXIST)
    r = 0; /* the image's own /dev entry wins */
  close_keep_errno (dirfd);
  return r < 0 ? fail (a, HAKO_MOUNT_OP_MOUNT) : 0;
}

/* A path under /proc that is not procfs: the container's /proc is a
 * symlink, a fake directory or something mounted over it, and masking or
 * protecting what is there would leave the real files as they are. */
static gboolean
fake_proc_path (const char *path, int fd)
{
  struct statfs st;

  return g_str_has_prefix (path, "/proc/") && fstatfs (fd, &st) == 0
         && st.f_type != PROC_SUPER_MAGIC;
}

/* An existing path of maskedPaths/readonlyPaths: fd, 1 when missing (not an
 * error), or -1 with errno (EXDEV: a /proc path not on procfs). */
static int
open_listed_path (Apply *a, const HakoMountStep *step, int *fd)
{
  *fd = resolve_in_root (a->rootfd, step->destination);
  if (*fd >= 0 && fake_proc_path (step->path, *fd))
    {
      close (*fd);
      errno = EXDEV;
      return -1;
    }
  if (*fd >= 0)
    return 0;
  return errno == ENOENT ? 1 : -1;
}

static int
apply_directory (Apply *a, const HakoMountStep *step)
{
  int fd = ensure_in_root (a->rootfd, step->destination, 0);

  if (fd < 0)
    return fail (a, HAKO_MOUNT_OP_RESOLVE);
  close (fd);
  return 0;
}

static int
apply_mask (Apply *a, const HakoMountStep *step)
{
  struct stat st;
  int fd, r = open_listed_path (a, step, &fd);

  if (r != 0)
    return r < 0 ? fail (a, HAKO_MOUNT_OP_RESOLVE) : 0;
  if ((r = fstat (fd, &st)) == 0)
    r = S_ISDIR (st.st_mode) ? mount_on_fd (step->fstype, fd, step->fstype, MS_RDONLY, NULL)
                             : mount_on_fd (step->source, fd, NULL, MS_BIND, NULL);
  close_keep_errno (fd);
  return r < 0 ? fail (a, HAKO_MOUNT_OP_MOUNT) : 0;
}

static int
apply_readonly (Apply *a, const HakoMountStep *step)
{
  char target[FD_PATH_SIZE];
  int fd, r = open_listed_path (a, step, &fd);

  if (r != 0)
    return r < 0 ? fail (a, HAKO_MOUNT_OP_RESOLVE) : 0;
  fd_path (target, fd);
  r = mount (target, target, NULL, MS_BIND | MS_REC, NULL);
  close_keep_errno (fd);
  if (r < 0)
    return fail (a, HAKO_MOUNT_OP_MOUNT);
  return finish_mount (a, step, step->remount_flags);
}

static int
apply_rootfs_bind (Apply *a, const HakoMountStep *step)
{
  const char *target = step->target ? step->target : step->source;

  if (mount (step->source, target, NULL, step->flags, NULL) < 0)
    return fail (a, HAKO_MOUNT_OP_MOUNT);
  a->rootfd = open (target, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (a->rootfd < 0)
    return fail (a, HAKO_MOUNT_OP_RESOLVE);
  return step->attr_set && set_attrs (a->rootfd, step) < 0 ? fail (a, HAKO_MOUNT_OP_MOUNT) : 0;
}

/* pivot_root(".", ".") stacks the old root on the new one; detaching it
 * (made a slave first, so nothing propagates back) leaves the rootfs. */
static int
pivot (const HakoMountStep *step)
{
  if (step->flags & MS_MOVE)
    return mount (".", "/", NULL, MS_MOVE, NULL) < 0 || chroot (".") < 0 ? -1 : 0;
  if (syscall (SYS_pivot_root, ".", ".") < 0 || mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0
      || umount2 (".", MNT_DETACH) < 0)
    return -1;
  return 0;
}

static int
apply_pivot (Apply *a, const HakoMountStep *step)
{
  if (fchdir (a->rootfd) < 0 || pivot (step) < 0 || chdir ("/") < 0)
    return fail (a, HAKO_MOUNT_OP_MOUNT);
  return 0;
}

static int
apply_step (Apply *a, const HakoMountStep *step)
{
  switch (step->kind)
    {
    case HAKO_MOUNT_STEP_ROOT_PREPARE:
    case HAKO_MOUNT_STEP_ROOT_PROPAGATION:
      return mount (NULL, "/", NULL, step->propagation, NULL) < 0 ? fail (a, HAKO_MOUNT_OP_MOUNT) : 0;
    case HAKO_MOUNT_STEP_ROOTFS_BIND:
      return apply_rootfs_bind (a, step);
    case HAKO_MOUNT_STEP_BIND:
    case HAKO_MOUNT_STEP_DEVICE_BIND:
      return apply_bind (a, step, step->source, step->flags, step->remount_flags);
    case HAKO_MOUNT_STEP_FILESYSTEM:
      return apply_filesystem (a, step);
    case HAKO_MOUNT_STEP_DEVICE_MKNOD:
      return apply_mknod (a, step);
    case HAKO_MOUNT_STEP_SYMLINK:
      return apply_symlink (a, step);
    case HAKO_MOUNT_STEP_DIRECTORY:
      return apply_directory (a, step);
    case HAKO_MOUNT_STEP_MASK:
      return apply_mask (a, step);
    case HAKO_MOUNT_STEP_READONLY:
      return apply_readonly (a, step);
    case HAKO_MOUNT_STEP_PIVOT:
      return apply_pivot (a, step);
    case HAKO_MOUNT_STEP_ROOT_READONLY:
      return remount_bind ("/", step->remount_flags) < 0 ? fail (a, HAKO_MOUNT_OP_MOUNT) : 0;
    }
  errno = EINVAL;
  return fail (a, HAKO_MOUNT_OP_MOUNT);
}

int
hako_mount_plan_open_runtime_sources (HakoMountPlan *plan, HakoChildError *err)
{
  for (guint i = 0; i < plan->n_steps; i++)
    {
      HakoMountStep *step = &plan->steps[i];
      if (!step->runtime_source)
        continue;
      step->source_fd = open (step->source, O_PATH | O_CLOEXEC | O_NOFOLLOW);
      if (step->source_fd < 0)
        return hako_child_fail (err, HAKO_CHILD_STAGE_MOUNT,
                                HAKO_MOUNT_ERROR_STEP ((int) i, HAKO_MOUNT_OP_MOUNT), errno);
      fd_path (step->source_fd_path, step->source_fd);
    }
  return 0;
}

int
hako_mount_plan_apply (const HakoMountPlan *plan, HakoMountBeforePivot before_pivot,
                       void *data, HakoChildError *err)
{
  Apply a = { .rootfd = -1, .err = err };
  int r = 0;

  for (guint i = 0; r == 0 && i < plan->n_steps; i++)
    {
      HakoMountStepKind kind = plan->steps[i].kind;
      a.index = (int) i;
      if (before_pivot
          && (kind == HAKO_MOUNT_STEP_MASK || kind == HAKO_MOUNT_STEP_READONLY
              || kind == HAKO_MOUNT_STEP_PIVOT))
        {
          r = before_pivot (data, err);
          before_pivot = NULL;
        }
      if (r == 0)
        r = apply_step (&a, &plan->steps[i]);
    }
  close_keep_errno (a.rootfd);
  return r;
}

/* ======================= errors (runtime) ======================= */

/* maskedPaths and readonlyPaths entries: the label already names the path. */
static char *
describe_listed_action (const HakoMountStep *step, HakoMountOp op)
{
  if (op == HAKO_MOUNT_OP_RESOLVE)
    return g_strdup (_("cannot open it inside the rootfs"));
  if (step->kind == HAKO_MOUNT_STEP_MASK)
    return g_strdup (_("cannot mount over it"));
  if (op == HAKO_MOUNT_OP_REMOUNT)
    return g_strdup (_("cannot remount it read-only"));
  return g_strdup (_("cannot bind it onto itself"));
}

static char *
describe_op (const HakoMountStep *step, HakoMountOp op)
{
  switch (op)
    {
    case HAKO_MOUNT_OP_RESOLVE:
      return g_strdup_printf (_("cannot open or create %s inside the rootfs"), step->path);
    case HAKO_MOUNT_OP_REMOUNT:
      return g_strdup_printf (_("cannot remount %s with its flags"), step->path);
    case HAKO_MOUNT_OP_PROPAGATION:
      return g_strdup_printf (_("cannot change the propagation of %s"), step->path);
    case HAKO_MOUNT_OP_SETATTR:
      return g_strdup_printf (_("cannot set the recursive mount attributes of %s"), step->path);
    case HAKO_MOUNT_OP_OWNER:
      return g_strdup_printf (_("cannot set the mode and owner of %s"), step->path);
    case HAKO_MOUNT_OP_COPYUP:
      return g_strdup_printf (_("cannot copy what %s held into the new tmpfs (tmpcopyup)"), step->path);
    default:
      return NULL;
    }
}

/* What the step's main call (OP_MOUNT) does. */
static char *
describe_main_action (const HakoMountStep *step)
{
  switch (step->kind)
    {
    case HAKO_MOUNT_STEP_ROOT_PREPARE:
      return g_strdup (_("cannot make the mounts of / private"));
    case HAKO_MOUNT_STEP_ROOTFS_BIND:
      return g_strdup (_("cannot bind-mount the rootfs onto itself"));
    case HAKO_MOUNT_STEP_BIND:
      return g_strdup_printf (_("cannot bind-mount %s on %s"), step->source, step->path);
    case HAKO_MOUNT_STEP_FILESYSTEM:
      return g_strdup_printf (_("cannot mount %s on %s"), step->fstype ? step->fstype : "none",
                              step->path);
    case HAKO_MOUNT_STEP_DEVICE_BIND:
      return g_strdup_printf (_("cannot bind-mount the host device %s"), step->path);
    case HAKO_MOUNT_STEP_DEVICE_MKNOD:
      return g_strdup_printf (_("cannot create the device node %s"), step->path);
    case HAKO_MOUNT_STEP_SYMLINK:
      return g_strdup_printf (_("cannot create the symlink %s -> %s"), step->path, step->target);
    case HAKO_MOUNT_STEP_PIVOT:
      return g_strdup (step->flags & MS_MOVE ? _("cannot move it to / and chroot into it")
                                             : _("cannot pivot_root into it"));
    case HAKO_MOUNT_STEP_ROOT_READONLY:
      return g_strdup (_("cannot remount / read-only"));
    case HAKO_MOUNT_STEP_ROOT_PROPAGATION:
      return g_strdup (_("cannot change the propagation of /"));
    default:
      return g_strdup (_("cannot set it up"));
    }
}

static char *
describe_action (const HakoMountStep *step, HakoMountOp op)
{
  char *text;

  if (step->kind == HAKO_MOUNT_STEP_MASK || step->kind == HAKO_MOUNT_STEP_READONLY)
    return describe_listed_action (step, op);
  text = describe_op (step, op);
  return text ? text : describe_main_action (step);
}

/* The namespace a rootless container needs for a filesystem type. */
static const char *
owning_namespace (const char *fstype)
{
  static const char *const table[][2] = {
    { "proc", "pid" }, { "sysfs", "network" }, { "mqueue", "ipc" }, { "cgroup2", "cgroup" },
  };

  for (guint i = 0; fstype && i < G_N_ELEMENTS (table); i++)
    if (g_str_equal (fstype, table[i][0]))
      return table[i][1];
  return NULL;
}

static char *
describe_hint (const HakoMountStep *step, HakoMountOp op, int saved_errno)
{
  const char *ns = owning_namespace (step->fstype);

  if (saved_errno == ENOSYS && op == HAKO_MOUNT_OP_RESOLVE)
    return g_strdup (_("openat2(2) is missing: hako needs Linux 5.6 or later to resolve paths safely inside the rootfs"));
  if (saved_errno == EXDEV && op == HAKO_MOUNT_OP_RESOLVE
      && (step->kind == HAKO_MOUNT_STEP_MASK || step->kind == HAKO_MOUNT_STEP_READONLY))
    return g_strdup_printf (_("%s is not on procfs: the container's /proc is a symlink, a fake "
                              "directory or another filesystem mounted over it; mount proc on "
                              "/proc and nothing over it"),
                            step->path);
  if (saved_errno == ENOSYS && op == HAKO_MOUNT_OP_SETATTR)
    return g_strdup (_("recursive mount options (rro, rnosuid, ...) need Linux 5.12 or later"));
  if (saved_errno == ENOENT && op == HAKO_MOUNT_OP_MOUNT
      && (step->kind == HAKO_MOUNT_STEP_BIND || step->kind == HAKO_MOUNT_STEP_DEVICE_BIND))
    return g_strdup_printf (_("check that %s exists on the host"), step->source);
  if (saved_errno == EPERM && op == HAKO_MOUNT_OP_MOUNT && step->kind == HAKO_MOUNT_STEP_FILESYSTEM && ns)
    return g_strdup_printf (_("a container may only mount %s in a %s namespace of its own: add {\"type\": \"%s\"} to linux.namespaces"),
                            step->fstype, ns, ns);
  if (saved_errno == EPERM && step->kind == HAKO_MOUNT_STEP_DEVICE_MKNOD)
    return g_strdup (_("device nodes cannot be created in a user namespace: run rootless so that they are bind-mounted from the host"));
  return NULL;
}

char *
hako_mount_plan_describe_error (const HakoMountPlan *plan, const HakoChildError *err)
{
  guint index = err->step >= 0 ? (guint) err->step / HAKO_MOUNT_OP_N : G_MAXUINT;
  HakoMountOp op = err->step >= 0 ? (HakoMountOp) (err->step % HAKO_MOUNT_OP_N) : HAKO_MOUNT_OP_MOUNT;
  const HakoMountStep *step;
  g_autofree char *action = NULL;
  g_autofree char *hint = NULL;

  if (err->stage != HAKO_CHILD_STAGE_MOUNT || index >= plan->n_steps)
    return g_strdup_printf (_("cannot set up the container's mounts: %s"), g_strerror (err->saved_errno));
  step = &plan->steps[index];
  action = describe_action (step, op);
  hint = describe_hint (step, op, err->saved_errno);
  if (hint)
    return g_strdup_printf ("%s: %s: %s (%s)", step->label, action, g_strerror (err->saved_errno), hint);
  return g_strdup_printf ("%s: %s: %s", step->label, action, g_strerror (err->saved_errno));
}
