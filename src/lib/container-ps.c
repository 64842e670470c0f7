#include "config.h"

#include "cgroup.h"
#include "container-ps.h"
#include "error.h"
#include "i18n.h"
#include "pidns.h"
#include "state.h"

GArray *
hako_container_pids (const char *root, const char *id, GError **error)
{
  g_autoptr (HakoState) state = NULL;
  g_autoptr (HakoCgroup) cgroup = NULL;

  if (!hako_container_id_check (id, error) || (state = hako_state_load (root, id, error)) == NULL)
    return NULL;
  cgroup = hako_cgroup_from_state (state->cgroup_manager, (const char *const *) state->cgroup_paths,
                                   (const char *const *) state->cgroup_created);
  if (cgroup)
    return hako_cgroup_pids (cgroup, error);
  if (hako_state_status (state) == HAKO_STATUS_STOPPED)
    return g_array_new (FALSE, FALSE, sizeof (pid_t));
  return hako_pid_namespace_pids (state->pid);
}

static gboolean
has_pid (const GArray *pids, const char *field)
{
  guint64 pid;

  if (!g_ascii_string_to_unsigned (field, 10, 1, G_MAXINT, &pid, NULL))
    return FALSE;
  for (guint i = 0; i < pids->len; i++)
    if (g_array_index (pids, pid_t, i) == (pid_t) pid)
      return TRUE;
  return FALSE;
}

/* The whitespace-separated fields of LINE. */
static GStrv
fields_of (const char *line)
{
  g_auto (GStrv) parts = g_strsplit_set (line, " \t", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv fields;

  for (char **p = parts; *p; p++)
    if (**p)
      g_strv_builder_add (builder, *p);
  fields = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return fields;
}

char *
hako_ps_filter (const char *ps_output, const GArray *pids, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (ps_output, "\n", -1);
  g_auto (GStrv) header = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  int column = -1;

  if (lines[0] == NULL)
    return g_strdup ("");
  header = fields_of (lines[0]);
  for (int i = 0; header[i]; i++)
    if (g_str_equal (header[i], "PID"))
      column = i;
  if (column < 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("ps printed no PID column to filter the container's processes by: keep it in the ps options (e.g. -ef, or -o pid,cmd)"));
      return NULL;
    }
  g_string_append_printf (out, "%s\n", lines[0]);
  for (char **line = lines + 1; *line; line++)
    {
      g_auto (GStrv) fields = fields_of (*line);
      if (g_strv_length (fields) > (guint) column && has_pid (pids, fields[column]))
        g_string_append_printf (out, "%s\n", *line);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
