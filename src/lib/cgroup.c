#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cgroup-private.h"
#include "error.h"
#include "i18n.h"
#include "log.h"
#include "systemd-bus.h"

gboolean
hako_cgroup_systemd_usable (char **why_not)
{
  g_autofree char *address = NULL;

  if (!hako_cgroup_unified_host ())
    {
      *why_not = g_strdup (_("systemd delegates cgroups only on a cgroup v2 host, and /sys/fs/cgroup here is cgroup v1 or hybrid: boot with systemd.unified_cgroup_hierarchy=1"));
      return FALSE;
    }
  address = hako_systemd_bus_address (why_not);
  return address != NULL;
}

gboolean
hako_cgroup_manager_choose (const char *requested, const char *cgroups_path,
                            HakoCgroupManager *out, char **why_none, GError **error)
{
  g_autofree char *why_not_systemd = NULL;

  *out = HAKO_CGROUP_MANAGER_NONE;
  *why_none = NULL;
  if (g_strcmp0 (requested, "systemd") == 0)
    {
      if (!hako_cgroup_systemd_usable (&why_not_systemd))
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                       _("--cgroup-manager systemd: %s; or use --cgroup-manager cgroupfs (as root, or with a cgroup v2 subtree you can write), or disabled"),
                       why_not_systemd);
          return FALSE;
        }
      *out = HAKO_CGROUP_MANAGER_SYSTEMD;
      return TRUE;
    }
  if (g_strcmp0 (requested, "disabled") == 0)
    {
      *why_none = g_strdup (_("--cgroup-manager disabled"));
      return TRUE;
    }
  /* The default: systemd where it is reachable, as on a desktop or a
   * server login, else the cgroup filesystems. A cgroupsPath that is a
   * path is cgroupfs's, as from an engine that drives runc without
   * --systemd-cgroup. */
  if (requested == NULL
      && (cgroups_path == NULL || *cgroups_path == '\0' || hako_cgroup_path_is_systemd_form (cgroups_path))
      && hako_cgroup_systemd_usable (&why_not_systemd))
    *out = HAKO_CGROUP_MANAGER_SYSTEMD;
  else if (hako_cgroup_fs_usable (why_none))
    *out = HAKO_CGROUP_MANAGER_CGROUPFS;
  else
    hako_log_debug ("no cgroup: %s", *why_none);
  return TRUE;
}

static HakoCgroup *
cgroup_alloc (const HakoCgroupOps *ops)
{
  HakoCgroup *cgroup = g_new0 (HakoCgroup, 1);

  cgroup->ops = ops;
  cgroup->dirs = g_array_new (FALSE, TRUE, sizeof (HakoCgroupDir));
  cgroup->created = g_ptr_array_new_with_free_func (g_free);
  return cgroup;
}

HakoCgroup *
hako_cgroup_new (HakoCgroupManager manager, const char *id, const char *cgroups_path,
                 GError **error)
{
  g_autoptr (HakoCgroup) cgroup = NULL;

  g_return_val_if_fail (manager != HAKO_CGROUP_MANAGER_NONE, NULL);
  if (manager == HAKO_CGROUP_MANAGER_SYSTEMD)
    {
      cgroup = cgroup_alloc (&hako_cgroup_systemd_ops);
      if (!hako_cgroup_systemd_resolve (cgroup, id, cgroups_path, error))
        return NULL;
      return g_steal_pointer (&cgroup);
    }
  cgroup = cgroup_alloc (&hako_cgroup_fs_ops);
  if (!hako_cgroup_fs_resolve (cgroup, id, cgroups_path, error))
    return NULL;
  return g_steal_pointer (&cgroup);
}

gboolean
hako_cgroup_refuse_missing (const char *id, const char *command, GError **error)
{
  g_autofree char *why = NULL;

  if (hako_cgroup_fs_usable (&why))
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                 _("container \"%s\" has no cgroup, which %s needs: it was created with --cgroup-manager disabled; create it again without that option"),
                 id, command);
  else
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                 _("container \"%s\" has no cgroup, which %s needs: %s"), id, command, why);
  return FALSE;
}

HakoCgroup *
hako_cgroup_from_state (const char *manager, const char *const *paths, const char *const *created)
{
  HakoCgroup *cgroup;

  if (g_strcmp0 (manager, hako_cgroup_systemd_ops.name) == 0)
    {
      /* The scope's one cgroup v2 directory. */
      cgroup = cgroup_alloc (&hako_cgroup_systemd_ops);
      for (const char *const *p = paths; p && *p; p++)
        hako_cgroup_add_dir (cgroup, *p, NULL);
      cgroup->unit = g_strdup (created ? created[0] : NULL);
    }
  else if (g_strcmp0 (manager, hako_cgroup_fs_ops.name) == 0)
    {
      cgroup = cgroup_alloc (&hako_cgroup_fs_ops);
      hako_cgroup_fs_restore (cgroup, paths);
    }
  else
    return NULL;
  for (const char *const *c = created; c && *c; c++)
    g_ptr_array_add (cgroup->created, g_strdup (*c));
  return cgroup;
}

void
hako_cgroup_free (HakoCgroup *cgroup)
{
  if (cgroup == NULL)
    return;
  for (guint i = 0; i < cgroup->dirs->len; i++)
    {
      HakoCgroupDir *d = &g_array_index (cgroup->dirs, HakoCgroupDir, i);
      g_free (d->dir);
      g_strfreev (d->controllers);
    }
  g_array_unref (cgroup->dirs);
  g_ptr_array_unref (cgroup->created);
  g_free (cgroup->unit);
  g_free (cgroup->sub);
  g_free (cgroup->slice);
  g_free (cgroup->description);
  g_clear_object (&cgroup->bus);
  g_clear_pointer (&cgroup->path_view, g_ptr_array_unref);
  g_clear_pointer (&cgroup->created_view, g_ptr_array_unref);
  g_free (cgroup);
}

void
hako_cgroup_add_dir (HakoCgroup *cgroup, const char *dir, const char *const *controllers)
{
  HakoCgroupDir d = { .dir = g_strdup (dir), .controllers = g_strdupv ((char **) controllers) };

  g_array_append_val (cgroup->dirs, d);
}

const char *
hako_cgroup_controller_dir (const HakoCgroup *cgroup, const char *controller)
{
  for (guint i = 0; i < cgroup->dirs->len; i++)
    {
      const HakoCgroupDir *d = &g_array_index (cgroup->dirs, HakoCgroupDir, i);
      if (d->controllers == NULL || g_strv_contains ((const char *const *) d->controllers, controller))
        return d->dir;
    }
  return NULL;
}

gboolean
hako_cgroup_is_v2 (const HakoCgroup *cgroup)
{
  return cgroup->dirs->len == 1 && g_array_index (cgroup->dirs, HakoCgroupDir, 0).controllers == NULL;
}

const char *
hako_cgroup_manager_name (const HakoCgroup *cgroup)
{
  return cgroup->ops->name;
}

const char *const *
hako_cgroup_paths (const HakoCgroup *cgroup)
{
  HakoCgroup *self = (HakoCgroup *) cgroup;

  g_clear_pointer (&self->path_view, g_ptr_array_unref);
  self->path_view = g_ptr_array_new ();
  for (guint i = 0; i < cgroup->dirs->len; i++)
    g_ptr_array_add (self->path_view, g_array_index (cgroup->dirs, HakoCgroupDir, i).dir);
  g_ptr_array_add (self->path_view, NULL);
  return (const char *const *) self->path_view->pdata;
}

const char *const *
hako_cgroup_created (const HakoCgroup *cgroup)
{
  HakoCgroup *self = (HakoCgroup *) cgroup;

  g_clear_pointer (&self->created_view, g_ptr_array_unref);
  self->created_view = g_ptr_array_new ();
  for (guint i = 0; i < cgroup->created->len; i++)
    g_ptr_array_add (self->created_view, cgroup->created->pdata[i]);
  g_ptr_array_add (self->created_view, NULL);
  return (const char *const *) self->created_view->pdata;
}

gboolean
hako_cgroup_create (HakoCgroup *cgroup, GError **error)
{
  return cgroup->ops->create (cgroup, error);
}

gboolean
hako_cgroup_place (HakoCgroup *cgroup, pid_t pid, GError **error)
{
  return cgroup->ops->place (cgroup, pid, error);
}

gboolean
hako_cgroup_apply (HakoCgroup *cgroup, const HakoResources *resources, GError **error)
{
  return resources == NULL || cgroup->ops->apply (cgroup, resources, error);
}

GArray *
hako_cgroup_pids (HakoCgroup *cgroup, GError **error)
{
  return cgroup->ops->pids (cgroup, error);
}

gboolean
hako_cgroup_freeze (HakoCgroup *cgroup, gboolean frozen, GError **error)
{
  return cgroup->ops->freeze (cgroup, frozen, error);
}

void
hako_cgroup_signal_all (HakoCgroup *cgroup, int signal_number)
{
  cgroup->ops->signal_all (cgroup, signal_number);
}

gboolean
hako_cgroup_destroy (HakoCgroup *cgroup, GError **error)
{
  return cgroup->ops->destroy (cgroup, error);
}

char *
hako_cgroup_clean_path (const char *cgroups_path, const char *id, gboolean *absolute)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  g_auto (GStrv) components = NULL;

  if (cgroups_path == NULL || *cgroups_path == '\0')
    cgroups_path = id;
  *absolute = cgroups_path[0] == '/';
  components = g_strsplit (cgroups_path, "/", -1);
  for (char **c = components; *c; c++)
    {
      if (**c == '\0' || g_str_equal (*c, "."))
        continue;
      if (g_str_equal (*c, ".."))
        {
          /* As runc's CleanPath: ".." never climbs above the root. */
          if (parts->len > 0)
            g_ptr_array_remove_index (parts, parts->len - 1);
          continue;
        }
      g_ptr_array_add (parts, *c);
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("/", (char **) parts->pdata);
}

gboolean
hako_cgroup_path_is_systemd_form (const char *path)
{
  g_auto (GStrv) fields = NULL;

  if (path == NULL || *path == '/' || strchr (path, '/') != NULL)
    return FALSE;
  fields = g_strsplit (path, ":", -1);
  return g_strv_length (fields) == 3;
}

void
hako_cgroup_record (const HakoCgroup *cgroup, HakoState *state)
{
  g_free (state->cgroup_manager);
  g_strfreev (state->cgroup_paths);
  g_strfreev (state->cgroup_created);
  state->cgroup_manager = g_strdup (hako_cgroup_manager_name (cgroup));
  state->cgroup_paths = g_strdupv ((char **) hako_cgroup_paths (cgroup));
  state->cgroup_created = g_strdupv ((char **) hako_cgroup_created (cgroup));
}
