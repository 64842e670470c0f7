/* linux.resources as systemd unit properties (systemd.resource-control(5)),
 * as runc's systemd driver maps them (systemd.md of runc): every cgroup
 * file systemd itself manages for the unit, so that when systemd writes
 * them again (a property change, a daemon-reload) it writes the
 * container's values. The runtime writes everything into the delegated
 * cgroup as well: what systemd has no property for, and any value a
 * property here could not carry, whose error then names the setting. */
#include "config.h"

#include <string.h>

#include "cgroup-private.h"

#define INFINITY_VALUE G_MAXUINT64

static void
add_u64 (GVariantBuilder *props, const char *name, guint64 value)
{
  g_variant_builder_add (props, "(sv)", name, g_variant_new_uint64 (value));
}

/* A limit: -1 (or below) for none. */
static void
add_limit (GVariantBuilder *props, const char *name, gint64 value)
{
  add_u64 (props, name, value < 0 ? INFINITY_VALUE : (guint64) value);
}

/* "0-3,8" as the bit mask systemd takes for AllowedCPUs and
 * AllowedMemoryNodes (bit N of byte N / 8 for cpu N); NULL when it is no
 * such list. */
static GVariant *
list_mask (const char *list)
{
  g_autoptr (GByteArray) mask = g_byte_array_new ();
  g_auto (GStrv) ranges = g_strsplit (list, ",", -1);

  if (*list == '\0')
    return NULL;
  for (char **r = ranges; *r; r++)
    {
      g_auto (GStrv) ends = g_strsplit (g_strstrip (*r), "-", 2);
      guint64 first, last;

      if (!g_ascii_string_to_unsigned (ends[0], 10, 0, 8191, &first, NULL)
          || !g_ascii_string_to_unsigned (ends[1] ? ends[1] : ends[0], 10, first, 8191, &last, NULL))
        return NULL;
      for (guint64 n = first; n <= last; n++)
        {
          const guint8 zero = 0;
          while (mask->len <= n / 8)
            g_byte_array_append (mask, &zero, 1);
          mask->data[n / 8] |= 1 << (n % 8);
        }
    }
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, mask->data, mask->len, 1);
}

static void
add_list (GVariantBuilder *props, const char *name, const char *list)
{
  GVariant *mask = list_mask (list);

  if (mask)
    g_variant_builder_add (props, "(sv)", name, mask);
}

/* Quota and period (microseconds) as a share of each second; the period
 * too unless it is only the kernel's default the share is computed with. */
static void
add_quota (GVariantBuilder *props, gint64 quota, guint64 period, gboolean set_period)
{
  if (period == 0)
    return;
  add_u64 (props, "CPUQuotaPerSecUSec", quota > 0 ? (guint64) quota * 1000000 / period : INFINITY_VALUE);
  if (set_period)
    add_u64 (props, "CPUQuotaPeriodUSec", period);
}

static void
add_memory (GVariantBuilder *props, const HakoMemory *m)
{
  if (m->limit.set)
    add_limit (props, "MemoryMax", m->limit.value);
  if (m->reservation.set)
    add_limit (props, "MemoryLow", m->reservation.value);
  /* memory plus swap, as memory.swap.max's swap alone (cgroup-fs-v2.c). */
  if (m->swap.set && m->swap.value < 0)
    add_limit (props, "MemorySwapMax", -1);
  else if (m->swap.set && m->limit.set && m->limit.value >= 0 && m->swap.value >= m->limit.value)
    add_limit (props, "MemorySwapMax", m->swap.value - m->limit.value);
}

static void
add_cpu (GVariantBuilder *props, const HakoCpu *c)
{
  if (c->shares.set && c->shares.value > 0)
    add_u64 (props, "CPUWeight", hako_cgroup_cpu_shares_to_weight (c->shares.value));
  if (c->quota.set || c->period.set)
    add_quota (props, c->quota.set ? c->quota.value : -1, c->period.set ? c->period.value : 100000,
               c->period.set);
  if (c->cpus)
    add_list (props, "AllowedCPUs", c->cpus);
  if (c->mems)
    add_list (props, "AllowedMemoryNodes", c->mems);
}

/* A unified value for a property of bytes or a count: a number or "max". */
static void
add_unified_limit (GVariantBuilder *props, const char *name, const char *value)
{
  guint64 number;

  if (g_str_equal (value, "max"))
    add_u64 (props, name, INFINITY_VALUE);
  else if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64 - 1, &number, NULL))
    add_u64 (props, name, number);
}

/* cpu.max: "QUOTA PERIOD", QUOTA "max" for none, PERIOD optional. */
static void
add_unified_cpu_max (GVariantBuilder *props, const char *value)
{
  g_auto (GStrv) fields = g_strsplit (value, " ", 2);
  guint64 quota = 0, period = 100000;

  if ((g_str_equal (fields[0], "max")
       || g_ascii_string_to_unsigned (fields[0], 10, 1, G_MAXINT64, &quota, NULL))
      && (fields[1] == NULL || g_ascii_string_to_unsigned (fields[1], 10, 1, G_MAXINT64, &period, NULL)))
    add_quota (props, quota > 0 ? (gint64) quota : -1, period, fields[1] != NULL);
}

static const struct
{
  const char *file, *property;
} unified_limits[] = {
  { "memory.high", "MemoryHigh" }, { "memory.low", "MemoryLow" },
  { "memory.min", "MemoryMin" },   { "memory.max", "MemoryMax" },
  { "memory.swap.max", "MemorySwapMax" }, { "pids.max", "TasksMax" },
  { "cpu.weight", "CPUWeight" },
};

static void
add_unified (GVariantBuilder *props, GHashTable *unified)
{
  GHashTableIter iter;
  gpointer file, value;

  g_hash_table_iter_init (&iter, unified);
  while (g_hash_table_iter_next (&iter, &file, &value))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (unified_limits); i++)
        if (g_str_equal (file, unified_limits[i].file))
          add_unified_limit (props, unified_limits[i].property, value);
      if (g_str_equal (file, "cpu.max"))
        add_unified_cpu_max (props, value);
      else if (g_str_equal (file, "cpuset.cpus"))
        add_list (props, "AllowedCPUs", value);
      else if (g_str_equal (file, "cpuset.mems"))
        add_list (props, "AllowedMemoryNodes", value);
    }
}

GVariant *
hako_cgroup_systemd_properties (const HakoResources *r)
{
  GVariantBuilder props;

  g_variant_builder_init (&props, G_VARIANT_TYPE ("a(sv)"));
  if (r->memory)
    add_memory (&props, r->memory);
  if (r->cpu)
    add_cpu (&props, r->cpu);
  if (r->pids_limit.set)
    add_limit (&props, "TasksMax", r->pids_limit.value > 0 ? r->pids_limit.value : -1);
  if (r->block_io && r->block_io->weight.set)
    add_u64 (&props, "IOWeight", hako_cgroup_blkio_weight_to_io_weight (r->block_io->weight.value));
  /* Last: unified settings override the others, and systemd takes the last. */
  if (r->unified)
    add_unified (&props, r->unified);
  return g_variant_ref_sink (g_variant_builder_end (&props));
}
