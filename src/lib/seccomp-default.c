#include "config.h"

#include "error.h"
#include "json-read.h"
#include "resources.h"
#include "seccomp-default.h"
#include "spec-private.h"

#define PROFILE_RESOURCE "/org/hako/seccomp-default.json"

JsonNode *
hako_seccomp_default_profile_json (GError **error)
{
  g_autoptr (GBytes) bytes = g_resource_lookup_data (hako_get_resource (), PROFILE_RESOURCE,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  JsonNode *node = NULL;

  if (bytes == NULL
      || !hako_json_parse_document (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    PROFILE_RESOURCE, &node, error))
    return NULL;
  return node;
}

HakoSeccomp *
hako_seccomp_default_profile (GError **error)
{
  g_autoptr (JsonNode) node = hako_seccomp_default_profile_json (error);
  HakoSeccomp *seccomp = NULL;
  JsonObject *object;

  if (node == NULL || !hako_json_node_object (node, "linux.seccomp", &object, error)
      || !hako_spec_parse_seccomp (object, "linux.seccomp", &seccomp, error))
    {
      g_prefix_error (error, "%s: ", PROFILE_RESOURCE);
      return NULL;
    }
  return seccomp;
}
