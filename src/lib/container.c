#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/un.h>

#include "cgroup.h"
#include "container-image.h"
#include "container-pause.h"
#include "container-setup.h"
#include "container.h"
#include "error.h"
#include "fd-util.h"
#include "foreground.h"
#include "hooks.h"
#include "i18n.h"
#include "log.h"
#include "net-files.h"
#include "net-helper.h"
#include "pidns.h"
#include "spec.h"
#include "terminal.h"

static char *
now_rfc3339 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format_iso8601 (now);
}

static gboolean
write_pid_file (const char *path, pid_t pid, GError **error)
{
  g_autofree char *text = g_strdup_printf ("%d", (int) pid);
  return hako_file_replace (path, text, -1, 0644, error);
}

/* config.json as create read it: later edits to the bundle must not
 * change the container (runtime.md), and start and delete need its hooks. */
static HakoSpec *
load_saved_config (const char *root, const char *id, GError **error)
{
  g_autofree char *dir = hako_state_dir (root, id);
  g_autofree char *path = g_build_filename (dir, "config.json", NULL);

  return hako_spec_load_file (path, error);
}

/* The cgroup STATE records, or NULL. */
static HakoCgroup *
state_cgroup (const HakoState *state)
{
  return hako_cgroup_from_state (state->cgroup_manager, (const char *const *) state->cgroup_paths,
                                 (const char *const *) state->cgroup_created);
}

static gboolean
destroy_cgroup (const HakoState *state, GError **error)
{
  g_autoptr (HakoCgroup) cgroup = state_cgroup (state);

  return cgroup == NULL || hako_cgroup_destroy (cgroup, error);
}

typedef struct
{
  const HakoNetRequest *request;
  const char *state_dir;
  HakoNetConfig *config;
} NetPreparation;

/* The network the config and the options ask for; with slirp, whose
 * addresses hako chooses, also the container's resolv.conf and hosts (see
 * net-files.h). */
static gboolean
prepare_network (HakoSpec *spec, gpointer data, GError **error)
{
  NetPreparation *net = data;

  return hako_net_config_resolve (spec, net->request, net->config, error)
         && (net->config->mode != HAKO_NET_SLIRP || hako_net_files_provide (spec, net->state_dir, error));
}

static gboolean
read_bundle_config (const char *bundle, char **config, gsize *length, GError **error)
{
  g_autofree char *path = g_build_filename (bundle, "config.json", NULL);

  return g_file_get_contents (path, config, length, error);
}

/* SPEC_OUT and STATE_OUT (may be NULL): the parsed config and the state,
 * for `run` to start and delete with, instead of reading them again. */
static gboolean
create_locked (const HakoCreateOptions *options, int offered_console_fd, int lock_fd,
               HakoSpec **spec_out, HakoState **state_out, GError **error)
{
  g_autoptr (HakoSetup) setup = NULL;
  g_autoptr (HakoState) state = g_new0 (HakoState, 1);
  g_autofree char *dir = hako_state_dir (options->root, options->id);
  g_autofree char *bundle = g_canonicalize_filename (options->bundle ? options->bundle : dir, NULL);
  g_autofree char *saved_config = g_build_filename (dir, "config.json", NULL);
  g_autofree char *config = NULL;
  gsize config_len = 0;
  g_auto (HakoContainerImage) image = { 0 };
  HakoSetupOptions setup_options;
  hako_autofd int console_fd = -1;
  g_auto (HakoNetConfig) net = { 0 };
  NetPreparation net_preparation = { .request = &options->net, .state_dir = dir, .config = &net };

  if (options->bundle && !read_bundle_config (bundle, &config, &config_len, error))
    return FALSE;
  if (options->image)
    {
      if (!hako_container_image_prepare (options->image, config, config_len, options->image_args, &image, error))
        return FALSE;
      g_free (config);
      config = g_steal_pointer (&image.config);
      config_len = strlen (config);
    }
  if (options->console_socket
      && (console_fd = hako_terminal_connect_console_socket (options->console_socket, error)) < 0)
    return FALSE;
  setup_options = (HakoSetupOptions){ .id = options->id, .bundle = bundle, .state_dir = dir,
                                      .no_pivot = options->no_pivot,
                                      .no_new_keyring = options->no_new_keyring,
                                      .preserve_fds = options->preserve_fds,
                                      .console_fd = console_fd >= 0 ? console_fd : offered_console_fd,
                                      .console_offered = console_fd < 0,
                                      .cgroup_manager = options->cgroup_manager,
                                      .overlay = options->overlay,
                                      .overlay_storage = options->overlay_storage,
                                      .rootfs_readonly_from = options->rootfs_readonly_from,
                                      .init = options->init,
                                      .image_layers = (const char *const *) image.layer_dirs,
                                      .prepare_spec = prepare_network,
                                      .prepare_data = &net_preparation };
  setup = hako_setup_new (config, config_len, &setup_options, error);
  if (setup == NULL)
    {
      /* The network's files may already be in the state directory. */
      hako_state_remove (options->root, options->id);
      return FALSE;
    }
  state->id = g_strdup (options->id);
  state->bundle = g_steal_pointer (&bundle);
  state->rootfs = g_strdup (hako_setup_get_rootfs (setup));
  state->recorded = HAKO_STATUS_CREATING;
  state->created = now_rfc3339 ();
  state->owner = geteuid ();
  if (hako_setup_get_spec (setup)->annotations)
    state->annotations = g_hash_table_ref (hako_setup_get_spec (setup)->annotations);

  hako_log_debug ("create %s: bundle %s, rootfs %s, state in %s", options->id, state->bundle,
                  state->rootfs, dir);
  /* The first state is saved with the container process's pid: until then
   * nothing would be left to find after a failure (the setup children end
   * with the runtime), and `state` says the container does not exist yet. */
  if (!hako_state_make_dir (options->root, options->id, error)
      || (options->image && !hako_container_image_pin (&image, dir, error))
      /* Only later commands under the lock read it: no need for a rename. */
      || !hako_file_create_new (saved_config, config, config_len, 0600, error)
      || !hako_setup_spawn (setup, options->root, state, lock_fd, error))
    return FALSE;
  state->recorded = HAKO_STATUS_CREATED;
  hako_log_debug ("create %s: container process %d set up, waiting for start", options->id,
                  (int) state->pid);
  if ((net.mode != HAKO_NET_NONE
       && !hako_net_start (&net, dir, hako_setup_get_namespace_fd (setup, "user"),
                           hako_setup_get_namespace_fd (setup, "net"), state->pid, state->pid_start,
                           error))
      || !hako_state_save (options->root, state, error)
      || (options->pid_file && !write_pid_file (options->pid_file, state->pid, error)))
    {
      /* The container process exists: it goes, and what was made for it. */
      kill (state->pid, SIGKILL);
      hako_net_stop (dir);
      destroy_cgroup (state, NULL);
      return FALSE;
    }
  if (spec_out)
    *spec_out = hako_setup_steal_spec (setup);
  if (state_out)
    *state_out = g_steal_pointer (&state);
  return TRUE;
}

/* Checks the id and takes the container's lock; the fd, or -1. */
static int
lock_container (const char *root, const char *id, GError **error)
{
  if (!hako_container_id_check (id, error))
    return -1;
  return hako_state_lock (root, id, error);
}

/* OFFERED_CONSOLE_FD: a foreground run's console socket, used when the
 * config asks for a terminal (-1: none). */
/* LOCK_OUT (may be NULL): the container's lock, kept held for the caller. */
static gboolean
create_container (const HakoCreateOptions *options, int offered_console_fd, HakoSpec **spec_out,
                  HakoState **state_out, int *lock_out, GError **error)
{
  int lock_fd = lock_container (options->root, options->id, error);
  g_autofree char *dir = NULL;
  gboolean ok;

  if (lock_fd < 0)
    return FALSE;
  dir = hako_state_dir (options->root, options->id);
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_EXISTS,
                   _("container \"%s\" already exists: delete it first (hako delete %s)"),
                   options->id, options->id);
      close (lock_fd);
      return FALSE;
    }
  ok = create_locked (options, offered_console_fd, lock_fd, spec_out, state_out, error);
  /* A container that never came to be leaves nothing, not even its lock file. */
  if (!ok)
    hako_state_remove (options->root, options->id);
  if (ok && lock_out)
    *lock_out = lock_fd;
  else
    close (lock_fd);
  return ok;
}

gboolean
hako_container_create (const HakoCreateOptions *options, GError **error)
{
  return create_container (options, -1, NULL, NULL, NULL, error);
}

static gboolean
wrong_status (const HakoState *state, HakoStatus status, const char *command, GError **error)
{
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("container \"%s\" is %s: %s needs a %s container"),
               state->id, hako_status_name (status), command,
               g_str_equal (command, "start") ? "created" : "created or running");
  return FALSE;
}

/* Hands the container process its state; it runs the startContainer hooks
 * and execs, which closes the connection, or reports why it could not. */
static gboolean
release_container_process (const char *root, const HakoState *state, const HakoSpec *spec,
                           GError **error)
{
  g_autofree char *dir = hako_state_dir (root, state->id);
  g_autofree char *json = hako_state_to_hook_json (state);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int dir_fd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean closed = FALSE, ok = FALSE;
  HakoReport report;

  g_snprintf (addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dir_fd, HAKO_EXEC_SOCKET);
  if (dir_fd < 0 || fd < 0 || connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    hako_error_set_errno (error, errno, _("cannot reach the process of container \"%s\" (%s/%s)"),
                          state->id, dir, HAKO_EXEC_SOCKET);
  else if (hako_message_write (fd, json, error))
    {
      if (hako_report_read (fd, &report, &closed, NULL))
        {
          g_autofree char *message = hako_setup_describe_start_report (spec, &report);
          g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED, message);
        }
      else if (!closed)
        hako_error_set_errno (error, errno, _("lost the process of container \"%s\""), state->id);
      ok = closed;
    }
  if (fd >= 0)
    close (fd);
  if (dir_fd >= 0)
    close (dir_fd);
  return ok;
}

/* SPEC: the container's config when the caller has it, else NULL to read
 * the saved copy. STATE_OUT (may be NULL): the state once running. */
/* The start of a created container whose lock the caller holds. */
static gboolean
start_created (const char *root, HakoState *state, const HakoSpec *spec, GError **error)
{
  g_autofree char *dir = NULL, *socket_path = NULL, *json = NULL;

  if (!release_container_process (root, state, spec, error))
    return FALSE;
  dir = hako_state_dir (root, state->id);
  socket_path = g_build_filename (dir, HAKO_EXEC_SOCKET, NULL);
  unlink (socket_path);
  state->recorded = HAKO_STATUS_RUNNING;
  json = hako_state_to_hook_json (state);
  /* The payload goes first: a poststart hook (the suite's, for one) may
   * look for what it does, and "after the process is executed" should
   * mean that it has begun, not that exec returned a moment ago. */
  if (spec->n_hooks[HAKO_HOOK_POSTSTART] > 0)
    hako_process_wait_settled (state->pid, 50);
  if (!hako_hooks_run (spec, HAKO_HOOK_POSTSTART, json, error))
    {
      /* runtime.md: a failing poststart hook stops the container. */
      kill (state->pid, SIGKILL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
start_locked (const char *root, const char *id, GError **error)
{
  g_autoptr (HakoState) state = hako_state_load (root, id, error);
  g_autoptr (HakoSpec) spec = NULL;
  HakoStatus status;

  if (state == NULL)
    {
      hako_state_forget_missing (root, id, error ? *error : NULL);
      return FALSE;
    }
  status = hako_state_status (state);
  if (status != HAKO_STATUS_CREATED)
    return wrong_status (state, status, "start", error);
  return (spec = load_saved_config (root, id, error)) != NULL && start_created (root, state, spec, error);
}

gboolean
hako_container_start (const char *root, const char *id, GError **error)
{
  int lock_fd = lock_container (root, id, error);
  gboolean ok;

  if (lock_fd < 0)
    return FALSE;
  ok = start_locked (root, id, error);
  close (lock_fd);
  return ok;
}

int
hako_signal_from_name (const char *name)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (name, 10, 1, SIGRTMAX, &number, NULL))
    return number;
  if (g_str_has_prefix (name, "SIG"))
    name += 3;
  for (int sig = 1; sig < NSIG; sig++)
    {
      const char *abbrev = sigabbrev_np (sig);
      if (abbrev && g_str_equal (abbrev, name))
        return sig;
    }
  return -1;
}

/* Signals the container process through a pidfd, after checking that the
 * pid still belongs to it. */
static gboolean
signal_container_process (const HakoState *state, int signal_number, GError **error)
{
  int pidfd = syscall (SYS_pidfd_open, state->pid, 0);
  int ret;

  if (pidfd < 0)
    return hako_error_set_errno (error, errno, _("container \"%s\" (pid %d)"), state->id, (int) state->pid);
  if (hako_process_start_time (state->pid) != state->pid_start)
    {
      close (pidfd);
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("container \"%s\" is not running"), state->id);
      return FALSE;
    }
  ret = syscall (SYS_pidfd_send_signal, pidfd, signal_number, NULL, 0);
  close (pidfd);
  if (ret < 0)
    return hako_error_set_errno (error, errno, _("cannot signal container \"%s\""), state->id);
  return TRUE;
}

/* Without a cgroup, "all processes" are those in the container's pid namespace. */
static void
signal_pid_namespace (const HakoState *state, int signal_number)
{
  g_autoptr (GArray) pids = hako_pid_namespace_pids (state->pid);

  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, pid_t, i), signal_number);
}

gboolean
hako_container_kill (const char *root, const char *id, int signal_number, gboolean all,
                     GError **error)
{
  g_autoptr (HakoState) state = NULL;
  HakoStatus status;
  int lock_fd = lock_container (root, id, error);

  if (lock_fd < 0)
    return FALSE;
  state = hako_state_load (root, id, error);
  if (state == NULL)
    hako_state_forget_missing (root, id, error ? *error : NULL);
  close (lock_fd);
  if (state == NULL)
    return FALSE;
  status = hako_state_status (state);
  if (status != HAKO_STATUS_CREATED && status != HAKO_STATUS_RUNNING && status != HAKO_STATUS_PAUSED)
    return wrong_status (state, status, "kill", error);
  /* The container process first: checking that it is still the container's
   * needs it alive, and signalling the namespace first may already end it. */
  if (!signal_container_process (state, signal_number, error))
    return FALSE;
  if (all)
    {
      g_autoptr (HakoCgroup) cgroup = state_cgroup (state);
      signal_pid_namespace (state, signal_number);
      /* Without a pid namespace of its own, only the cgroup knows them all. */
      if (cgroup)
        hako_cgroup_signal_all (cgroup, signal_number);
    }
  if (status == HAKO_STATUS_PAUSED && signal_number == SIGKILL)
    hako_container_thaw (state);
  return TRUE;
}

/* Waits up to ten seconds for the container process to be gone (or a zombie). */
static gboolean
wait_gone (const HakoState *state, GError **error)
{
  for (int i = 0; i < 1000; i++)
    {
      if (hako_process_start_time (state->pid) != state->pid_start)
        return TRUE;
      g_usleep (10000);
    }
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
               _("container \"%s\" (pid %d) did not exit after SIGKILL"), state->id, (int) state->pid);
  return FALSE;
}

/* runtime.md: a failing poststop hook is a warning, and delete goes on. */
static void
run_poststop_hooks (const char *root, HakoState *state, const HakoSpec *spec)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HakoSpec) saved_spec = NULL;
  g_autofree char *json = NULL;

  state->recorded = HAKO_STATUS_STOPPED;
  json = hako_state_to_hook_json (state);
  if (spec == NULL && (spec = saved_spec = load_saved_config (root, state->id, &error)) == NULL)
    hako_log_warning ("%s", error->message);
  else
    hako_hooks_run_warn (spec, HAKO_HOOK_POSTSTOP, json);
}

/* SPEC: as for start_locked. */
static gboolean
delete_locked (const char *root, const char *id, gboolean force, const HakoSpec *spec,
               GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (HakoState) state = hako_state_load (root, id, &local_error);
  g_autofree char *dir = hako_state_dir (root, id);
  HakoStatus status;

  if (state == NULL)
    {
      /* Taking the lock made its file: no container, no lock file. */
      hako_state_forget_missing (root, id, local_error);
      /* As runc: --force on a container that does not exist succeeds. */
      if (force && g_error_matches (local_error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  status = hako_state_status (state);
  if ((status == HAKO_STATUS_RUNNING || status == HAKO_STATUS_PAUSED) && !force)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("container \"%s\" is %s: stop it first, or use delete --force"), id,
                   hako_status_name (status));
      return FALSE;
    }
  if (status != HAKO_STATUS_STOPPED && state->pid > 0)
    {
      signal_pid_namespace (state, SIGKILL);
      if (hako_process_start_time (state->pid) == state->pid_start)
        kill (state->pid, SIGKILL);
      if (status == HAKO_STATUS_PAUSED)
        hako_container_thaw (state);
      if (!wait_gone (state, error))
        return FALSE;
    }
  hako_net_stop (dir);
  /* Kept with the state when it fails, so that delete can be tried again. */
  if (!destroy_cgroup (state, error))
    return FALSE;
  run_poststop_hooks (root, state, spec);
  hako_state_remove (root, id);
  return TRUE;
}

static gboolean
delete_container (const char *root, const char *id, gboolean force, const HakoSpec *spec,
                  GError **error)
{
  int lock_fd = lock_container (root, id, error);
  gboolean ok;

  if (lock_fd < 0)
    return FALSE;
  ok = delete_locked (root, id, force, spec, error);
  close (lock_fd);
  return ok;
}

gboolean
hako_container_delete (const char *root, const char *id, gboolean force, GError **error)
{
  return delete_container (root, id, force, NULL, error);
}

/* After create: the pty master when the container has a terminal, else -1. */
static gboolean
receive_terminal (const HakoSpec *spec, int console_fd, int *master_fd, GError **error)
{
  *master_fd = -1;
  return !spec->process->terminal || hako_terminal_receive_master (console_fd, master_fd, error);
}

int
hako_container_run (const HakoCreateOptions *options, gboolean detach, GError **error)
{
  g_autoptr (HakoState) state = NULL;
  g_autoptr (HakoSpec) spec = NULL;
  int console[2] = { -1, -1 };
  hako_autofd int master_fd = -1;
  int lock_fd = -1;
  gboolean ok;
  int exit_status;

  /* The container process is a grandchild: become its reaper to wait for it. */
  if (!detach && prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    {
      hako_error_set_errno (error, errno, "PR_SET_CHILD_SUBREAPER");
      return -1;
    }
  if (!detach && !options->console_socket && !hako_terminal_socketpair (console, error))
    return -1;
  /* The lock stays held from create to start: nothing comes between. */
  ok = create_container (options, console[1], &spec, &state, &lock_fd, error);
  if (console[1] >= 0)
    close (console[1]);
  ok = ok && (console[0] < 0 || receive_terminal (spec, console[0], &master_fd, error));
  if (console[0] >= 0)
    close (console[0]);
  /* Only now: an ignored signal would stay ignored in the payload's exec. */
  if (ok)
    signal (SIGPIPE, SIG_IGN);
  ok = ok && start_created (options->root, state, spec, error);
  if (lock_fd >= 0)
    close (lock_fd);
  if (!ok)
    {
      delete_container (options->root, options->id, TRUE, spec, NULL);
      return -1;
    }
  if (detach)
    return 0;
  exit_status = hako_foreground_wait (state->pid, master_fd, options->timeout, error);
  if (!delete_container (options->root, options->id, TRUE, spec, exit_status < 0 ? NULL : error))
    return -1;
  return exit_status;
}
