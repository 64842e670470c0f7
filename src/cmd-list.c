/* hako list: the containers in the state root, as runc prints them. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "commands.h"
#include "error.h"
#include "i18n.h"
#include "state.h"

static void
print_table (GPtrArray *states)
{
  printf ("%-12s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
  for (guint i = 0; i < states->len; i++)
    {
      HakoState *state = states->pdata[i];
      HakoStatus status = hako_state_status (state);
      g_autofree char *owner = hako_state_owner_name (state);
      printf ("%-12s %-8d %-10s %-40s %-30s %s\n", state->id,
              status == HAKO_STATUS_STOPPED ? 0 : (int) state->pid, hako_status_name (status),
              state->bundle, state->created, owner);
    }
}

static void
print_json (GPtrArray *states)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < states->len; i++)
    {
      g_autofree char *json = hako_state_to_json (states->pdata[i], FALSE);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, json);
    }
  g_string_append (out, "]");
  puts (out->str);
  g_string_free (out, TRUE);
}

gboolean
hako_cmd_list (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL, *format = NULL;
  gboolean quiet = FALSE;
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) hako_state_free);
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: table or json"), "table|json" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print only the container ids"), NULL },
    { NULL },
  };

  if (!hako_cli_parse_options ("list", "", _("List the containers in the state root."), entries, &argc, &argv, error)
      || !hako_cli_no_arguments ("list", argc, argv, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  if (format && !g_str_equal (format, "table") && !g_str_equal (format, "json"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("--format: invalid value \"%s\": use table or json"), format);
      return FALSE;
    }
  if ((ids = hako_state_list_ids (root, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      HakoState *state = hako_state_load (root, ids->pdata[i], NULL);
      if (state)
        g_ptr_array_add (states, state);
    }
  if (quiet)
    for (guint i = 0; i < states->len; i++)
      puts (((HakoState *) states->pdata[i])->id);
  else if (format && g_str_equal (format, "json"))
    print_json (states);
  else
    print_table (states);
  return TRUE;
}
