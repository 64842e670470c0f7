/* hako resume: runc-resume(8). */
#include "config.h"

#include "commands.h"
#include "container-pause.h"
#include "i18n.h"

gboolean
hako_cmd_resume (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL;
  const char *id;
  const GOptionEntry entries[] = { { NULL } };

  if (!hako_cli_parse_options ("resume", _("ID"), _("Resume every process of a paused container."), entries, &argc, &argv, error)
      || !hako_cli_container_id ("resume", argc, argv, 0, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  return hako_container_set_paused (root, id, FALSE, error);
}
