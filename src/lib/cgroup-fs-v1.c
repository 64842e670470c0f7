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

/* Writes VALUE to FILE of CONTROLLER; an error names JSON_PATH, the setting
 * it comes from, and what the host lacks. */
static gboolean
set (const HakoCgroup *cgroup, const char *controller, const char *file, const char *value,
     const char *json_path, GError **error)
{
  const char *dir = hako_cgroup_controller_dir (cgroup, controller);
  int saved_errno;

  if (dir == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("config.json: %s: the %s cgroup controller is not mounted on this host (see /proc/mounts): remove the setting, or mount the controller under /sys/fs/cgroup"),
                   json_path, controller);
      return FALSE;
    }
  saved_errno = hako_cgroup_write_file (dir, file, value);
  if (saved_errno == ENOENT)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("config.json: %s: this kernel's %s cgroup controller has no %s: remove the setting"),
                   json_path, controller, file);
      return FALSE;
    }
  if (saved_errno != 0)
    return hako_error_set_errno (error, saved_errno, _("config.json: %s: cannot write \"%s\" to %s/%s"),
                                 json_path, value, dir, file);
  return TRUE;
}

static gboolean
set_int (const HakoCgroup *cgroup, const char *controller, const char *file, gint64 value,
         const char *json_path, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  return set (cgroup, controller, file, text, json_path, error);
}

#define SET_OPT(opt, controller, file, path) \
  (!(opt).set || set_int (cgroup, controller, file, (gint64) (opt).value, path, error))

/* Kernels since 5.16 keep memory.kmem.limit_in_bytes but ignore what is
 * written there (config-linux.md deprecates the setting): say so rather
 * than pretend. */
static gboolean
set_kernel_memory (const HakoCgroup *cgroup, gint64 limit, GError **error)
{
  const char *path = "linux.resources.memory.kernel";
  g_autofree char *file = NULL, *text = NULL;

  if (!set_int (cgroup, "memory", "memory.kmem.limit_in_bytes", limit, path, error))
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
  return SET_OPT (m->limit, "memory", "memory.limit_in_bytes", "linux.resources.memory.limit")
         && SET_OPT (m->reservation, "memory", "memory.soft_limit_in_bytes",
                     "linux.resources.memory.reservation")
         && SET_OPT (m->swap, "memory", "memory.memsw.limit_in_bytes", "linux.resources.memory.swap")
         && (!m->kernel.set || set_kernel_memory (cgroup, m->kernel.value, error))
         && SET_OPT (m->kernel_tcp, "memory", "memory.kmem.tcp.limit_in_bytes",
                     "linux.resources.memory.kernelTCP")
         && SET_OPT (m->swappiness, "memory", "memory.swappiness", "linux.resources.memory.swappiness")
         && SET_OPT (m->disable_oom_killer, "memory", "memory.oom_control",
                     "linux.resources.memory.disableOOMKiller")
         && SET_OPT (m->use_hierarchy, "memory", "memory.use_hierarchy",
                     "linux.resources.memory.useHierarchy");
}

static gboolean
apply_cpu (const HakoCgroup *cgroup, const HakoCpu *c, GError **error)
{
  if (c == NULL)
    return TRUE;
  /* Periods before what they bound: the kernel checks each write against the other. */
  return SET_OPT (c->shares, "cpu", "cpu.shares", "linux.resources.cpu.shares")
         && SET_OPT (c->period, "cpu", "cpu.cfs_period_us", "linux.resources.cpu.period")
         && SET_OPT (c->quota, "cpu", "cpu.cfs_quota_us", "linux.resources.cpu.quota")
         && SET_OPT (c->burst, "cpu", "cpu.cfs_burst_us", "linux.resources.cpu.burst")
         && SET_OPT (c->realtime_period, "cpu", "cpu.rt_period_us", "linux.resources.cpu.realtimePeriod")
         && SET_OPT (c->realtime_runtime, "cpu", "cpu.rt_runtime_us",
                     "linux.resources.cpu.realtimeRuntime")
         && SET_OPT (c->idle, "cpu", "cpu.idle", "linux.resources.cpu.idle")
         && (c->cpus == NULL || set (cgroup, "cpuset", "cpuset.cpus", c->cpus, "linux.resources.cpu.cpus", error))
         && (c->mems == NULL || set (cgroup, "cpuset", "cpuset.mems", c->mems, "linux.resources.cpu.mems", error));
}

/* "c 1:3 rwm"; an absent (or Docker's -1) number is any. */
static char *
device_rule_text (char type, const HakoOptInt *major, const HakoOptInt *minor, const char *access)
{
  g_autofree char *ma = major->set && major->value >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, major->value) : g_strdup ("*");
  g_autofree char *mi = minor->set && minor->value >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, minor->value) : g_strdup ("*");

  return g_strdup_printf ("%c %s:%s %s", type, ma, mi, access ? access : "rwm");
}

/* The devices every container gets, whatever its rules, as runc allows them
 * (config-linux.md, "Default Devices", and the pseudo-terminals). */
static const struct
{
  char type;
  gint64 major, minor; /* -1: any */
} default_devices[] = {
  { 'c', 1, 3 },   /* null */
  { 'c', 1, 5 },   /* zero */
  { 'c', 1, 7 },   /* full */
  { 'c', 1, 8 },   /* random */
  { 'c', 1, 9 },   /* urandom */
  { 'c', 5, 0 },   /* tty */
  { 'c', 5, 2 },   /* ptmx */
  { 'c', 136, -1 }, /* pts */
};

static gboolean
apply_devices (const HakoCgroup *cgroup, const HakoResources *r, GError **error)
{
  if (r->n_devices == 0)
    return TRUE;
  /* The rules start from nothing allowed, in their order, then the defaults. */
  if (!set (cgroup, "devices", "devices.deny", "a", "linux.resources.devices", error))
    return FALSE;
  for (guint i = 0; i < r->n_devices; i++)
    {
      const HakoDeviceRule *rule = &r->devices[i];
      g_autofree char *text = device_rule_text (rule->type ? rule->type : 'a', &rule->major,
                                                &rule->minor, rule->access);
      g_autofree char *path = g_strdup_printf ("linux.resources.devices[%u]", i);
      if (!set (cgroup, "devices", rule->allow ? "devices.allow" : "devices.deny", text, path, error))
        return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (default_devices); i++)
    {
      HakoOptInt major = { TRUE, default_devices[i].major }, minor = { TRUE, default_devices[i].minor };
      g_autofree char *text = device_rule_text (default_devices[i].type, &major, &minor, "rwm");
      if (!set (cgroup, "devices", "devices.allow", text, "linux.resources.devices", error))
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
  static const char *const throttle_members[HAKO_THROTTLE_N_KINDS] = {
    [HAKO_THROTTLE_READ_BPS] = "throttleReadBpsDevice",
    [HAKO_THROTTLE_WRITE_BPS] = "throttleWriteBpsDevice",
    [HAKO_THROTTLE_READ_IOPS] = "throttleReadIOPSDevice",
    [HAKO_THROTTLE_WRITE_IOPS] = "throttleWriteIOPSDevice",
  };

  if (b == NULL)
    return TRUE;
  if (!SET_OPT (b->weight, "blkio", weight_file (cgroup, "blkio.weight", "blkio.bfq.weight"),
                "linux.resources.blockIO.weight")
      || !SET_OPT (b->leaf_weight, "blkio", "blkio.leaf_weight", "linux.resources.blockIO.leafWeight"))
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
           && !set (cgroup, "blkio", weight_file (cgroup, "blkio.weight_device", "blkio.bfq.weight_device"),
                    weight, path, error))
          || (d->leaf_weight.set && !set (cgroup, "blkio", "blkio.leaf_weight_device", leaf, path, error)))
        return FALSE;
    }
  for (int kind = 0; kind < HAKO_THROTTLE_N_KINDS; kind++)
    for (guint i = 0; i < b->n_throttles[kind]; i++)
      {
        const HakoBlockIoThrottle *t = &b->throttles[kind][i];
        g_autofree char *path = g_strdup_printf ("linux.resources.blockIO.%s[%u]", throttle_members[kind], i);
        g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT,
                                                 t->major, t->minor, t->rate);
        if (!set (cgroup, "blkio", throttle_files[kind], text, path, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
apply_hugetlb (const HakoCgroup *cgroup, const HakoResources *r, GError **error)
{
  for (guint i = 0; i < r->n_hugepage_limits; i++)
    {
      const HakoHugepageLimit *h = &r->hugepage_limits[i];
      g_autofree char *path = g_strdup_printf ("linux.resources.hugepageLimits[%u]", i);
      g_autofree char *file = g_strdup_printf ("hugetlb.%s.limit_in_bytes", h->page_size);
      if (!set_int (cgroup, "hugetlb", file, (gint64) h->limit, path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_network (const HakoCgroup *cgroup, const HakoResources *r, GError **error)
{
  if (!SET_OPT (r->net_class_id, "net_cls", "net_cls.classid", "linux.resources.network.classID"))
    return FALSE;
  for (guint i = 0; i < r->n_net_priorities; i++)
    {
      g_autofree char *path = g_strdup_printf ("linux.resources.network.priorities[%u]", i);
      g_autofree char *text = g_strdup_printf ("%s %u", r->net_priorities[i].name, r->net_priorities[i].priority);
      if (!set (cgroup, "net_prio", "net_prio.ifpriomap", text, path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_rdma (const HakoCgroup *cgroup, const HakoResources *r, GError **error)
{
  for (guint i = 0; i < r->n_rdma; i++)
    {
      const HakoRdmaLimit *l = &r->rdma[i];
      g_autofree char *path = g_strdup_printf ("linux.resources.rdma[%u]", i);
      g_autofree char *handles = l->hca_handles.set ? g_strdup_printf (" hca_handle=%" G_GUINT64_FORMAT, l->hca_handles.value) : g_strdup ("");
      g_autofree char *objects = l->hca_objects.set ? g_strdup_printf (" hca_object=%" G_GUINT64_FORMAT, l->hca_objects.value) : g_strdup ("");
      g_autofree char *text = g_strconcat (l->device, handles, objects, NULL);
      if (!set (cgroup, "rdma", "rdma.max", text, path, error))
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
                     ? set_int (cgroup, "pids", "pids.max", r->pids_limit.value, "linux.resources.pids.limit", error)
                     : set (cgroup, "pids", "pids.max", "max", "linux.resources.pids.limit", error)))
         && apply_block_io (cgroup, r->block_io, error) && apply_hugetlb (cgroup, r, error)
         && apply_network (cgroup, r, error) && apply_rdma (cgroup, r, error)
         && apply_devices (cgroup, r, error);
}
