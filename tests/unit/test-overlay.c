/* The overlay's pure parts: the annotation and the id shift for fuse-overlayfs. */
#include "config.h"

#include <string.h>

#include "error.h"
#include "overlay-jail.h"
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

/* The daemon's root: what it binds where, in which order. */
static void
test_jail_plan (void)
{
  g_autoptr (HakoOverlayJail) jail = hako_overlay_jail_new ("/tmp/x/daemon", "/bin/sh", "/srv/a:/srv/b", "/tmp/x", NULL);
  g_autoptr (GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  gint storage = -1, lower_a = -1, lower_b = -1, proc = -1;

  g_assert_nonnull (jail);
  for (int i = 0;; i++)
    {
      char *step = hako_overlay_jail_describe_step (jail, i);
      if (g_str_equal (step, "?"))
        {
          g_free (step);
          break;
        }
      g_ptr_array_add (steps, step);
    }
  g_assert_cmpstr (steps->pdata[0], ==, "mount a tmpfs on /tmp/x/daemon");
  g_assert_cmpstr (steps->pdata[steps->len - 1], ==, "make /tmp/x/daemon its root");
  for (guint i = 0; i < steps->len; i++)
    {
      const char *step = steps->pdata[i];
      if (g_str_equal (step, "bind /tmp/x on /tmp/x/daemon/tmp/x"))
        storage = i;
      else if (g_str_equal (step, "bind /srv/a on /tmp/x/daemon/srv/a"))
        lower_a = i;
      else if (g_str_equal (step, "bind /srv/b on /tmp/x/daemon/srv/b"))
        lower_b = i;
      else if (g_str_equal (step, "mount a procfs on /tmp/x/daemon/proc"))
        proc = i;
      /* Nothing of the host's but these. */
      if (g_str_has_prefix (step, "bind "))
        g_assert_true (g_str_has_prefix (step, "bind /usr ") || g_str_has_prefix (step, "bind /etc/ld.so.cache ")
                       || g_str_has_prefix (step, "bind /tmp/x ") || g_str_has_prefix (step, "bind /srv/")
                       || g_str_has_prefix (step, "bind /dev/fuse ") || g_str_has_prefix (step, "bind /dev/null ")
                       || g_str_has_prefix (step, "bind /bin") || g_str_has_prefix (step, "bind /lib")
                       || g_str_has_prefix (step, "bind /sbin") || g_str_has_prefix (step, "bind /nix/store ")
                       || g_str_has_prefix (step, "bind /gnu/store "));
    }
  /* The storage first: the lowers may be mounted in it. */
  g_assert_cmpint (storage, >, 0);
  g_assert_cmpint (lower_a, >, storage);
  g_assert_cmpint (lower_b, >, lower_a);
  g_assert_cmpint (proc, >, lower_b);
  g_assert_null (hako_overlay_jail_new ("/tmp/x/daemon", "/nonexistent/fuse-overlayfs", "/srv/a", "/tmp/x", &error));
  g_assert_nonnull (strstr (error->message, "/nonexistent/fuse-overlayfs"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/overlay/wanted", test_wanted);
  g_test_add_func ("/overlay/id-shift", test_id_shift);
  g_test_add_func ("/overlay/jail-plan", test_jail_plan);
  return g_test_run ();
}
