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

/* idmap and ridmap are hako's own: never mount(2) data or flags. */
static void
test_idmap (void)
{
  g_auto (HakoMountFlags) idmap = { 0 };
  g_auto (HakoMountFlags) ridmap = { 0 };
  g_auto (HakoMountFlags) none = { 0 };

  parse (&idmap, (const char *const[]){ "bind", "idmap", NULL });
  parse (&ridmap, (const char *const[]){ "ridmap", "ro", NULL });
  parse (&none, (const char *const[]){ "mode=755", NULL });
  g_assert_true (idmap.idmap && !idmap.recursive_idmap);
  g_assert_cmpuint (idmap.flags, ==, MS_BIND);
  g_assert_null (idmap.data);
  g_assert_true (ridmap.idmap && ridmap.recursive_idmap);
  g_assert_cmpuint (ridmap.flags, ==, MS_RDONLY);
  g_assert_null (ridmap.data);
  g_assert_false (none.idmap || none.recursive_idmap);
}

static void
test_is_bind (void)
{
  g_auto (HakoMountFlags) bind = { 0 };
  g_auto (HakoMountFlags) rbind = { 0 };
  g_auto (HakoMountFlags) plain = { 0 };

  parse (&bind, (const char *const[]){ "bind", NULL });
  parse (&rbind, (const char *const[]){ "rbind", "idmap", NULL });
  parse (&plain, (const char *const[]){ "idmap", NULL });
  g_assert_true (hako_mount_flags_is_bind (&bind, NULL));
  g_assert_true (hako_mount_flags_is_bind (&rbind, "none"));
  g_assert_true (hako_mount_flags_is_bind (&plain, "bind"));
  g_assert_true (hako_mount_flags_is_bind (&plain, "rbind"));
  g_assert_false (hako_mount_flags_is_bind (&plain, "tmpfs"));
  g_assert_false (hako_mount_flags_is_bind (&plain, NULL));
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
  g_test_add_func ("/mount-options/idmap", test_idmap);
  g_test_add_func ("/mount-options/is-bind", test_is_bind);
  g_test_add_func ("/mount-options/empty", test_empty);
  return g_test_run ();
}
