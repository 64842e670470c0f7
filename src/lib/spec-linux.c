/* linux: namespaces, id mappings, devices, network devices, intelRdt,
 * memoryPolicy, paths and personality (config-linux.md). The cgroup
 * resources and seccomp have files of their own. */
#include "config.h"

#include <linux/mempolicy.h>
#include <net/if.h>
#include <stddef.h>
#include <string.h>

#include "error.h"
#include "i18n.h"
#include "spec-private.h"

/* <linux/mempolicy.h> declares the modes as an enum, so a mode newer than the
 * headers cannot be detected with #ifdef: MPOL_WEIGHTED_INTERLEAVE is Linux 6.9. */
#define HAKO_MPOL_WEIGHTED_INTERLEAVE 6
#ifndef MPOL_F_NUMA_BALANCING
#define MPOL_F_NUMA_BALANCING (1 << 13)
#endif

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoLinux, hako_linux_free)

/* ---- shared readers (declared in spec-private.h) ---- */

gboolean
hako_spec_parse_object_member (JsonObject *parent, const char *path, const char *member,
                               gsize item_size, HakoSpecParseItem parse_item, gpointer *item,
                               GError **error)
{
  JsonObject *object = NULL;
  g_autofree char *member_path = NULL;

  if (!hako_json_member_object (parent, path, member, HAKO_JSON_OPTIONAL, &object, &member_path,
                                error))
    return FALSE;
  if (object == NULL)
    return TRUE;
  *item = g_malloc0 (item_size);
  return parse_item (object, member_path, *item, error);
}

gboolean
hako_spec_parse_object_map (JsonObject *parent, const char *path, const char *member,
                            gsize item_size, gsize key_offset, HakoSpecParseItem parse_item,
                            gpointer *items, guint *n_items, GError **error)
{
  JsonObject *map = NULL;
  g_autofree char *map_path = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;
  guint i = 0;

  if (!hako_json_member_object (parent, path, member, HAKO_JSON_OPTIONAL, &map, &map_path,
                                error))
    return FALSE;
  if (map == NULL)
    return TRUE;
  *n_items = json_object_get_size (map);
  *items = g_malloc0_n (*n_items, item_size);
  json_object_iter_init_ordered (&iter, map);
  while (json_object_iter_next_ordered (&iter, &key, &node))
    {
      char *item = (char *) *items + i++ * item_size;
      g_autofree char *item_path = hako_json_path_member (map_path, key);
      JsonObject *object;

      G_STRUCT_MEMBER (char *, item, key_offset) = g_strdup (key);
      if (!hako_json_node_object (node, item_path, &object, error)
          || !parse_item (object, item_path, item, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- small checks ---- */

static gboolean
read_absolute_path (JsonObject *object, const char *path, const char *member,
                    HakoJsonPresence presence, char **out, GError **error)
{
  g_autofree char *member_path = hako_json_path_member (path, member);

  return hako_json_member_string (object, path, member, presence, out, error)
         && (*out == NULL || hako_spec_require_absolute (*out, member_path, error));
}

static gboolean
read_absolute_paths (JsonObject *object, const char *path, const char *member, GStrv *out,
                     GError **error)
{
  g_autofree char *member_path = hako_json_path_member (path, member);

  if (!hako_json_member_strv (object, path, member, HAKO_JSON_OPTIONAL, out, error))
    return FALSE;
  for (guint i = 0; *out != NULL && (*out)[i] != NULL; i++)
    {
      g_autofree char *element_path = hako_json_path_index (member_path, i);
      if (!hako_spec_require_absolute ((*out)[i], element_path, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *name;
  int value;
} NamedValue;

/* The value of name in a table; an error naming the choices when it is absent. */
static gboolean
lookup_value (const NamedValue *table, gsize n, const char *name, const char *path, int *out,
              GError **error)
{
  g_autofree const char **choices = g_new0 (const char *, n + 1);

  for (gsize i = 0; i < n; i++)
    {
      if (g_str_equal (table[i].name, name))
        {
          *out = table[i].value;
          return TRUE;
        }
      choices[i] = table[i].name;
    }
  return hako_spec_require_one_of (name, path, choices, error);
}

/* The kernel's dev_valid_name(): what it accepts as a network interface name. */
static gboolean
require_interface_name (const char *name, const char *path, GError **error)
{
  gboolean valid = *name != '\0' && strlen (name) < IFNAMSIZ && !g_str_equal (name, ".")
                   && !g_str_equal (name, "..");

  for (const char *c = name; valid && *c; c++)
    valid = *c != '/' && *c != ':' && !g_ascii_isspace (*c);
  if (!valid)
    return hako_json_invalid (error, path,
                              _("\"%s\" is not a valid interface name (1-15 bytes, not \".\" or "
                                "\"..\", without \"/\", \":\" or spaces)"),
                              name);
  return TRUE;
}

/* ---- namespaces ---- */

static gboolean
namespace_kind_from_name (const char *name, const char *path, HakoNamespaceKind *out,
                          GError **error)
{
  const char *choices[HAKO_NS_N_KINDS + 1] = { NULL };

  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    {
      choices[kind] = hako_namespace_kind_name (kind);
      if (g_str_equal (name, choices[kind]))
        {
          *out = kind;
          return TRUE;
        }
    }
  return hako_spec_require_one_of (name, path, choices, error);
}

static gboolean
parse_namespaces (JsonObject *object, const char *path, HakoLinux *linux_, GError **error)
{
  JsonArray *array = NULL;
  g_autofree char *array_path = NULL;
  guint first_index[HAKO_NS_N_KINDS] = { 0 };

  if (!hako_json_member_array (object, path, "namespaces", HAKO_JSON_OPTIONAL, &array,
                               &array_path, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *entry;
      g_autofree char *entry_path = NULL;
      g_autofree char *type = NULL;
      g_autofree char *type_path = NULL;
      HakoNamespaceKind kind = HAKO_NS_MOUNT;
      HakoNamespace *ns;

      if (!hako_json_array_object (array, array_path, i, &entry, &entry_path, error)
          || !hako_json_member_string (entry, entry_path, "type", HAKO_JSON_REQUIRED, &type,
                                       error))
        return FALSE;
      type_path = hako_json_path_member (entry_path, "type");
      if (!namespace_kind_from_name (type, type_path, &kind, error))
        return FALSE;
      ns = &linux_->namespaces[kind];
      if (ns->present)
        {
          g_autofree char *first = hako_json_path_index (array_path, first_index[kind]);
          return hako_json_invalid (error, entry_path,
                                    _("duplicate namespace type \"%s\" (already at %s)"), type,
                                    first);
        }
      ns->present = TRUE;
      first_index[kind] = i;
      if (!read_absolute_path (entry, entry_path, "path", HAKO_JSON_OPTIONAL, &ns->path, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- timeOffsets ---- */

static gboolean
parse_time_offset (JsonObject *object, const char *path, HakoTimeOffset *out, GError **error)
{
  HakoOptInt secs = { FALSE, 0 };
  HakoOptUint nanosecs = { FALSE, 0 };

  if (!hako_json_member_int (object, path, "secs", HAKO_JSON_OPTIONAL, G_MININT64, G_MAXINT64,
                             &secs, error)
      || !hako_json_member_uint (object, path, "nanosecs", HAKO_JSON_OPTIONAL, 999999999,
                                 &nanosecs, error))
    return FALSE;
  out->set = TRUE;
  out->secs = secs.value;
  out->nanosecs = nanosecs.value;
  return TRUE;
}

static gboolean
parse_time_offsets (JsonObject *object, const char *path, HakoLinux *linux_, GError **error)
{
  static const char *const clocks[] = { "boottime", "monotonic", NULL };
  JsonObject *offsets = NULL;
  g_autofree char *offsets_path = NULL;
  JsonObjectIter iter;
  const char *clock;
  JsonNode *node;

  if (!hako_json_member_object (object, path, "timeOffsets", HAKO_JSON_OPTIONAL, &offsets,
                                &offsets_path, error))
    return FALSE;
  if (offsets == NULL)
    return TRUE;
  json_object_iter_init_ordered (&iter, offsets);
  while (json_object_iter_next_ordered (&iter, &clock, &node))
    {
      g_autofree char *clock_path = hako_json_path_member (offsets_path, clock);
      JsonObject *offset;

      if (!hako_spec_require_one_of (clock, clock_path, clocks, error)
          || !hako_json_node_object (node, clock_path, &offset, error)
          || !parse_time_offset (offset, clock_path,
                                 g_str_equal (clock, "boottime") ? &linux_->time_offset_boottime
                                                                 : &linux_->time_offset_monotonic,
                                 error))
        return FALSE;
    }
  return TRUE;
}

/* ---- devices and netDevices ---- */

static gboolean
parse_device (JsonObject *object, const char *path, gpointer element, GError **error)
{
  static const char *const types[] = { "c", "b", "u", "p", NULL };
  HakoDevice *device = element;
  g_autofree char *type = NULL;
  g_autofree char *type_path = hako_json_path_member (path, "type");
  HakoJsonPresence numbers;
  HakoOptInt major = { FALSE, 0 }, minor = { FALSE, 0 };

  if (!hako_json_member_string (object, path, "type", HAKO_JSON_REQUIRED, &type, error)
      || !hako_spec_require_one_of (type, type_path, types, error))
    return FALSE;
  device->type = type[0];
  /* A FIFO has no device numbers. */
  numbers = device->type == 'p' ? HAKO_JSON_OPTIONAL : HAKO_JSON_REQUIRED;
  if (!read_absolute_path (object, path, "path", HAKO_JSON_REQUIRED, &device->path, error)
      || !hako_json_member_int (object, path, "major", numbers, 0, HAKO_DEVICE_MAJOR_MAX, &major,
                                error)
      || !hako_json_member_int (object, path, "minor", numbers, 0, HAKO_DEVICE_MINOR_MAX, &minor,
                                error)
      || !hako_json_member_uint (object, path, "fileMode", HAKO_JSON_OPTIONAL, 0777,
                                 &device->file_mode, error)
      || !hako_json_member_uint (object, path, "uid", HAKO_JSON_OPTIONAL, G_MAXUINT32,
                                 &device->uid, error)
      || !hako_json_member_uint (object, path, "gid", HAKO_JSON_OPTIONAL, G_MAXUINT32,
                                 &device->gid, error))
    return FALSE;
  device->major = major.value;
  device->minor = minor.value;
  return TRUE;
}

static gboolean
parse_net_device (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoNetDevice *device = element;
  g_autofree char *name_path = hako_json_path_member (path, "name");

  return require_interface_name (device->host_name, path, error)
         && hako_json_member_string (object, path, "name", HAKO_JSON_OPTIONAL, &device->name,
                                     error)
         && (device->name == NULL || require_interface_name (device->name, name_path, error));
}

/* ---- intelRdt ---- */

static gboolean
require_single_line (const char *value, const char *path, GError **error)
{
  if (strchr (value, '\n') != NULL)
    return hako_json_invalid (error, path, _("must not contain a newline"));
  return TRUE;
}

static gboolean
parse_intel_rdt (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoIntelRdt *rdt = element;
  g_autofree char *clos_path = hako_json_path_member (path, "closID");
  g_autofree char *schemata_path = hako_json_path_member (path, "schemata");
  g_autofree char *mem_bw_path = hako_json_path_member (path, "memBwSchema");

  if (!hako_json_member_string (object, path, "closID", HAKO_JSON_OPTIONAL, &rdt->clos_id, error)
      || !hako_json_member_strv (object, path, "schemata", HAKO_JSON_OPTIONAL, &rdt->schemata,
                                 error)
      || !hako_json_member_string (object, path, "l3CacheSchema", HAKO_JSON_OPTIONAL,
                                   &rdt->l3_cache_schema, error)
      || !hako_json_member_string (object, path, "memBwSchema", HAKO_JSON_OPTIONAL,
                                   &rdt->mem_bw_schema, error)
      || !hako_json_member_bool (object, path, "enableMonitoring", &rdt->enable_monitoring,
                                 error))
    return FALSE;
  /* closID names a directory of the resctrl filesystem; "/" is its root. */
  if (rdt->clos_id != NULL && !g_str_equal (rdt->clos_id, "/")
      && (*rdt->clos_id == '\0' || strpbrk (rdt->clos_id, "/\n") != NULL
          || g_str_equal (rdt->clos_id, ".") || g_str_equal (rdt->clos_id, "..")))
    return hako_json_invalid (error, clos_path,
                              _("\"%s\" is not a resctrl group name: use \"/\" or a name "
                                "without \"/\""),
                              rdt->clos_id);
  for (guint i = 0; rdt->schemata != NULL && rdt->schemata[i] != NULL; i++)
    {
      g_autofree char *line_path = hako_json_path_index (schemata_path, i);
      if (!require_single_line (rdt->schemata[i], line_path, error))
        return FALSE;
    }
  if (rdt->mem_bw_schema != NULL && !g_str_has_prefix (rdt->mem_bw_schema, "MB:"))
    return hako_json_invalid (error, mem_bw_path, _("must start with \"MB:\" (e.g. \"MB:0=20\")"));
  return rdt->mem_bw_schema == NULL || require_single_line (rdt->mem_bw_schema, mem_bw_path, error);
}

/* ---- memoryPolicy ---- */

static const NamedValue mempolicy_modes[] = {
  { "MPOL_DEFAULT", MPOL_DEFAULT },
  { "MPOL_BIND", MPOL_BIND },
  { "MPOL_INTERLEAVE", MPOL_INTERLEAVE },
  { "MPOL_WEIGHTED_INTERLEAVE", HAKO_MPOL_WEIGHTED_INTERLEAVE },
  { "MPOL_PREFERRED", MPOL_PREFERRED },
  { "MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY },
  { "MPOL_LOCAL", MPOL_LOCAL },
};

static const NamedValue mempolicy_flags[] = {
  { "MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING },
  { "MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES },
  { "MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES },
};

static gboolean
parse_memory_policy (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoMemoryPolicy *policy = element;
  g_autofree char *mode_path = hako_json_path_member (path, "mode");
  g_autofree char *nodes_path = hako_json_path_member (path, "nodes");
  g_autofree char *flags_path = hako_json_path_member (path, "flags");
  gboolean has_nodes, takes_nodes, needs_nodes;

  if (!hako_json_member_string (object, path, "mode", HAKO_JSON_REQUIRED, &policy->mode, error)
      || !lookup_value (mempolicy_modes, G_N_ELEMENTS (mempolicy_modes), policy->mode, mode_path,
                        &policy->mode_value, error)
      || !hako_json_member_string (object, path, "nodes", HAKO_JSON_OPTIONAL, &policy->nodes,
                                   error)
      || !hako_json_member_strv (object, path, "flags", HAKO_JSON_OPTIONAL, &policy->flags, error))
    return FALSE;
  for (guint i = 0; policy->flags != NULL && policy->flags[i] != NULL; i++)
    {
      g_autofree char *flag_path = hako_json_path_index (flags_path, i);
      int flag = 0;

      if (!lookup_value (mempolicy_flags, G_N_ELEMENTS (mempolicy_flags), policy->flags[i],
                         flag_path, &flag, error))
        return FALSE;
      policy->flags_value |= flag;
    }
  if ((policy->flags_value & MPOL_F_STATIC_NODES) && (policy->flags_value & MPOL_F_RELATIVE_NODES))
    return hako_json_invalid (error, flags_path,
                              _("MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each "
                                "other: keep one"));
  /* set_mempolicy(2): the default and local policies take no nodes, while
   * MPOL_PREFERRED alone may go either way. */
  has_nodes = policy->nodes != NULL && *policy->nodes != '\0';
  takes_nodes = policy->mode_value != MPOL_DEFAULT && policy->mode_value != MPOL_LOCAL;
  needs_nodes = takes_nodes && policy->mode_value != MPOL_PREFERRED;
  if (has_nodes && !takes_nodes)
    return hako_json_invalid (error, nodes_path, _("%s takes no nodes: remove nodes"),
                              policy->mode);
  if (!has_nodes && needs_nodes)
    return hako_json_invalid (error, nodes_path,
                              _("%s needs at least one node (e.g. \"0-1\")"), policy->mode);
  return TRUE;
}

/* ---- personality ---- */

static gboolean
parse_personality (JsonObject *object, const char *path, gpointer element, GError **error)
{
  static const char *const domains[] = { "LINUX", "LINUX32", NULL };
  HakoPersonality *personality = element;
  g_autofree char *domain_path = hako_json_path_member (path, "domain");
  g_autofree char *flags_path = hako_json_path_member (path, "flags");

  if (!hako_json_member_string (object, path, "domain", HAKO_JSON_REQUIRED, &personality->domain,
                                error)
      || !hako_spec_require_one_of (personality->domain, domain_path, domains, error)
      || !hako_json_member_strv (object, path, "flags", HAKO_JSON_OPTIONAL, &personality->flags,
                                 error))
    return FALSE;
  /* config-linux.md: "Currently no flag values are supported." */
  if (personality->flags != NULL && personality->flags[0] != NULL)
    {
      g_autofree char *flag_path = hako_json_path_index (flags_path, 0);
      return hako_json_invalid (error, flag_path,
                                _("unknown personality flag \"%s\": no flags are supported"),
                                personality->flags[0]);
    }
  return TRUE;
}

/* ---- linux ---- */

static gboolean
parse_resources (JsonObject *object, const char *path, HakoLinux *linux_, GError **error)
{
  JsonObject *resources = NULL;
  g_autofree char *resources_path = NULL;

  if (!hako_json_member_object (object, path, "resources", HAKO_JSON_OPTIONAL, &resources,
                                &resources_path, error))
    return FALSE;
  return resources == NULL
         || hako_spec_parse_resources (resources, resources_path, &linux_->resources, error);
}

static gboolean
parse_seccomp (JsonObject *object, const char *path, HakoLinux *linux_, GError **error)
{
  JsonObject *seccomp = NULL;
  g_autofree char *seccomp_path = NULL;

  if (!hako_json_member_object (object, path, "seccomp", HAKO_JSON_OPTIONAL, &seccomp,
                                &seccomp_path, error))
    return FALSE;
  return seccomp == NULL
         || hako_spec_parse_seccomp (seccomp, seccomp_path, &linux_->seccomp, error);
}

/* A property that only works with a new namespace of one kind; suggests adding it. */
static gboolean
require_new_namespace (const HakoLinux *linux_, HakoNamespaceKind kind, const char *path,
                       const char *member, GError **error)
{
  const HakoNamespace *ns = &linux_->namespaces[kind];
  g_autofree char *member_path = hako_json_path_member (path, member);

  if (!ns->present)
    return hako_json_invalid (error, member_path,
                              _("needs a %s namespace: add {\"type\": \"%s\"} to %s.namespaces"),
                              hako_namespace_kind_name (kind), hako_namespace_kind_name (kind),
                              path);
  if (ns->path != NULL)
    return hako_json_invalid (error, member_path,
                              _("can only be set on a new %s namespace, not the one joined at %s"),
                              hako_namespace_kind_name (kind), ns->path);
  return TRUE;
}

/* Checks that tie properties together, once everything is read. */
static gboolean
check_linux (const HakoLinux *linux_, const char *path, GError **error)
{
  /* Clock offsets can only be written to a time namespace nothing has entered yet. */
  if ((linux_->time_offset_boottime.set || linux_->time_offset_monotonic.set)
      && !require_new_namespace (linux_, HAKO_NS_TIME, path, "timeOffsets", error))
    return FALSE;
  return TRUE;
}

gboolean
hako_spec_parse_linux (JsonObject *object, const char *path, HakoLinux **out, GError **error)
{
  static const char *const propagations[] = { "private", "shared", "slave", "unbindable", "rprivate",
                                              "rshared", "rslave", "runbindable", NULL };
  g_autoptr (HakoLinux) linux_ = g_new0 (HakoLinux, 1);
  g_autofree char *propagation_path = hako_json_path_member (path, "rootfsPropagation");

  if (!parse_namespaces (object, path, linux_, error)
      || !hako_spec_parse_id_mappings (object, path, "uidMappings", &linux_->uid_mappings, error)
      || !hako_spec_parse_id_mappings (object, path, "gidMappings", &linux_->gid_mappings, error)
      || !parse_time_offsets (object, path, linux_, error)
      || !hako_spec_parse_object_array (object, path, "devices", sizeof (HakoDevice),
                                        parse_device, (gpointer *) &linux_->devices,
                                        &linux_->n_devices, error)
      || !hako_spec_parse_object_map (object, path, "netDevices", sizeof (HakoNetDevice),
                                      offsetof (HakoNetDevice, host_name), parse_net_device,
                                      (gpointer *) &linux_->net_devices, &linux_->n_net_devices,
                                      error)
      || !hako_json_member_string (object, path, "cgroupsPath", HAKO_JSON_OPTIONAL,
                                   &linux_->cgroups_path, error)
      || !parse_resources (object, path, linux_, error)
      || !hako_spec_parse_object_member (object, path, "intelRdt", sizeof (HakoIntelRdt),
                                         parse_intel_rdt, (gpointer *) &linux_->intel_rdt, error)
      || !hako_spec_parse_object_member (object, path, "memoryPolicy", sizeof (HakoMemoryPolicy),
                                         parse_memory_policy, (gpointer *) &linux_->memory_policy,
                                         error)
      || !hako_json_member_string_map (object, path, "sysctl", &linux_->sysctl, error)
      || !parse_seccomp (object, path, linux_, error)
      || !hako_json_member_string (object, path, "rootfsPropagation", HAKO_JSON_OPTIONAL,
                                   &linux_->rootfs_propagation, error)
      || (linux_->rootfs_propagation != NULL
          && !hako_spec_require_one_of (linux_->rootfs_propagation, propagation_path,
                                        propagations, error))
      || !read_absolute_paths (object, path, "maskedPaths", &linux_->masked_paths, error)
      || !read_absolute_paths (object, path, "readonlyPaths", &linux_->readonly_paths, error)
      || !hako_json_member_string (object, path, "mountLabel", HAKO_JSON_OPTIONAL,
                                   &linux_->mount_label, error)
      || !hako_spec_parse_object_member (object, path, "personality", sizeof (HakoPersonality),
                                         parse_personality, (gpointer *) &linux_->personality,
                                         error)
      || !check_linux (linux_, path, error))
    return FALSE;
  *out = g_steal_pointer (&linux_);
  return TRUE;
}

void
hako_linux_free (HakoLinux *linux_)
{
  if (linux_ == NULL)
    return;
  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    g_free (linux_->namespaces[kind].path);
  g_free (linux_->uid_mappings.items);
  g_free (linux_->gid_mappings.items);
  for (guint i = 0; i < linux_->n_devices; i++)
    g_free (linux_->devices[i].path);
  g_free (linux_->devices);
  for (guint i = 0; i < linux_->n_net_devices; i++)
    {
      g_free (linux_->net_devices[i].host_name);
      g_free (linux_->net_devices[i].name);
    }
  g_free (linux_->net_devices);
  g_free (linux_->cgroups_path);
  hako_resources_free (linux_->resources);
  if (linux_->intel_rdt != NULL)
    {
      g_free (linux_->intel_rdt->clos_id);
      g_strfreev (linux_->intel_rdt->schemata);
      g_free (linux_->intel_rdt->l3_cache_schema);
      g_free (linux_->intel_rdt->mem_bw_schema);
      g_free (linux_->intel_rdt);
    }
  if (linux_->memory_policy != NULL)
    {
      g_free (linux_->memory_policy->mode);
      g_free (linux_->memory_policy->nodes);
      g_strfreev (linux_->memory_policy->flags);
      g_free (linux_->memory_policy);
    }
  g_clear_pointer (&linux_->sysctl, g_hash_table_unref);
  hako_seccomp_free (linux_->seccomp);
  g_free (linux_->rootfs_propagation);
  g_strfreev (linux_->masked_paths);
  g_strfreev (linux_->readonly_paths);
  g_free (linux_->mount_label);
  if (linux_->personality != NULL)
    {
      g_free (linux_->personality->domain);
      g_strfreev (linux_->personality->flags);
      g_free (linux_->personality);
    }
  g_free (linux_);
}
