/* hako images: the layer store, each layer with its size and users;
 * `hako images prune` removes those no container uses. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "i18n.h"
#include "layer-store.h"

static int
compare_digests (gconstpointer a, gconstpointer b)
{
  const HakoLayerInfo *x = *(HakoLayerInfo *const *) a, *y = *(HakoLayerInfo *const *) b;
  return g_strcmp0 (x->digest, y->digest);
}

static gboolean
print_layers (HakoLayerStore *store, gboolean quiet, GError **error)
{
  g_autoptr (GPtrArray) layers = hako_layer_store_list (store, error);

  if (layers == NULL)
    return FALSE;
  g_ptr_array_sort (layers, compare_digests);
  if (!quiet)
    printf ("%-71s %10s %s\n", "DIGEST", "SIZE", "CONTAINERS");
  for (guint i = 0; i < layers->len; i++)
    {
      const HakoLayerInfo *info = layers->pdata[i];
      g_autofree char *size = g_format_size (info->size);
      if (quiet)
        puts (info->digest);
      else
        printf ("%-71s %10s %u\n", info->digest, size, info->users);
    }
  return TRUE;
}

gboolean
hako_cmd_images (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autoptr (HakoLayerStore) store = NULL;
  gboolean quiet = FALSE;
  guint removed;
  const GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print only the digests"), NULL },
    { NULL },
  };

  (void) global;
  if (!hako_cli_parse_options ("images", "[prune]",
                               _("List the layer store of images run with --image (with prune: remove the layers no container uses)."),
                               entries, &argc, &argv, error))
    return FALSE;
  if (argc > 1 && g_str_equal (argv[1], "prune"))
    {
      if (!hako_cli_no_arguments ("images prune", argc - 1, argv + 1, error)
          || (store = hako_layer_store_open (error)) == NULL
          || !hako_layer_store_prune (store, &removed, error))
        return FALSE;
      if (!quiet)
        printf (g_dngettext (GETTEXT_PACKAGE, "%u layer removed\n", "%u layers removed\n", removed), removed);
      return TRUE;
    }
  return hako_cli_no_arguments ("images", argc, argv, error)
         && (store = hako_layer_store_open (error)) != NULL && print_layers (store, quiet, error);
}
