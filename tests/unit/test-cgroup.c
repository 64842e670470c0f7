/* cgroup paths: linux.cgroupsPath cleaning, the systemd form, and the v1
 * hierarchies read from /proc/self/cgroup and /proc/self/mountinfo. */
#include "config.h"

#include <linux/bpf.h>

#include "cgroup-private.h"

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
  g_assert_null (hako_cgroup_from_state ("systemd", NULL, NULL));
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
  return g_test_run ();
}
