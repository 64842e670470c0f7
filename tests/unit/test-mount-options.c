/* config.md's mount option strings -> mount(2) and mount_setattr(2) arguments. */
#include "config.h"

#include <linux/mount.h>
#include <string.h>
#include <sys/mount.h>

#include "mount-options.h"

static void
parse (HakoMountFlags *flags, const char *const *options)
{
  hako_mount_flags_parse (options, flags);
}

static void
test_table_sorted (void)
{
  gsize n;
  const HakoMountOption *table = hako_mount_options_table (&n);

  /* hako_mount_flags_parse relies on bsearch. */
  for (gsize i = 1; i < n; i++)
    g_assert_cmpint (strcmp (table[i - 1].name, table[i].name), <, 0);
}

static void
test_flags_and_clear (void)
{
  g_auto (HakoMountFlags) flags = { 0 };

  parse (&flags, (const char *const[]){ "nosuid", "noexec", "ro", "rw", "strictatime", NULL });
  g_assert_cmpuint (flags.flags, ==, MS_NOSUID | MS_NOEXEC | MS_STRICTATIME);
  g_assert_null (flags.data);
}

static void
test_bind_propagation_recursive (void)
{
  g_auto (HakoMountFlags) flags = { 0 };

  parse (&flags, (const char *const[]){ "rbind", "rslave", "rro", "rnosuid", "rsuid", "idmap", NULL });
  g_assert_cmpuint (flags.flags, ==, MS_BIND | MS_REC);
  g_assert_cmpuint (flags.propagation, ==, MS_SLAVE | MS_REC);
  g_assert_cmpuint (flags.attr_set, ==, MOUNT_ATTR_RDONLY);
  g_assert_cmpuint (flags.attr_clear, ==, MOUNT_ATTR_NOSUID);
  g_assert_true (flags.idmap);
  g_assert_false (flags.recursive_idmap);
}

static void
test_filesystem_data (void)
{
  g_auto (HakoMountFlags) flags = { 0 };

  parse (&flags, (const char *const[]){ "nosuid", "mode=755", "size=65536k", "defaults", NULL });
  g_assert_cmpuint (flags.flags, ==, MS_NOSUID);
  g_assert_cmpstr (flags.data, ==, "mode=755,size=65536k");
}

static void
test_empty (void)
{
  g_auto (HakoMountFlags) flags = { 0 };

  parse (&flags, NULL);
  g_assert_cmpuint (flags.flags, ==, 0);
  g_assert_null (flags.data);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mount-options/table-sorted", test_table_sorted);
  g_test_add_func ("/mount-options/flags-and-clear", test_flags_and_clear);
  g_test_add_func ("/mount-options/bind-propagation-recursive", test_bind_propagation_recursive);
  g_test_add_func ("/mount-options/filesystem-data", test_filesystem_data);
  g_test_add_func ("/mount-options/empty", test_empty);
  return g_test_run ();
}
