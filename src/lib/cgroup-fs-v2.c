/* linux.resources written into a cgroup v2 directory (config-linux.md,
 * "Control groups" and "Unified"; the kernel's cgroup-v2 documentation).
 * v1 settings map to their v2 files, converted where the scales differ;
 * what v2 has no file for is an error naming the setting. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cgroup-private.h"
#include "error.h"
#include "i18n.h"
#include "log.h"

guint64
hako_cgroup_cpu_shares_to_weight (guint64 shares)
{
  shares = CLAMP (shares, 2, 262144);
  return 1 + ((shares - 2) * 9999) / 262142;
}

guint64
hako_cgroup_blkio_weight_to_io_weight (guint64 weight)
{
  weight = CLAMP (weight, 10, 1000);
  return 1 + ((weight - 10) * 9999) / 990;
}

static gboolean
no_v2_file (const char *json_path, GError **error)
{
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
               _("config.json: %s: cgroup v2 has no such limit: remove the setting"), json_path);
  return FALSE;
}

/* "max" for -1 (unlimited), else the number. */
static gboolean
set_limit (const HakoCgroup *cgroup, const char *controller, const char *file, gint64 value,
           const char *json_path, GError **error)
{
  if (value < 0)
    return hako_cgroup_fs_set (cgroup, controller, file, "max", json_path, error);
  return hako_cgroup_fs_set_int (cgroup, controller, file, value, json_path, error);
}

/* memory.swap.max is swap alone; linux.resources.memory.swap is memory
 * plus swap (v1's memsw), so it is the difference, as runc computes it. */
static gboolean
set_swap (const HakoCgroup *cgroup, const HakoMemory *m, GError **error)
{
  const char *path = "linux.resources.memory.swap";

  if (m->swap.value < 0)
    return hako_cgroup_fs_set (cgroup, "memory", "memory.swap.max", "max", path, error);
  if (!m->limit.set || m->limit.value < 0 || m->swap.value < m->limit.value)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("config.json: %s: on cgroup v2 a swap limit (memory plus swap) needs a memory limit at most as large: set linux.resources.memory.limit"),
                   path);
      return FALSE;
    }
  return hako_cgroup_fs_set_int (cgroup, "memory", "memory.swap.max", m->swap.value - m->limit.value,
                                 path, error);
}

static gboolean
apply_memory (const HakoCgroup *cgroup, const HakoMemory *m, GError **error)
{
  if (m == NULL)
    return TRUE;
  if (m->kernel.set)
    hako_log_warning (_("config.json: %s is not enforced: cgroup v2 has no kernel memory limit"),
                      "linux.resources.memory.kernel");
  return (!m->limit.set || set_limit (cgroup, "memory", "memory.max", m->limit.value, "linux.resources.memory.limit", error))
         && (!m->reservation.set || set_limit (cgroup, "memory", "memory.low", m->reservation.value, "linux.resources.memory.reservation", error))
         && (!m->swap.set || set_swap (cgroup, m, error))
         && (!m->kernel_tcp.set || no_v2_file ("linux.resources.memory.kernelTCP", error))
         && (!m->swappiness.set || no_v2_file ("linux.resources.memory.swappiness", error))
         && (!m->disable_oom_killer.set || !m->disable_oom_killer.value
             || no_v2_file ("linux.resources.memory.disableOOMKiller", error))
         /* v2 is always hierarchical. */
         && (!m->use_hierarchy.set || m->use_hierarchy.value
             || no_v2_file ("linux.resources.memory.useHierarchy", error));
}

static gboolean
apply_cpu (const HakoCgroup *cgroup, const HakoCpu *c, GError **error)
{
  g_autofree char *max = NULL;

  if (c == NULL)
    return TRUE;
  /* cpu.max is "QUOTA PERIOD", QUOTA "max" for none; the kernel's period is 100 ms. */
  if (c->quota.set || c->period.set)
    {
      g_autofree char *quota = c->quota.set && c->quota.value > 0
                                   ? g_strdup_printf ("%" G_GINT64_FORMAT, c->quota.value)
                                   : g_strdup ("max");
      max = g_strdup_printf ("%s %" G_GUINT64_FORMAT, quota, c->period.set ? c->period.value : 100000);
    }
  return (!c->shares.set || c->shares.value == 0
          || hako_cgroup_fs_set_int (cgroup, "cpu", "cpu.weight", hako_cgroup_cpu_shares_to_weight (c->shares.value),
                                     "linux.resources.cpu.shares", error))
         && (max == NULL
             || hako_cgroup_fs_set (cgroup, "cpu", "cpu.max", max,
                                    c->quota.set ? "linux.resources.cpu.quota" : "linux.resources.cpu.period", error))
         && HAKO_CGROUP_SET_OPT (c->burst, "cpu", "cpu.max.burst", "linux.resources.cpu.burst")
         && HAKO_CGROUP_SET_OPT (c->idle, "cpu", "cpu.idle", "linux.resources.cpu.idle")
         && (!c->realtime_runtime.set || no_v2_file ("linux.resources.cpu.realtimeRuntime", error))
         && (!c->realtime_period.set || no_v2_file ("linux.resources.cpu.realtimePeriod", error))
         && (c->cpus == NULL || hako_cgroup_fs_set (cgroup, "cpuset", "cpuset.cpus", c->cpus, "linux.resources.cpu.cpus", error))
         && (c->mems == NULL || hako_cgroup_fs_set (cgroup, "cpuset", "cpuset.mems", c->mems, "linux.resources.cpu.mems", error));
}

static gboolean
apply_block_io (const HakoCgroup *cgroup, const HakoBlockIo *b, GError **error)
{
  static const char *const throttle_keys[HAKO_THROTTLE_N_KINDS] = {
    [HAKO_THROTTLE_READ_BPS] = "rbps",
    [HAKO_THROTTLE_WRITE_BPS] = "wbps",
    [HAKO_THROTTLE_READ_IOPS] = "riops",
    [HAKO_THROTTLE_WRITE_IOPS] = "wiops",
  };

  if (b == NULL)
    return TRUE;
  if ((b->weight.set
       && !hako_cgroup_fs_set_int (cgroup, "io", "io.weight", hako_cgroup_blkio_weight_to_io_weight (b->weight.value),
                                   "linux.resources.blockIO.weight", error))
      || (b->leaf_weight.set && !no_v2_file ("linux.resources.blockIO.leafWeight", error)))
    return FALSE;
  for (guint i = 0; i < b->n_weight_devices; i++)
    {
      const HakoBlockIoWeightDevice *d = &b->weight_devices[i];
      g_autofree char *path = g_strdup_printf ("linux.resources.blockIO.weightDevice[%u]", i);
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT,
                                               d->major, d->minor,
                                               hako_cgroup_blkio_weight_to_io_weight (d->weight.value));
      if ((d->weight.set && !hako_cgroup_fs_set (cgroup, "io", "io.weight", text, path, error))
          || (d->leaf_weight.set && !no_v2_file (path, error)))
        return FALSE;
    }
  for (int kind = 0; kind < HAKO_THROTTLE_N_KINDS; kind++)
    for (guint i = 0; i < b->n_throttles[kind]; i++)
      {
        const HakoBlockIoThrottle *t = &b->throttles[kind][i];
        g_autofree char *path = g_strdup_printf ("linux.resources.blockIO.%s[%u]", hako_throttle_member_names[kind], i);
        g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %s=%" G_GUINT64_FORMAT,
                                                 t->major, t->minor, throttle_keys[kind], t->rate);
        if (!hako_cgroup_fs_set (cgroup, "io", "io.max", text, path, error))
          return FALSE;
      }
  return TRUE;
}

/* Each key is a file of the cgroup (spec-resources.c refused paths), its
 * value written as it is. */
static gboolean
apply_unified (const HakoCgroup *cgroup, GHashTable *unified, GError **error)
{
  g_autoptr (GList) keys = unified ? g_list_sort (g_hash_table_get_keys (unified), (GCompareFunc) strcmp) : NULL;

  for (GList *k = keys; k; k = k->next)
    {
      g_autofree char *path = g_strdup_printf ("linux.resources.unified.%s", (const char *) k->data);
      g_autofree char *controller = g_strndup (k->data, strcspn (k->data, "."));
      if (!hako_cgroup_fs_set (cgroup, controller, k->data, g_hash_table_lookup (unified, k->data), path, error))
        return FALSE;
    }
  return TRUE;
}

/* Device rules become an eBPF program, which only root may load: without
 * root they are not needed either, as the container cannot make device
 * nodes (it has no CAP_MKNOD in the initial user namespace) and sees only
 * those hako binds into it. Unified settings come last: they override. */
gboolean
hako_cgroup_fs_apply_v2 (HakoCgroup *cgroup, const HakoResources *r, GError **error)
{
  if (r->net_class_id.set)
    return no_v2_file ("linux.resources.network.classID", error);
  if (r->n_net_priorities > 0)
    return no_v2_file ("linux.resources.network.priorities", error);
  return apply_memory (cgroup, r->memory, error) && apply_cpu (cgroup, r->cpu, error)
         && (!r->pids_limit.set
             || set_limit (cgroup, "pids", "pids.max", r->pids_limit.value > 0 ? r->pids_limit.value : -1,
                           "linux.resources.pids.limit", error))
         && apply_block_io (cgroup, r->block_io, error) && hako_cgroup_fs_apply_hugetlb (cgroup, r, "max", error)
         && hako_cgroup_fs_apply_rdma (cgroup, r, error)
         && (geteuid () != 0
             || hako_cgroup_fs_apply_v2_devices (hako_cgroup_controller_dir (cgroup, "devices"), r, error))
         && apply_unified (cgroup, r->unified, error);
}
