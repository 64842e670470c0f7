/* hako restore: runc-restore(8), through CRIU. */
#include "config.h"

#include "commands.h"
#include "i18n.h"

gboolean
hako_cmd_restore (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL, *image_path = NULL, *work_path = NULL, *bundle = NULL;
  g_autofree char *pid_file = NULL, *console_socket = NULL;
  HakoRestoreOptions options = { 0 };
  const char *id;
  int status;
  GOptionEntry criu_entries[HAKO_CLI_CRIU_N_ENTRIES];
  const GOptionEntry entries[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle, N_("The bundle directory (default: the current one)"), N_("DIR") },
    { "detach", 'd', 0, G_OPTION_ARG_NONE, &options.detach, N_("Do not wait for the restored container"), NULL },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &pid_file, N_("Write the restored process's pid to FILE"), N_("FILE") },
    { "console-socket", 0, 0, G_OPTION_ARG_FILENAME, &console_socket, N_("Send the terminal's master to the unix socket PATH"), N_("PATH") },
    { NULL },
  };

  hako_cli_criu_entries (criu_entries, &options.criu, &image_path, &work_path);
  if (!hako_cli_parse_options_with ("restore", _("ID"), _("Restore a checkpointed container from its images with CRIU (as root)."), criu_entries, entries, &argc, &argv, error)
      || !hako_cli_container_id ("restore", argc, argv, 0, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  options.root = root;
  options.id = id;
  options.bundle = bundle;
  options.pid_file = pid_file;
  options.console_socket = console_socket;
  options.criu.binary = global->criu;
  options.criu.image_path = image_path;
  options.criu.work_path = work_path;
  status = hako_container_restore (&options, error);
  if (status < 0)
    return FALSE;
  global->exit_status = status;
  return TRUE;
}
