/* hako run: create + start, then wait for the container and exit with its status. */
#include "config.h"

#include "commands.h"
#include "container.h"
#include "i18n.h"

gboolean
hako_cmd_run (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *bundle = NULL, *pid_file = NULL, *root = NULL;
  gboolean no_new_keyring = FALSE;
  int preserve_fds = 0;
  gboolean no_pivot = FALSE, detach = FALSE;
  const char *id;
  const GOptionEntry entries[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle, N_("Bundle directory (default: the current directory)"), N_("DIR") },
    { "detach", 'd', 0, G_OPTION_ARG_NONE, &detach, N_("Do not wait for the container"), NULL },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &pid_file, N_("Write the container process's pid to FILE"), N_("FILE") },
    { "no-pivot", 0, 0, G_OPTION_ARG_NONE, &no_pivot, N_("Use MS_MOVE and chroot instead of pivot_root"), NULL },
    { "no-new-keyring", 0, 0, G_OPTION_ARG_NONE, &no_new_keyring, N_("Keep the caller's session keyring instead of a new one"), NULL },
    { "preserve-fds", 0, 0, G_OPTION_ARG_INT, &preserve_fds, N_("Pass N more file descriptors, from 3 (after LISTEN_FDS), to the container"), N_("N") },
    { NULL },
  };
  HakoCreateOptions options;
  int status;

  if (!hako_cli_parse_options ("run", _("ID"), _("Create and start a container, wait for it to exit and delete it."),
                               entries, &argc, &argv, error)
      || !hako_cli_container_id ("run", argc, argv, 0, &id, error)
      || !hako_cli_preserve_fds (preserve_fds, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  options = (HakoCreateOptions){ .root = root, .id = id, .bundle = bundle ? bundle : ".",
                                 .pid_file = pid_file, .no_pivot = no_pivot,
                                 .no_new_keyring = no_new_keyring, .preserve_fds = preserve_fds };
  status = hako_container_run (&options, detach, error);
  if (status < 0)
    return FALSE;
  global->exit_status = status;
  return TRUE;
}
