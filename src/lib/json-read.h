/* Typed reads from a json-glib tree that know where they are, so every
 * error names the JSON path of the offending value ("process.args[0]"). */
#pragma once

#include <json-glib/json-glib.h>

typedef enum
{
  HAKO_JSON_OPTIONAL = 0,
  HAKO_JSON_REQUIRED = 1,
} HakoJsonPresence;

/* Optional scalars: the spec distinguishes "absent" from "zero" in many places. */
typedef struct { gboolean set; gint64 value; } HakoOptInt;
typedef struct { gboolean set; guint64 value; } HakoOptUint;
typedef struct { gboolean set; gboolean value; } HakoOptBool;

char *hako_json_path_member (const char *parent, const char *member);
char *hako_json_path_index (const char *parent, guint index);

/* The deepest nesting of arrays and objects a document may have: OCI
 * documents stay within ten or so, and json-glib's parser recurses. */
#define HAKO_JSON_MAX_DEPTH 256
/* A HAKO_ERROR_CONFIG naming DOCUMENT_NAME when DATA nests deeper. */
gboolean hako_json_check_depth (const char *data, gsize length, const char *document_name,
                                GError **error);
/* DATA (LENGTH bytes, or up to its NUL when negative), UTF-8 and nested at
 * most HAKO_JSON_MAX_DEPTH deep, parsed. */
gboolean hako_json_parse_document (const char *data, gssize length, const char *document_name,
                                   JsonNode **root, GError **error);

gboolean hako_json_node_object (JsonNode *node, const char *path, JsonObject **out, GError **error);
gboolean hako_json_node_array (JsonNode *node, const char *path, JsonArray **out, GError **error);
gboolean hako_json_node_string (JsonNode *node, const char *path, char **out, GError **error);
gboolean hako_json_node_int (JsonNode *node, const char *path, gint64 min, gint64 max,
                             gint64 *out, GError **error);
gboolean hako_json_node_uint (JsonNode *node, const char *path, guint64 max, guint64 *out,
                              GError **error);

/* Member reads. An absent OPTIONAL member leaves *out untouched and succeeds;
 * an absent REQUIRED member is an error naming its path. */
gboolean hako_json_member_object (JsonObject *object, const char *path, const char *member,
                                  HakoJsonPresence presence, JsonObject **out,
                                  char **member_path, GError **error);
gboolean hako_json_member_array (JsonObject *object, const char *path, const char *member,
                                 HakoJsonPresence presence, JsonArray **out,
                                 char **member_path, GError **error);
gboolean hako_json_member_string (JsonObject *object, const char *path, const char *member,
                                  HakoJsonPresence presence, char **out, GError **error);
gboolean hako_json_member_bool (JsonObject *object, const char *path, const char *member,
                                gboolean *out, GError **error);
gboolean hako_json_member_opt_bool (JsonObject *object, const char *path, const char *member,
                                    HakoOptBool *out, GError **error);
gboolean hako_json_member_int (JsonObject *object, const char *path, const char *member,
                               HakoJsonPresence presence, gint64 min, gint64 max,
                               HakoOptInt *out, GError **error);
gboolean hako_json_member_uint (JsonObject *object, const char *path, const char *member,
                                HakoJsonPresence presence, guint64 max, HakoOptUint *out,
                                GError **error);
gboolean hako_json_member_strv (JsonObject *object, const char *path, const char *member,
                                HakoJsonPresence presence, GStrv *out, GError **error);
/* A JSON object whose values are all strings, as a string -> string table. */
gboolean hako_json_member_string_map (JsonObject *object, const char *path, const char *member,
                                      GHashTable **out, GError **error);

/* Element i of an array that must be an object. */
gboolean hako_json_array_object (JsonArray *array, const char *path, guint index,
                                 JsonObject **out, char **element_path, GError **error);

/* Error helpers for checks beyond types, so every message has the same shape. */
gboolean hako_json_invalid (GError **error, const char *path, const char *format, ...)
    G_GNUC_PRINTF (3, 4);
