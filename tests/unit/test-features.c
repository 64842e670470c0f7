/* The Features document: well-formed and consistent with hako's tables. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "runtime-features.h"
#include "spec.h"

static JsonObject *
features_object (JsonParser *parser)
{
  g_autofree char *json = hako_features_to_json ();
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static gboolean
array_has (JsonArray *array, const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_str_equal (json_array_get_string_element (array, i), value))
      return TRUE;
  return FALSE;
}

static void
test_versions (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *features = features_object (parser);

  g_assert_cmpstr (json_object_get_string_member (features, "ociVersionMin"), ==, "1.0.0");
  g_assert_cmpstr (json_object_get_string_member (features, "ociVersionMax"), ==, HAKO_OCI_VERSION);
}

static void
test_hooks_and_mount_options (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *features = features_object (parser);
  JsonArray *hooks = json_object_get_array_member (features, "hooks");
  JsonArray *options = json_object_get_array_member (features, "mountOptions");

  g_assert_cmpuint (json_array_get_length (hooks), ==, HAKO_HOOK_N_KINDS);
  g_assert_true (array_has (hooks, "createRuntime"));
  for (const char *const *name = (const char *const[]){ "rbind", "rro", "idmap", "ridmap", "nosymfollow", "tmpcopyup", NULL }; *name; name++)
    g_assert_true (array_has (options, *name));
}

static void
test_linux (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *features = features_object (parser);
  JsonObject *linux_ = json_object_get_object_member (features, "linux");
  JsonArray *caps = json_object_get_array_member (linux_, "capabilities");
  JsonObject *seccomp = json_object_get_object_member (linux_, "seccomp");
  JsonObject *extensions = json_object_get_object_member (linux_, "mountExtensions");
  JsonObject *cgroup = json_object_get_object_member (linux_, "cgroup");

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (linux_, "namespaces")), ==, HAKO_NS_N_KINDS);
  g_assert_cmpuint (json_array_get_length (caps), ==, hako_capability_last () + 1);
  g_assert_true (array_has (caps, "CAP_SYS_ADMIN"));
  g_assert_true (array_has (caps, "CAP_CHECKPOINT_RESTORE"));
  g_assert_true (json_object_get_boolean_member (seccomp, "enabled"));
  g_assert_true (array_has (json_object_get_array_member (seccomp, "archs"), "SCMP_ARCH_X86_64"));
  g_assert_true (array_has (json_object_get_array_member (seccomp, "actions"), "SCMP_ACT_NOTIFY"));
  g_assert_true (array_has (json_object_get_array_member (seccomp, "supportedFlags"), "SECCOMP_FILTER_FLAG_TSYNC"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (extensions, "idmap"), "enabled"));
  /* The cgroupfs manager writes v1 and v2; systemd's system and user managers. */
  g_assert_true (json_object_get_boolean_member (cgroup, "v1"));
  g_assert_true (json_object_get_boolean_member (cgroup, "v2"));
  g_assert_true (json_object_get_boolean_member (cgroup, "systemd"));
  g_assert_true (json_object_get_boolean_member (cgroup, "systemdUser"));
  g_assert_false (json_object_get_boolean_member (cgroup, "rdma"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/features/versions", test_versions);
  g_test_add_func ("/features/hooks-and-mount-options", test_hooks_and_mount_options);
  g_test_add_func ("/features/linux", test_linux);
  return g_test_run ();
}
