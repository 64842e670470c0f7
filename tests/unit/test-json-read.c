/* The typed JSON readers: values, presence and the paths errors name. */
#include "config.h"

#include <string.h>

#include "error.h"
#include "json-read.h"

/* The object in json, kept alive by *node. */
static JsonObject *
parse_object (const char *json, JsonNode **node)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (hako_json_parse_document (json, -1, "test.json", node, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*node));
  return json_node_get_object (*node);
}

static void
assert_config_error (GError *error, const char *message)
{
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_paths (void)
{
  const struct
  {
    const char *parent, *member, *expected;
  } cases[] = {
    { "", "process", "process" },
    { "process", "args", "process.args" },
    { "linux", "_x9", "linux._x9" },
    { "annotations", "com.example.key", "annotations[\"com.example.key\"]" },
    { "linux.sysctl", "net.ipv4.ip_forward", "linux.sysctl[\"net.ipv4.ip_forward\"]" },
    { "a", "say \"hi\"", "a[\"say \\\"hi\\\"\"]" },
    { "a", "9lives", "a[\"9lives\"]" },
    { "a", "", "a[\"\"]" },
    { "", "with space", "[\"with space\"]" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = hako_json_path_member (cases[i].parent, cases[i].member);
      g_assert_cmpstr (path, ==, cases[i].expected);
    }
  {
    g_autofree char *path = hako_json_path_index ("process.args", 3);
    g_assert_cmpstr (path, ==, "process.args[3]");
  }
}

static void
test_parse_document (void)
{
  const struct
  {
    const char *data;
    gssize length;
    const char *prefix;
  } cases[] = {
    { "{]", -1, "doc.json is not valid JSON: " },
    { "{} trailing", -1, "doc.json is not valid JSON: " },
    { "{\"a\": 1,}", -1, "doc.json is not valid JSON: " },
    { "", -1, "doc.json is empty" },
    { "  \n ", -1, "doc.json is empty" },
    { "{\"a\": \"\xff\"}", -1, "doc.json is not valid UTF-8" },
    { "{\"a\": 1}\0{", 10, "doc.json is not valid UTF-8" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = NULL;

      g_assert_false (hako_json_parse_document (cases[i].data, cases[i].length, "doc.json",
                                                &node, &error));
      g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
      g_assert_true (g_str_has_prefix (error->message, cases[i].prefix));
      g_assert_null (node);
    }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) node = NULL;
    g_assert_true (hako_json_parse_document ("[1, 2]", -1, "doc.json", &node, &error));
    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  }
}

static void
test_node_types (void)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root = parse_object ("{\"o\": {}, \"a\": [], \"s\": \"x\", \"n\": null, "
                                   "\"b\": true, \"i\": 1, \"d\": 1.5}",
                                   &node);
  const struct
  {
    const char *member, *described;
  } cases[] = {
    { "o", "an object" }, { "a", "an array" }, { "s", "a string" }, { "n", "null" },
    { "b", "a boolean" }, { "i", "a number" }, { "d", "a number" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *message = NULL;
      JsonObject *object = NULL;
      JsonArray *array = NULL;
      JsonNode *member = json_object_get_member (root, cases[i].member);
      gboolean is_object = g_str_equal (cases[i].member, "o");

      /* every kind of value, described in the error of a reader wanting another */
      if (is_object)
        g_assert_false (hako_json_node_array (member, "p", &array, &error));
      else
        g_assert_false (hako_json_node_object (member, "p", &object, &error));
      message = g_strdup_printf ("p: expected %s, got %s", is_object ? "an array" : "an object",
                                 cases[i].described);
      assert_config_error (error, message);
    }
}

static void
test_string (void)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root = parse_object ("{\"s\": \"hello\", \"n\": null, \"i\": 3, \"e\": \"\"}", &node);
  g_autofree char *value = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (hako_json_member_string (root, "x", "s", HAKO_JSON_REQUIRED, &value, &error));
  g_assert_cmpstr (value, ==, "hello");
  /* a second read replaces (and frees) the first */
  g_assert_true (hako_json_member_string (root, "x", "e", HAKO_JSON_OPTIONAL, &value, &error));
  g_assert_cmpstr (value, ==, "");
  /* absent and null leave the value alone when optional */
  g_assert_true (hako_json_member_string (root, "x", "missing", HAKO_JSON_OPTIONAL, &value,
                                          &error));
  g_assert_true (hako_json_member_string (root, "x", "n", HAKO_JSON_OPTIONAL, &value, &error));
  g_assert_cmpstr (value, ==, "");
  g_assert_no_error (error);

  g_assert_false (hako_json_member_string (root, "x", "missing", HAKO_JSON_REQUIRED, &value,
                                           &error));
  assert_config_error (error, "x.missing: required property is missing");
  g_clear_error (&error);
  g_assert_false (hako_json_member_string (root, "x", "n", HAKO_JSON_REQUIRED, &value, &error));
  assert_config_error (error, "x.n: required property is missing");
  g_clear_error (&error);
  g_assert_false (hako_json_member_string (root, "", "i", HAKO_JSON_OPTIONAL, &value, &error));
  assert_config_error (error, "i: expected a string, got a number");
}

static void
test_bool (void)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root = parse_object ("{\"t\": true, \"f\": false, \"s\": \"true\", \"n\": null}",
                                   &node);
  g_autoptr (GError) error = NULL;
  gboolean value = FALSE;
  HakoOptBool opt = { FALSE, FALSE };

  g_assert_true (hako_json_member_bool (root, "x", "t", &value, &error));
  g_assert_true (value);
  g_assert_true (hako_json_member_bool (root, "x", "missing", &value, &error));
  g_assert_true (value);
  g_assert_true (hako_json_member_bool (root, "x", "f", &value, &error));
  g_assert_false (value);

  g_assert_true (hako_json_member_opt_bool (root, "x", "n", &opt, &error));
  g_assert_false (opt.set);
  g_assert_true (hako_json_member_opt_bool (root, "x", "f", &opt, &error));
  g_assert_true (opt.set);
  g_assert_false (opt.value);
  g_assert_no_error (error);

  g_assert_false (hako_json_member_bool (root, "x", "s", &value, &error));
  assert_config_error (error, "x.s: expected a boolean, got a string");
}

static void
test_int (void)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root = parse_object ("{\"min\": -9223372036854775808, \"max\": 9223372036854775807,"
                                   " \"neg\": -5, \"big\": 1001, \"exp\": 1e3, \"half\": 1.5,"
                                   " \"s\": \"1\", \"t\": true, \"n\": null}",
                                   &node);
  const struct
  {
    const char *member;
    gint64 min, max;
    const char *message; /* NULL: reads as expected */
    gint64 expected;
  } cases[] = {
    { "min", G_MININT64, G_MAXINT64, NULL, G_MININT64 },
    { "max", G_MININT64, G_MAXINT64, NULL, G_MAXINT64 },
    { "neg", -1000, 1000, NULL, -5 },
    { "exp", 0, 1000, NULL, 1000 },
    { "big", -1000, 1000, "x.big: 1001 is out of range (-1000..1000)" },
    { "neg", 0, 10, "x.neg: -5 is out of range (0..10)" },
    { "min", G_MININT32, G_MAXINT32, "x.min: -9223372036854775808 is out of range (-2147483648..2147483647)" },
    { "half", 0, 10, "x.half: expected an integer, got 1.5" },
    { "s", 0, 10, "x.s: expected an integer, got a string" },
    { "t", 0, 10, "x.t: expected an integer, got a boolean" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      HakoOptInt value = { FALSE, 0 };
      gboolean ok = hako_json_member_int (root, "x", cases[i].member, HAKO_JSON_OPTIONAL,
                                          cases[i].min, cases[i].max, &value, &error);
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok && value.set);
          g_assert_cmpint (value.value, ==, cases[i].expected);
        }
      else
        {
          g_assert_false (ok || value.set);
          assert_config_error (error, cases[i].message);
        }
    }
  {
    g_autoptr (GError) error = NULL;
    HakoOptInt value = { FALSE, 0 };
    g_assert_true (hako_json_member_int (root, "x", "n", HAKO_JSON_OPTIONAL, 0, 1, &value, &error));
    g_assert_false (value.set);
    g_assert_false (hako_json_member_int (root, "x", "n", HAKO_JSON_REQUIRED, 0, 1, &value, &error));
    assert_config_error (error, "x.n: required property is missing");
  }
}

static void
test_uint (void)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root = parse_object ("{\"u32max\": 4294967295, \"u32over\": 4294967296,"
                                   " \"neg\": -1, \"zero\": 0, \"d\": 2.25, \"a\": []}",
                                   &node);
  const struct
  {
    const char *member;
    guint64 max;
    const char *message;
    guint64 expected;
  } cases[] = {
    { "u32max", G_MAXUINT32, NULL, G_MAXUINT32 },
    { "zero", 0, NULL, 0 },
    { "u32over", G_MAXUINT32, "x.u32over: 4294967296 is out of range (0..4294967295)" },
    { "neg", G_MAXUINT64, "x.neg: -1 is out of range (0..18446744073709551615)" },
    { "d", G_MAXUINT64, "x.d: expected an integer, got 2.25" },
    { "a", G_MAXUINT64, "x.a: expected an integer, got an array" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      HakoOptUint value = { FALSE, 0 };
      gboolean ok = hako_json_member_uint (root, "x", cases[i].member, HAKO_JSON_REQUIRED,
                                           cases[i].max, &value, &error);
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok && value.set);
          g_assert_cmpuint (value.value, ==, cases[i].expected);
        }
      else
        {
          g_assert_false (ok || value.set);
          assert_config_error (error, cases[i].message);
        }
    }
}

/* Integers beyond gint64: RLIM_INFINITY is written as 18446744073709551615. */
static void
test_uint_max (void)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root = parse_object ("{\"max\": 18446744073709551615, \"big\": 9223372036854775808}",
                                   &node);
  g_autoptr (GError) error = NULL;
  HakoOptUint value = { FALSE, 0 };
  HakoOptInt signed_value = { FALSE, 0 };

  g_assert_true (hako_json_member_uint (root, "x", "max", HAKO_JSON_REQUIRED, G_MAXUINT64, &value,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (value.value, ==, G_MAXUINT64);
  g_assert_true (hako_json_member_uint (root, "x", "big", HAKO_JSON_REQUIRED, G_MAXUINT64, &value,
                                        &error));
  g_assert_cmpuint (value.value, ==, (guint64) G_MAXINT64 + 1);
  g_assert_false (hako_json_member_int (root, "x", "big", HAKO_JSON_REQUIRED, G_MININT64,
                                        G_MAXINT64, &signed_value, &error));
  g_assert_false (signed_value.set);
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
}

static void
test_strv (void)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root = parse_object ("{\"ok\": [\"a\", \"\", \"c\"], \"empty\": [],"
                                   " \"bad\": [\"a\", 2], \"obj\": {}}",
                                   &node);
  g_auto (GStrv) value = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (hako_json_member_strv (root, "x", "ok", HAKO_JSON_REQUIRED, &value, &error));
  g_assert_cmpuint (g_strv_length (value), ==, 3);
  g_assert_cmpstr (value[1], ==, "");
  g_assert_true (hako_json_member_strv (root, "x", "empty", HAKO_JSON_REQUIRED, &value, &error));
  g_assert_nonnull (value);
  g_assert_cmpuint (g_strv_length (value), ==, 0);
  g_assert_true (hako_json_member_strv (root, "x", "missing", HAKO_JSON_OPTIONAL, &value, &error));
  g_assert_nonnull (value);
  g_assert_no_error (error);

  g_assert_false (hako_json_member_strv (root, "x", "bad", HAKO_JSON_OPTIONAL, &value, &error));
  assert_config_error (error, "x.bad[1]: expected a string, got a number");
  g_clear_error (&error);
  g_assert_false (hako_json_member_strv (root, "x", "obj", HAKO_JSON_OPTIONAL, &value, &error));
  assert_config_error (error, "x.obj: expected an array, got an object");
  g_clear_error (&error);
  g_assert_false (hako_json_member_strv (root, "x", "missing", HAKO_JSON_REQUIRED, &value, &error));
  assert_config_error (error, "x.missing: required property is missing");
}

static void
test_string_map (void)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root = parse_object ("{\"ok\": {\"com.example.a\": \"1\", \"b\": \"\"},"
                                   " \"badvalue\": {\"com.example.n\": 2},"
                                   " \"emptykey\": {\"\": \"x\"}, \"arr\": []}",
                                   &node);
  g_autoptr (GHashTable) map = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (hako_json_member_string_map (root, "", "missing", &map, &error));
  g_assert_null (map);
  g_assert_true (hako_json_member_string_map (root, "", "ok", &map, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (map), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (map, "com.example.a"), ==, "1");
  g_assert_cmpstr (g_hash_table_lookup (map, "b"), ==, "");

  g_assert_false (hako_json_member_string_map (root, "", "badvalue", &map, &error));
  assert_config_error (error, "badvalue[\"com.example.n\"]: expected a string, got a number");
  g_clear_error (&error);
  g_assert_false (hako_json_member_string_map (root, "", "emptykey", &map, &error));
  assert_config_error (error, "emptykey: keys must not be empty");
  g_clear_error (&error);
  g_assert_false (hako_json_member_string_map (root, "", "arr", &map, &error));
  assert_config_error (error, "arr: expected an object, got an array");
  /* the table read first survives the failed reads */
  g_assert_cmpuint (g_hash_table_size (map), ==, 2);
}

static void
test_object_and_array (void)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root = parse_object ("{\"o\": {\"k\": 1}, \"list\": [{}, 3]}", &node);
  g_autoptr (GError) error = NULL;
  JsonObject *object = NULL;
  JsonArray *array = NULL;
  g_autofree char *path = NULL;
  g_autofree char *element_path = NULL;

  g_assert_true (hako_json_member_object (root, "top", "o", HAKO_JSON_REQUIRED, &object, &path,
                                          &error));
  g_assert_cmpstr (path, ==, "top.o");
  g_assert_true (json_object_has_member (object, "k"));
  g_clear_pointer (&path, g_free);
  g_assert_true (hako_json_member_array (root, "top", "list", HAKO_JSON_REQUIRED, &array, &path,
                                         &error));
  g_assert_cmpstr (path, ==, "top.list");
  g_assert_true (hako_json_array_object (array, path, 0, &object, &element_path, &error));
  g_assert_cmpstr (element_path, ==, "top.list[0]");
  g_assert_no_error (error);

  g_assert_false (hako_json_array_object (array, path, 1, &object, &element_path, &error));
  assert_config_error (error, "top.list[1]: expected an object, got a number");
  g_clear_error (&error);
  object = NULL;
  g_assert_true (hako_json_member_object (root, "top", "missing", HAKO_JSON_OPTIONAL, &object,
                                          NULL, &error));
  g_assert_null (object);
  g_assert_false (hako_json_member_object (root, "top", "missing", HAKO_JSON_REQUIRED, &object,
                                           NULL, &error));
  assert_config_error (error, "top.missing: required property is missing");
  g_clear_error (&error);
  g_assert_false (hako_json_member_array (root, "", "o", HAKO_JSON_OPTIONAL, &array, NULL,
                                          &error));
  assert_config_error (error, "o: expected an array, got an object");
}

static void
test_invalid (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (hako_json_invalid (&error, "a.b", "bad %d", 7));
  assert_config_error (error, "a.b: bad 7");
  g_clear_error (&error);
  g_assert_false (hako_json_invalid (&error, NULL, "whole document"));
  assert_config_error (error, "whole document");
  g_clear_error (&error);
  g_assert_false (hako_json_invalid (&error, "", "%s", "root"));
  assert_config_error (error, "root");
}
/* Nesting beyond HAKO_JSON_MAX_DEPTH is refused before json-glib recurses;
 * brackets inside strings do not count. */
static void
test_depth (void)
{
  g_autofree char *open = g_strnfill (HAKO_JSON_MAX_DEPTH, '[');
  g_autofree char *close = g_strnfill (HAKO_JSON_MAX_DEPTH, ']');
  g_autofree char *deepest = g_strconcat (open, close, NULL);
  g_autofree char *too_deep = g_strconcat ("{\"a\": ", open, close, "}", NULL);
  g_autofree char *in_string = g_strconcat ("[\"", open, "\\\"", open, "\"]", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;

  g_assert_true (hako_json_check_depth (deepest, strlen (deepest), "d.json", NULL));
  g_assert_true (hako_json_check_depth (in_string, strlen (in_string), "d.json", NULL));
  g_assert_false (hako_json_parse_document (too_deep, -1, "d.json", &node, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "d.json nests"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-read/paths", test_paths);
  g_test_add_func ("/json-read/parse-document", test_parse_document);
  g_test_add_func ("/json-read/depth", test_depth);
  g_test_add_func ("/json-read/node-types", test_node_types);
  g_test_add_func ("/json-read/string", test_string);
  g_test_add_func ("/json-read/bool", test_bool);
  g_test_add_func ("/json-read/int", test_int);
  g_test_add_func ("/json-read/uint", test_uint);
  g_test_add_func ("/json-read/uint-beyond-int64", test_uint_max);
  g_test_add_func ("/json-read/strv", test_strv);
  g_test_add_func ("/json-read/string-map", test_string_map);
  g_test_add_func ("/json-read/object-and-array", test_object_and_array);
  g_test_add_func ("/json-read/invalid", test_invalid);
  return g_test_run ();
}
