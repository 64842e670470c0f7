#include "config.h"

#include <string.h>

#include "error.h"

G_DEFINE_QUARK (hako-error-quark, hako_error)

gboolean
hako_error_set_errno (GError **error, int saved_errno, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, "%s: %s", message, g_strerror (saved_errno));
  return FALSE;
}
