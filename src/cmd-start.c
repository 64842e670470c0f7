/* hako start: let a created container's process exec its program. */
#include "config.h"

#include "commands.h"
#include "container.h"
#include "i18n.h"

gboolean
hako_cmd_start (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL;
  const char *id;
  const GOptionEntry entries[] = { { NULL } };

  if (!hako_cli_parse_options ("start", _("ID"), _("Start a container created by 'hako create'."),
                               entries, &argc, &argv, error)
      || !hako_cli_container_id ("start", argc, argv, 0, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  return hako_container_start (root, id, error);
}
