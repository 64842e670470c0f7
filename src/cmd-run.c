/* hako run: create + start, then wait for the container and exit with its status. */
#include "config.h"

#include "commands.h"
#include "container.h"
#include "i18n.h"

gboolean
hako_cmd_run (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *bundle = NULL, *pid_file = NULL, *root = NULL;
  gboolean no_pivot = FALSE, detach = FALSE;
  const char *id;
  const GOptionEntry entries[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle, N_("Bundle directory (default: the current directory)"), N_("DIR") },
    { "detach", 'd', 0, G_OPTION_ARG_NONE, &detach, N_("Do not wait for the container"), NULL },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &pid_file, N_("Write the container process's pid to FILE"), N_("FILE") },
    { "no-pivot", 0, 0, G_OPTION_ARG_NONE, &no_pivot, N_("Use MS_MOVE and chroot instead of pivot_root"), NULL },
    { NULL },
  };
  HakoCreateOptions options;
  int status;

  if (!hako_cli_parse_options ("run", _("ID"), _("Create and start a container, wait for it to exit and delete it."),
                               entries, &argc, &argv, error)
      || !hako_cli_container_id ("run", argc, argv, 0, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  options = (HakoCreateOptions){ .root = root, .id = id, .bundle = bundle ? bundle : ".",
                                 .pid_file = pid_file, .no_pivot = no_pivot };
  status = hako_container_run (&options, detach, error);
  if (status < 0)
    return FALSE;
  global->exit_status = status;
  return TRUE;
}
