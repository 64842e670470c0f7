/* hako kill: signal the container's process (SIGTERM by default). */
#include "config.h"

#include <signal.h>

#include "commands.h"
#include "container.h"
#include "error.h"
#include "i18n.h"

gboolean
hako_cmd_kill (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL;
  gboolean all = FALSE;
  const char *id;
  int signal_number = SIGTERM;
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Signal every process of the container"), NULL },
    { NULL },
  };

  if (!hako_cli_parse_options ("kill", _("ID [SIGNAL]"), _("Send SIGNAL (default SIGTERM; a name such as KILL or SIGKILL, or a number) to a container."),
                               entries, &argc, &argv, error)
      || !hako_cli_container_id ("kill", argc, argv, 1, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  if (argc > 2 && (signal_number = hako_signal_from_name (argv[2])) < 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("unknown signal \"%s\": use a name such as KILL, SIGKILL or TERM, or a number"), argv[2]);
      return FALSE;
    }
  return hako_container_kill (root, id, signal_number, all, error);
}
