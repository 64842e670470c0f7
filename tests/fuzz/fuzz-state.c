/* libFuzzer target: state.json bytes -> hako_state_load_data, which must
 * either return a record or a HAKO_ERROR_CONFIG error, never crash or leak.
 * A state root is writable by its owner only, but a damaged file (a crash
 * half-way through a write, a full disk) must still be refused cleanly. */
#include "config.h"

#include <stdint.h>

#include "error.h"
#include "state.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HakoState) state = hako_state_load_data ((const char *) data, size, "state.json",
                                                      &error);

  if (state == NULL)
    g_assert_true (g_error_matches (error, HAKO_ERROR, HAKO_ERROR_CONFIG));
  return 0;
}
