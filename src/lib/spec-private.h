/* Internal to the config.json parser: one function per top-level section,
 * each reading its JSON object into the spec and validating as it goes. */
#pragma once

#include "spec.h"

gboolean hako_spec_parse_process (JsonObject *object, const char *path, HakoProcess **out,
                                  GError **error);
gboolean hako_spec_parse_linux (JsonObject *object, const char *path, HakoLinux **out,
                                GError **error);
gboolean hako_spec_parse_resources (JsonObject *object, const char *path, HakoResources **out,
                                    GError **error);
gboolean hako_spec_parse_seccomp (JsonObject *object, const char *path, HakoSeccomp **out,
                                  GError **error);

/* Shared by mounts[].uidMappings and linux.uidMappings. */
gboolean hako_spec_parse_id_mappings (JsonObject *parent, const char *path, const char *member,
                                      HakoIdMappings *out, GError **error);
/* An array of objects read into a new zeroed C array of n_items items of
 * item_size bytes, parse_item filling each one. *items and *n_items are set
 * before the elements are parsed, so on error the owner's free function
 * releases whatever was read. An absent member leaves both untouched. */
typedef gboolean (*HakoSpecParseItem) (JsonObject *object, const char *path, gpointer item,
                                       GError **error);
gboolean hako_spec_parse_object_array (JsonObject *parent, const char *path, const char *member,
                                       gsize item_size, HakoSpecParseItem parse_item,
                                       gpointer *items, guint *n_items, GError **error);
/* A REQUIRED uint32 member. */
gboolean hako_spec_member_uint32 (JsonObject *object, const char *path, const char *member,
                                  guint32 *out, GError **error);
/* The path of element index of the array member of path: "process.env[2]". */
char *hako_spec_element_path (const char *path, const char *member, guint index);
/* An environ-style array: every entry KEY=VALUE with a non-empty KEY. */
gboolean hako_spec_parse_env (JsonObject *object, const char *path, const char *member,
                              GStrv *out, GError **error);
/* "MUST be an absolute path" checks, worded the same everywhere. */
gboolean hako_spec_require_absolute (const char *value, const char *path, GError **error);
/* A string that must be one of a fixed, NULL-terminated set; names the choices
 * when it is not. */
gboolean hako_spec_require_one_of (const char *value, const char *path,
                                   const char *const *choices, GError **error);

void hako_process_free (HakoProcess *process);
void hako_linux_free (HakoLinux *linux_);
void hako_resources_free (HakoResources *resources);

/* An optional object member read into a new zeroed item_size-byte struct,
 * set in *item before parse_item fills it (so, as above, the owner's free
 * function releases a partly read one). */
gboolean hako_spec_parse_object_member (JsonObject *parent, const char *path, const char *member,
                                        gsize item_size, HakoSpecParseItem parse_item,
                                        gpointer *item, GError **error);
/* An optional object of objects ("rdma": {"mlx5_1": {...}}) read like an
 * array, in document order; each key is copied to the char * at key_offset
 * of its item before parse_item runs. */
gboolean hako_spec_parse_object_map (JsonObject *parent, const char *path, const char *member,
                                     gsize item_size, gsize key_offset,
                                     HakoSpecParseItem parse_item, gpointer *items,
                                     guint *n_items, GError **error);

/* Largest device numbers mknod(2) can encode (12-bit major, 20-bit minor). */
#define HAKO_DEVICE_MAJOR_MAX 0xfff
#define HAKO_DEVICE_MINOR_MAX 0xfffff
