/* cgroup paths: linux.cgroupsPath cleaning, the systemd form, and the v1
 * hierarchies read from /proc/self/cgroup and /proc/self/mountinfo; the
 * systemd manager's unit names and properties. */
#include "config.h"

#include <string.h>
#include <linux/bpf.h>

#include "cgroup-private.h"
#include "error.h"

static void
test_clean_path (void)
{
  static const struct
  {
    const char *in, *out;
    gboolean absolute;
  } cases[] = {
    { "/cgrouptest", "cgrouptest", TRUE },
    { "testdir/cgrouptest/container", "testdir/cgrouptest/container", FALSE },
    { "//a/./b//", "a/b", TRUE },
    { "/../../etc", "etc", TRUE },
    { "../../x", "x", FALSE },
    { "a/../..", "", FALSE },
    { "/", "", TRUE },
    { NULL, "c1", FALSE }, /* the default: the container id, relative */
    { "", "c1", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean absolute = !cases[i].absolute;
      g_autofree char *out = hako_cgroup_clean_path (cases[i].in, "c1", &absolute);
      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_cmpint (absolute, ==, cases[i].absolute);
    }
}

static void
test_systemd_form (void)
{
  g_assert_true (hako_cgroup_path_is_systemd_form ("system.slice:hako:c1"));
  g_assert_true (hako_cgroup_path_is_systemd_form ("::c1"));
  g_assert_false (hako_cgroup_path_is_systemd_form ("/a:b:c"));
  g_assert_false (hako_cgroup_path_is_systemd_form ("a/b:c:d"));
  g_assert_false (hako_cgroup_path_is_systemd_form ("a:b"));
  g_assert_false (hako_cgroup_path_is_systemd_form (NULL));
}

static const char self_cgroup[] = "9:name=systemd:/\n"
                                  "4:memory:/outer/inner\n"
                                  "2:cpu,cpuacct:/user/1\n"
                                  "1:net_cls:/\n"
                                  "0::/unified\n";
static const char mountinfo[] =
    "30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
    "31 30 0:27 / /sys/fs/cgroup/systemd rw,nosuid - cgroup cgroup rw,xattr,name=systemd\n"
    "32 30 0:28 /outer /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory\n"
    "33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n"
    "34 30 0:30 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";

static const HakoCgroupHierarchy *
find (GPtrArray *hierarchies, const char *controller)
{
  for (guint i = 0; i < hierarchies->len; i++)
    {
      const HakoCgroupHierarchy *h = hierarchies->pdata[i];
      if (g_strv_contains ((const char *const *) h->controllers, controller))
        return h;
    }
  return NULL;
}

static void
test_v1_hierarchies (void)
{
  g_autoptr (GPtrArray) hierarchies = hako_cgroup_fs_hierarchies (self_cgroup, mountinfo, FALSE);
  const HakoCgroupHierarchy *h;

  /* net_cls is not mounted, the unified line is v2: three hierarchies. */
  g_assert_cmpuint (hierarchies->len, ==, 3);
  h = find (hierarchies, "name=systemd");
  g_assert_nonnull (h);
  g_assert_cmpstr (h->own_dir, ==, "/sys/fs/cgroup/systemd");
  /* The mount shows /outer of the hierarchy: the own cgroup is below it. */
  h = find (hierarchies, "memory");
  g_assert_cmpstr (h->mountpoint, ==, "/sys/fs/cgroup/memory");
  g_assert_cmpstr (h->own_dir, ==, "/sys/fs/cgroup/memory/inner");
  h = find (hierarchies, "cpuacct");
  g_assert_true (h == find (hierarchies, "cpu"));
  g_assert_cmpstr (h->own_dir, ==, "/sys/fs/cgroup/cpu,cpuacct/user/1");
}

static const char self_cgroup_v2[] = "0::/user.slice/user-1001.slice/app.scope\n";
static const char mountinfo_v2[] =
    "24 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
    "25 1 0:22 / /mnt/elsewhere rw - cgroup2 cgroup2 rw\n";

static void
test_v2_hierarchy (void)
{
  g_autoptr (GPtrArray) v2 = hako_cgroup_fs_hierarchies (self_cgroup_v2, mountinfo_v2, TRUE);
  g_autoptr (GPtrArray) v1 = hako_cgroup_fs_hierarchies (self_cgroup_v2, mountinfo_v2, FALSE);
  g_autoptr (GPtrArray) hybrid = hako_cgroup_fs_hierarchies (self_cgroup, mountinfo, TRUE);
  const HakoCgroupHierarchy *h;

  g_assert_cmpuint (v2->len, ==, 1);
  h = v2->pdata[0];
  g_assert_null (h->controllers);
  g_assert_cmpstr (h->mountpoint, ==, "/sys/fs/cgroup");
  g_assert_cmpstr (h->own_dir, ==, "/sys/fs/cgroup/user.slice/user-1001.slice/app.scope");
  g_assert_cmpuint (v1->len, ==, 0);
  /* A hybrid host's v2 tree is not at /sys/fs/cgroup. */
  g_assert_cmpuint (hybrid->len, ==, 0);
}

/* runc's linear conversions, ends and middle. */
static void
test_weights (void)
{
  g_assert_cmpuint (hako_cgroup_cpu_shares_to_weight (2), ==, 1);
  g_assert_cmpuint (hako_cgroup_cpu_shares_to_weight (1024), ==, 39);
  g_assert_cmpuint (hako_cgroup_cpu_shares_to_weight (262144), ==, 10000);
  g_assert_cmpuint (hako_cgroup_cpu_shares_to_weight (1), ==, 1);
  g_assert_cmpuint (hako_cgroup_cpu_shares_to_weight (1000000), ==, 10000);
  g_assert_cmpuint (hako_cgroup_blkio_weight_to_io_weight (10), ==, 1);
  g_assert_cmpuint (hako_cgroup_blkio_weight_to_io_weight (500), ==, 4950);
  g_assert_cmpuint (hako_cgroup_blkio_weight_to_io_weight (1000), ==, 10000);
}

/* The device filter: rules tried last to first, each failed test jumping
 * to the next rule, nothing after a rule that matches everything. */
static void
test_device_program (void)
{
  HakoDeviceRule deny_all = { .allow = FALSE, .type = 'a' };
  HakoDeviceRule fuse = { .allow = TRUE, .type = 'c', .major = { TRUE, 10 }, .minor = { TRUE, 229 }, .access = (char *) "r" };
  HakoDeviceRule any_char = { .allow = TRUE, .type = 'c' };
  g_autoptr (GPtrArray) rules = g_ptr_array_new ();
  g_autoptr (GArray) program = NULL;
  const struct bpf_insn *insns;

  g_ptr_array_add (rules, &deny_all);
  program = hako_cgroup_device_program (rules);
  /* The prologue (6) and one verdict: deny. */
  g_assert_cmpuint (program->len, ==, 8);
  insns = (const struct bpf_insn *) program->data;
  g_assert_cmpint (insns[6].imm, ==, 0);
  g_assert_cmpint (insns[7].code, ==, BPF_JMP | BPF_EXIT);
  g_clear_pointer (&program, g_array_unref);

  g_ptr_array_add (rules, &fuse);
  program = hako_cgroup_device_program (rules);
  insns = (const struct bpf_insn *) program->data;
  /* fuse first: type, access (3), major, minor, allow (2); then deny all. */
  g_assert_cmpuint (program->len, ==, 6 + 8 + 2);
  g_assert_cmpint (insns[6].code, ==, BPF_JMP | BPF_JNE | BPF_K);
  g_assert_cmpint (insns[6].imm, ==, BPF_DEVCG_DEV_CHAR);
  g_assert_cmpint (insns[6].off, ==, 7);
  g_assert_cmpint (insns[8].imm, ==, BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD);
  g_assert_cmpint (insns[9].off, ==, 4);
  g_assert_cmpint (insns[10].imm, ==, 10);
  g_assert_cmpint (insns[11].imm, ==, 229);
  g_assert_cmpint (insns[12].imm, ==, 1);
  g_clear_pointer (&program, g_array_unref);

  /* Before fuse (so tried after it), every char device: only the type test. */
  g_ptr_array_insert (rules, 1, &any_char);
  program = hako_cgroup_device_program (rules);
  g_assert_cmpuint (program->len, ==, 6 + 8 + 3 + 2);
}

static void
test_controller_dir (void)
{
  g_autoptr (HakoCgroup) cgroup = hako_cgroup_from_state ("cgroupfs", NULL, NULL);

  hako_cgroup_add_dir (cgroup, "/sys/fs/cgroup/cpu,cpuacct/c1", (const char *const[]){ "cpu", "cpuacct", NULL });
  hako_cgroup_add_dir (cgroup, "/sys/fs/cgroup/memory/c1", (const char *const[]){ "memory", NULL });
  g_assert_cmpstr (hako_cgroup_controller_dir (cgroup, "cpuacct"), ==, "/sys/fs/cgroup/cpu,cpuacct/c1");
  g_assert_cmpstr (hako_cgroup_controller_dir (cgroup, "memory"), ==, "/sys/fs/cgroup/memory/c1");
  g_assert_null (hako_cgroup_controller_dir (cgroup, "hugetlb"));
  g_assert_cmpstr (hako_cgroup_paths (cgroup)[1], ==, "/sys/fs/cgroup/memory/c1");
  g_assert_null (hako_cgroup_paths (cgroup)[2]);
  g_assert_false (hako_cgroup_is_v2 (cgroup));
  g_assert_null (hako_cgroup_from_state ("no-such-manager", NULL, NULL));
}

/* The unit and slice from linux.cgroupsPath, as runc's systemd driver
 * names them; no bus is needed before the process is placed. */
static void
test_systemd_unit (void)
{
  static const struct
  {
    const char *path, *unit, *slice;
  } cases[] = {
    { NULL, "hako-c1.scope", NULL },
    { "", "hako-c1.scope", NULL },
    { "machine.slice:crio:abc", "crio-abc.scope", "machine.slice" },
    { "::abc", "abc.scope", NULL },
    { "-:p:", "p-c1.scope", "-.slice" },
  };
  static const char *const refused[] = { "/a/b", "x:p:n", "user.slice:p:n.slice" };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (HakoCgroup) cgroup = hako_cgroup_new (HAKO_CGROUP_MANAGER_SYSTEMD, "c1", cases[i].path, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (hako_cgroup_manager_name (cgroup), ==, "systemd");
      g_assert_cmpstr (cgroup->unit, ==, cases[i].unit);
      /* Nothing is the container's before systemd takes the job. */
      g_assert_null (hako_cgroup_created (cgroup)[0]);
      g_assert_cmpstr (cgroup->slice, ==, cases[i].slice);
      g_assert_null (hako_cgroup_paths (cgroup)[0]);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_null (hako_cgroup_new (HAKO_CGROUP_MANAGER_SYSTEMD, "c1", refused[i], &error));
      g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, "linux.cgroupsPath"));
    }
}

static guint64
property_u64 (GVariant *props, const char *name)
{
  g_autoptr (GVariant) value = NULL;
  guint64 out = 0;

  /* The last one counts, as for systemd. */
  for (gsize i = 0; i < g_variant_n_children (props); i++)
    {
      const char *key;
      g_autoptr (GVariant) v = NULL;
      g_variant_get_child (props, i, "(&sv)", &key, &v);
      if (g_str_equal (key, name))
        {
          g_clear_pointer (&value, g_variant_unref);
          value = g_steal_pointer (&v);
        }
    }
  g_assert_nonnull (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    out = g_variant_get_uint64 (value);
  else
    {
      /* A bit mask: bytes, low cpu first. */
      gsize n;
      const guint8 *bytes = g_variant_get_fixed_array (value, &n, 1);
      for (gsize i = n; i > 0; i--)
        out = (out << 8) | bytes[i - 1];
    }
  return out;
}

static void
test_systemd_properties (void)
{
  HakoMemory memory = { .limit = { TRUE, 64 << 20 }, .reservation = { TRUE, -1 }, .swap = { TRUE, 96 << 20 } };
  HakoCpu cpu = { .shares = { TRUE, 1024 }, .quota = { TRUE, 50000 }, .period = { TRUE, 200000 },
                  .cpus = (char *) "0-2,9", .mems = (char *) "0" };
  g_autoptr (GHashTable) unified = g_hash_table_new (g_str_hash, g_str_equal);
  HakoResources r = { .memory = &memory, .cpu = &cpu, .pids_limit = { TRUE, 0 }, .unified = unified };
  g_autoptr (GVariant) props = NULL;
  g_autoptr (GVariant) none = NULL;
  HakoResources empty = { 0 };

  g_hash_table_insert (unified, (char *) "memory.high", (char *) "33554432");
  g_hash_table_insert (unified, (char *) "cpu.max", (char *) "max");
  g_hash_table_insert (unified, (char *) "io.max", (char *) "8:0 rbps=1");
  props = hako_cgroup_systemd_properties (&r);
  g_assert_cmpuint (property_u64 (props, "MemoryMax"), ==, 64 << 20);
  g_assert_cmpuint (property_u64 (props, "MemoryLow"), ==, G_MAXUINT64);
  /* memory plus swap, as swap alone */
  g_assert_cmpuint (property_u64 (props, "MemorySwapMax"), ==, 32 << 20);
  g_assert_cmpuint (property_u64 (props, "CPUWeight"), ==, 39);
  g_assert_cmpuint (property_u64 (props, "CPUQuotaPeriodUSec"), ==, 200000);
  /* unified cpu.max comes last and wins: no quota */
  g_assert_cmpuint (property_u64 (props, "CPUQuotaPerSecUSec"), ==, G_MAXUINT64);
  g_assert_cmpuint (property_u64 (props, "AllowedCPUs"), ==, 0x207);
  g_assert_cmpuint (property_u64 (props, "AllowedMemoryNodes"), ==, 1);
  g_assert_cmpuint (property_u64 (props, "TasksMax"), ==, G_MAXUINT64);
  g_assert_cmpuint (property_u64 (props, "MemoryHigh"), ==, 32 << 20);
  none = hako_cgroup_systemd_properties (&empty);
  g_assert_cmpuint (g_variant_n_children (none), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cgroup/clean-path", test_clean_path);
  g_test_add_func ("/cgroup/systemd-form", test_systemd_form);
  g_test_add_func ("/cgroup/v1-hierarchies", test_v1_hierarchies);
  g_test_add_func ("/cgroup/v2-hierarchy", test_v2_hierarchy);
  g_test_add_func ("/cgroup/weights", test_weights);
  g_test_add_func ("/cgroup/device-program", test_device_program);
  g_test_add_func ("/cgroup/controller-dir", test_controller_dir);
  g_test_add_func ("/cgroup/systemd-unit", test_systemd_unit);
  g_test_add_func ("/cgroup/systemd-properties", test_systemd_properties);
  return g_test_run ();
}
