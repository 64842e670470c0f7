/* The cgroupfs manager: the container's directories in the mounted cgroup
 * filesystems, made, joined and removed by the runtime itself. Paths follow
 * runc's cgroupfs driver: an absolute linux.cgroupsPath is below each
 * hierarchy's root, a relative one below the runtime's own cgroup in that
 * hierarchy, and none means the container id, relative. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "cgroup-private.h"
#include "error.h"
#include "fd-util.h"
#include "i18n.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

static void
hierarchy_free (gpointer data)
{
  HakoCgroupHierarchy *h = data;

  g_strfreev (h->controllers);
  g_free (h->mountpoint);
  g_free (h->own_dir);
  g_free (h);
}

/* The mountinfo line of a cgroup v1 filesystem whose super options hold
 * every one of CONTROLLERS, or with CONTROLLERS NULL of the cgroup2
 * filesystem at CGROUP_ROOT; its root and mount point are returned. */
static gboolean
find_mount (char **lines, char **controllers, char **root, char **mountpoint)
{
  for (char **line = lines; *line; line++)
    {
      const char *sep = strstr (*line, " - ");
      g_auto (GStrv) fields = NULL, post = NULL, options = NULL;
      gboolean all = TRUE;

      if (sep == NULL)
        continue;
      fields = g_strsplit (*line, " ", 6);
      post = g_strsplit (sep + 3, " ", 3);
      if (g_strv_length (fields) < 6 || g_strv_length (post) < 3
          || !g_str_equal (post[0], controllers ? "cgroup" : "cgroup2")
          || (controllers == NULL && !g_str_equal (fields[4], CGROUP_ROOT)))
        continue;
      options = g_strsplit (post[2], ",", -1);
      for (char **c = controllers; c && *c && all; c++)
        all = g_strv_contains ((const char *const *) options, *c);
      if (!all)
        continue;
      *root = g_strdup (fields[3]);
      *mountpoint = g_strdup (fields[4]);
      return TRUE;
    }
  return FALSE;
}

GPtrArray *
hako_cgroup_fs_hierarchies (const char *self_cgroup, const char *mountinfo, gboolean unified)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (hierarchy_free);
  g_auto (GStrv) lines = g_strsplit (self_cgroup, "\n", -1);
  g_auto (GStrv) mounts = g_strsplit (mountinfo, "\n", -1);

  for (char **line = lines; *line; line++)
    {
      /* "4:memory:/a/b" (v1), or "0::/a" (the v2 line). */
      g_auto (GStrv) fields = g_strsplit (*line, ":", 3);
      g_autofree char *root = NULL, *mountpoint = NULL;
      g_auto (GStrv) controllers = NULL;
      const char *own;
      HakoCgroupHierarchy *h;

      if (g_strv_length (fields) < 3 || (fields[1][0] == '\0') != unified)
        continue;
      if (!unified)
        controllers = g_strsplit (fields[1], ",", -1);
      if (!find_mount (mounts, controllers, &root, &mountpoint))
        continue;
      /* Inside a cgroup namespace or a bind mount, the mount shows ROOT of the
       * hierarchy: the own path is below it. */
      own = fields[2];
      if (!g_str_equal (root, "/") && g_str_has_prefix (own, root))
        own += strlen (root);
      h = g_new0 (HakoCgroupHierarchy, 1);
      h->controllers = g_steal_pointer (&controllers);
      h->own_dir = g_canonicalize_filename (own + strspn (own, "/"), mountpoint);
      h->mountpoint = g_steal_pointer (&mountpoint);
      g_ptr_array_add (out, h);
    }
  return out;
}

gboolean
hako_cgroup_unified_host (void)
{
  struct statfs fs;

  return statfs (CGROUP_ROOT, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

/* This host's hierarchies: the cgroup v2 tree when /sys/fs/cgroup is one,
 * else the v1 hierarchies (a hybrid host's extra v2 tree is left alone:
 * the limits are the v1 controllers'). */
static GPtrArray *
host_hierarchies (void)
{
  g_autofree char *self = NULL, *mountinfo = NULL;

  if (!g_file_get_contents ("/proc/self/cgroup", &self, NULL, NULL)
      || !g_file_get_contents ("/proc/self/mountinfo", &mountinfo, NULL, NULL))
    return g_ptr_array_new ();
  return hako_cgroup_fs_hierarchies (self, mountinfo, hako_cgroup_unified_host ());
}

static gboolean
writable_dir (const char *dir)
{
  g_autofree char *procs = g_build_filename (dir, "cgroup.procs", NULL);

  return access (dir, W_OK) == 0 && access (procs, W_OK) == 0;
}

gboolean
hako_cgroup_fs_usable (char **why_not)
{
  g_autoptr (GPtrArray) hierarchies = host_hierarchies ();
  const HakoCgroupHierarchy *first = hierarchies->len > 0 ? hierarchies->pdata[0] : NULL;

  if (first == NULL)
    *why_not = g_strdup_printf (_("no cgroup hierarchy is mounted under %s: see /proc/self/mountinfo"), CGROUP_ROOT);
  /* cgroup v1 hierarchies belong to root: nothing delegates them. */
  else if (first->controllers && geteuid () != 0)
    *why_not = g_strdup (_("cgroup v1 controllers belong to root: run as root, or on a cgroup v2 host in a cgroup delegated to you, for example with systemd-run --user --scope -p Delegate=yes hako ..."));
  else if (geteuid () != 0 && !writable_dir (first->own_dir))
    *why_not = g_strdup_printf (_("without root, hako needs its own cgroup %s to be delegated to you, as a systemd user session does, for example with systemd-run --user --scope -p Delegate=yes hako ..."),
                                first->own_dir);
  /* Even root cannot write a cgroup tree mounted read-only (as in many containers). */
  else if (!writable_dir (first->own_dir))
    *why_not = g_strdup_printf (_("hako's own cgroup %s is not writable: /sys/fs/cgroup may be mounted read-only"),
                                first->own_dir);
  else
    return TRUE;
  return FALSE;
}

void
hako_cgroup_fs_restore (HakoCgroup *cgroup, const char *const *paths)
{
  g_autoptr (GPtrArray) hierarchies = host_hierarchies ();

  for (const char *const *p = paths; p && *p; p++)
    {
      const char *const *controllers = NULL;
      for (guint i = 0; i < hierarchies->len; i++)
        {
          const HakoCgroupHierarchy *h = hierarchies->pdata[i];
          gsize len = strlen (h->mountpoint);
          if (strncmp (*p, h->mountpoint, len) == 0 && (*p)[len] == '/')
            controllers = (const char *const *) h->controllers;
        }
      hako_cgroup_add_dir (cgroup, *p, controllers);
    }
}

gboolean
hako_cgroup_fs_resolve (HakoCgroup *cgroup, const char *id, const char *cgroups_path,
                        GError **error)
{
  g_autoptr (GPtrArray) hierarchies = host_hierarchies ();
  g_autofree char *inner = NULL;
  gboolean absolute;

  if (hako_cgroup_path_is_systemd_form (cgroups_path))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("config.json: linux.cgroupsPath \"%s\" is systemd's slice:prefix:name form, which the cgroupfs cgroup manager does not take: use a path such as \"/hako/%s\""),
                   cgroups_path, id);
      return FALSE;
    }
  inner = hako_cgroup_clean_path (cgroups_path, id, &absolute);
  if (*inner == '\0')
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("config.json: linux.cgroupsPath \"%s\" names a cgroup the container cannot own (%s): use a directory below it, such as \"/hako/%s\""),
                   cgroups_path, absolute ? _("the root cgroup") : _("the runtime's own cgroup"), id);
      return FALSE;
    }
  /* hako_cgroup_fs_usable found them before. */
  g_return_val_if_fail (hierarchies->len > 0, FALSE);
  for (guint i = 0; i < hierarchies->len; i++)
    {
      const HakoCgroupHierarchy *h = hierarchies->pdata[i];
      g_autofree char *dir = g_build_filename (absolute ? h->mountpoint : h->own_dir, inner, NULL);
      hako_cgroup_add_dir (cgroup, dir, (const char *const *) h->controllers);
    }
  return TRUE;
}

/* A new cpuset starts with no cpus and no memory nodes, and takes no
 * process like that: it gets its parent's. */
static gboolean
inherit_cpuset (const char *dir, GError **error)
{
  static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
  g_autofree char *parent = g_path_get_dirname (dir);

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_autofree char *from = g_build_filename (parent, files[i], NULL);
      g_autofree char *value = NULL, *current = NULL;

      if (!g_file_get_contents (path, &current, NULL, error)
          || !g_file_get_contents (from, &value, NULL, error))
        return FALSE;
      if (*g_strstrip (current) != '\0')
        continue;
      if (!g_file_set_contents_full (path, value, -1, G_FILE_SET_CONTENTS_NONE, 0644, error))
        return FALSE;
    }
  return TRUE;
}

/* mkdir -p DIR, remembering what it made, parents first. */
static gboolean
make_dirs (HakoCgroup *cgroup, const char *dir, gboolean cpuset, GError **error)
{
  g_autofree char *parent = NULL;

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  parent = g_path_get_dirname (dir);
  if (!g_str_equal (parent, dir) && !make_dirs (cgroup, parent, cpuset, error))
    return FALSE;
  if (mkdir (dir, 0755) < 0)
    return hako_error_set_errno (error, errno, _("cannot create the cgroup %s"), dir);
  g_ptr_array_add (cgroup->created, g_strdup (dir));
  if (cpuset && !inherit_cpuset (dir, error))
    {
      g_prefix_error (error, _("cannot set up the cpuset cgroup %s: "), dir);
      return FALSE;
    }
  return TRUE;
}

/* Whether DIR has processes of its own. */
static gboolean
has_processes (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "cgroup.procs", NULL);
  g_autofree char *procs = NULL;

  return g_file_get_contents (path, &procs, NULL, NULL) && *procs != '\0';
}

/* On cgroup v2 a directory has the controllers its parent enables in
 * cgroup.subtree_control: every one available, from the root down to
 * DIR's parent. Best effort: where one cannot be enabled (not delegated),
 * writing its setting later says which. A parent with processes (the
 * runtime's own cgroup, say) is left alone: the kernel would still take
 * the threaded controllers (cpu, cpuset, pids) there, and its children
 * would then take no process at all ("domain invalid"). */
static void
enable_controllers (const char *dir)
{
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *available = NULL;
  g_autofree char *path = g_build_filename (parent, "cgroup.controllers", NULL);
  g_auto (GStrv) names = NULL;

  if (g_str_equal (dir, CGROUP_ROOT) || g_str_equal (parent, dir))
    return;
  enable_controllers (parent);
  if ((!g_str_equal (parent, CGROUP_ROOT) && has_processes (parent))
      || !g_file_get_contents (path, &available, NULL, NULL))
    return;
  names = g_strsplit_set (g_strstrip (available), " ", -1);
  for (char **name = names; *name; name++)
    {
      g_autofree char *enable = g_strconcat ("+", *name, NULL);
      if (**name)
        (void) hako_cgroup_write_file (parent, "cgroup.subtree_control", enable);
    }
}

static gboolean
fs_create (HakoCgroup *cgroup, GError **error)
{
  for (guint i = 0; i < cgroup->dirs->len; i++)
    {
      const HakoCgroupDir *d = &g_array_index (cgroup->dirs, HakoCgroupDir, i);
      gboolean cpuset = d->controllers && g_strv_contains ((const char *const *) d->controllers, "cpuset");

      if (!make_dirs (cgroup, d->dir, cpuset, error))
        {
          hako_cgroup_destroy (cgroup, NULL);
          return FALSE;
        }
      if (d->controllers == NULL)
        enable_controllers (d->dir);
    }
  return TRUE;
}

int
hako_cgroup_write_file (const char *dir, const char *file, const char *value)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  hako_autofd int fd = open (path, O_WRONLY | O_CLOEXEC);

  /* One write: a cgroup file takes each value whole, and reports its errors there. */
  if (fd < 0 || write (fd, value, strlen (value)) < 0)
    return errno;
  return 0;
}

gboolean
hako_cgroup_fs_set (const HakoCgroup *cgroup, const char *controller, const char *file,
                    const char *value, const char *json_path, GError **error)
{
  const char *dir = hako_cgroup_controller_dir (cgroup, controller);
  int saved_errno;

  if (dir == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("config.json: %s: the %s cgroup controller is not mounted on this host (see /proc/mounts): remove the setting, or mount the controller under /sys/fs/cgroup"),
                   json_path, controller);
      return FALSE;
    }
  saved_errno = hako_cgroup_write_file (dir, file, value);
  if (saved_errno == ENOENT && cgroup->ops == &hako_cgroup_systemd_ops && geteuid () != 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("config.json: %s: %s has no %s: your systemd user manager does not delegate the %s controller: add it to Delegate= in a drop-in for user@.service, such as /etc/systemd/system/user@.service.d/delegate.conf with \"[Service]\" and \"Delegate=cpu cpuset io memory pids\", then run \"systemctl daemon-reload\" and log in again; or remove the setting"),
                   json_path, dir, file, controller);
      return FALSE;
    }
  if (saved_errno == ENOENT && hako_cgroup_is_v2 (cgroup))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("config.json: %s: %s has no %s: the %s controller is not enabled there (see cgroup.controllers and cgroup.subtree_control of its parent): remove the setting, or delegate the controller"),
                   json_path, dir, file, controller);
      return FALSE;
    }
  if (saved_errno == ENOENT)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("config.json: %s: this kernel's %s cgroup controller has no %s: remove the setting"),
                   json_path, controller, file);
      return FALSE;
    }
  if (saved_errno != 0)
    return hako_error_set_errno (error, saved_errno, _("config.json: %s: cannot write \"%s\" to %s/%s"),
                                 json_path, value, dir, file);
  return TRUE;
}

gboolean
hako_cgroup_fs_set_int (const HakoCgroup *cgroup, const char *controller, const char *file,
                        gint64 value, const char *json_path, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  return hako_cgroup_fs_set (cgroup, controller, file, text, json_path, error);
}

/* The devices every container gets, whatever its rules, as runc allows them
 * (config-linux.md, "Default Devices", and the pseudo-terminals). */
#define DEFAULT_DEVICE(major_, minor_) \
  { .allow = TRUE, .type = 'c', .major = { TRUE, major_ }, .minor = { minor_ >= 0, minor_ }, .access = (char *) "rwm" }
static const HakoDeviceRule default_devices[] = {
  DEFAULT_DEVICE (1, 3),    /* null */
  DEFAULT_DEVICE (1, 5),    /* zero */
  DEFAULT_DEVICE (1, 7),    /* full */
  DEFAULT_DEVICE (1, 8),    /* random */
  DEFAULT_DEVICE (1, 9),    /* urandom */
  DEFAULT_DEVICE (5, 0),    /* tty */
  DEFAULT_DEVICE (5, 2),    /* ptmx */
  DEFAULT_DEVICE (136, -1), /* pts */
};

GPtrArray *
hako_cgroup_device_rules (const HakoResources *r)
{
  GPtrArray *rules = g_ptr_array_new ();

  for (guint i = 0; i < r->n_devices; i++)
    g_ptr_array_add (rules, &r->devices[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (default_devices); i++)
    g_ptr_array_add (rules, (gpointer) &default_devices[i]);
  return rules;
}

/* The settings both versions write the same way, but for the name of
 * hugetlb's file: hugetlb.SIZE.SUFFIX. */
gboolean
hako_cgroup_fs_apply_hugetlb (const HakoCgroup *cgroup, const HakoResources *r, const char *suffix,
                              GError **error)
{
  for (guint i = 0; i < r->n_hugepage_limits; i++)
    {
      const HakoHugepageLimit *h = &r->hugepage_limits[i];
      g_autofree char *path = g_strdup_printf ("linux.resources.hugepageLimits[%u]", i);
      g_autofree char *file = g_strdup_printf ("hugetlb.%s.%s", h->page_size, suffix);
      if (!hako_cgroup_fs_set_int (cgroup, "hugetlb", file, (gint64) h->limit, path, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
hako_cgroup_fs_apply_rdma (const HakoCgroup *cgroup, const HakoResources *r, GError **error)
{
  for (guint i = 0; i < r->n_rdma; i++)
    {
      const HakoRdmaLimit *l = &r->rdma[i];
      g_autofree char *path = g_strdup_printf ("linux.resources.rdma[%u]", i);
      g_autofree char *handles = l->hca_handles.set ? g_strdup_printf (" hca_handle=%" G_GUINT64_FORMAT, l->hca_handles.value) : g_strdup ("");
      g_autofree char *objects = l->hca_objects.set ? g_strdup_printf (" hca_object=%" G_GUINT64_FORMAT, l->hca_objects.value) : g_strdup ("");
      g_autofree char *text = g_strconcat (l->device, handles, objects, NULL);
      if (!hako_cgroup_fs_set (cgroup, "rdma", "rdma.max", text, path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
fs_place (HakoCgroup *cgroup, pid_t pid, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%d", (int) pid);

  for (guint i = 0; i < cgroup->dirs->len; i++)
    {
      const char *dir = g_array_index (cgroup->dirs, HakoCgroupDir, i).dir;
      int saved_errno = hako_cgroup_write_file (dir, "cgroup.procs", text);
      if (saved_errno != 0)
        return hako_error_set_errno (error, saved_errno,
                                     _("cannot move the container process into the cgroup %s"), dir);
    }
  return TRUE;
}

static gboolean
fs_apply (HakoCgroup *cgroup, const HakoResources *resources, GError **error)
{
  if (hako_cgroup_is_v2 (cgroup))
    return hako_cgroup_fs_apply_v2 (cgroup, resources, error);
  return hako_cgroup_fs_apply_v1 (cgroup, resources, error);
}

/* Every process is in each hierarchy: the first one lists them all. */
GArray *
hako_cgroup_fs_pids (HakoCgroup *cgroup, GError **error)
{
  g_autofree char *path = NULL, *procs = NULL;
  g_auto (GStrv) lines = NULL;
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));

  if (cgroup->dirs->len == 0)
    return pids;
  path = g_build_filename (g_array_index (cgroup->dirs, HakoCgroupDir, 0).dir, "cgroup.procs", NULL);
  if (!g_file_get_contents (path, &procs, NULL, error))
    {
      g_array_unref (pids);
      return NULL;
    }
  lines = g_strsplit (procs, "\n", -1);
  for (char **p = lines; *p; p++)
    {
      guint64 pid;
      if (g_ascii_string_to_unsigned (*p, 10, 1, G_MAXINT, &pid, NULL))
        {
          pid_t value = pid;
          g_array_append_val (pids, value);
        }
    }
  return pids;
}

/* On cgroup v2 (5.14 on), cgroup.kill kills them all, nested cgroups too. */
void
hako_cgroup_fs_signal_all (HakoCgroup *cgroup, int signal_number)
{
  g_autoptr (GArray) pids = NULL;

  if (cgroup->dirs->len == 0)
    return;
  if (signal_number == SIGKILL
      && hako_cgroup_write_file (g_array_index (cgroup->dirs, HakoCgroupDir, 0).dir, "cgroup.kill", "1") == 0)
    return;
  pids = hako_cgroup_fs_pids (cgroup, NULL);
  for (guint i = 0; pids && i < pids->len; i++)
    kill (g_array_index (pids, pid_t, i), signal_number);
}

/* Whether FILE in DIR has a line starting with PREFIX (v2's cgroup.events
 * "frozen 1", v1's freezer.state "FROZEN"). */
static gboolean
file_has_line (const char *dir, const char *file, const char *prefix)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_str_has_prefix (*l, prefix))
      return TRUE;
  return FALSE;
}

/* v2: cgroup.freeze, done when cgroup.events says "frozen 1". v1: the
 * freezer's state; a freeze may stay FREEZING while a process is busy in
 * the kernel, so it is asked again until FROZEN (runc retries the same
 * way). At most ten seconds. */
gboolean
hako_cgroup_fs_freeze (HakoCgroup *cgroup, gboolean frozen, GError **error)
{
  gboolean v2 = hako_cgroup_is_v2 (cgroup);
  const char *dir = hako_cgroup_controller_dir (cgroup, v2 ? "" : "freezer");
  const char *file = v2 ? "cgroup.freeze" : "freezer.state";
  const char *value = v2 ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED");
  int saved_errno;

  if (dir == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("the container's cgroup has no freezer controller: mount the cgroup v1 freezer hierarchy (/sys/fs/cgroup/freezer), or use a cgroup v2 host"));
      return FALSE;
    }
  for (int i = 0; i < 1000; i++)
    {
      if ((saved_errno = hako_cgroup_write_file (dir, file, value)) != 0)
        return hako_error_set_errno (error, saved_errno, _("cannot write %s to %s/%s"), value, dir, file);
      if (!frozen || (v2 ? file_has_line (dir, "cgroup.events", "frozen 1")
                         : file_has_line (dir, "freezer.state", "FROZEN")))
        return TRUE;
      g_usleep (10000);
    }
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
               _("the processes of cgroup %s did not freeze within ten seconds"), dir);
  return FALSE;
}

static gboolean
is_container_dir (const HakoCgroup *cgroup, const char *dir)
{
  for (guint i = 0; i < cgroup->dirs->len; i++)
    if (g_str_equal (g_array_index (cgroup->dirs, HakoCgroupDir, i).dir, dir))
      return TRUE;
  return FALSE;
}

/* A container's directory stays busy while its killed processes exit:
 * up to two seconds. A parent create made may hold another container's
 * directory by now: it then stays. */
static gboolean
fs_destroy (HakoCgroup *cgroup, GError **error)
{
  for (guint i = cgroup->created->len; i > 0; i--)
    {
      const char *dir = cgroup->created->pdata[i - 1];
      gboolean own = is_container_dir (cgroup, dir);
      int tries = own ? 200 : 1;

      while (rmdir (dir) < 0 && errno != ENOENT)
        {
          if (errno != EBUSY || --tries == 0)
            {
              if (!own)
                break;
              return hako_error_set_errno (error, errno, _("cannot remove the cgroup %s"), dir);
            }
          hako_cgroup_signal_all (cgroup, SIGKILL);
          g_usleep (10000);
        }
    }
  return TRUE;
}

const HakoCgroupOps hako_cgroup_fs_ops = {
  .name = "cgroupfs",
  .create = fs_create,
  .place = fs_place,
  .apply = fs_apply,
  .signal_all = hako_cgroup_fs_signal_all,
  .pids = hako_cgroup_fs_pids,
  .freeze = hako_cgroup_fs_freeze,
  .destroy = fs_destroy,
};
