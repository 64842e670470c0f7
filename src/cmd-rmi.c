/* hako rmi: remove layers from the layer store, refusing one in use. */
#include "config.h"

#include "commands.h"
#include "error.h"
#include "i18n.h"
#include "layer-store.h"

gboolean
hako_cmd_rmi (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autoptr (HakoLayerStore) store = NULL;
  const GOptionEntry entries[] = { { NULL } };

  (void) global;
  if (!hako_cli_parse_options ("rmi", _("DIGEST..."),
                               _("Remove layers (by digest, or a unique prefix of it) that no container uses from the layer store."),
                               entries, &argc, &argv, error))
    return FALSE;
  if (argc < 2)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("rmi needs a layer digest ('hako images' lists them)"));
      return FALSE;
    }
  if ((store = hako_layer_store_open (error)) == NULL)
    return FALSE;
  for (int i = 1; i < argc; i++)
    if (!hako_layer_store_remove (store, argv[i], error))
      return FALSE;
  return TRUE;
}
