/* hako checkpoint: runc-checkpoint(8), through CRIU. */
#include "config.h"

#include "commands.h"
#include "i18n.h"

gboolean
hako_cmd_checkpoint (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL, *image_path = NULL, *work_path = NULL;
  HakoCheckpointOptions options = { 0 };
  const char *id;
  GOptionEntry criu_entries[HAKO_CLI_CRIU_N_ENTRIES];
  const GOptionEntry entries[] = {
    { "leave-running", 0, 0, G_OPTION_ARG_NONE, &options.leave_running, N_("Leave the container running after the dump"), NULL },
    { NULL },
  };

  hako_cli_criu_entries (criu_entries, &options.criu, &image_path, &work_path);
  if (!hako_cli_parse_options_with ("checkpoint", _("ID"), _("Dump a running container to disk with CRIU (as root)."), criu_entries, entries, &argc, &argv, error)
      || !hako_cli_container_id ("checkpoint", argc, argv, 0, &id, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  options.root = root;
  options.id = id;
  options.criu.binary = global->criu;
  options.criu.image_path = image_path;
  options.criu.work_path = work_path;
  return hako_container_checkpoint (&options, error);
}
