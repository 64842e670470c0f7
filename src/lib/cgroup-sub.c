/* exec --cgroup: a process joins a sub-cgroup of the container's instead
 * of its top cgroup (runc-exec(8)). */
#include "config.h"

#include <string.h>

#include "cgroup-private.h"
#include "error.h"
#include "i18n.h"

/* Records REQUEST ("PATH", or on cgroup v1 "CONTROLLER[,...]:PATH") in
 * SUBS, the sub-path of each of the cgroup's directories. */
static gboolean
select_request (const HakoCgroup *cgroup, char **subs, const char *request, GError **error)
{
  const char *colon = strchr (request, ':');
  const char *path = colon ? colon + 1 : request;
  g_autofree char *names = colon ? g_strndup (request, colon - request) : NULL;
  g_auto (GStrv) controllers = names ? g_strsplit (names, ",", -1) : NULL;
  gboolean absolute;
  g_autofree char *clean = *path ? hako_cgroup_clean_path (path, "", &absolute) : g_strdup ("");

  if (controllers && hako_cgroup_is_v2 (cgroup))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--cgroup %s: cgroup v2 has one hierarchy for every controller: give the path only"),
                   request);
      return FALSE;
    }
  for (char **c = controllers; c && *c; c++)
    if (hako_cgroup_controller_dir (cgroup, *c) == NULL)
      {
        g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                     _("--cgroup %s: the container has no cgroup with the controller \"%s\": name one of /proc/PID/cgroup's"),
                     request, *c);
        return FALSE;
      }
  for (guint i = 0; i < cgroup->dirs->len; i++)
    {
      const HakoCgroupDir *d = &g_array_index (cgroup->dirs, HakoCgroupDir, i);
      gboolean selected = controllers == NULL;

      for (char **c = controllers; c && *c && !selected; c++)
        selected = g_strv_contains ((const char *const *) d->controllers, *c);
      if (selected)
        {
          g_free (subs[i]);
          subs[i] = g_strdup (clean);
        }
    }
  return TRUE;
}

gboolean
hako_cgroup_select_sub (HakoCgroup *cgroup, const char *const *requests, GError **error)
{
  /* Each directory's sub-path, NULL while it stays. */
  g_autoptr (GPtrArray) sub_array = g_ptr_array_new_full (cgroup->dirs->len, g_free);
  char **subs;

  g_ptr_array_set_size (sub_array, cgroup->dirs->len);
  subs = (char **) sub_array->pdata;

  for (const char *const *r = requests; r && *r; r++)
    if (!select_request (cgroup, subs, *r, error))
      return FALSE;
  /* Every one exists before any directory changes: all or nothing. */
  for (guint i = 0; i < cgroup->dirs->len; i++)
    {
      const HakoCgroupDir *d = &g_array_index (cgroup->dirs, HakoCgroupDir, i);
      g_autofree char *dir = subs[i] ? g_build_filename (d->dir, subs[i], NULL) : NULL;

      if (dir && !g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                       _("--cgroup: the container has no sub-cgroup %s: make it first (exec joins a cgroup, it does not create one)"),
                       dir);
          return FALSE;
        }
    }
  for (guint i = 0; i < cgroup->dirs->len; i++)
    if (subs[i])
      {
        HakoCgroupDir *d = &g_array_index (cgroup->dirs, HakoCgroupDir, i);
        char *dir = g_build_filename (d->dir, subs[i], NULL);

        g_free (d->dir);
        d->dir = dir;
        /* For systemd, which moves a process only by unit and sub-path. */
        g_free (cgroup->sub);
        cgroup->sub = g_strdup (subs[i]);
      }
  return TRUE;
}
