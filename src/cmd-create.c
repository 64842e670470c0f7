/* hako create: set a container up, its process waiting for `hako start`. */
#include "config.h"

#include "commands.h"
#include "container.h"
#include "i18n.h"
#include "self-exe.h"

gboolean
hako_cmd_create (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_auto (HakoCliCreateArgs) args = { 0 };
  HakoCreateOptions options;

  return hako_self_exe_seal (error)
         && hako_cli_parse_create ("create", _("Create a container from a bundle; its process waits for 'hako start'."),
                                   NULL, global, &args, &argc, &argv, &options, error)
         && hako_container_create (&options, error);
}
