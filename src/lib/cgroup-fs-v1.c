/* linux.resources written into cgroup v1 controllers (config-linux.md,
 * "Control groups"; the kernel's cgroup-v1 documentation). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "cgroup-private.h"
#include "error.h"
#include "i18n.h"
#include "log.h"

/* Kernels since 5.16 keep memory.kmem.limit_in_bytes but ignore what is
 * written there (config-linux.md deprecates the setting): say so rather
 * than pretend. */
static gboolean
set_kernel_memory (const HakoCgroup *cgroup, gint64 limit, GError **error)
{
  const char *path = "linux.resources.memory.kernel";
  g_autofree char *file = NULL, *text = NULL;

  if (!hako_cgroup_fs_set_int (cgroup, "memory", "memory.kmem.limit_in_bytes", limit, path, error))
    return FALSE;
  file = g_build_filename (hako_cgroup_controller_dir (cgroup, "memory"), "memory.kmem.limit_in_bytes", NULL);
  if (limit >= 0 && g_file_get_contents (file, &text, NULL, NULL)
      /* The kernel rounds a limit it keeps down to pages: only more is ignoring it. */
      && g_ascii_strtoll (text, NULL, 10) > limit)
    hako_log_warning (_("config.json: %s is not enforced: this kernel ignores kernel memory limits"), path);
  return TRUE;
}

static gboolean
apply_memory (const HakoCgroup *cgroup, const HakoMemory *m, GError **error)
{
  if (m == NULL)
    return TRUE;
  /* The limit before memsw: memory.memsw.limit_in_bytes may not go below it. */
  return HAKO_CGROUP_SET_OPT (m->limit, "memory", "memory.limit_in_bytes", "linux.resources.memory.limit")
         && HAKO_CGROUP_SET_OPT (m->reservation, "memory", "memory.soft_limit_in_bytes",
                                 "linux.resources.memory.reservation")
         && HAKO_CGROUP_SET_OPT (m->swap, "memory", "memory.memsw.limit_in_bytes", "linux.resources.memory.swap")
         && (!m->kernel.set || set_kernel_memory (cgroup, m->kernel.value, error))
         && HAKO_CGROUP_SET_OPT (m->kernel_tcp, "memory", "memory.kmem.tcp.limit_in_bytes",
                                 "linux.resources.memory.kernelTCP")
         && HAKO_CGROUP_SET_OPT (m->swappiness, "memory", "memory.swappiness", "linux.resources.memory.swappiness")
         && HAKO_CGROUP_SET_OPT (m->disable_oom_killer, "memory", "memory.oom_control",
                                 "linux.resources.memory.disableOOMKiller")
         && HAKO_CGROUP_SET_OPT (m->use_hierarchy, "memory", "memory.use_hierarchy",
                                 "linux.resources.memory.useHierarchy");
}

static gboolean
apply_cpu (const HakoCgroup *cgroup, const HakoCpu *c, GError **error)
{
  if (c == NULL)
    return TRUE;
  /* Periods before what they bound: the kernel checks each write against the other. */
  return HAKO_CGROUP_SET_OPT (c->shares, "cpu", "cpu.shares", "linux.resources.cpu.shares")
         && HAKO_CGROUP_SET_OPT (c->period, "cpu", "cpu.cfs_period_us", "linux.resources.cpu.period")
         && HAKO_CGROUP_SET_OPT (c->quota, "cpu", "cpu.cfs_quota_us", "linux.resources.cpu.quota")
         && HAKO_CGROUP_SET_OPT (c->burst, "cpu", "cpu.cfs_burst_us", "linux.resources.cpu.burst")
         && HAKO_CGROUP_SET_OPT (c->realtime_period, "cpu", "cpu.rt_period_us", "linux.resources.cpu.realtimePeriod")
         && HAKO_CGROUP_SET_OPT (c->realtime_runtime, "cpu", "cpu.rt_runtime_us",
                                 "linux.resources.cpu.realtimeRuntime")
         && HAKO_CGROUP_SET_OPT (c->idle, "cpu", "cpu.idle", "linux.resources.cpu.idle")
         && (c->cpus == NULL || hako_cgroup_fs_set (cgroup, "cpuset", "cpuset.cpus", c->cpus, "linux.resources.cpu.cpus", error))
         && (c->mems == NULL || hako_cgroup_fs_set (cgroup, "cpuset", "cpuset.mems", c->mems, "linux.resources.cpu.mems", error));
}

/* "c 1:3 rwm"; an absent (or Docker's -1) number is any. */
static char *
device_rule_text (const HakoDeviceRule *rule)
{
  g_autofree char *major = rule->major.set && rule->major.value >= 0
                               ? g_strdup_printf ("%" G_GINT64_FORMAT, rule->major.value)
                               : g_strdup ("*");
  g_autofree char *minor = rule->minor.set && rule->minor.value >= 0
                               ? g_strdup_printf ("%" G_GINT64_FORMAT, rule->minor.value)
                               : g_strdup ("*");

  return g_strdup_printf ("%c %s:%s %s", rule->type ? rule->type : 'a', major, minor,
                          rule->access ? rule->access : "rwm");
}

static gboolean
apply_devices (const HakoCgroup *cgroup, const HakoResources *r, GError **error)
{
  g_autoptr (GPtrArray) rules = NULL;

  if (r->n_devices == 0)
    return TRUE;
  /* The rules start from nothing allowed. */
  if (!hako_cgroup_fs_set (cgroup, "devices", "devices.deny", "a", "linux.resources.devices", error))
    return FALSE;
  rules = hako_cgroup_device_rules (r);
  for (guint i = 0; i < rules->len; i++)
    {
      const HakoDeviceRule *rule = rules->pdata[i];
      g_autofree char *text = device_rule_text (rule);
      g_autofree char *path = i < r->n_devices ? g_strdup_printf ("linux.resources.devices[%u]", i)
                                               : g_strdup ("linux.resources.devices");
      if (!hako_cgroup_fs_set (cgroup, "devices", rule->allow ? "devices.allow" : "devices.deny", text,
                               path, error))
        return FALSE;
    }
  return TRUE;
}

/* blkio.weight, or blkio.bfq.weight where only the BFQ scheduler weighs. */
static const char *
weight_file (const HakoCgroup *cgroup, const char *cfq, const char *bfq)
{
  const char *dir = hako_cgroup_controller_dir (cgroup, "blkio");
  g_autofree char *path = dir ? g_build_filename (dir, cfq, NULL) : NULL;

  return path == NULL || access (path, F_OK) == 0 ? cfq : bfq;
}

static gboolean
apply_block_io (const HakoCgroup *cgroup, const HakoBlockIo *b, GError **error)
{
  static const char *const throttle_files[HAKO_THROTTLE_N_KINDS] = {
    [HAKO_THROTTLE_READ_BPS] = "blkio.throttle.read_bps_device",
    [HAKO_THROTTLE_WRITE_BPS] = "blkio.throttle.write_bps_device",
    [HAKO_THROTTLE_READ_IOPS] = "blkio.throttle.read_iops_device",
    [HAKO_THROTTLE_WRITE_IOPS] = "blkio.throttle.write_iops_device",
  };

  if (b == NULL)
    return TRUE;
  if (!HAKO_CGROUP_SET_OPT (b->weight, "blkio", weight_file (cgroup, "blkio.weight", "blkio.bfq.weight"),
                "linux.resources.blockIO.weight")
      || !HAKO_CGROUP_SET_OPT (b->leaf_weight, "blkio", "blkio.leaf_weight", "linux.resources.blockIO.leafWeight"))
    return FALSE;
  for (guint i = 0; i < b->n_weight_devices; i++)
    {
      const HakoBlockIoWeightDevice *d = &b->weight_devices[i];
      g_autofree char *path = g_strdup_printf ("linux.resources.blockIO.weightDevice[%u]", i);
      g_autofree char *weight = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT,
                                                 d->major, d->minor, d->weight.value);
      g_autofree char *leaf = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT,
                                               d->major, d->minor, d->leaf_weight.value);
      if ((d->weight.set
           && !hako_cgroup_fs_set (cgroup, "blkio", weight_file (cgroup, "blkio.weight_device", "blkio.bfq.weight_device"),
                    weight, path, error))
          || (d->leaf_weight.set && !hako_cgroup_fs_set (cgroup, "blkio", "blkio.leaf_weight_device", leaf, path, error)))
        return FALSE;
    }
  for (int kind = 0; kind < HAKO_THROTTLE_N_KINDS; kind++)
    for (guint i = 0; i < b->n_throttles[kind]; i++)
      {
        const HakoBlockIoThrottle *t = &b->throttles[kind][i];
        g_autofree char *path = g_strdup_printf ("linux.resources.blockIO.%s[%u]", hako_throttle_member_names[kind], i);
        g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT,
                                                 t->major, t->minor, t->rate);
        if (!hako_cgroup_fs_set (cgroup, "blkio", throttle_files[kind], text, path, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
apply_network (const HakoCgroup *cgroup, const HakoResources *r, GError **error)
{
  if (!HAKO_CGROUP_SET_OPT (r->net_class_id, "net_cls", "net_cls.classid", "linux.resources.network.classID"))
    return FALSE;
  for (guint i = 0; i < r->n_net_priorities; i++)
    {
      g_autofree char *path = g_strdup_printf ("linux.resources.network.priorities[%u]", i);
      g_autofree char *text = g_strdup_printf ("%s %u", r->net_priorities[i].name, r->net_priorities[i].priority);
      if (!hako_cgroup_fs_set (cgroup, "net_prio", "net_prio.ifpriomap", text, path, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
hako_cgroup_fs_apply_v1 (HakoCgroup *cgroup, const HakoResources *r, GError **error)
{
  if (r->unified && g_hash_table_size (r->unified) > 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("config.json: linux.resources.unified is for cgroup v2, and this host's controllers are cgroup v1: use the v1 settings (linux.resources.memory, cpu, ...) instead"));
      return FALSE;
    }
  /* No limit is "max" in pids.max: for -1, and for 0 (runc leaves it unset, the same in a new cgroup). */
  return apply_memory (cgroup, r->memory, error) && apply_cpu (cgroup, r->cpu, error)
         && (!r->pids_limit.set
             || (r->pids_limit.value > 0
                     ? hako_cgroup_fs_set_int (cgroup, "pids", "pids.max", r->pids_limit.value, "linux.resources.pids.limit", error)
                     : hako_cgroup_fs_set (cgroup, "pids", "pids.max", "max", "linux.resources.pids.limit", error)))
         && apply_block_io (cgroup, r->block_io, error) && hako_cgroup_fs_apply_hugetlb (cgroup, r, "limit_in_bytes", error)
         && apply_network (cgroup, r, error) && hako_cgroup_fs_apply_rdma (cgroup, r, error)
         && apply_devices (cgroup, r, error);
}
