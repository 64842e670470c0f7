/* --log FILE in text and json formats; fd and error helpers. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "log.h"

static char *
temp_path (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hako-log-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, name, NULL);
}

static void
remove_temp (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_format_names (void)
{
  g_autoptr (GError) error = NULL;
  HakoLogFormat format;

  g_assert_true (hako_log_format_from_string ("json", &format, &error));
  g_assert_cmpint (format, ==, HAKO_LOG_FORMAT_JSON);
  g_assert_false (hako_log_format_from_string ("xml", &format, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_USAGE);
}

static void
test_json_lines (void)
{
  g_autofree char *path = temp_path ("log.json");
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *entry;

  g_assert_true (hako_log_open (path, HAKO_LOG_FORMAT_JSON, FALSE, &error));
  hako_log_error ("container %s: \"quoted\"", "c1");
  hako_log_debug ("not shown without --debug");
  hako_log_close ();
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (json_parser_load_from_data (parser, lines[0], -1, &error));
  entry = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (entry, "level"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (entry, "msg"), ==, "container c1: \"quoted\"");
  g_assert_true (json_object_has_member (entry, "time"));
  remove_temp (path);
}

static void
test_text_and_debug (void)
{
  g_autofree char *path = temp_path ("log.txt");
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (hako_log_open (path, HAKO_LOG_FORMAT_TEXT, TRUE, &error));
  hako_log_warning ("careful");
  hako_log_debug ("details");
  hako_log_close ();
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "warning: careful\ndebug: details\n");
  remove_temp (path);
}

static void
test_open_failure (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (hako_log_open ("/nonexistent/dir/log", HAKO_LOG_FORMAT_TEXT, FALSE, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "/nonexistent/dir/log"));
}

static void
test_create_new (void)
{
  g_autofree char *path = temp_path ("new");
  g_autoptr (GError) error = NULL;

  g_assert_true (hako_file_create_new (path, "one", -1, 0644, &error));
  g_assert_false (hako_file_create_new (path, "two", -1, 0644, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_EXISTS);
  remove_temp (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/log/format-names", test_format_names);
  g_test_add_func ("/log/json-lines", test_json_lines);
  g_test_add_func ("/log/text-and-debug", test_text_and_debug);
  g_test_add_func ("/log/open-failure", test_open_failure);
  g_test_add_func ("/fd-util/create-new", test_create_new);
  return g_test_run ();
}
