/* The systemd manager: the container's cgroup is a transient scope that
 * the caller's systemd (the user's manager; root's: the system's) makes
 * over D-Bus for the container's process, with Delegate=yes, so that the
 * runtime writes into it what systemd has no property for. Names follow
 * runc's systemd driver (systemd.md): linux.cgroupsPath
 * "slice:prefix:name" is the unit prefix-name.scope in slice, and none
 * means ":hako:ID". Freezing, signals and stats use the scope's cgroup v2
 * files, as with cgroupfs. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "cgroup-private.h"
#include "error.h"
#include "i18n.h"
#include "systemd-bus.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

gboolean
hako_cgroup_systemd_resolve (HakoCgroup *cgroup, const char *id, const char *cgroups_path,
                             GError **error)
{
  g_auto (GStrv) fields = NULL;
  const char *slice = "", *prefix = "hako", *name = id;

  if (cgroups_path && *cgroups_path)
    {
      if (!hako_cgroup_path_is_systemd_form (cgroups_path))
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                       _("config.json: linux.cgroupsPath \"%s\" is a cgroup path, which the systemd cgroup manager does not take: use systemd's slice:prefix:name form, such as \":hako:%s\", or --cgroup-manager cgroupfs"),
                       cgroups_path, id);
          return FALSE;
        }
      fields = g_strsplit (cgroups_path, ":", 3);
      slice = fields[0];
      prefix = fields[1];
      name = *fields[2] ? fields[2] : id;
    }
  if (g_str_has_suffix (name, ".slice"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("config.json: linux.cgroupsPath \"%s\": hako puts a container in a scope, not a slice: drop \".slice\" from the name"),
                   cgroups_path);
      return FALSE;
    }
  if (*slice && !g_str_equal (slice, "-") && !g_str_has_suffix (slice, ".slice"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("config.json: linux.cgroupsPath \"%s\": \"%s\" is not a slice: name one ending in \".slice\", such as \"user.slice\", or leave it empty for the manager's default"),
                   cgroups_path, slice);
      return FALSE;
    }
  /* "-" is the root slice; none leaves the choice to the manager. */
  cgroup->slice = *slice ? g_strdup (g_str_equal (slice, "-") ? "-.slice" : slice) : NULL;
  cgroup->description = g_strdup_printf ("hako container %s", id);
  cgroup->unit = *prefix ? g_strdup_printf ("%s-%s.scope", prefix, name) : g_strdup_printf ("%s.scope", name);
  return TRUE;
}

static gboolean
connect_bus (HakoCgroup *cgroup, GError **error)
{
  if (cgroup->bus == NULL)
    cgroup->bus = hako_systemd_bus_open (error);
  return cgroup->bus != NULL;
}

/* The unit is named, not made, until the container's process exists:
 * StartTransientUnit takes its pid. */
static gboolean
sd_create (HakoCgroup *cgroup, GError **error)
{
  return TRUE;
}

/* PID's cgroup v2 directory, from its "0::/path" line. */
static char *
process_cgroup_dir (pid_t pid, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cgroup", (int) pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_str_has_prefix (*l, "0::/"))
      return g_build_filename (CGROUP_ROOT, *l + 3, NULL);
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED, _("%s has no cgroup v2 line"), path);
  return NULL;
}

/* PID as systemd's "au" of pids. */
static GVariant *
pid_array (pid_t pid)
{
  const guint32 pids[] = { pid };

  return g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, pids, 1, sizeof pids[0]);
}

static gboolean
start_scope (HakoCgroup *cgroup, pid_t pid, GError **error)
{
  GVariantBuilder props, aux;
  g_autofree char *result = NULL;
  gboolean queued;

  g_variant_builder_init (&props, G_VARIANT_TYPE ("a(sv)"));
  g_variant_builder_add (&props, "(sv)", "Description", g_variant_new_string (cgroup->description));
  if (cgroup->slice)
    g_variant_builder_add (&props, "(sv)", "Slice", g_variant_new_string (cgroup->slice));
  g_variant_builder_add (&props, "(sv)", "PIDs", pid_array (pid));
  g_variant_builder_add (&props, "(sv)", "Delegate", g_variant_new_boolean (TRUE));
  /* A scope that failed (its payload OOM-killed, say) goes too. */
  g_variant_builder_add (&props, "(sv)", "CollectMode", g_variant_new_string ("inactive-or-failed"));
  g_variant_builder_init (&aux, G_VARIANT_TYPE ("a(sa(sv))"));
  result = hako_systemd_run_job (cgroup->bus, "StartTransientUnit",
                                 g_variant_new ("(ssa(sv)a(sa(sv)))", cgroup->unit, "fail", &props, &aux),
                                 &queued, error);
  /* Once systemd took the job, the unit is ours to stop (and the state's);
   * a refusal (a unit of that name exists) leaves it to its owner. */
  if (queued)
    g_ptr_array_add (cgroup->created, g_strdup (cgroup->unit));
  if (result && !g_str_equal (result, "done"))
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("the job to start it ended \"%s\""), result);
  return result && g_str_equal (result, "done");
}

/* A later process (exec) joins the scope's cgroup. From outside the
 * manager's tree (a login session's scope, below a directory of root's)
 * the kernel lets only systemd move it: the user's manager then asks the
 * system's. */
static gboolean
join_scope (HakoCgroup *cgroup, pid_t pid, GError **error)
{
  const char *dir = g_array_index (cgroup->dirs, HakoCgroupDir, 0).dir;
  g_autofree char *text = g_strdup_printf ("%d", (int) pid);
  int saved_errno = hako_cgroup_write_file (dir, "cgroup.procs", text);
  /* systemd takes the sub-cgroup as a path from the unit's, "/" its own. */
  g_autofree char *sub = g_strconcat ("/", cgroup->sub ? cgroup->sub : "", NULL);

  if (saved_errno == 0)
    return TRUE;
  if (saved_errno != EACCES && saved_errno != EPERM)
    return hako_error_set_errno (error, saved_errno, _("cannot move process %d into the cgroup %s"),
                                 (int) pid, dir);
  if (!connect_bus (cgroup, error)
      || !hako_systemd_call (cgroup->bus, "AttachProcessesToUnit",
                             g_variant_new ("(ss@au)", cgroup->unit, sub, pid_array (pid)), error))
    {
      g_prefix_error (error, _("cannot have systemd move process %d into the scope %s: "), (int) pid,
                      cgroup->unit);
      return FALSE;
    }
  return TRUE;
}

/* The first process: the scope is started with it, and its cgroup is
 * then the container's. */
static gboolean
sd_place (HakoCgroup *cgroup, pid_t pid, GError **error)
{
  g_autofree char *dir = NULL;

  if (cgroup->dirs->len > 0)
    return join_scope (cgroup, pid, error);
  if (!connect_bus (cgroup, error) || !start_scope (cgroup, pid, error)
      || (dir = process_cgroup_dir (pid, error)) == NULL)
    {
      g_prefix_error (error, _("cannot have systemd make the scope %s for the container: "),
                      cgroup->unit);
      return FALSE;
    }
  hako_cgroup_add_dir (cgroup, dir, NULL);
  return TRUE;
}

/* The properties first, so that systemd's own writes agree with ours. */
static gboolean
sd_apply (HakoCgroup *cgroup, const HakoResources *resources, GError **error)
{
  g_autoptr (GVariant) props = hako_cgroup_systemd_properties (resources);

  if (g_variant_n_children (props) > 0
      && (!connect_bus (cgroup, error)
          || !hako_systemd_call (cgroup->bus, "SetUnitProperties",
                                 g_variant_new ("(sb@a(sv))", cgroup->unit, TRUE, props), error)))
    {
      g_prefix_error (error, _("cannot set the limits of the scope %s: "), cgroup->unit);
      return FALSE;
    }
  return hako_cgroup_fs_apply_v2 (cgroup, resources, error);
}

/* The scope's processes are killed first (systemd would give them
 * TimeoutStopSec to end); stopping it then removes its cgroup. A scope
 * whose processes all ended is gone already. */
static gboolean
sd_destroy (HakoCgroup *cgroup, GError **error)
{
  const char *unit = cgroup->unit;
  const char *dir = cgroup->dirs->len > 0 ? g_array_index (cgroup->dirs, HakoCgroupDir, 0).dir : NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *result = NULL;
  gboolean queued;

  if (cgroup->created->len == 0 || (dir && !g_file_test (dir, G_FILE_TEST_IS_DIR)))
    return TRUE;
  hako_cgroup_signal_all (cgroup, SIGKILL);
  if (!connect_bus (cgroup, error))
    return FALSE;
  result = hako_systemd_run_job (cgroup->bus, "StopUnit", g_variant_new ("(ss)", unit, "replace"),
                                 &queued, &local);
  if (result == NULL && !g_error_matches (local, HAKO_ERROR, HAKO_ERROR_NOT_FOUND))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), _("cannot stop the scope %s: "), unit);
      return FALSE;
    }
  /* A stop that did not end cleanly may leave the unit failed: forgotten too. */
  if (result && !g_str_equal (result, "done"))
    (void) hako_systemd_call (cgroup->bus, "ResetFailedUnit", g_variant_new ("(s)", unit), NULL);
  return TRUE;
}

const HakoCgroupOps hako_cgroup_systemd_ops = {
  .name = "systemd",
  .create = sd_create,
  .place = sd_place,
  .apply = sd_apply,
  .signal_all = hako_cgroup_fs_signal_all,
  .pids = hako_cgroup_fs_pids,
  .freeze = hako_cgroup_fs_freeze,
  .destroy = sd_destroy,
};
