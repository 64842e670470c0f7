/* The overlay's pure parts: the annotation and the id shift for fuse-overlayfs. */
#include "config.h"

#include <string.h>

#include "error.h"
#include "overlay.h"
#include "spec.h"

static HakoSpec *
spec_with_rootfs_annotation (const char *value)
{
  g_autofree char *json = value ? g_strdup_printf ("{\"ociVersion\": \"1.0.2\", \"annotations\": {\"org.hako.rootfs\": \"%s\"}}", value)
                                : g_strdup ("{\"ociVersion\": \"1.0.2\"}");
  HakoSpec *spec = hako_spec_load_data (json, -1, NULL);

  g_assert_nonnull (spec);
  return spec;
}

static void
test_wanted (void)
{
  g_autoptr (GError) error = NULL;
  gboolean wanted;
  HakoSpec *spec;

  spec = spec_with_rootfs_annotation (NULL);
  g_assert_true (hako_overlay_wanted (spec, FALSE, &wanted, NULL) && !wanted);
  g_assert_true (hako_overlay_wanted (spec, TRUE, &wanted, NULL) && wanted);
  hako_spec_free (spec);
  spec = spec_with_rootfs_annotation ("overlay");
  g_assert_true (hako_overlay_wanted (spec, FALSE, &wanted, NULL) && wanted);
  hako_spec_free (spec);
  /* --overlay wins over the annotation's bind. */
  spec = spec_with_rootfs_annotation ("bind");
  g_assert_true (hako_overlay_wanted (spec, FALSE, &wanted, NULL) && !wanted);
  g_assert_true (hako_overlay_wanted (spec, TRUE, &wanted, NULL) && wanted);
  hako_spec_free (spec);
  spec = spec_with_rootfs_annotation ("fuse");
  g_assert_false (hako_overlay_wanted (spec, FALSE, &wanted, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "annotations.org.hako.rootfs: unknown value \"fuse\""));
  hako_spec_free (spec);
}

static void
test_id_shift (void)
{
  /* Rootless default: container 0 = the caller 1001, 1.. = 100000.. */
  HakoIdMapping ranges[] = { { 0, 1001, 1 }, { 1, 100000, 65536 } };
  /* Container 0 a subordinate id, the caller container 1. */
  HakoIdMapping subroot[] = { { 0, 100000, 1 }, { 1, 1001, 1 } };
  /* The caller as container 1000 of 65537 ids. */
  HakoIdMapping wide[] = { { 0, 100000, 1000 }, { 1000, 1001, 1 }, { 1001, 101000, 64536 } };
  HakoIdMappings m = { ranges, G_N_ELEMENTS (ranges) };
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  /* Already container 0, or not mapped at all: nothing to shift. */
  g_assert_null (hako_overlay_id_shift (&m, 1001));
  g_assert_null (hako_overlay_id_shift (&m, 4000));
  m = (HakoIdMappings){ subroot, G_N_ELEMENTS (subroot) };
  a = hako_overlay_id_shift (&m, 1001);
  g_assert_cmpstr (a, ==, "0:1:1:1:0:1");
  m = (HakoIdMappings){ wide, G_N_ELEMENTS (wide) };
  b = hako_overlay_id_shift (&m, 1001);
  g_assert_cmpstr (b, ==, "0:1000:1:1:1:999:1000:0:1:1001:1001:64536");
  c = hako_overlay_id_shift (&m, 100001);
  g_assert_cmpstr (c, ==, "0:1:1:1:0:1:2:2:65535");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/overlay/wanted", test_wanted);
  g_test_add_func ("/overlay/id-shift", test_id_shift);
  return g_test_run ();
}
