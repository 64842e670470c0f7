/* hako delete: remove a stopped container (--force: any container). */
#include "config.h"

#include "commands.h"
#include "container.h"
#include "i18n.h"

gboolean
hako_cmd_delete (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL;
  gboolean force = FALSE;
  const char *id;
  const GOptionEntry entries[] = {
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, N_("Kill the container first if it is still running"), NULL },
    { NULL },
  };

  if (!hako_cli_parse_options ("delete", _("ID"), _("Delete a container's process and state."),
                               entries, &argc, &argv, error)
      || !hako_cli_container_id ("delete", argc, argv, 0, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  return hako_container_delete (root, id, force, error);
}
