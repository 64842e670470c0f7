#include "config.h"

#include <json-glib/json-glib.h>
#include <seccomp.h>

#include "runtime-features.h"
#include "mount-options.h"
#include "net-config.h"
#include "overlay.h"
#include "seccomp-names.h"
#include "spec.h"
#include "unsupported.h"

static void
add_strv_member (JsonBuilder *builder, const char *member, const char *const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (; *values; values++)
    json_builder_add_string_value (builder, *values);
  json_builder_end_array (builder);
}

static void
add_enabled_member (JsonBuilder *builder, const char *member, gboolean enabled)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, enabled);
  json_builder_end_object (builder);
}

static void
add_bool_member (JsonBuilder *builder, const char *member, gboolean value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

static void
add_mount_options (JsonBuilder *builder)
{
  gsize n;
  const HakoMountOption *options = hako_mount_options_table (&n);

  json_builder_set_member_name (builder, "mountOptions");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n; i++)
    json_builder_add_string_value (builder, options[i].name);
  json_builder_end_array (builder);
}

static void
add_namespaces (JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "namespaces");
  json_builder_begin_array (builder);
  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    json_builder_add_string_value (builder, hako_namespace_kind_name (kind));
  json_builder_end_array (builder);
}

static void
add_capabilities (JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_array (builder);
  for (int cap = 0; cap <= hako_capability_last (); cap++)
    json_builder_add_string_value (builder, hako_capability_name (cap));
  json_builder_end_array (builder);
}

static void
add_seccomp (JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "seccomp");
  json_builder_begin_object (builder);
  add_bool_member (builder, "enabled", TRUE);
  json_builder_set_member_name (builder, "actions");
  json_builder_begin_array (builder);
  for (const char *const *action = hako_seccomp_action_names; *action; action++)
    json_builder_add_string_value (builder, *action);
  json_builder_end_array (builder);
  add_strv_member (builder, "operators", hako_seccomp_operator_names);

  json_builder_set_member_name (builder, "archs");
  json_builder_begin_array (builder);
  for (const char *const *arch = hako_seccomp_arch_names; *arch; arch++)
    {
      g_autofree char *token = hako_seccomp_arch_token (*arch);
      if (seccomp_arch_resolve_name (token) != 0)
        json_builder_add_string_value (builder, *arch);
    }
  json_builder_end_array (builder);

  add_strv_member (builder, "knownFlags", hako_seccomp_flag_names);
  json_builder_set_member_name (builder, "supportedFlags");
  json_builder_begin_array (builder);
  for (const char *const *flag = hako_seccomp_flag_names; *flag; flag++)
    if (hako_seccomp_flag_supported (*flag))
      json_builder_add_string_value (builder, *flag);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_linux (JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "linux");
  json_builder_begin_object (builder);
  add_namespaces (builder);
  add_capabilities (builder);

  json_builder_set_member_name (builder, "cgroup");
  json_builder_begin_object (builder);
  /* The cgroupfs manager writes v1 and v2; the systemd manager asks the
   * system's systemd (root) or the user's for a scope (without a cgroup,
   * limits are refused: unsupported.c). */
  add_bool_member (builder, "v1", TRUE);
  add_bool_member (builder, "v2", TRUE);
  add_bool_member (builder, "systemd", TRUE);
  add_bool_member (builder, "systemdUser", TRUE);
  add_bool_member (builder, "rdma", FALSE);
  json_builder_end_object (builder);

  add_seccomp (builder);
  add_enabled_member (builder, "apparmor", FALSE);
  add_enabled_member (builder, "selinux", FALSE);
  add_enabled_member (builder, "intelRdt", FALSE);
  json_builder_set_member_name (builder, "mountExtensions");
  json_builder_begin_object (builder);
  add_enabled_member (builder, "idmap", TRUE);
  json_builder_end_object (builder);
  add_enabled_member (builder, "netDevices", FALSE);
  json_builder_end_object (builder);
}

static void
add_annotations (JsonBuilder *builder)
{
  const struct scmp_version *seccomp = seccomp_version ();
  g_autofree char *seccomp_version_string
      = g_strdup_printf ("%u.%u.%u", seccomp->major, seccomp->minor, seccomp->micro);
  g_autofree char *mtu_range = g_strdup_printf ("%d-%d", HAKO_NET_MTU_MIN, HAKO_NET_MTU_MAX);

  json_builder_set_member_name (builder, "annotations");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "io.github.seccomp.libseccomp.version");
  json_builder_add_string_value (builder, seccomp_version_string);
  json_builder_set_member_name (builder, "org.hako.version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  /* What hako reads from a config's annotations, with the values it takes. */
  json_builder_set_member_name (builder, HAKO_ANNOTATION_NETWORK);
  json_builder_add_string_value (builder, "slirp|pasta|none");
  json_builder_set_member_name (builder, HAKO_ANNOTATION_NETWORK_MTU);
  json_builder_add_string_value (builder, mtu_range);
  json_builder_set_member_name (builder, HAKO_ANNOTATION_NETWORK_HOST_LOOPBACK);
  json_builder_add_string_value (builder, "true|false");
  json_builder_set_member_name (builder, HAKO_ANNOTATION_NETWORK_OUTBOUND);
  json_builder_add_string_value (builder, "IP[,IP]|INTERFACE");
  json_builder_set_member_name (builder, HAKO_ANNOTATION_ROOTFS);
  json_builder_add_string_value (builder, "overlay|bind");
  json_builder_end_object (builder);
}

char *
hako_features_to_json (void)
{
  static const char *const unsafe_annotations[] = { HAKO_ANNOTATION_UNENFORCED_LIMITS, NULL };
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ociVersionMin");
  json_builder_add_string_value (builder, HAKO_OCI_VERSION_MIN);
  json_builder_set_member_name (builder, "ociVersionMax");
  json_builder_add_string_value (builder, HAKO_OCI_VERSION);
  json_builder_set_member_name (builder, "hooks");
  json_builder_begin_array (builder);
  for (int kind = 0; kind < HAKO_HOOK_N_KINDS; kind++)
    json_builder_add_string_value (builder, hako_hook_kind_names[kind]);
  json_builder_end_array (builder);
  add_mount_options (builder);
  add_linux (builder);
  add_annotations (builder);
  add_strv_member (builder, "potentiallyUnsafeConfigAnnotations", unsafe_annotations);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}
