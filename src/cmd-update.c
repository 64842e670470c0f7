/* hako update: new resource limits for a container (runc-update(8)). */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "container-update.h"
#include "i18n.h"

static char *
read_resources (const char *path, GError **error)
{
  g_autoptr (GIOChannel) in = NULL;
  char *text = NULL;

  if (!g_str_equal (path, "-"))
    return g_file_get_contents (path, &text, NULL, error) ? text : NULL;
  in = g_io_channel_unix_new (0);
  if (g_io_channel_read_to_end (in, &text, NULL, error) != G_IO_STATUS_NORMAL)
    return NULL;
  return text;
}

gboolean
hako_cmd_update (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL, *resources_file = NULL, *resources = NULL;
  HakoUpdateFlags f = { 0 };
  const char *id;
  const GOptionEntry entries[] = {
    { "resources", 'r', 0, G_OPTION_ARG_FILENAME, &resources_file, N_("Read linux.resources from FILE (- for stdin); other options are then ignored"), N_("FILE") },
    { "memory", 0, 0, G_OPTION_ARG_STRING, &f.memory, N_("Memory limit in bytes (k, m, g suffixes)"), N_("SIZE") },
    { "memory-reservation", 0, 0, G_OPTION_ARG_STRING, &f.memory_reservation, N_("Memory soft limit in bytes"), N_("SIZE") },
    { "memory-swap", 0, 0, G_OPTION_ARG_STRING, &f.memory_swap, N_("Memory plus swap limit in bytes (-1: unlimited)"), N_("SIZE") },
    { "kernel-memory", 0, 0, G_OPTION_ARG_STRING, &f.kernel_memory, N_("Kernel memory limit in bytes"), N_("SIZE") },
    { "kernel-memory-tcp", 0, 0, G_OPTION_ARG_STRING, &f.kernel_memory_tcp, N_("Kernel TCP buffer limit in bytes"), N_("SIZE") },
    { "cpu-share", 0, 0, G_OPTION_ARG_STRING, &f.cpu_shares, N_("CPU shares (relative weight)"), N_("N") },
    { "cpu-quota", 0, 0, G_OPTION_ARG_STRING, &f.cpu_quota, N_("CPU time per period in microseconds"), N_("N") },
    { "cpu-period", 0, 0, G_OPTION_ARG_STRING, &f.cpu_period, N_("CPU CFS period in microseconds"), N_("N") },
    { "cpu-burst", 0, 0, G_OPTION_ARG_STRING, &f.cpu_burst, N_("CPU burst per period in microseconds"), N_("N") },
    { "cpu-rt-period", 0, 0, G_OPTION_ARG_STRING, &f.cpu_rt_period, N_("CPU realtime period in microseconds"), N_("N") },
    { "cpu-rt-runtime", 0, 0, G_OPTION_ARG_STRING, &f.cpu_rt_runtime, N_("CPU realtime runtime per period in microseconds"), N_("N") },
    { "cpuset-cpus", 0, 0, G_OPTION_ARG_STRING, &f.cpuset_cpus, N_("CPUs to use (0-3,7)"), N_("LIST") },
    { "cpuset-mems", 0, 0, G_OPTION_ARG_STRING, &f.cpuset_mems, N_("Memory nodes to use"), N_("LIST") },
    { "pids-limit", 0, 0, G_OPTION_ARG_STRING, &f.pids_limit, N_("Maximum number of processes (-1: unlimited)"), N_("N") },
    { "blkio-weight", 0, 0, G_OPTION_ARG_STRING, &f.blkio_weight, N_("Block IO weight"), N_("N") },
    { "l3-cache-schema", 0, 0, G_OPTION_ARG_STRING, &f.l3_cache_schema, N_("Intel RDT L3 cache schema (not supported)"), N_("VALUE") },
    { "mem-bw-schema", 0, 0, G_OPTION_ARG_STRING, &f.mem_bw_schema, N_("Intel RDT memory bandwidth schema (not supported)"), N_("VALUE") },
    { NULL },
  };
  gboolean ok;

  ok = hako_cli_parse_options ("update", _("ID"), _("Set new resource limits on a container's cgroup."),
                               entries, &argc, &argv, error)
       && hako_cli_container_id ("update", argc, argv, 0, &id, error)
       && (root = hako_cli_state_root (global, error)) != NULL
       && (resources = resources_file ? read_resources (resources_file, error)
                                      : hako_update_flags_to_json (&f, error)) != NULL
       && hako_container_update (root, id, resources,
                                 resources_file ? resources_file : _("the command line"), error);
  /* GOption's strings are the caller's to free. */
  for (const char **s = (const char **) &f; s < (const char **) (&f + 1); s++)
    g_free ((char *) *s);
  return ok;
}
