/* libFuzzer target: bytes -> the image layout's parsers (index.json,
 * manifest, config), each of which must return a result or a
 * HAKO_ERROR_CONFIG error, never crash or leak. */
#include "config.h"

#include <stdint.h>

#include "error.h"
#include "image.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) index_error = NULL, manifest_error = NULL, config_error = NULL;
  g_auto (HakoImageDescriptor) manifest = { 0 };
  g_auto (HakoImageDescriptor) config_blob = { 0 };
  g_autoptr (GPtrArray) layers = NULL;
  g_auto (HakoImageConfig) config = { 0 };
  const char *text = (const char *) data;

  if (!hako_image_parse_index (text, size, "index", NULL, hako_image_host_platform (), &manifest, &index_error))
    g_assert_true (g_error_matches (index_error, HAKO_ERROR, HAKO_ERROR_CONFIG));
  if (!hako_image_parse_manifest (text, size, "manifest", &config_blob, &layers, &manifest_error))
    g_assert_true (g_error_matches (manifest_error, HAKO_ERROR, HAKO_ERROR_CONFIG));
  /* As many layers as the seed config has diff_ids. */
  if (!hako_image_parse_config (text, size, "config", 4, &config, &config_error))
    g_assert_true (g_error_matches (config_error, HAKO_ERROR, HAKO_ERROR_CONFIG));
  return 0;
}
