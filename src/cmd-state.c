/* hako state: the container's state JSON (runtime.md). */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "i18n.h"
#include "state.h"

gboolean
hako_cmd_state (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL, *json = NULL;
  g_autoptr (HakoState) state = NULL;
  const char *id;
  const GOptionEntry entries[] = { { NULL } };

  if (!hako_cli_parse_options ("state", _("ID"), _("Print the state of a container as JSON."),
                               entries, &argc, &argv, error)
      || !hako_cli_container_id ("state", argc, argv, 0, &id, error)
      || !hako_container_id_check (id, error)
      || (root = hako_cli_state_root (global, error)) == NULL
      || (state = hako_state_load (root, id, error)) == NULL)
    return FALSE;
  json = hako_state_to_json (state, TRUE);
  puts (json);
  return TRUE;
}
