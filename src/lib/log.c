#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "log.h"

static struct
{
  int fd; /* -1: stderr only */
  HakoLogFormat format;
  gboolean debug;
} hako_log = { -1, HAKO_LOG_FORMAT_TEXT, FALSE };

gboolean
hako_log_format_from_string (const char *name, HakoLogFormat *out, GError **error)
{
  if (g_str_equal (name, "text"))
    *out = HAKO_LOG_FORMAT_TEXT;
  else if (g_str_equal (name, "json"))
    *out = HAKO_LOG_FORMAT_JSON;
  else
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--log-format: unknown format \"%s\": use text or json"), name);
      return FALSE;
    }
  return TRUE;
}

gboolean
hako_log_open (const char *path, HakoLogFormat format, gboolean debug, GError **error)
{
  hako_log.format = format;
  hako_log.debug = debug;
  if (path == NULL)
    return TRUE;
  hako_log.fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (hako_log.fd < 0)
    return hako_error_set_errno (error, errno, _("--log: cannot open %s"), path);
  return TRUE;
}

void
hako_log_close (void)
{
  if (hako_log.fd >= 0)
    close (hako_log.fd);
  hako_log.fd = -1;
}

static char *
format_line (const char *level, const char *message)
{
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *time = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;

  if (hako_log.format == HAKO_LOG_FORMAT_TEXT)
    return g_strdup_printf ("%s: %s\n", level, message);

  now = g_date_time_new_now_utc ();
  time = g_date_time_format_iso8601 (now);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, level);
  json_builder_set_member_name (builder, "msg");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  return g_strconcat (json, "\n", NULL);
}

static void
emit (const char *level, gboolean to_stderr, const char *format, va_list args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  if (to_stderr)
    {
      /* Errors read "hako: ..."; other levels say which they are. */
      g_autofree char *line = g_str_equal (level, "error")
                                  ? g_strdup_printf ("hako: %s\n", message)
                                  : g_strdup_printf ("hako: %s: %s\n", level, message);
      hako_fd_write_all (STDERR_FILENO, line, strlen (line), NULL);
    }
  if (hako_log.fd >= 0)
    {
      g_autofree char *line = format_line (level, message);
      hako_fd_write_all (hako_log.fd, line, strlen (line), NULL);
    }
}

void
hako_log_error (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  emit ("error", TRUE, format, args);
  va_end (args);
}

void
hako_log_warning (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  emit ("warning", TRUE, format, args);
  va_end (args);
}

void
hako_log_debug (const char *format, ...)
{
  va_list args;
  if (!hako_log.debug)
    return;
  va_start (args, format);
  emit ("debug", TRUE, format, args);
  va_end (args);
}
