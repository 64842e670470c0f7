/* hako spec: write a starting config.json, as `runc spec` does. */
#include "config.h"

#include <unistd.h>

#include "commands.h"
#include "error.h"
#include "i18n.h"
#include "spec-default.h"

gboolean
hako_cmd_spec (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *bundle = NULL;
  gboolean rootless = FALSE;
  const GOptionEntry entries[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle,
      N_("Directory to write config.json in (default: the current directory)"), N_("DIR") },
    { "rootless", 0, 0, G_OPTION_ARG_NONE, &rootless,
      N_("Map only the calling user's own uid and gid, as runc's --rootless does"), NULL },
    { NULL },
  };

  if (!hako_cli_parse_options ("spec", "", _("Write a config.json that runs sh from ./rootfs as container root for the calling user."),
                               entries, &argc, &argv, error)
      || !hako_cli_no_arguments ("spec", argc, argv, error))
    return FALSE;
  return hako_spec_default_write (bundle ? bundle : ".",
                                  rootless ? HAKO_SPEC_DEFAULT_SINGLE_ID : HAKO_SPEC_DEFAULT_AUTO_MAPPINGS,
                                  error);
}
