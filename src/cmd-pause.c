/* hako pause: runc-pause(8). */
#include "config.h"

#include "commands.h"
#include "container-pause.h"
#include "i18n.h"

gboolean
hako_cmd_pause (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL;
  const char *id;
  const GOptionEntry entries[] = { { NULL } };

  if (!hako_cli_parse_options ("pause", _("ID"), _("Suspend every process of a running container (the cgroup freezer)."), entries, &argc, &argv, error)
      || !hako_cli_container_id ("pause", argc, argv, 0, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  return hako_container_set_paused (root, id, TRUE, error);
}
