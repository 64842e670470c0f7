#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <string.h>
#include <unistd.h>

#include "cgroup-private.h"
#include "cgroup-stats.h"

static char *
read_text (const char *dir, const char *file)
{
  g_autofree char *path = NULL;
  char *text = NULL;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, file, NULL);
  return g_file_get_contents (path, &text, NULL, NULL) ? text : NULL;
}

/* A file holding one number; "max" (no limit) reads as MAX_VALUE. */
static guint64
read_u64 (const char *dir, const char *file, guint64 max_value)
{
  g_autofree char *text = read_text (dir, file);

  if (text == NULL)
    return 0;
  g_strstrip (text);
  return g_str_equal (text, "max") ? max_value : g_ascii_strtoull (text, NULL, 10);
}

/* The "KEY VALUE" lines of a file (cpu.stat, memory.stat) as a table. */
static GHashTable *
read_keyed (const char *dir, const char *file)
{
  g_autofree char *text = read_text (dir, file);
  g_auto (GStrv) lines = text ? g_strsplit (text, "\n", -1) : NULL;
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (char **l = lines; l && *l; l++)
    {
      g_auto (GStrv) kv = g_strsplit (*l, " ", 2);
      if (kv[0] && kv[1])
        g_hash_table_insert (table, g_strdup (kv[0]), g_strdup (g_strstrip (kv[1])));
    }
  return table;
}

static guint64
keyed_u64 (GHashTable *table, const char *key)
{
  const char *value = g_hash_table_lookup (table, key);
  return value ? g_ascii_strtoull (value, NULL, 10) : 0;
}

static const char *
blkio_op (const char *name)
{
  static const char *const ops[] = { "Read", "Write", "Sync", "Async", "Discard", "Total" };

  for (gsize i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_ascii_strcasecmp (ops[i], name) == 0)
      return ops[i];
  return NULL;
}

static void
add_blkio (GArray *entries, const char *device, const char *op, guint64 value)
{
  HakoBlkioEntry e = { .op = op, .value = value };

  if (op && sscanf (device, "%u:%u", &e.major, &e.minor) == 2)
    g_array_append_val (entries, e);
}

/* v1's "8:0 Read 4096" lines. */
static void
read_blkio_v1 (const char *dir, const char *file, GArray *entries)
{
  g_autofree char *text = read_text (dir, file);
  g_auto (GStrv) lines = text ? g_strsplit (text, "\n", -1) : NULL;

  for (char **l = lines; l && *l; l++)
    {
      g_auto (GStrv) f = g_strsplit (*l, " ", 3);
      if (g_strv_length (f) == 3)
        add_blkio (entries, f[0], blkio_op (f[1]), g_ascii_strtoull (f[2], NULL, 10));
    }
}

/* v2's "8:0 rbytes=N wbytes=N rios=N wios=N ..." lines. */
static void
read_io_stat_v2 (const char *dir, HakoCgroupStats *s)
{
  g_autofree char *text = read_text (dir, "io.stat");
  g_auto (GStrv) lines = text ? g_strsplit (text, "\n", -1) : NULL;

  for (char **l = lines; l && *l; l++)
    {
      g_auto (GStrv) f = g_strsplit (*l, " ", -1);
      for (char **kv = f + (f[0] ? 1 : 0); f[0] && *kv; kv++)
        {
          char *eq = strchr (*kv, '=');
          guint64 value = eq ? g_ascii_strtoull (eq + 1, NULL, 10) : 0;
          if (g_str_has_prefix (*kv, "rbytes="))
            add_blkio (s->io_service_bytes, f[0], "Read", value);
          else if (g_str_has_prefix (*kv, "wbytes="))
            add_blkio (s->io_service_bytes, f[0], "Write", value);
          else if (g_str_has_prefix (*kv, "rios="))
            add_blkio (s->io_serviced, f[0], "Read", value);
          else if (g_str_has_prefix (*kv, "wios="))
            add_blkio (s->io_serviced, f[0], "Write", value);
        }
    }
}

static void
read_memory_counter_v1 (const char *dir, const char *prefix, HakoMemoryCounter *c)
{
  g_autofree char *usage = g_strconcat (prefix, "usage_in_bytes", NULL);
  g_autofree char *max = g_strconcat (prefix, "max_usage_in_bytes", NULL);
  g_autofree char *limit = g_strconcat (prefix, "limit_in_bytes", NULL);
  g_autofree char *failcnt = g_strconcat (prefix, "failcnt", NULL);

  c->usage = read_u64 (dir, usage, G_MAXINT64);
  c->max = read_u64 (dir, max, G_MAXINT64);
  c->limit = read_u64 (dir, limit, G_MAXINT64);
  c->failcnt = read_u64 (dir, failcnt, G_MAXINT64);
}

static void
read_v1 (const HakoCgroup *cgroup, HakoCgroupStats *s)
{
  const char *cpuacct = hako_cgroup_controller_dir (cgroup, "cpuacct");
  const char *cpu = hako_cgroup_controller_dir (cgroup, "cpu");
  const char *memory = hako_cgroup_controller_dir (cgroup, "memory");
  const char *blkio = hako_cgroup_controller_dir (cgroup, "blkio");
  g_autoptr (GHashTable) times = read_keyed (cpuacct, "cpuacct.stat");
  g_autoptr (GHashTable) throttling = read_keyed (cpu, "cpu.stat");
  g_autoptr (GHashTable) oom = read_keyed (memory, "memory.oom_control");
  g_autofree char *percpu = read_text (cpuacct, "cpuacct.usage_percpu");
  g_auto (GStrv) cpus = percpu ? g_strsplit (g_strstrip (percpu), " ", -1) : NULL;
  /* cpuacct.stat counts USER_HZ ticks. */
  guint64 tick_ns = G_USEC_PER_SEC * 1000 / sysconf (_SC_CLK_TCK);

  s->cpu_total = read_u64 (cpuacct, "cpuacct.usage", 0);
  s->cpu_user = keyed_u64 (times, "user") * tick_ns;
  s->cpu_kernel = keyed_u64 (times, "system") * tick_ns;
  for (char **c = cpus; c && *c; c++)
    {
      guint64 value = g_ascii_strtoull (*c, NULL, 10);
      g_array_append_val (s->cpu_percpu, value);
    }
  s->throttling_periods = keyed_u64 (throttling, "nr_periods");
  s->throttled_periods = keyed_u64 (throttling, "nr_throttled");
  s->throttled_time = keyed_u64 (throttling, "throttled_time");
  read_memory_counter_v1 (memory, "memory.", &s->memory);
  read_memory_counter_v1 (memory, "memory.memsw.", &s->swap);
  read_memory_counter_v1 (memory, "memory.kmem.", &s->kernel);
  s->memory_raw = read_keyed (memory, "memory.stat");
  s->oom_kills = keyed_u64 (oom, "oom_kill");
  s->pids_current = read_u64 (hako_cgroup_controller_dir (cgroup, "pids"), "pids.current", 0);
  s->pids_limit = read_u64 (hako_cgroup_controller_dir (cgroup, "pids"), "pids.max", 0);
  read_blkio_v1 (blkio, "blkio.throttle.io_service_bytes_recursive", s->io_service_bytes);
  read_blkio_v1 (blkio, "blkio.throttle.io_serviced_recursive", s->io_serviced);
}

static void
read_v2 (const HakoCgroup *cgroup, HakoCgroupStats *s)
{
  const char *dir = hako_cgroup_controller_dir (cgroup, "");
  g_autoptr (GHashTable) cpu = read_keyed (dir, "cpu.stat");
  g_autoptr (GHashTable) events = read_keyed (dir, "memory.events");

  /* cpu.stat counts microseconds. */
  s->cpu_total = keyed_u64 (cpu, "usage_usec") * 1000;
  s->cpu_user = keyed_u64 (cpu, "user_usec") * 1000;
  s->cpu_kernel = keyed_u64 (cpu, "system_usec") * 1000;
  s->throttling_periods = keyed_u64 (cpu, "nr_periods");
  s->throttled_periods = keyed_u64 (cpu, "nr_throttled");
  s->throttled_time = keyed_u64 (cpu, "throttled_usec") * 1000;
  s->memory.usage = read_u64 (dir, "memory.current", G_MAXINT64);
  s->memory.max = read_u64 (dir, "memory.peak", G_MAXINT64);
  s->memory.limit = read_u64 (dir, "memory.max", G_MAXINT64);
  s->memory.failcnt = keyed_u64 (events, "max");
  s->oom_kills = keyed_u64 (events, "oom_kill");
  s->swap.usage = read_u64 (dir, "memory.swap.current", G_MAXINT64);
  s->swap.limit = read_u64 (dir, "memory.swap.max", G_MAXINT64);
  s->memory_raw = read_keyed (dir, "memory.stat");
  s->pids_current = read_u64 (dir, "pids.current", 0);
  s->pids_limit = read_u64 (dir, "pids.max", 0);
  read_io_stat_v2 (dir, s);
}

HakoCgroupStats *
hako_cgroup_stats (const HakoCgroup *cgroup)
{
  HakoCgroupStats *s = g_new0 (HakoCgroupStats, 1);

  s->cpu_percpu = g_array_new (FALSE, FALSE, sizeof (guint64));
  s->io_service_bytes = g_array_new (FALSE, FALSE, sizeof (HakoBlkioEntry));
  s->io_serviced = g_array_new (FALSE, FALSE, sizeof (HakoBlkioEntry));
  if (hako_cgroup_is_v2 (cgroup))
    read_v2 (cgroup, s);
  else
    read_v1 (cgroup, s);
  return s;
}

int
hako_cgroup_oom_eventfd (const HakoCgroup *cgroup)
{
  const char *memory = hako_cgroup_is_v2 (cgroup) ? NULL : hako_cgroup_controller_dir (cgroup, "memory");
  g_autofree char *control_path = NULL, *registration = NULL;
  int event_fd, control_fd;

  if (memory == NULL)
    return -1;
  control_path = g_build_filename (memory, "memory.oom_control", NULL);
  control_fd = open (control_path, O_RDONLY | O_CLOEXEC);
  event_fd = eventfd (0, EFD_CLOEXEC);
  if (control_fd >= 0 && event_fd >= 0)
    {
      registration = g_strdup_printf ("%d %d", event_fd, control_fd);
      if (hako_cgroup_write_file (memory, "cgroup.event_control", registration) == 0)
        {
          /* The kernel holds the registration; it ends with EVENT_FD. */
          close (control_fd);
          return event_fd;
        }
    }
  if (control_fd >= 0)
    close (control_fd);
  if (event_fd >= 0)
    close (event_fd);
  return -1;
}

void
hako_cgroup_stats_free (HakoCgroupStats *stats)
{
  if (stats == NULL)
    return;
  g_array_unref (stats->cpu_percpu);
  g_array_unref (stats->io_service_bytes);
  g_array_unref (stats->io_serviced);
  g_clear_pointer (&stats->memory_raw, g_hash_table_unref);
  g_free (stats);
}
