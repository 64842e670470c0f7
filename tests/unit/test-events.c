/* hako events: --interval durations and the stats event's JSON. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "container-events.h"
#include "error.h"

static void
test_interval (void)
{
  const struct
  {
    const char *text;
    guint ms;
  } good[] = { { "5s", 5000 }, { "500ms", 500 }, { "2m", 120000 }, { "1h", 3600000 } };
  const char *bad[] = { "", "5", "s", "0s", "-1s", "1.5s", "5 s", "5d", NULL };
  guint ms;

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (hako_parse_interval (good[i].text, &ms, NULL));
      g_assert_cmpuint (ms, ==, good[i].ms);
    }
  for (const char **b = bad; *b; b++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (hako_parse_interval (*b, &ms, &error));
      g_assert_error (error, HAKO_ERROR, HAKO_ERROR_USAGE);
    }
}

static void
test_event_json (void)
{
  HakoCgroupStats stats = { .cpu_total = 10, .pids_current = 2, .pids_limit = 9,
                            .memory = { .limit = G_MAXUINT64 } };
  HakoBlkioEntry read = { .major = 8, .minor = 0, .op = "Read", .value = 4096 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  JsonObject *data;

  stats.cpu_percpu = g_array_new (FALSE, FALSE, sizeof (guint64));
  stats.io_service_bytes = g_array_new (FALSE, FALSE, sizeof (HakoBlkioEntry));
  stats.io_serviced = g_array_new (FALSE, FALSE, sizeof (HakoBlkioEntry));
  stats.memory_raw = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (stats.memory_raw, "rss", "123");
  g_array_append_val (stats.io_service_bytes, read);
  json = hako_stats_event_json ("c1", &stats);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "type"), ==, "stats");
  data = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "data");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (data, "pids"), "limit"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (data, "memory"), "usage"), "limit"), ==, G_MAXINT64);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (data, "memory"), "raw"), "rss"), ==, 123);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (data, "blkio"), "ioServiceBytesRecursive"), 0), "op"), ==, "Read");
  g_array_unref (stats.cpu_percpu);
  g_array_unref (stats.io_service_bytes);
  g_array_unref (stats.io_serviced);
  g_hash_table_unref (stats.memory_raw);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/events/interval", test_interval);
  g_test_add_func ("/events/json", test_event_json);
  return g_test_run ();
}
