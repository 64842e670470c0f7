/* hako features: the Features structure on stdout. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "error.h"
#include "runtime-features.h"
#include "i18n.h"

gboolean
hako_cmd_features (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *json = NULL;
  const GOptionEntry entries[] = { { NULL } };

  if (!hako_cli_parse_options ("features", "", _("Print the features this runtime supports, as OCI features JSON."),
                               entries, &argc, &argv, error)
      || !hako_cli_no_arguments ("features", argc, argv, error))
    return FALSE;
  json = hako_features_to_json ();
  puts (json);
  return TRUE;
}
