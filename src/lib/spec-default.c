#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "resources.h"
#include "seccomp-default.h"
#include "spec-default.h"

#define TEMPLATE_RESOURCE "/org/hako/config.json.template"

JsonNode *
hako_spec_default_id_mapping (guint32 container_id, guint32 host_id)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "containerID");
  json_builder_add_int_value (builder, container_id);
  json_builder_set_member_name (builder, "hostID");
  json_builder_add_int_value (builder, host_id);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* With only the caller's gid mapped there is no gid 5 for devpts. */
static void
drop_devpts_gid (JsonObject *config)
{
  JsonArray *mounts = json_object_get_array_member (config, "mounts");

  for (guint i = 0; i < json_array_get_length (mounts); i++)
    {
      JsonObject *mount = json_array_get_object_element (mounts, i);
      JsonArray *options;

      if (!g_str_equal (json_object_get_string_member (mount, "type"), "devpts"))
        continue;
      options = json_object_get_array_member (mount, "options");
      for (guint j = json_array_get_length (options); j-- > 0;)
        if (g_str_has_prefix (json_array_get_string_element (options, j), "gid="))
          json_array_remove_element (options, j);
    }
}

char *
hako_spec_default_generate (HakoSpecDefaultMode mode, gboolean seccomp, uid_t uid, gid_t gid,
                            GError **error)
{
  g_autoptr (GBytes) template = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  JsonObject *config;
  JsonObject *linux_;

  template = g_resource_lookup_data (hako_get_resource (), TEMPLATE_RESOURCE,
                                    G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (template == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (template, NULL),
                                   g_bytes_get_size (template), error))
    {
      g_prefix_error (error, "%s: ", TEMPLATE_RESOURCE);
      return NULL;
    }
  config = json_node_get_object (json_parser_get_root (parser));
  linux_ = json_object_get_object_member (config, "linux");
  if (seccomp)
    {
      JsonNode *profile = hako_seccomp_default_profile_json (error);
      if (profile == NULL)
        return NULL;
      json_object_set_member (linux_, "seccomp", profile);
    }
  if (mode == HAKO_SPEC_DEFAULT_SINGLE_ID)
    {
      json_object_set_member (linux_, "uidMappings", hako_spec_default_id_mapping (0, uid));
      json_object_set_member (linux_, "gidMappings", hako_spec_default_id_mapping (0, gid));
      drop_devpts_gid (config);
    }
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

gboolean
hako_spec_default_write (const char *bundle, HakoSpecDefaultMode mode, gboolean seccomp,
                         GError **error)
{
  g_autofree char *path = g_build_filename (bundle, "config.json", NULL);
  g_autofree char *json = hako_spec_default_generate (mode, seccomp, getuid (), getgid (), error);
  g_autofree char *text = NULL;

  if (json == NULL)
    return FALSE;
  text = g_strconcat (json, "\n", NULL);
  if (!hako_file_create_new (path, text, -1, 0644, error))
    {
      if (g_error_matches (*error, HAKO_ERROR, HAKO_ERROR_EXISTS))
        {
          g_clear_error (error);
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_EXISTS,
                       _("%s already exists: remove it, or choose another directory with --bundle"), path);
        }
      return FALSE;
    }
  return TRUE;
}
