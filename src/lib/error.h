/* hako's error domain: every GError raised by libhako carries one of these codes. */
#pragma once

#include <glib.h>

#define HAKO_ERROR (hako_error_quark ())

typedef enum
{
  HAKO_ERROR_FAILED,      /* a system call or helper failed */
  HAKO_ERROR_CONFIG,      /* config.json (or another input document) is invalid */
  HAKO_ERROR_USAGE,       /* the command line is wrong */
  HAKO_ERROR_EXISTS,      /* refusing to overwrite or reuse something */
  HAKO_ERROR_NOT_FOUND,   /* a file, container or id range is missing */
  HAKO_ERROR_UNSUPPORTED, /* valid, but this host or build cannot do it */
} HakoErrorCode;

GQuark hako_error_quark (void);

/* Sets a HAKO_ERROR_FAILED error from errno, prefixed by a formatted message. */
gboolean hako_error_set_errno (GError **error, int saved_errno, const char *format, ...)
    G_GNUC_PRINTF (3, 4);
