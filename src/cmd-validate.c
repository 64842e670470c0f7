/* hako validate: check a bundle's config.json without running anything. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "error.h"
#include "i18n.h"
#include "spec.h"

gboolean
hako_cmd_validate (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *bundle = NULL;
  g_autofree char *path = NULL;
  g_autoptr (HakoSpec) spec = NULL;
  const GOptionEntry entries[] = {
    { "bundle", 'b', 0, G_OPTION_ARG_FILENAME, &bundle,
      N_("Bundle directory holding config.json (default: the current directory)"), N_("DIR") },
    { NULL },
  };

  if (!hako_cli_parse_options ("validate", "", _("Check that a bundle's config.json is one hako can create a container from."),
                               entries, &argc, &argv, error)
      || !hako_cli_no_arguments ("validate", argc, argv, error))
    return FALSE;
  path = g_build_filename (bundle ? bundle : ".", "config.json", NULL);
  spec = hako_spec_load_file (path, error);
  if (spec == NULL)
    return FALSE;
  if (!hako_spec_validate_for_create (spec, error))
    {
      g_prefix_error (error, "config.json: ");
      return FALSE;
    }
  printf (_("%s: valid\n"), path);
  return TRUE;
}
