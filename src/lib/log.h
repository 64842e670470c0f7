/* Where hako's messages go: stderr, and with --log FILE that file too, as
 * text or as one JSON object per line (the format Podman and containerd
 * read back to show the runtime's reason). */
#pragma once

#include <glib.h>

typedef enum
{
  HAKO_LOG_FORMAT_TEXT,
  HAKO_LOG_FORMAT_JSON,
} HakoLogFormat;

gboolean hako_log_format_from_string (const char *name, HakoLogFormat *out, GError **error);
gboolean hako_log_open (const char *path, HakoLogFormat format, gboolean debug, GError **error);
void hako_log_close (void);

void hako_log_error (const char *format, ...) G_GNUC_PRINTF (1, 2);
void hako_log_warning (const char *format, ...) G_GNUC_PRINTF (1, 2);
void hako_log_debug (const char *format, ...) G_GNUC_PRINTF (1, 2);
