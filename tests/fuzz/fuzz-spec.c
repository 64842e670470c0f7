/* libFuzzer target: config.json bytes -> hako_spec_load_data, which must
 * either return a spec or a HAKO_ERROR_CONFIG error, never crash or leak. */
#include "config.h"

#include <stdint.h>

#include "error.h"
#include "spec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HakoSpec) spec = hako_spec_load_data ((const char *) data, size, &error);

  if (spec == NULL)
    g_assert_true (g_error_matches (error, HAKO_ERROR, HAKO_ERROR_CONFIG));
  else
    (void) hako_spec_validate_for_create (spec, NULL);
  return 0;
}
