/* linux.* of config.json read into HakoLinux: the values that come out, not
 * only that loading succeeds (tests/unit/test-spec.c runs the fixtures). */
#include "config.h"

#include <linux/mempolicy.h>

#include "error.h"
#include "spec.h"

static HakoSpec *
load_good (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("HAKO_TEST_DATA"), "config", "good", name,
                                            NULL);
  g_autoptr (GError) error = NULL;
  HakoSpec *spec = hako_spec_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec->linux_);
  return spec;
}

static char *
wrap_linux (const char *linux_json)
{
  return g_strdup_printf ("{\"ociVersion\": \"1.3.0\", \"linux\": %s}", linux_json);
}

static HakoSpec *
load_linux (const char *linux_json)
{
  g_autofree char *data = wrap_linux (linux_json);
  g_autoptr (GError) error = NULL;
  HakoSpec *spec = hako_spec_load_data (data, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec->linux_);
  return spec;
}

static void
assert_linux_error (const char *linux_json, const char *message)
{
  g_autofree char *data = wrap_linux (linux_json);
  g_autoptr (GError) error = NULL;
  g_autoptr (HakoSpec) spec = hako_spec_load_data (data, -1, &error);

  g_assert_null (spec);
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, message);
}

/* ---- linux-full.json ---- */

static void
test_full_namespaces (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoNamespace *ns = spec->linux_->namespaces;

  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    g_assert_true (ns[kind].present);
  g_assert_cmpstr (ns[HAKO_NS_NETWORK].path, ==, "/var/run/netns/neta");
  g_assert_null (ns[HAKO_NS_PID].path);
  g_assert_null (ns[HAKO_NS_TIME].path);
}

static void
test_full_id_mappings (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoLinux *linux_ = spec->linux_;

  g_assert_cmpuint (linux_->uid_mappings.n, ==, 2);
  g_assert_cmpuint (linux_->uid_mappings.items[1].container_id, ==, 1);
  g_assert_cmpuint (linux_->uid_mappings.items[1].host_id, ==, 100000);
  g_assert_cmpuint (linux_->uid_mappings.items[1].size, ==, 65536);
  g_assert_cmpuint (linux_->gid_mappings.n, ==, 1);
  g_assert_cmpuint (linux_->gid_mappings.items[0].size, ==, 32000);
}

static void
test_full_time_offsets (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoLinux *linux_ = spec->linux_;

  g_assert_true (linux_->time_offset_monotonic.set);
  g_assert_cmpint (linux_->time_offset_monotonic.secs, ==, -86400);
  g_assert_cmpuint (linux_->time_offset_monotonic.nanosecs, ==, 999999999);
  g_assert_true (linux_->time_offset_boottime.set);
  g_assert_cmpint (linux_->time_offset_boottime.secs, ==, 172800);
  g_assert_cmpuint (linux_->time_offset_boottime.nanosecs, ==, 0);
}

static void
test_full_devices (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoDevice *d = spec->linux_->devices;

  g_assert_cmpuint (spec->linux_->n_devices, ==, 4);
  g_assert_cmpint (d[0].type, ==, 'c');
  g_assert_cmpstr (d[0].path, ==, "/dev/fuse");
  g_assert_cmpint (d[0].major, ==, 10);
  g_assert_cmpint (d[0].minor, ==, 229);
  g_assert_true (d[0].file_mode.set);
  g_assert_cmpuint (d[0].file_mode.value, ==, 0666);
  g_assert_true (d[0].uid.set && d[0].gid.set);
  g_assert_cmpuint (d[0].uid.value, ==, 0);
  g_assert_cmpint (d[1].type, ==, 'b');
  g_assert_cmpuint (d[1].file_mode.value, ==, 0660);
  g_assert_false (d[1].uid.set);
  g_assert_cmpint (d[2].type, ==, 'p');
  g_assert_cmpint (d[2].major, ==, 0);
  g_assert_false (d[2].file_mode.set);
  g_assert_cmpint (d[3].type, ==, 'u');
  g_assert_cmpint (d[3].major, ==, 4095);
  g_assert_cmpint (d[3].minor, ==, 1048575);
  g_assert_cmpuint (d[3].uid.value, ==, G_MAXUINT32);
}

static void
test_full_net_devices (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoNetDevice *d = spec->linux_->net_devices;

  /* In document order, not hash order. */
  g_assert_cmpuint (spec->linux_->n_net_devices, ==, 3);
  g_assert_cmpstr (d[0].host_name, ==, "eth0");
  g_assert_cmpstr (d[0].name, ==, "container_eth0");
  g_assert_cmpstr (d[1].host_name, ==, "dummy-1");
  g_assert_null (d[1].name);
  g_assert_cmpstr (d[2].host_name, ==, "veth.x");
  g_assert_cmpstr (d[2].name, ==, "net%d");
}

static void
test_full_device_rules (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoResources *r = spec->linux_->resources;

  g_assert_cmpuint (r->n_devices, ==, 4);
  g_assert_false (r->devices[0].allow);
  g_assert_cmpint (r->devices[0].type, ==, 'a');
  g_assert_false (r->devices[0].major.set || r->devices[0].minor.set);
  g_assert_cmpstr (r->devices[0].access, ==, "rwm");
  g_assert_true (r->devices[1].allow);
  g_assert_cmpint (r->devices[1].type, ==, 'c');
  g_assert_true (r->devices[1].major.set && r->devices[1].minor.set);
  g_assert_cmpint (r->devices[1].major.value, ==, 10);
  g_assert_cmpint (r->devices[1].minor.value, ==, 229);
  /* -1 (Docker's "*") reads as "any", like an absent number. */
  g_assert_cmpint (r->devices[2].type, ==, 'b');
  g_assert_true (r->devices[2].major.set);
  g_assert_false (r->devices[2].minor.set);
  g_assert_false (r->devices[3].major.set || r->devices[3].minor.set);
  g_assert_null (r->devices[3].access);
}

static void
test_full_memory_cpu_pids (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoResources *r = spec->linux_->resources;
  const HakoMemory *m = r->memory;
  const HakoCpu *c = r->cpu;

  g_assert_cmpint (m->limit.value, ==, 536870912);
  g_assert_cmpint (m->reservation.value, ==, 268435456);
  g_assert_cmpint (m->swap.value, ==, 1073741824);
  g_assert_true (m->kernel.set && m->kernel_tcp.set);
  g_assert_cmpint (m->kernel.value, ==, -1);
  g_assert_cmpint (m->kernel_tcp.value, ==, -1);
  g_assert_cmpuint (m->swappiness.value, ==, 100);
  g_assert_true (m->disable_oom_killer.set);
  g_assert_false (m->disable_oom_killer.value);
  g_assert_true (m->use_hierarchy.set && m->use_hierarchy.value);
  g_assert_true (m->check_before_update.set && m->check_before_update.value);

  g_assert_cmpuint (c->shares.value, ==, 1024);
  g_assert_cmpint (c->quota.value, ==, 1000000);
  g_assert_cmpuint (c->burst.value, ==, 1000000);
  g_assert_cmpuint (c->period.value, ==, 500000);
  g_assert_cmpint (c->realtime_runtime.value, ==, 950000);
  g_assert_cmpuint (c->realtime_period.value, ==, 1000000);
  g_assert_cmpstr (c->cpus, ==, "2-3");
  g_assert_cmpstr (c->mems, ==, "0-7");
  g_assert_true (c->idle.set);
  g_assert_cmpint (c->idle.value, ==, 1);

  /* 0 is a real limit, not "unset". */
  g_assert_true (r->pids_limit.set);
  g_assert_cmpint (r->pids_limit.value, ==, 0);
}

static void
test_full_block_io (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoBlockIo *b = spec->linux_->resources->block_io;

  g_assert_cmpuint (b->weight.value, ==, 10);
  g_assert_cmpuint (b->leaf_weight.value, ==, 1000);
  g_assert_cmpuint (b->n_weight_devices, ==, 2);
  g_assert_cmpint (b->weight_devices[0].major, ==, 8);
  g_assert_cmpint (b->weight_devices[0].minor, ==, 0);
  g_assert_cmpuint (b->weight_devices[0].weight.value, ==, 500);
  g_assert_cmpuint (b->weight_devices[0].leaf_weight.value, ==, 300);
  g_assert_false (b->weight_devices[1].weight.set);
  g_assert_cmpuint (b->weight_devices[1].leaf_weight.value, ==, 20);
  g_assert_cmpuint (b->n_throttles[HAKO_THROTTLE_READ_BPS], ==, 1);
  g_assert_cmpuint (b->throttles[HAKO_THROTTLE_READ_BPS][0].rate, ==, 600);
  g_assert_cmpuint (b->throttles[HAKO_THROTTLE_WRITE_BPS][0].minor, ==, 1);
  g_assert_cmpuint (b->throttles[HAKO_THROTTLE_WRITE_BPS][0].rate, ==, G_MAXINT64);
  g_assert_cmpuint (b->n_throttles[HAKO_THROTTLE_READ_IOPS], ==, 1);
  g_assert_cmpuint (b->throttles[HAKO_THROTTLE_READ_IOPS][0].rate, ==, 0);
  g_assert_cmpuint (b->n_throttles[HAKO_THROTTLE_WRITE_IOPS], ==, 2);
  g_assert_cmpint (b->throttles[HAKO_THROTTLE_WRITE_IOPS][1].minor, ==, 32);
  g_assert_cmpuint (b->throttles[HAKO_THROTTLE_WRITE_IOPS][1].rate, ==, 301);
}

static void
test_full_hugepages_network_rdma_unified (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoResources *r = spec->linux_->resources;

  g_assert_cmpuint (r->n_hugepage_limits, ==, 3);
  g_assert_cmpstr (r->hugepage_limits[0].page_size, ==, "2MB");
  g_assert_cmpuint (r->hugepage_limits[0].limit, ==, 209715200);
  g_assert_cmpstr (r->hugepage_limits[1].page_size, ==, "64KB");
  g_assert_cmpstr (r->hugepage_limits[2].page_size, ==, "1GB");

  g_assert_true (r->net_class_id.set);
  g_assert_cmpuint (r->net_class_id.value, ==, G_MAXUINT32);
  g_assert_cmpuint (r->n_net_priorities, ==, 2);
  g_assert_cmpstr (r->net_priorities[1].name, ==, "eth1");
  g_assert_cmpuint (r->net_priorities[1].priority, ==, 1000);

  g_assert_cmpuint (r->n_rdma, ==, 3);
  g_assert_cmpstr (r->rdma[0].device, ==, "mlx5_1");
  g_assert_cmpuint (r->rdma[0].hca_handles.value, ==, 3);
  g_assert_cmpuint (r->rdma[0].hca_objects.value, ==, 10000);
  g_assert_cmpstr (r->rdma[1].device, ==, "mlx4_0");
  g_assert_false (r->rdma[1].hca_handles.set);
  g_assert_cmpstr (r->rdma[2].device, ==, "rxe3");
  g_assert_false (r->rdma[2].hca_objects.set);

  g_assert_cmpuint (g_hash_table_size (r->unified), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (r->unified, "hugetlb.1GB.max"), ==, "1073741824");
}

static void
test_full_intel_rdt_memory_policy (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoIntelRdt *rdt = spec->linux_->intel_rdt;
  const HakoMemoryPolicy *policy = spec->linux_->memory_policy;

  g_assert_cmpstr (rdt->clos_id, ==, "guaranteed_group");
  g_assert_cmpuint (g_strv_length (rdt->schemata), ==, 2);
  g_assert_cmpstr (rdt->schemata[1], ==, "MB:0=20;1=70");
  g_assert_cmpstr (rdt->l3_cache_schema, ==, "L3:0=7f0;1=1f");
  g_assert_cmpstr (rdt->mem_bw_schema, ==, "MB:0=20;1=70");
  g_assert_true (rdt->enable_monitoring);

  g_assert_cmpstr (policy->mode, ==, "MPOL_INTERLEAVE");
  g_assert_cmpint (policy->mode_value, ==, MPOL_INTERLEAVE);
  g_assert_cmpstr (policy->nodes, ==, "2-3");
  g_assert_cmpuint (g_strv_length (policy->flags), ==, 2);
  g_assert_cmpint (policy->flags_value, ==, MPOL_F_STATIC_NODES | MPOL_F_NUMA_BALANCING);
}

static void
test_full_seccomp (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoSeccomp *s = spec->linux_->seccomp;
  const HakoSeccompRule *rule;

  g_assert_cmpstr (s->default_action, ==, "SCMP_ACT_ERRNO");
  g_assert_true (s->default_errno_ret.set);
  g_assert_cmpuint (s->default_errno_ret.value, ==, 38);
  g_assert_cmpuint (g_strv_length (s->architectures), ==, 3);
  g_assert_cmpstr (s->architectures[0], ==, "SCMP_ARCH_X86_64");
  g_assert_cmpstr (s->flags[1], ==, "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
  g_assert_cmpstr (s->listener_path, ==, "/run/seccomp-agent.sock");
  g_assert_cmpstr (s->listener_metadata, ==, "MKNOD=/dev/null");
  g_assert_cmpuint (s->n_syscalls, ==, 4);

  rule = &s->syscalls[0];
  g_assert_cmpuint (g_strv_length (rule->names), ==, 2);
  g_assert_cmpstr (rule->names[1], ==, "write");
  g_assert_cmpstr (rule->action, ==, "SCMP_ACT_ALLOW");
  g_assert_false (rule->errno_ret.set);
  g_assert_cmpuint (rule->n_args, ==, 0);

  rule = &s->syscalls[1];
  g_assert_cmpuint (rule->n_args, ==, 2);
  g_assert_cmpuint (rule->args[0].index, ==, 0);
  g_assert_cmpuint (rule->args[0].value, ==, 8);
  g_assert_cmpuint (rule->args[0].value_two, ==, 0);
  g_assert_cmpstr (rule->args[0].op, ==, "SCMP_CMP_EQ");
  g_assert_cmpuint (rule->args[1].index, ==, 5);
  g_assert_cmpuint (rule->args[1].value, ==, G_MAXINT64);
  g_assert_cmpuint (rule->args[1].value_two, ==, 4);
  g_assert_cmpstr (rule->args[1].op, ==, "SCMP_CMP_MASKED_EQ");

  g_assert_cmpstr (s->syscalls[2].action, ==, "SCMP_ACT_NOTIFY");
  g_assert_cmpstr (s->syscalls[3].action, ==, "SCMP_ACT_TRACE");
  g_assert_cmpuint (s->syscalls[3].errno_ret.value, ==, 1);
}

static void
test_full_rest (void)
{
  g_autoptr (HakoSpec) spec = load_good ("linux-full.json");
  const HakoLinux *linux_ = spec->linux_;

  g_assert_cmpstr (linux_->cgroups_path, ==, "/myRuntime/myContainer");
  g_assert_cmpuint (g_hash_table_size (linux_->sysctl), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (linux_->sysctl, "net.core.somaxconn"), ==, "256");
  g_assert_cmpstr (linux_->rootfs_propagation, ==, "slave");
  g_assert_cmpuint (g_strv_length (linux_->masked_paths), ==, 2);
  g_assert_cmpstr (linux_->masked_paths[1], ==, "/sys/firmware");
  g_assert_cmpuint (g_strv_length (linux_->readonly_paths), ==, 1);
  g_assert_cmpstr (linux_->readonly_paths[0], ==, "/proc/sys");
  g_assert_cmpstr (linux_->mount_label, ==,
                   "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811");
  g_assert_cmpstr (linux_->personality->domain, ==, "LINUX32");
  g_assert_nonnull (linux_->personality->flags);
  g_assert_null (linux_->personality->flags[0]);
}

/* ---- targeted cases ---- */

static void
test_empty (void)
{
  g_autoptr (HakoSpec) spec = load_linux ("{}");
  const HakoLinux *linux_ = spec->linux_;

  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    g_assert_false (linux_->namespaces[kind].present);
  g_assert_null (linux_->uid_mappings.items);
  g_assert_false (linux_->time_offset_boottime.set);
  g_assert_null (linux_->devices);
  g_assert_null (linux_->net_devices);
  g_assert_null (linux_->resources);
  g_assert_null (linux_->intel_rdt);
  g_assert_null (linux_->memory_policy);
  g_assert_null (linux_->sysctl);
  g_assert_null (linux_->seccomp);
  g_assert_null (linux_->rootfs_propagation);
  g_assert_null (linux_->masked_paths);
  g_assert_null (linux_->personality);
}

static void
test_null_is_absent (void)
{
  g_autoptr (HakoSpec) spec = load_linux ("{\"resources\": null, \"seccomp\": null, "
                                          "\"devices\": null, \"netDevices\": null, "
                                          "\"memoryPolicy\": null}");

  g_assert_null (spec->linux_->resources);
  g_assert_null (spec->linux_->seccomp);
  g_assert_null (spec->linux_->devices);
  g_assert_null (spec->linux_->net_devices);
  g_assert_null (spec->linux_->memory_policy);
}

static void
test_empty_sections (void)
{
  g_autoptr (HakoSpec) spec = load_linux ("{\"resources\": {\"memory\": {}, \"cpu\": {}, "
                                          "\"blockIO\": {}, \"network\": {}, \"rdma\": {}, "
                                          "\"devices\": []}}");
  const HakoResources *r = spec->linux_->resources;

  g_assert_nonnull (r->memory);
  g_assert_false (r->memory->limit.set);
  g_assert_false (r->memory->swappiness.set);
  g_assert_false (r->memory->disable_oom_killer.set);
  g_assert_nonnull (r->cpu);
  g_assert_false (r->cpu->quota.set);
  g_assert_nonnull (r->block_io);
  g_assert_cmpuint (r->block_io->n_weight_devices, ==, 0);
  g_assert_false (r->pids_limit.set);
  g_assert_false (r->net_class_id.set);
  g_assert_cmpuint (r->n_rdma, ==, 0);
  g_assert_cmpuint (r->n_devices, ==, 0);
}

static void
test_memory_policy_modes (void)
{
  static const struct
  {
    const char *json;
    int mode;
  } cases[] = {
    { "{\"mode\": \"MPOL_DEFAULT\"}", MPOL_DEFAULT },
    { "{\"mode\": \"MPOL_DEFAULT\", \"nodes\": \"\"}", MPOL_DEFAULT },
    { "{\"mode\": \"MPOL_LOCAL\"}", MPOL_LOCAL },
    { "{\"mode\": \"MPOL_PREFERRED\"}", MPOL_PREFERRED },
    { "{\"mode\": \"MPOL_PREFERRED\", \"nodes\": \"1\"}", MPOL_PREFERRED },
    { "{\"mode\": \"MPOL_PREFERRED_MANY\", \"nodes\": \"0,2\"}", MPOL_PREFERRED_MANY },
    { "{\"mode\": \"MPOL_BIND\", \"nodes\": \"0\", \"flags\": [\"MPOL_F_RELATIVE_NODES\"]}",
      MPOL_BIND },
    /* MPOL_WEIGHTED_INTERLEAVE: Linux 6.9, newer than some headers. */
    { "{\"mode\": \"MPOL_WEIGHTED_INTERLEAVE\", \"nodes\": \"0-1\"}", 6 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *linux_json = g_strdup_printf ("{\"memoryPolicy\": %s}", cases[i].json);
      g_autoptr (HakoSpec) spec = load_linux (linux_json);
      g_assert_cmpint (spec->linux_->memory_policy->mode_value, ==, cases[i].mode);
    }
}

static void
test_interface_name_length (void)
{
  g_autoptr (HakoSpec) spec = load_linux ("{\"namespaces\": [{\"type\": \"network\"}], "
                                          "\"netDevices\": {\"abcdefghijklmno\": {}}}");

  g_assert_cmpstr (spec->linux_->net_devices[0].host_name, ==, "abcdefghijklmno");
  assert_linux_error ("{\"namespaces\": [{\"type\": \"network\"}], "
                      "\"netDevices\": {\"abcdefghijklmnop\": {}}}",
                      "config.json: linux.netDevices.abcdefghijklmnop: \"abcdefghijklmnop\" is "
                      "not a valid interface name (1-15 bytes, not \".\" or \"..\", without "
                      "\"/\", \":\" or spaces)");
  assert_linux_error ("{\"namespaces\": [{\"type\": \"network\"}], "
                      "\"netDevices\": {\"eth0\": {\"name\": \"\"}}}",
                      "config.json: linux.netDevices.eth0.name: \"\" is not a valid interface "
                      "name (1-15 bytes, not \".\" or \"..\", without \"/\", \":\" or spaces)");
}

static void
test_cross_checks (void)
{
  g_autoptr (HakoSpec) joined = load_linux ("{\"namespaces\": [{\"type\": \"network\", "
                                            "\"path\": \"/run/netns/x\"}], "
                                            "\"netDevices\": {\"eth0\": {}}}");

  /* Moving devices into a joined network namespace is fine. */
  g_assert_cmpuint (joined->linux_->n_net_devices, ==, 1);
  /* burst may exceed a quota that means "unlimited". */
  g_clear_pointer (&joined, hako_spec_free);
  joined = load_linux ("{\"resources\": {\"cpu\": {\"quota\": -1, \"burst\": 5}, "
                       "\"memory\": {\"limit\": -1, \"swap\": 5}}}");
  g_assert_cmpuint (joined->linux_->resources->cpu->burst.value, ==, 5);
  assert_linux_error ("{\"resources\": {\"memory\": {\"limit\": 10, \"swap\": 9}}}",
                      "config.json: linux.resources.memory.swap: 9 is less than limit 10: swap "
                      "limits memory plus swap, so make it at least limit");
  /* An empty timeOffsets sets no clock, so needs no time namespace. */
  g_clear_pointer (&joined, hako_spec_free);
  joined = load_linux ("{\"timeOffsets\": {}}");
  g_assert_false (joined->linux_->time_offset_boottime.set);
  g_assert_false (joined->linux_->time_offset_monotonic.set);
}

static void
test_fifo_without_numbers (void)
{
  g_autoptr (HakoSpec) spec = load_linux ("{\"devices\": [{\"type\": \"p\", "
                                          "\"path\": \"/run/fifo\", \"major\": 1}]}");

  g_assert_cmpint (spec->linux_->devices[0].type, ==, 'p');
  g_assert_cmpint (spec->linux_->devices[0].major, ==, 1);
  g_assert_cmpint (spec->linux_->devices[0].minor, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spec-linux/full/namespaces", test_full_namespaces);
  g_test_add_func ("/spec-linux/full/id-mappings", test_full_id_mappings);
  g_test_add_func ("/spec-linux/full/time-offsets", test_full_time_offsets);
  g_test_add_func ("/spec-linux/full/devices", test_full_devices);
  g_test_add_func ("/spec-linux/full/net-devices", test_full_net_devices);
  g_test_add_func ("/spec-linux/full/resources/devices", test_full_device_rules);
  g_test_add_func ("/spec-linux/full/resources/memory-cpu-pids", test_full_memory_cpu_pids);
  g_test_add_func ("/spec-linux/full/resources/block-io", test_full_block_io);
  g_test_add_func ("/spec-linux/full/resources/hugepages-network-rdma-unified",
                   test_full_hugepages_network_rdma_unified);
  g_test_add_func ("/spec-linux/full/intel-rdt-memory-policy", test_full_intel_rdt_memory_policy);
  g_test_add_func ("/spec-linux/full/seccomp", test_full_seccomp);
  g_test_add_func ("/spec-linux/full/rest", test_full_rest);
  g_test_add_func ("/spec-linux/empty", test_empty);
  g_test_add_func ("/spec-linux/null-is-absent", test_null_is_absent);
  g_test_add_func ("/spec-linux/empty-sections", test_empty_sections);
  g_test_add_func ("/spec-linux/memory-policy-modes", test_memory_policy_modes);
  g_test_add_func ("/spec-linux/interface-name-length", test_interface_name_length);
  g_test_add_func ("/spec-linux/cross-checks", test_cross_checks);
  g_test_add_func ("/spec-linux/fifo-without-numbers", test_fifo_without_numbers);
  return g_test_run ();
}
