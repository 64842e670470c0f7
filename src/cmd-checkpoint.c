/* hako checkpoint: runc-checkpoint(8), through CRIU. */
#include "config.h"

#include "checkpoint.h"
#include "commands.h"
#include "i18n.h"

gboolean
hako_cmd_checkpoint (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL, *image_path = NULL, *work_path = NULL;
  HakoCheckpointOptions options = { 0 };
  const char *id;
  const GOptionEntry entries[] = {
    { "image-path", 0, 0, G_OPTION_ARG_FILENAME, &image_path, N_("Write the images to DIR (default: ./checkpoint)"), N_("DIR") },
    { "work-path", 0, 0, G_OPTION_ARG_FILENAME, &work_path, N_("Write CRIU's log and work files to DIR (default: the image path)"), N_("DIR") },
    { "leave-running", 0, 0, G_OPTION_ARG_NONE, &options.leave_running, N_("Leave the container running after the dump"), NULL },
    { "tcp-established", 0, 0, G_OPTION_ARG_NONE, &options.criu.tcp_established, N_("Dump established TCP connections too"), NULL },
    { "ext-unix-sk", 0, 0, G_OPTION_ARG_NONE, &options.criu.ext_unix_sk, N_("Allow unix sockets connected outside the container"), NULL },
    { "shell-job", 0, 0, G_OPTION_ARG_NONE, &options.criu.shell_job, N_("Allow a process started from a shell, on its terminal"), NULL },
    { "file-locks", 0, 0, G_OPTION_ARG_NONE, &options.criu.file_locks, N_("Dump file locks too"), NULL },
    { NULL },
  };

  if (!hako_cli_parse_options ("checkpoint", _("ID"), _("Dump a running container to disk with CRIU (as root)."), entries, &argc, &argv, error)
      || !hako_cli_container_id ("checkpoint", argc, argv, 0, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  options.root = root;
  options.id = id;
  options.criu.image_path = image_path;
  options.criu.work_path = work_path;
  return hako_container_checkpoint (&options, error);
}
