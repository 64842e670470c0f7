/* hako ps: the processes of a container (runc-ps(8)). */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "container-ps.h"
#include "error.h"
#include "i18n.h"

static gboolean
print_json (const GArray *pids)
{
  printf ("[");
  for (guint i = 0; i < pids->len; i++)
    printf ("%s%d", i ? "," : "", (int) g_array_index (pids, pid_t, i));
  printf ("]\n");
  return TRUE;
}

/* ps(1) with ARGS (default -ef), its lines filtered to PIDS. */
static gboolean
print_table (const GArray *pids, char **args, GError **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autofree char *output = NULL, *errors = NULL, *table = NULL;
  int wait_status;

  g_strv_builder_add (builder, "ps");
  if (args[0])
    g_strv_builder_addv (builder, (const char **) args);
  else
    g_strv_builder_add (builder, "-ef");
  argv = g_strv_builder_end (builder);
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &output, &errors,
                     &wait_status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (wait_status, error))
    {
      g_prefix_error (error, "ps: %s", errors ? errors : "");
      return FALSE;
    }
  table = hako_ps_filter (output, pids, error);
  if (table == NULL)
    return FALSE;
  fputs (table, stdout);
  return TRUE;
}

gboolean
hako_cmd_ps (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL, *format = NULL;
  g_autoptr (GArray) pids = NULL;
  const char *id;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: table (ps's) or json (the pids)"), N_("table|json") },
    { NULL },
  };

  if (!hako_cli_parse_options_before_id ("ps", _("ID [PS OPTION...]"),
                                         _("Show the processes of a container: ps(1) filtered to them, or their pids as JSON."),
                                         entries, &argc, &argv, error)
      || !hako_cli_container_id ("ps", argc, argv, G_MAXINT - 2, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  if (format && !g_str_equal (format, "table") && !g_str_equal (format, "json"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--format \"%s\": use table or json"), format);
      return FALSE;
    }
  pids = hako_container_pids (root, id, error);
  if (pids == NULL)
    return FALSE;
  if (format && g_str_equal (format, "json"))
    return print_json (pids);
  return print_table (pids, argv + 2, error);
}
