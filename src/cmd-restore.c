/* hako restore: runc-restore(8), through CRIU. */
#include "config.h"

#include "checkpoint.h"
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
  const GOptionEntry entries[] = {
    { "image-path", 0, 0, G_OPTION_ARG_FILENAME, &image_path, N_("Read the images from DIR (default: ./checkpoint)"), N_("DIR") },
    { "work-path", 0, 0, G_OPTION_ARG_FILENAME, &work_path, N_("Write CRIU's log and work files to DIR (default: the image path)"), N_("DIR") },
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle, N_("The bundle directory (default: the current one)"), N_("DIR") },
    { "detach", 'd', 0, G_OPTION_ARG_NONE, &options.detach, N_("Do not wait for the restored container"), NULL },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &pid_file, N_("Write the restored process's pid to FILE"), N_("FILE") },
    { "console-socket", 0, 0, G_OPTION_ARG_FILENAME, &console_socket, N_("Send the terminal's master to the unix socket PATH"), N_("PATH") },
    { "tcp-established", 0, 0, G_OPTION_ARG_NONE, &options.criu.tcp_established, N_("Restore established TCP connections too"), NULL },
    { "ext-unix-sk", 0, 0, G_OPTION_ARG_NONE, &options.criu.ext_unix_sk, N_("Allow unix sockets connected outside the container"), NULL },
    { "shell-job", 0, 0, G_OPTION_ARG_NONE, &options.criu.shell_job, N_("Allow a process started from a shell, on its terminal"), NULL },
    { "file-locks", 0, 0, G_OPTION_ARG_NONE, &options.criu.file_locks, N_("Restore file locks too"), NULL },
    { NULL },
  };

  if (!hako_cli_parse_options ("restore", _("ID"), _("Restore a checkpointed container from its images with CRIU (as root)."), entries, &argc, &argv, error)
      || !hako_cli_container_id ("restore", argc, argv, 0, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  options.root = root;
  options.id = id;
  options.bundle = bundle;
  options.pid_file = pid_file;
  options.console_socket = console_socket;
  options.criu.image_path = image_path;
  options.criu.work_path = work_path;
  status = hako_container_restore (&options, error);
  if (status < 0)
    return FALSE;
  global->exit_status = status;
  return TRUE;
}
