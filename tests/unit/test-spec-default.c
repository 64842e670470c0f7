/* `hako spec`'s config: loads back through hako's own parser, both modes. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "error.h"
#include "spec-default.h"
#include "spec.h"

static HakoSpec *
generate_and_load (HakoSpecDefaultMode mode)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = hako_spec_default_generate (mode, TRUE, 1234, 5678, &error);
  HakoSpec *spec;

  g_assert_no_error (error);
  spec = hako_spec_load_data (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (hako_spec_validate_for_create (spec, &error));
  return spec;
}

static void
test_auto_mappings (void)
{
  g_autoptr (HakoSpec) spec = generate_and_load (HAKO_SPEC_DEFAULT_AUTO_MAPPINGS);

  g_assert_cmpstr (spec->process->args[0], ==, "sh");
  g_assert_null (spec->process->args[1]);
  g_assert_cmpstr (spec->root->path, ==, "rootfs");
  g_assert_cmpuint (spec->process->user.uid, ==, 0);
  g_assert_true (spec->linux_->namespaces[HAKO_NS_USER].present);
  g_assert_cmpuint (spec->linux_->uid_mappings.n, ==, 0);
}

static void
test_single_id (void)
{
  g_autoptr (HakoSpec) spec = generate_and_load (HAKO_SPEC_DEFAULT_SINGLE_ID);

  g_assert_cmpuint (spec->linux_->uid_mappings.n, ==, 1);
  g_assert_cmpuint (spec->linux_->uid_mappings.items[0].host_id, ==, 1234);
  g_assert_cmpuint (spec->linux_->gid_mappings.items[0].host_id, ==, 5678);
  g_assert_cmpuint (spec->linux_->gid_mappings.items[0].size, ==, 1);
  for (guint i = 0; i < spec->n_mounts; i++)
    if (g_str_equal (spec->mounts[i].type, "devpts"))
      g_assert_false (g_strv_contains ((const char *const *) spec->mounts[i].options, "gid=5"));
}

static void
test_write_refuses_overwrite (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hako-spec-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "config.json", NULL);
  g_autofree char *contents = NULL;

  g_assert_true (hako_spec_default_write (dir, HAKO_SPEC_DEFAULT_AUTO_MAPPINGS, TRUE, &error));
  g_assert_true (g_file_set_contents (path, "mine", -1, &error));
  g_assert_false (hako_spec_default_write (dir, HAKO_SPEC_DEFAULT_AUTO_MAPPINGS, TRUE, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_EXISTS);
  g_assert_true (strstr (error->message, "--bundle") != NULL);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "mine");
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spec-default/auto-mappings", test_auto_mappings);
  g_test_add_func ("/spec-default/single-id", test_single_id);
  g_test_add_func ("/spec-default/write-refuses-overwrite", test_write_refuses_overwrite);
  return g_test_run ();
}
