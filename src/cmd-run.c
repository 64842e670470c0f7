/* hako run: create + start, then wait for the container and exit with its status. */
#include "config.h"

#include "commands.h"
#include "container.h"
#include "i18n.h"
#include "self-exe.h"

gboolean
hako_cmd_run (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_auto (HakoCliCreateArgs) args = { 0 };
  gboolean detach = FALSE;
  const GOptionEntry entries[] = {
    { "detach", 'd', 0, G_OPTION_ARG_NONE, &detach, N_("Do not wait for the container"), NULL },
    { NULL },
  };
  HakoCreateOptions options;
  int status;

  if (!hako_self_exe_seal (error)
      || !hako_cli_parse_create ("run", _("Create and start a container, wait for it to exit and delete it."),
                              entries, global, &args, &argc, &argv, &options, error))
    return FALSE;
  status = hako_container_run (&options, detach, error);
  if (status < 0)
    return FALSE;
  global->exit_status = status;
  return TRUE;
}
