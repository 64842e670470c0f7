/* `hako update`: new limits for a container's cgroup, as runc-update(8)
 * sets them, recorded in the container's saved config. */
#pragma once

#include <glib.h>

/* runc update's flags, as given (NULL: not given). */
typedef struct
{
  const char *memory, *memory_reservation, *memory_swap, *kernel_memory, *kernel_memory_tcp;
  const char *cpu_shares, *cpu_quota, *cpu_period, *cpu_burst, *cpu_rt_period, *cpu_rt_runtime;
  const char *cpuset_cpus, *cpuset_mems;
  const char *pids_limit;
  const char *blkio_weight;
  const char *l3_cache_schema, *mem_bw_schema;
} HakoUpdateFlags;

/* The linux.resources object (JSON) the flags set. Sizes take a k, m, g
 * or t suffix (powers of 1024, as runc's); -1 means unlimited where runc
 * allows it. */
char *hako_update_flags_to_json (const HakoUpdateFlags *flags, GError **error);

/* Merges RESOURCES (a linux.resources JSON object, NAME for errors) into
 * the container's saved config, checks the result as config.json is
 * checked, writes the limits into its cgroup and records the config. A
 * container without a cgroup is refused with the reason. */
gboolean hako_container_update (const char *root, const char *id, const char *resources,
                                const char *name, GError **error);
