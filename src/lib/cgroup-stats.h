/* What a container's cgroup counts (cpu, memory, pids, block IO), read
 * from the cgroup filesystems, for `hako events`. Counters a hierarchy
 * does not have stay 0, as runc leaves them. */
#pragma once

#include <glib.h>

#include "cgroup.h"

typedef struct
{
  guint64 usage, max, limit, failcnt;
} HakoMemoryCounter;

typedef struct
{
  guint major, minor;
  const char *op; /* "Read", "Write", ... (static) */
  guint64 value;
} HakoBlkioEntry;

typedef struct
{
  /* cpu: nanoseconds */
  guint64 cpu_total, cpu_kernel, cpu_user;
  GArray *cpu_percpu; /* guint64 */
  guint64 throttling_periods, throttled_periods, throttled_time;
  /* memory: bytes */
  HakoMemoryCounter memory, swap, kernel;
  GHashTable *memory_raw; /* memory.stat: name -> its value, as text */
  guint64 oom_kills; /* processes the OOM killer ended in the cgroup */
  /* pids */
  guint64 pids_current, pids_limit; /* limit 0: none */
  /* blkio */
  GArray *io_service_bytes; /* HakoBlkioEntry */
  GArray *io_serviced;      /* HakoBlkioEntry */
} HakoCgroupStats;

/* Reads CGROUP's counters (a cgroupfs one: the files are the kernel's
 * whichever manager made the directories). "max" reads as G_MAXINT64,
 * the largest JSON integer json-glib writes. */
HakoCgroupStats *hako_cgroup_stats (const HakoCgroup *cgroup);
void hako_cgroup_stats_free (HakoCgroupStats *stats);

/* cgroup v1: a close-on-exec eventfd the kernel signals on each OOM in
 * CGROUP (memory.oom_control through cgroup.event_control), or -1 (v2,
 * which has no such notice: compare oom_kills instead). */
int hako_cgroup_oom_eventfd (const HakoCgroup *cgroup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoCgroupStats, hako_cgroup_stats_free)
