#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h> /* fabs, isfinite: builtins, no libm needed */
#include <string.h>

#include "error.h"
#include "i18n.h"
#include "json-read.h"

static gboolean
is_identifier (const char *s)
{
  if (!g_ascii_isalpha (*s) && *s != '_')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && *s != '_')
      return FALSE;
  return TRUE;
}

char *
hako_json_path_member (const char *parent, const char *member)
{
  g_autofree char *quoted = NULL;

  if (is_identifier (member))
    return *parent ? g_strconcat (parent, ".", member, NULL) : g_strdup (member);
  quoted = g_strescape (member, NULL);
  return g_strdup_printf ("%s[\"%s\"]", parent, quoted);
}

char *
hako_json_path_index (const char *parent, guint index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

gboolean
hako_json_invalid (GError **error, const char *path, const char *format, ...)
{
  va_list args;
  g_autofree char *reason = NULL;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  if (path == NULL || *path == '\0')
    g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_CONFIG, reason);
  else
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, "%s: %s", path, reason);
  return FALSE;
}

static const char *
describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("an array");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("a boolean");
    default:
      return _("a number");
    }
}

static gboolean
wrong_type (GError **error, const char *path, const char *expected, JsonNode *node)
{
  /* TRANSLATORS: "expected a string, got a number"; both are phrases like "a string" */
  return hako_json_invalid (error, path, _("expected %s, got %s"), expected, describe_node (node));
}

static gboolean
node_is_value_of (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* The end of the JSON number starting at data[i], and whether it is an
 * integer (no fraction, no exponent). */
static gsize
number_end (const char *data, gsize length, gsize i, gboolean *integer)
{
  *integer = TRUE;
  if (data[i] == '-')
    i++;
  while (i < length && g_ascii_isdigit (data[i]))
    i++;
  if (i < length && data[i] == '.')
    for (*integer = FALSE, i++; i < length && g_ascii_isdigit (data[i]); i++)
      ;
  if (i < length && (data[i] == 'e' || data[i] == 'E'))
    {
      *integer = FALSE;
      if (++i < length && (data[i] == '+' || data[i] == '-'))
        i++;
      while (i < length && g_ascii_isdigit (data[i]))
        i++;
    }
  return i;
}

/* json-glib reads an integer literal with strtoull and casts it to gint64,
 * so 18446744073709551615 (RLIM_INFINITY) silently becomes -1. Integer
 * literals beyond gint64 are rewritten as "N.0" so that they arrive as
 * doubles, which node_integer range-checks. NULL when none needed it. */
static GString *
widen_big_integers (const char *data, gsize length)
{
  GString *out = NULL;
  gsize copied = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      gboolean integer;
      gsize end;
      g_autofree char *token = NULL;

      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"')
            in_string = FALSE;
          continue;
        }
      if (data[i] == '"')
        in_string = TRUE;
      if (data[i] != '-' && !g_ascii_isdigit (data[i]))
        continue;
      end = number_end (data, length, i, &integer);
      token = g_strndup (data + i, end - i);
      errno = 0;
      if (integer && (g_ascii_strtoll (token, NULL, 10), errno == ERANGE))
        {
          out = out ? out : g_string_sized_new (length + 8);
          g_string_append_len (out, data + copied, end - copied);
          g_string_append (out, ".0");
          copied = end;
        }
      i = end - 1;
    }
  if (out)
    g_string_append_len (out, data + copied, length - copied);
  return out;
}

gboolean
hako_json_check_depth (const char *data, gsize length, const char *document_name, GError **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"')
            in_string = FALSE;
        }
      else if (data[i] == '"')
        in_string = TRUE;
      else if ((data[i] == '[' || data[i] == '{') && ++depth > HAKO_JSON_MAX_DEPTH)
        return hako_json_invalid (error, NULL,
                                  _("%s nests arrays and objects more than %d levels deep: "
                                    "no OCI document does"),
                                  document_name, HAKO_JSON_MAX_DEPTH);
      else if ((data[i] == ']' || data[i] == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

gboolean
hako_json_parse_document (const char *data, gssize length, const char *document_name,
                          JsonNode **root, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GString) widened = NULL;

  if (length < 0)
    length = strlen (data);
  if (!g_utf8_validate (data, length, NULL))
    return hako_json_invalid (error, NULL, _("%s is not valid UTF-8"), document_name);
  /* json-glib recurses once per level: a deep enough document would
   * overflow the stack. */
  if (!hako_json_check_depth (data, length, document_name, error))
    return FALSE;
  widened = widen_big_integers (data, length);
  if (widened)
    {
      data = widened->str;
      length = widened->len;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    return hako_json_invalid (error, NULL, _("%s is not valid JSON: %s"), document_name,
                              local_error->message);
  if (json_parser_get_root (parser) == NULL)
    return hako_json_invalid (error, NULL, _("%s is empty"), document_name);
  *root = json_node_ref (json_parser_get_root (parser));
  return TRUE;
}

gboolean
hako_json_node_object (JsonNode *node, const char *path, JsonObject **out, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (error, path, _("an object"), node);
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
hako_json_node_array (JsonNode *node, const char *path, JsonArray **out, GError **error)
{
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (error, path, _("an array"), node);
  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
hako_json_node_string (JsonNode *node, const char *path, char **out, GError **error)
{
  if (!node_is_value_of (node, G_TYPE_STRING))
    return wrong_type (error, path, _("a string"), node);
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* json-glib stores integers as gint64 and anything else (fractions, exponents,
 * integers beyond gint64) as a double; an integral double within range is
 * accepted so that 18446744073709551615 still reads as G_MAXUINT64. */
static gboolean
node_integer (JsonNode *node, const char *path, gboolean *negative, guint64 *magnitude,
              GError **error)
{
  if (node_is_value_of (node, G_TYPE_INT64))
    {
      gint64 v = json_node_get_int (node);
      *negative = v < 0;
      *magnitude = v < 0 ? (guint64) (-(v + 1)) + 1 : (guint64) v;
      return TRUE;
    }
  if (node_is_value_of (node, G_TYPE_DOUBLE))
    {
      double d = json_node_get_double (node);
      /* every double from 2^53 up is integral; below, the cast is exact */
      if (!isfinite (d) || (fabs (d) < 9007199254740992.0 && d != (double) (gint64) d))
        return hako_json_invalid (error, path, _("expected an integer, got %g"), d);
      /* 2^64 itself is how 18446744073709551615 reads as a double. */
      if (fabs (d) > 18446744073709551616.0)
        return hako_json_invalid (error, path, _("%g is out of range"), d);
      *negative = d < 0;
      *magnitude = fabs (d) == 18446744073709551616.0 ? G_MAXUINT64 : (guint64) fabs (d);
      return TRUE;
    }
  return wrong_type (error, path, _("an integer"), node);
}

gboolean
hako_json_node_int (JsonNode *node, const char *path, gint64 min, gint64 max, gint64 *out,
                    GError **error)
{
  gboolean negative;
  guint64 magnitude;
  gint64 value;

  if (!node_integer (node, path, &negative, &magnitude, error))
    return FALSE;
  if (negative ? magnitude > (guint64) G_MAXINT64 + 1 : magnitude > (guint64) G_MAXINT64)
    return hako_json_invalid (error, path, _("%s%" PRIu64 " is out of range (%" PRId64 "..%" PRId64 ")"),
                              negative ? "-" : "", magnitude, min, max);
  value = negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
  if (value < min || value > max)
    return hako_json_invalid (error, path, _("%" PRId64 " is out of range (%" PRId64 "..%" PRId64 ")"),
                              value, min, max);
  *out = value;
  return TRUE;
}

gboolean
hako_json_node_uint (JsonNode *node, const char *path, guint64 max, guint64 *out, GError **error)
{
  gboolean negative;
  guint64 magnitude;

  if (!node_integer (node, path, &negative, &magnitude, error))
    return FALSE;
  if (negative || magnitude > max)
    return hako_json_invalid (error, path, _("%s%" PRIu64 " is out of range (0..%" PRIu64 ")"),
                              negative ? "-" : "", magnitude, max);
  *out = magnitude;
  return TRUE;
}

/* The member's node, or NULL when absent (an error when required). A JSON
 * null counts as absent, as Go's encoding/json (runc) treats it. */
static gboolean
lookup (JsonObject *object, const char *path, const char *member, HakoJsonPresence presence,
        JsonNode **node, char **member_path, GError **error)
{
  *node = json_object_get_member (object, member);
  if (*node != NULL && JSON_NODE_HOLDS_NULL (*node))
    *node = NULL;
  *member_path = hako_json_path_member (path, member);
  if (*node == NULL && presence == HAKO_JSON_REQUIRED)
    return hako_json_invalid (error, *member_path, _("required property is missing"));
  return TRUE;
}

/* A node reader with an untyped out parameter, so one lookup serves all. */
typedef gboolean (*NodeReader) (JsonNode *node, const char *path, gpointer out, GError **error);

static gboolean
read_object (JsonNode *node, const char *path, gpointer out, GError **error)
{
  return hako_json_node_object (node, path, out, error);
}

static gboolean
read_array (JsonNode *node, const char *path, gpointer out, GError **error)
{
  return hako_json_node_array (node, path, out, error);
}

static gboolean
read_string (JsonNode *node, const char *path, gpointer out, GError **error)
{
  return hako_json_node_string (node, path, out, error);
}

static gboolean
member_read (JsonObject *object, const char *path, const char *member, HakoJsonPresence presence,
             NodeReader reader, gpointer out, char **member_path, GError **error)
{
  JsonNode *node;
  g_autofree char *p = NULL;

  if (!lookup (object, path, member, presence, &node, &p, error))
    return FALSE;
  if (node != NULL && !reader (node, p, out, error))
    return FALSE;
  if (member_path)
    *member_path = g_steal_pointer (&p);
  return TRUE;
}

gboolean
hako_json_member_object (JsonObject *object, const char *path, const char *member,
                         HakoJsonPresence presence, JsonObject **out, char **member_path,
                         GError **error)
{
  return member_read (object, path, member, presence, read_object, out, member_path, error);
}

gboolean
hako_json_member_array (JsonObject *object, const char *path, const char *member,
                        HakoJsonPresence presence, JsonArray **out, char **member_path,
                        GError **error)
{
  return member_read (object, path, member, presence, read_array, out, member_path, error);
}

gboolean
hako_json_member_string (JsonObject *object, const char *path, const char *member,
                         HakoJsonPresence presence, char **out, GError **error)
{
  return member_read (object, path, member, presence, read_string, out, NULL, error);
}

gboolean
hako_json_member_opt_bool (JsonObject *object, const char *path, const char *member,
                           HakoOptBool *out, GError **error)
{
  JsonNode *node;
  g_autofree char *p = NULL;

  if (!lookup (object, path, member, HAKO_JSON_OPTIONAL, &node, &p, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!node_is_value_of (node, G_TYPE_BOOLEAN))
    return wrong_type (error, p, _("a boolean"), node);
  out->set = TRUE;
  out->value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
hako_json_member_bool (JsonObject *object, const char *path, const char *member, gboolean *out,
                       GError **error)
{
  HakoOptBool value = { FALSE, FALSE };

  if (!hako_json_member_opt_bool (object, path, member, &value, error))
    return FALSE;
  if (value.set)
    *out = value.value;
  return TRUE;
}

gboolean
hako_json_member_int (JsonObject *object, const char *path, const char *member,
                      HakoJsonPresence presence, gint64 min, gint64 max, HakoOptInt *out,
                      GError **error)
{
  JsonNode *node;
  g_autofree char *p = NULL;

  if (!lookup (object, path, member, presence, &node, &p, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!hako_json_node_int (node, p, min, max, &out->value, error))
    return FALSE;
  out->set = TRUE;
  return TRUE;
}

gboolean
hako_json_member_uint (JsonObject *object, const char *path, const char *member,
                       HakoJsonPresence presence, guint64 max, HakoOptUint *out, GError **error)
{
  JsonNode *node;
  g_autofree char *p = NULL;

  if (!lookup (object, path, member, presence, &node, &p, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!hako_json_node_uint (node, p, max, &out->value, error))
    return FALSE;
  out->set = TRUE;
  return TRUE;
}

gboolean
hako_json_member_strv (JsonObject *object, const char *path, const char *member,
                       HakoJsonPresence presence, GStrv *out, GError **error)
{
  JsonArray *array = NULL;
  g_autofree char *p = NULL;
  g_autoptr (GPtrArray) strings = NULL;
  guint n;

  if (!hako_json_member_array (object, path, member, presence, &array, &p, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  n = json_array_get_length (array);
  strings = g_ptr_array_new_full (n + 1, g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *element_path = hako_json_path_index (p, i);
      char *s = NULL;
      if (!hako_json_node_string (json_array_get_element (array, i), element_path, &s, error))
        return FALSE;
      g_ptr_array_add (strings, s);
    }
  g_ptr_array_add (strings, NULL);
  g_strfreev (*out);
  *out = (GStrv) g_ptr_array_free (g_steal_pointer (&strings), FALSE);
  return TRUE;
}

gboolean
hako_json_member_string_map (JsonObject *object, const char *path, const char *member,
                             GHashTable **out, GError **error)
{
  JsonObject *map = NULL;
  g_autofree char *p = NULL;
  g_autoptr (GHashTable) table = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!hako_json_member_object (object, path, member, HAKO_JSON_OPTIONAL, &map, &p, error))
    return FALSE;
  if (map == NULL)
    return TRUE;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  json_object_iter_init (&iter, map);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *value_path = hako_json_path_member (p, key);
      char *s = NULL;
      if (*key == '\0')
        return hako_json_invalid (error, p, _("keys must not be empty"));
      if (!hako_json_node_string (value, value_path, &s, error))
        return FALSE;
      g_hash_table_replace (table, g_strdup (key), s);
    }
  if (*out)
    g_hash_table_unref (*out);
  *out = g_steal_pointer (&table);
  return TRUE;
}

gboolean
hako_json_array_object (JsonArray *array, const char *path, guint index, JsonObject **out,
                        char **element_path, GError **error)
{
  g_autofree char *p = hako_json_path_index (path, index);

  if (!hako_json_node_object (json_array_get_element (array, index), p, out, error))
    return FALSE;
  *element_path = g_steal_pointer (&p);
  return TRUE;
}
