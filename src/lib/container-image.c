#include "config.h"

#include <string.h>

#include "container-image.h"
#include "error.h"
#include "i18n.h"
#include "image-bundle.h"

void
hako_container_image_clear (HakoContainerImage *image)
{
  g_clear_pointer (&image->config, g_free);
  g_clear_pointer (&image->layer_dirs, g_strfreev);
  g_clear_pointer (&image->digests, g_strfreev);
  g_clear_pointer (&image->store, hako_layer_store_close);
}

gboolean
hako_container_image_prepare (const char *spec, const char *base, gsize base_length,
                              const char *const *args, HakoContainerImage *out, GError **error)
{
  g_autoptr (HakoImage) image = hako_image_open (spec, error);
  g_autoptr (GStrvBuilder) dirs = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) digests = g_strv_builder_new ();

  if (image == NULL || (out->store = hako_layer_store_open (error)) == NULL)
    return FALSE;
  /* fuse-overlayfs splits its lowerdir option at these. */
  if (strpbrk (hako_layer_store_get_path (out->store), ":,"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("the layer store %s has a ':' or ',' in its path, which fuse-overlayfs cannot take: point XDG_DATA_HOME elsewhere"),
                   hako_layer_store_get_path (out->store));
      return FALSE;
    }
  for (guint i = 0; i < image->layers->len; i++)
    {
      const HakoImageDescriptor *layer = image->layers->pdata[i];
      g_autofree char *dir = hako_layer_store_ensure (out->store, image, layer, image->config.diff_ids[i], error);
      if (dir == NULL)
        return FALSE;
      g_strv_builder_add (dirs, dir);
      g_strv_builder_add (digests, layer->digest);
    }
  out->layer_dirs = g_strv_builder_end (dirs);
  out->digests = g_strv_builder_end (digests);
  out->config = hako_image_bundle_config (image, base, base_length, (const char *const *) out->layer_dirs,
                                          args, error);
  if (out->config == NULL)
    g_prefix_error (error, _("image %s: "), image->dir);
  return out->config != NULL;
}

gboolean
hako_container_image_pin (HakoContainerImage *image, const char *state_dir, GError **error)
{
  gboolean ok = hako_layer_store_pin (image->store, state_dir, (const char *const *) image->digests, error);

  g_clear_pointer (&image->store, hako_layer_store_close);
  return ok;
}
