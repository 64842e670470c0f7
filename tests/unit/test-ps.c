/* hako ps's filter of ps(1) output to a container's pids. */
#include "config.h"

#include <sys/types.h>

#include "container-ps.h"
#include "error.h"

static GArray *
pids_of (const pid_t *values, guint n)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_array_append_vals (pids, values, n);
  return pids;
}

static void
test_filter (void)
{
  const pid_t values[] = { 42, 7 };
  g_autoptr (GArray) pids = pids_of (values, G_N_ELEMENTS (values));
  const char *ps = "UID        PID  PPID CMD\n"
                   "root         1     0 init\n"
                   "root        42     1 sleep 42\n"
                   "root       420     1 not 42\n"
                   "user         7    42 sh -c 7\n";
  g_autofree char *out = hako_ps_filter (ps, pids, NULL);

  g_assert_cmpstr (out, ==, "UID        PID  PPID CMD\n"
                            "root        42     1 sleep 42\n"
                            "user         7    42 sh -c 7\n");
}

static void
test_no_pid_column (void)
{
  g_autoptr (GArray) pids = pids_of (NULL, 0);
  g_autoptr (GError) error = NULL;

  g_assert_null (hako_ps_filter ("COMMAND\nsleep\n", pids, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_FAILED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ps/filter", test_filter);
  g_test_add_func ("/ps/no-pid-column", test_no_pid_column);
  return g_test_run ();
}
