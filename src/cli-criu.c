/* The options hako checkpoint and hako restore share, as runc has them. */
#include "config.h"

#include "commands.h"
#include "i18n.h"

void
hako_cli_criu_entries (GOptionEntry entries[HAKO_CLI_CRIU_N_ENTRIES], HakoCriuOptions *criu,
                       char **image_path, char **work_path)
{
  const GOptionEntry shared[HAKO_CLI_CRIU_N_ENTRIES] = {
    { "image-path", 0, 0, G_OPTION_ARG_FILENAME, image_path, N_("The directory of CRIU's images (default: ./checkpoint)"), N_("DIR") },
    { "work-path", 0, 0, G_OPTION_ARG_FILENAME, work_path, N_("Write CRIU's log and work files to DIR (default: the image path)"), N_("DIR") },
    { "tcp-established", 0, 0, G_OPTION_ARG_NONE, &criu->tcp_established, N_("Established TCP connections too"), NULL },
    { "ext-unix-sk", 0, 0, G_OPTION_ARG_NONE, &criu->ext_unix_sk, N_("Allow unix sockets connected outside the container"), NULL },
    { "shell-job", 0, 0, G_OPTION_ARG_NONE, &criu->shell_job, N_("Allow a process started from a shell, on its terminal"), NULL },
    { "file-locks", 0, 0, G_OPTION_ARG_NONE, &criu->file_locks, N_("File locks too"), NULL },
    { NULL },
  };

  for (guint i = 0; i < HAKO_CLI_CRIU_N_ENTRIES; i++)
    entries[i] = shared[i];
}
