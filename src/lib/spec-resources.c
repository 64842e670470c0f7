/* linux.resources: the cgroup limits (config-linux.md, "Control groups"). */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "error.h"
#include "i18n.h"
#include "spec-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoResources, hako_resources_free)

/* Memory limits and similar counts: bytes, or -1 for unlimited. */
#define UNLIMITED (-1)

static gboolean
read_device_numbers (JsonObject *object, const char *path, HakoJsonPresence presence,
                     gint64 min, HakoOptInt *major, HakoOptInt *minor, GError **error)
{
  return hako_json_member_int (object, path, "major", presence, min, HAKO_DEVICE_MAJOR_MAX,
                               major, error)
         && hako_json_member_int (object, path, "minor", presence, min, HAKO_DEVICE_MINOR_MAX,
                                  minor, error);
}

static gboolean
require_either (const HakoOptUint *a, const HakoOptUint *b, const char *path,
                const char *a_name, const char *b_name, GError **error)
{
  if (!a->set && !b->set)
    return hako_json_invalid (error, path, _("set %s, %s or both"), a_name, b_name);
  return TRUE;
}

/* ---- devices ---- */

static gboolean
parse_device_rule (JsonObject *object, const char *path, gpointer element, GError **error)
{
  static const char *const types[] = { "a", "c", "b", NULL };
  HakoDeviceRule *rule = element;
  HakoOptBool allow = { FALSE, FALSE };
  g_autofree char *type = NULL;
  g_autofree char *type_path = hako_json_path_member (path, "type");
  g_autofree char *access_path = hako_json_path_member (path, "access");

  if (!hako_json_member_opt_bool (object, path, "allow", &allow, error))
    return FALSE;
  if (!allow.set)
    {
      g_autofree char *allow_path = hako_json_path_member (path, "allow");
      return hako_json_invalid (error, allow_path, _("required property is missing"));
    }
  rule->allow = allow.value;
  if (!hako_json_member_string (object, path, "type", HAKO_JSON_OPTIONAL, &type, error)
      || (type != NULL && !hako_spec_require_one_of (type, type_path, types, error))
      /* Docker writes -1 for "*": it means any, as an absent number does. */
      || !read_device_numbers (object, path, HAKO_JSON_OPTIONAL, -1, &rule->major, &rule->minor,
                               error)
      || !hako_json_member_string (object, path, "access", HAKO_JSON_OPTIONAL, &rule->access,
                                   error))
    return FALSE;
  rule->type = type != NULL ? type[0] : 'a';
  rule->major.set = rule->major.set && rule->major.value != -1;
  rule->minor.set = rule->minor.set && rule->minor.value != -1;
  if (rule->access != NULL
      && (*rule->access == '\0' || strspn (rule->access, "rwm") != strlen (rule->access)))
    return hako_json_invalid (error, access_path,
                              _("\"%s\" is not a combination of r, w and m (e.g. \"rwm\")"),
                              rule->access);
  return TRUE;
}

/* ---- memory, cpu, pids ---- */

static gboolean
parse_memory (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoMemory *memory = element;
  g_autofree char *swap_path = hako_json_path_member (path, "swap");

  if (!hako_json_member_int (object, path, "limit", HAKO_JSON_OPTIONAL, UNLIMITED, G_MAXINT64,
                             &memory->limit, error)
      || !hako_json_member_int (object, path, "reservation", HAKO_JSON_OPTIONAL, UNLIMITED,
                                G_MAXINT64, &memory->reservation, error)
      || !hako_json_member_int (object, path, "swap", HAKO_JSON_OPTIONAL, UNLIMITED, G_MAXINT64,
                                &memory->swap, error)
      || !hako_json_member_int (object, path, "kernel", HAKO_JSON_OPTIONAL, UNLIMITED,
                                G_MAXINT64, &memory->kernel, error)
      || !hako_json_member_int (object, path, "kernelTCP", HAKO_JSON_OPTIONAL, UNLIMITED,
                                G_MAXINT64, &memory->kernel_tcp, error)
      || !hako_json_member_uint (object, path, "swappiness", HAKO_JSON_OPTIONAL, 100,
                                 &memory->swappiness, error)
      || !hako_json_member_opt_bool (object, path, "disableOOMKiller",
                                     &memory->disable_oom_killer, error)
      || !hako_json_member_opt_bool (object, path, "useHierarchy", &memory->use_hierarchy, error)
      || !hako_json_member_opt_bool (object, path, "checkBeforeUpdate",
                                     &memory->check_before_update, error))
    return FALSE;
  /* swap limits memory+swap, so below the memory limit it cannot be met. */
  if (memory->limit.set && memory->limit.value > 0 && memory->swap.set && memory->swap.value > 0
      && memory->swap.value < memory->limit.value)
    return hako_json_invalid (error, swap_path,
                              _("%" PRId64 " is less than limit %" PRId64
                                ": swap limits memory plus swap, so make it at least limit"),
                              memory->swap.value, memory->limit.value);
  return TRUE;
}

static gboolean
parse_cpu (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoCpu *cpu = element;
  g_autofree char *burst_path = hako_json_path_member (path, "burst");

  if (!hako_json_member_uint (object, path, "shares", HAKO_JSON_OPTIONAL, G_MAXUINT64,
                              &cpu->shares, error)
      || !hako_json_member_int (object, path, "quota", HAKO_JSON_OPTIONAL, UNLIMITED, G_MAXINT64,
                                &cpu->quota, error)
      || !hako_json_member_uint (object, path, "burst", HAKO_JSON_OPTIONAL, G_MAXUINT64,
                                 &cpu->burst, error)
      || !hako_json_member_uint (object, path, "period", HAKO_JSON_OPTIONAL, G_MAXUINT64,
                                 &cpu->period, error)
      || !hako_json_member_int (object, path, "realtimeRuntime", HAKO_JSON_OPTIONAL, UNLIMITED,
                                G_MAXINT64, &cpu->realtime_runtime, error)
      || !hako_json_member_uint (object, path, "realtimePeriod", HAKO_JSON_OPTIONAL, G_MAXUINT64,
                                 &cpu->realtime_period, error)
      || !hako_json_member_string (object, path, "cpus", HAKO_JSON_OPTIONAL, &cpu->cpus, error)
      || !hako_json_member_string (object, path, "mems", HAKO_JSON_OPTIONAL, &cpu->mems, error)
      /* 0: the default weight, 1: SCHED_IDLE. */
      || !hako_json_member_int (object, path, "idle", HAKO_JSON_OPTIONAL, 0, 1, &cpu->idle,
                                error))
    return FALSE;
  if (cpu->burst.set && cpu->quota.set && cpu->quota.value > 0
      && cpu->burst.value > (guint64) cpu->quota.value)
    return hako_json_invalid (error, burst_path,
                              _("%" PRIu64 " is larger than quota %" PRId64
                                ": make it at most quota"),
                              cpu->burst.value, cpu->quota.value);
  return TRUE;
}

static gboolean
parse_pids (JsonObject *object, const char *path, HakoResources *resources, GError **error)
{
  JsonObject *pids = NULL;
  g_autofree char *pids_path = NULL;

  /* 0 is a valid limit for the kernel; -1 means no limit. */
  return hako_json_member_object (object, path, "pids", HAKO_JSON_OPTIONAL, &pids, &pids_path,
                                  error)
         && (pids == NULL
             || hako_json_member_int (pids, pids_path, "limit", HAKO_JSON_REQUIRED, UNLIMITED,
                                      G_MAXINT64, &resources->pids_limit, error));
}

/* ---- blockIO ---- */

/* blkio weights run from 10 to 1000 (cgroup v2's io.weight is converted
 * from them); 0, which Docker sends for none, leaves the weight alone, as
 * runc has it. */
static gboolean
read_weight (JsonObject *object, const char *path, const char *member, HakoOptUint *out,
             GError **error)
{
  HakoOptInt weight = { FALSE, 0 };

  if (!hako_json_member_int (object, path, member, HAKO_JSON_OPTIONAL, 0, 1000, &weight, error))
    return FALSE;
  if (weight.set && weight.value > 0 && weight.value < 10)
    {
      g_autofree char *member_path = hako_json_path_member (path, member);
      return hako_json_invalid (error, member_path, _("%d is out of range (10..1000, or 0 for none)"),
                                (int) weight.value);
    }
  out->set = weight.set && weight.value != 0;
  out->value = weight.value;
  return TRUE;
}

static gboolean
parse_weight_device (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoBlockIoWeightDevice *device = element;
  HakoOptInt major = { FALSE, 0 }, minor = { FALSE, 0 };

  if (!read_device_numbers (object, path, HAKO_JSON_REQUIRED, 0, &major, &minor, error)
      || !read_weight (object, path, "weight", &device->weight, error)
      || !read_weight (object, path, "leafWeight", &device->leaf_weight, error)
      || !require_either (&device->weight, &device->leaf_weight, path, "weight", "leafWeight",
                          error))
    return FALSE;
  device->major = major.value;
  device->minor = minor.value;
  return TRUE;
}

static gboolean
parse_throttle (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoBlockIoThrottle *throttle = element;
  HakoOptInt major = { FALSE, 0 }, minor = { FALSE, 0 };
  HakoOptUint rate = { FALSE, 0 };

  if (!read_device_numbers (object, path, HAKO_JSON_REQUIRED, 0, &major, &minor, error)
      || !hako_json_member_uint (object, path, "rate", HAKO_JSON_REQUIRED, G_MAXUINT64, &rate,
                                 error))
    return FALSE;
  throttle->major = major.value;
  throttle->minor = minor.value;
  throttle->rate = rate.value;
  return TRUE;
}

const char *const hako_throttle_member_names[HAKO_THROTTLE_N_KINDS] = {
  [HAKO_THROTTLE_READ_BPS] = "throttleReadBpsDevice",
  [HAKO_THROTTLE_WRITE_BPS] = "throttleWriteBpsDevice",
  [HAKO_THROTTLE_READ_IOPS] = "throttleReadIOPSDevice",
  [HAKO_THROTTLE_WRITE_IOPS] = "throttleWriteIOPSDevice",
};

static gboolean
parse_block_io (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoBlockIo *block_io = element;

  if (!read_weight (object, path, "weight", &block_io->weight, error)
      || !read_weight (object, path, "leafWeight", &block_io->leaf_weight, error)
      || !hako_spec_parse_object_array (object, path, "weightDevice",
                                        sizeof (HakoBlockIoWeightDevice), parse_weight_device,
                                        (gpointer *) &block_io->weight_devices,
                                        &block_io->n_weight_devices, error))
    return FALSE;
  for (int kind = 0; kind < HAKO_THROTTLE_N_KINDS; kind++)
    if (!hako_spec_parse_object_array (object, path, hako_throttle_member_names[kind],
                                       sizeof (HakoBlockIoThrottle), parse_throttle,
                                       (gpointer *) &block_io->throttles[kind],
                                       &block_io->n_throttles[kind], error))
      return FALSE;
  return TRUE;
}

/* ---- hugepageLimits, network, rdma ---- */

/* ^[1-9][0-9]*[KMG]B$, as in the schema. */
static gboolean
is_page_size (const char *s)
{
  if (*s < '1' || *s > '9')
    return FALSE;
  while (g_ascii_isdigit (*s))
    s++;
  return *s != '\0' && strchr ("KMG", *s) != NULL && g_str_equal (s + 1, "B");
}

static gboolean
parse_hugepage_limit (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoHugepageLimit *hugepage = element;
  g_autofree char *size_path = hako_json_path_member (path, "pageSize");
  HakoOptUint limit = { FALSE, 0 };

  if (!hako_json_member_string (object, path, "pageSize", HAKO_JSON_REQUIRED,
                                &hugepage->page_size, error))
    return FALSE;
  if (!is_page_size (hugepage->page_size))
    return hako_json_invalid (error, size_path,
                              _("\"%s\" is not a page size: use a number and KB, MB or GB "
                                "(e.g. \"2MB\")"),
                              hugepage->page_size);
  if (!hako_json_member_uint (object, path, "limit", HAKO_JSON_REQUIRED, G_MAXUINT64, &limit,
                              error))
    return FALSE;
  hugepage->limit = limit.value;
  return TRUE;
}

static gboolean
parse_net_priority (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoNetPriority *priority = element;

  return hako_json_member_string (object, path, "name", HAKO_JSON_REQUIRED, &priority->name,
                                  error)
         && hako_spec_member_uint32 (object, path, "priority", &priority->priority, error);
}

static gboolean
parse_network (JsonObject *object, const char *path, HakoResources *resources, GError **error)
{
  JsonObject *network = NULL;
  g_autofree char *network_path = NULL;

  if (!hako_json_member_object (object, path, "network", HAKO_JSON_OPTIONAL, &network,
                                &network_path, error))
    return FALSE;
  return network == NULL
         || (hako_json_member_uint (network, network_path, "classID", HAKO_JSON_OPTIONAL,
                                    G_MAXUINT32, &resources->net_class_id, error)
             && hako_spec_parse_object_array (network, network_path, "priorities",
                                              sizeof (HakoNetPriority), parse_net_priority,
                                              (gpointer *) &resources->net_priorities,
                                              &resources->n_net_priorities, error));
}

static gboolean
parse_rdma_limit (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoRdmaLimit *rdma = element;

  return hako_json_member_uint (object, path, "hcaHandles", HAKO_JSON_OPTIONAL, G_MAXUINT32,
                                &rdma->hca_handles, error)
         && hako_json_member_uint (object, path, "hcaObjects", HAKO_JSON_OPTIONAL, G_MAXUINT32,
                                   &rdma->hca_objects, error)
         && require_either (&rdma->hca_handles, &rdma->hca_objects, path, "hcaHandles",
                            "hcaObjects", error);
}

/* ---- unified ---- */

static gboolean
parse_unified (JsonObject *object, const char *path, HakoResources *resources, GError **error)
{
  g_autofree char *unified_path = hako_json_path_member (path, "unified");
  GHashTableIter iter;
  const char *key;

  if (!hako_json_member_string_map (object, path, "unified", &resources->unified, error))
    return FALSE;
  if (resources->unified == NULL)
    return TRUE;
  /* Each key names a file in the container's cgroup directory, never a path out of it. */
  g_hash_table_iter_init (&iter, resources->unified);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (strchr (key, '/') != NULL || g_str_equal (key, ".") || g_str_equal (key, ".."))
      {
        g_autofree char *key_path = hako_json_path_member (unified_path, key);
        return hako_json_invalid (error, key_path,
                                  _("must name a cgroup file (e.g. \"memory.high\"), not a path"));
      }
  return TRUE;
}

gboolean
hako_spec_parse_resources (JsonObject *object, const char *path, HakoResources **out,
                           GError **error)
{
  g_autoptr (HakoResources) resources = g_new0 (HakoResources, 1);

  if (!hako_spec_parse_object_array (object, path, "devices", sizeof (HakoDeviceRule),
                                     parse_device_rule, (gpointer *) &resources->devices,
                                     &resources->n_devices, error)
      || !hako_spec_parse_object_member (object, path, "memory", sizeof (HakoMemory),
                                         parse_memory, (gpointer *) &resources->memory, error)
      || !hako_spec_parse_object_member (object, path, "cpu", sizeof (HakoCpu), parse_cpu,
                                         (gpointer *) &resources->cpu, error)
      || !parse_pids (object, path, resources, error)
      || !hako_spec_parse_object_member (object, path, "blockIO", sizeof (HakoBlockIo),
                                         parse_block_io, (gpointer *) &resources->block_io,
                                         error)
      || !hako_spec_parse_object_array (object, path, "hugepageLimits",
                                        sizeof (HakoHugepageLimit), parse_hugepage_limit,
                                        (gpointer *) &resources->hugepage_limits,
                                        &resources->n_hugepage_limits, error)
      || !parse_network (object, path, resources, error)
      || !hako_spec_parse_object_map (object, path, "rdma", sizeof (HakoRdmaLimit),
                                      offsetof (HakoRdmaLimit, device), parse_rdma_limit,
                                      (gpointer *) &resources->rdma, &resources->n_rdma, error)
      || !parse_unified (object, path, resources, error))
    return FALSE;
  *out = g_steal_pointer (&resources);
  return TRUE;
}

void
hako_resources_free (HakoResources *resources)
{
  if (resources == NULL)
    return;
  for (guint i = 0; i < resources->n_devices; i++)
    g_free (resources->devices[i].access);
  g_free (resources->devices);
  g_free (resources->memory);
  if (resources->cpu != NULL)
    {
      g_free (resources->cpu->cpus);
      g_free (resources->cpu->mems);
      g_free (resources->cpu);
    }
  if (resources->block_io != NULL)
    {
      g_free (resources->block_io->weight_devices);
      for (int kind = 0; kind < HAKO_THROTTLE_N_KINDS; kind++)
        g_free (resources->block_io->throttles[kind]);
      g_free (resources->block_io);
    }
  for (guint i = 0; i < resources->n_hugepage_limits; i++)
    g_free (resources->hugepage_limits[i].page_size);
  g_free (resources->hugepage_limits);
  for (guint i = 0; i < resources->n_net_priorities; i++)
    g_free (resources->net_priorities[i].name);
  g_free (resources->net_priorities);
  for (guint i = 0; i < resources->n_rdma; i++)
    g_free (resources->rdma[i].device);
  g_free (resources->rdma);
  g_clear_pointer (&resources->unified, g_hash_table_unref);
  g_free (resources);
}
