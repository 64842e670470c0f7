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
  g_autofree char *seccomp = NULL;
  gboolean rootless = FALSE;
  const GOptionEntry entries[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle,
      N_("Directory to write config.json in (default: the current directory)"), N_("DIR") },
    { "rootless", 0, 0, G_OPTION_ARG_NONE, &rootless,
      N_("Map only the calling user's own uid and gid, as runc's --rootless does"), NULL },
    { "seccomp", 0, 0, G_OPTION_ARG_STRING, &seccomp,
      N_("linux.seccomp: hako's default profile (default), or none"), N_("default|none") },
    { NULL },
  };

  if (!hako_cli_parse_options ("spec", "", _("Write a config.json that runs sh from ./rootfs as container root for the calling user."),
                               entries, &argc, &argv, error)
      || !hako_cli_no_arguments ("spec", argc, argv, error))
    return FALSE;
  if (seccomp && !g_str_equal (seccomp, "default") && !g_str_equal (seccomp, "none"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("spec: --seccomp takes default or none, not \"%s\""), seccomp);
      return FALSE;
    }
  return hako_spec_default_write (bundle ? bundle : ".",
                                  rootless ? HAKO_SPEC_DEFAULT_SINGLE_ID : HAKO_SPEC_DEFAULT_AUTO_MAPPINGS,
                                  seccomp == NULL || g_str_equal (seccomp, "default"), error);
}
