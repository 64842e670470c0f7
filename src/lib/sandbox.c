#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "container.h"
#include "error.h"
#include "fd-util.h"
#include "foreground.h"
#include "i18n.h"
#include "overlay.h"
#include "sandbox.h"
#include "state.h"

/* A sandbox's container id and bundle share the suffix g_mkdtemp chose. */
#define SANDBOX_ID_PREFIX "sandbox-"
#define SANDBOX_BUNDLE_PREFIX "hako-sandbox."

/* Limits nothing could enforce are refused before anything is made, in
 * the terms of the command line rather than config.json's. */
static gboolean
check_limits (const HakoSandboxConfig *config, const HakoSandboxRun *run, GError **error)
{
  HakoCgroupManager manager;
  g_autofree char *why_none = NULL;

  if (!hako_sandbox_config_has_limits (config))
    return TRUE;
  if (!hako_cgroup_manager_choose (run->cgroup_manager, NULL, &manager, &why_none, error))
    return FALSE;
  if (manager != HAKO_CGROUP_MANAGER_NONE)
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
               _("--memory, --cpus and --pids need a cgroup, and none can be had here (%s): drop them, or see hako check for what would delegate one"),
               why_none);
  return FALSE;
}

/* --changes DIR: new or empty, so that what is found there afterwards is
 * this sandbox's writes and nothing else. */
static gboolean
prepare_changes (const HakoSandboxConfig *config, const char *dir, GError **error)
{
  g_autoptr (GDir) listing = NULL;

  if (config->no_overlay)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--changes needs the overlay, which --no-overlay turns off: drop one of them"));
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) < 0)
    return hako_error_set_errno (error, errno, _("--changes %s: cannot create it"), dir);
  listing = g_dir_open (dir, 0, error);
  if (listing == NULL)
    {
      g_prefix_error (error, "--changes %s: ", dir);
      return FALSE;
    }
  if (g_dir_read_name (listing) != NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_EXISTS,
                   _("--changes %s: the directory is not empty: give a new or empty one"), dir);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_request (HakoSandboxConfig *config, const HakoSandboxRun *run, GError **error)
{
  g_autoptr (GPtrArray) hidden = g_ptr_array_new ();

  if (run->publish && run->publish[0] && !config->net)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("-p %s: port forwards need the network: add --net"), run->publish[0]);
      return FALSE;
    }
  if (!check_limits (config, run, error) || (run->changes && !prepare_changes (config, run->changes, error)))
    return FALSE;
  if (!config->no_overlay)
    {
      g_ptr_array_add (hidden, hako_overlay_storage_root ());
      if (run->changes)
        g_ptr_array_add (hidden, g_canonicalize_filename (run->changes, NULL));
    }
  g_ptr_array_add (hidden, NULL);
  config->hidden = (char **) g_ptr_array_free (g_steal_pointer (&hidden), FALSE);
  return TRUE;
}

/* A private bundle next to the state root: the config is hako's, not the user's. */
static char *
make_bundle (const char *root, const char *config_json, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (root);
  g_autofree char *bundle = g_build_filename (parent, SANDBOX_BUNDLE_PREFIX "XXXXXX", NULL);
  g_autofree char *config_path = NULL, *rootfs = NULL;

  if (g_mkdir_with_parents (parent, 0700) < 0 || g_mkdtemp (bundle) == NULL)
    {
      hako_error_set_errno (error, errno, _("cannot create the sandbox's bundle directory in %s"), parent);
      return NULL;
    }
  config_path = g_build_filename (bundle, "config.json", NULL);
  rootfs = g_build_filename (bundle, HAKO_SANDBOX_ROOTFS, NULL);
  if (!hako_file_create_new (config_path, config_json, -1, 0600, error)
      || (mkdir (rootfs, 0755) < 0 && !hako_error_set_errno (error, errno, _("cannot create %s"), rootfs)))
    {
      hako_remove_tree (bundle);
      return NULL;
    }
  return g_steal_pointer (&bundle);
}

/* Sandboxes whose runtime was killed (SIGKILL gives it no chance to
 * clean up; their init died with it) leave a stopped container and a
 * bundle: the next sandbox removes them. A sandbox still being created or
 * running is left alone. */
static gboolean
sandbox_gone (const HakoState *state)
{
  /* Killed while being created: the recorded pid is dead. */
  if (state->recorded == HAKO_STATUS_CREATING)
    return state->pid > 0 && hako_process_start_time (state->pid) != state->pid_start;
  return hako_state_status (state) == HAKO_STATUS_STOPPED;
}

static void
sweep_stopped (const char *root)
{
  g_autoptr (GPtrArray) ids = hako_state_list_ids (root, NULL);
  g_autofree char *parent = g_path_get_dirname (root);

  for (guint i = 0; ids && i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr (HakoState) state = NULL;
      g_autofree char *bundle = NULL;

      if (!g_str_has_prefix (id, SANDBOX_ID_PREFIX)
          || (state = hako_state_load (root, id, NULL)) == NULL || !sandbox_gone (state))
        continue;
      bundle = g_strdup_printf ("%s/" SANDBOX_BUNDLE_PREFIX "%s", parent, id + strlen (SANDBOX_ID_PREFIX));
      if (hako_container_delete (root, id, TRUE, NULL) && g_str_equal (state->bundle, bundle))
        hako_remove_tree (bundle);
    }
}

/* What the overlay leaves besides the upper layer is its own. */
static void
tidy_changes (const char *dir)
{
  g_autofree char *work = g_build_filename (dir, "work", NULL);
  g_autofree char *merged = g_build_filename (dir, "merged", NULL);

  hako_remove_tree (work);
  hako_remove_tree (merged);
}

int
hako_sandbox_run (HakoSandboxConfig *config, const HakoSandboxRun *run, GError **error)
{
  g_autofree char *json = NULL, *bundle = NULL, *id = NULL;
  HakoCreateOptions options;
  int status;

  if (!check_request (config, run, error) || (json = hako_sandbox_config_generate (config, error)) == NULL
      || (bundle = make_bundle (run->state_root, json, error)) == NULL)
    return -1;
  sweep_stopped (run->state_root);
  id = g_strdup_printf (SANDBOX_ID_PREFIX "%s", strrchr (bundle, '.') + 1);
  options = (HakoCreateOptions){ .root = run->state_root, .id = id, .bundle = bundle,
                                 .overlay = !config->no_overlay, .overlay_storage = run->changes,
                                 .rootfs_readonly_from = config->no_overlay ? "/" : NULL,
                                 .init = TRUE, .timeout = run->timeout,
                                 .cgroup_manager = run->cgroup_manager,
                                 .net = { .network = config->net ? "slirp" : NULL,
                                          .publish = run->publish } };
  /* The parent's death reaches the payload as SIGTERM, forwarded (held
   * until there is a payload); the runtime then removes what it made. */
  hako_foreground_hold_signals ();
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  status = hako_container_run (&options, FALSE, error);
  hako_remove_tree (bundle);
  if (run->changes)
    tidy_changes (run->changes);
  return status;
}
