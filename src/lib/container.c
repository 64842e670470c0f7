#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child-error.h"
#include "container.h"
#include "error.h"
#include "i18n.h"
#include "log.h"
#include "mount.h"
#include "namespaces.h"
#include "process.h"
#include "spec.h"
#include "userns.h"

#define EXEC_FIFO "exec.fifo"

/* What the setup children tell the runtime over the report pipe. */
typedef enum
{
  REPORT_USERNS_READY = 1, /* the first child has its user namespace: write the maps */
  REPORT_PID,              /* the container process exists: its pid */
  REPORT_READY,            /* set up, waiting on the exec fifo */
  REPORT_ERROR,
} ReportKind;

typedef struct
{
  gint32 kind;
  gint32 pid;
  HakoChildError error;
} Report;

/* Everything the children need, prepared before fork. */
typedef struct
{
  HakoSpec *spec;
  HakoNamespacePlan namespaces;
  HakoMountPlan *mounts;
  HakoProcessPlan *process;
  char *fifo_path;
  int report_fd; /* children write Reports here */
  int maps_fd;   /* the first child reads one byte here once its maps are written */
  int lock_fd;   /* the container's lock, which the children must not keep */
} Setup;

static void
setup_clear (Setup *setup)
{
  g_clear_pointer (&setup->spec, hako_spec_free);
  hako_namespace_plan_clear (&setup->namespaces);
  g_clear_pointer (&setup->mounts, hako_mount_plan_free);
  g_clear_pointer (&setup->process, hako_process_plan_free);
  g_clear_pointer (&setup->fifo_path, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Setup, setup_clear)

/* ---- in the children: async-signal-safe only ---- */

static void
report (int fd, ReportKind kind, pid_t pid, const HakoChildError *error)
{
  Report r = { .kind = kind, .pid = pid };

  if (error)
    r.error = *error;
  /* A pipe write of less than PIPE_BUF bytes is atomic. */
  while (write (fd, &r, sizeof r) < 0 && errno == EINTR)
    ;
}

static G_GNUC_NORETURN void
child_fail (const Setup *setup, const HakoChildError *error)
{
  report (setup->report_fd, REPORT_ERROR, 0, error);
  _exit (1);
}

/* The container process: rootfs, process attributes, wait for start, exec. */
static G_GNUC_NORETURN void
run_container_process (const Setup *setup)
{
  HakoChildError error = { 0 };
  char byte;
  /* Opened before pivot_root hides the state directory; O_RDWR so the
   * open does not wait for a writer, read() below does. */
  int fifo_fd = open (setup->fifo_path, O_RDWR | O_CLOEXEC);

  if (fifo_fd < 0)
    {
      hako_child_fail (&error, HAKO_CHILD_STAGE_SYNC, 0, errno);
      child_fail (setup, &error);
    }
  if (hako_mount_plan_apply (setup->mounts, &error) < 0
      || hako_process_plan_apply_system (setup->process, &error) < 0
      || hako_process_plan_apply_identity (setup->process, &error) < 0)
    child_fail (setup, &error);

  report (setup->report_fd, REPORT_READY, 0, NULL);
  close (setup->report_fd);
  while (read (fifo_fd, &byte, 1) < 0)
    if (errno != EINTR)
      _exit (1);
  /* Nothing of the runtime may reach the payload: every other fd closes on exec. */
  syscall (SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  hako_process_plan_exec (setup->process, &error);
  _exit (127);
}

/* The first child: its own user namespace first, then the others. */
static G_GNUC_NORETURN void
run_first_child (const Setup *setup)
{
  HakoChildError error = { 0 };
  char byte;
  pid_t pid;

  /* An flock belongs to the open file: a copy here would hold it until exec. */
  close (setup->lock_fd);
  if (hako_namespace_plan_new_user (&setup->namespaces))
    {
      if (unshare (CLONE_NEWUSER) < 0)
        {
          hako_child_fail (&error, HAKO_CHILD_STAGE_NAMESPACES, -1, errno);
          child_fail (setup, &error);
        }
      report (setup->report_fd, REPORT_USERNS_READY, 0, NULL);
      if (read (setup->maps_fd, &byte, 1) != 1)
        _exit (1); /* the runtime could not write the maps and reports why */
    }
  else if (hako_namespace_plan_join_user (&setup->namespaces, &error) < 0)
    child_fail (setup, &error);
  close (setup->maps_fd);

  /* Act as the container's root where the mapping has one. */
  if (setresgid (0, 0, 0) == 0)
    (void) setresuid (0, 0, 0);

  if (hako_namespace_plan_apply (&setup->namespaces, &error) < 0)
    child_fail (setup, &error);
  /* Fork so that, in a new pid namespace, the container process is its pid 1. */
  pid = fork ();
  if (pid < 0)
    {
      hako_child_fail (&error, HAKO_CHILD_STAGE_NAMESPACES, -2, errno);
      child_fail (setup, &error);
    }
  if (pid == 0)
    run_container_process (setup);
  report (setup->report_fd, REPORT_PID, pid, NULL);
  _exit (0);
}

/* ---- in the runtime ---- */

static char *
describe_child_error (const Setup *setup, const HakoChildError *error)
{
  switch (error->stage)
    {
    case HAKO_CHILD_STAGE_NAMESPACES:
      if (error->step == -1)
        return g_strdup_printf (_("cannot create a user namespace: %s (are unprivileged user namespaces disabled? see sysctl kernel.unprivileged_userns_clone and user.max_user_namespaces)"),
                                g_strerror (error->saved_errno));
      if (error->step == -2)
        return g_strdup_printf (_("cannot fork the container process: %s"), g_strerror (error->saved_errno));
      return hako_namespace_plan_describe_error (&setup->namespaces, error);
    case HAKO_CHILD_STAGE_MOUNT:
      return hako_mount_plan_describe_error (setup->mounts, error);
    case HAKO_CHILD_STAGE_PROCESS:
    case HAKO_CHILD_STAGE_EXEC:
      return hako_process_plan_describe_error (setup->process, error);
    default:
      return g_strdup_printf (_("cannot open %s: %s"), setup->fifo_path, g_strerror (error->saved_errno));
    }
}

static gboolean
read_report (int fd, Report *r, GError **error)
{
  ssize_t n;

  do
    n = read (fd, r, sizeof *r);
  while (n < 0 && errno == EINTR);
  if (n == sizeof *r)
    return TRUE;
  if (n < 0)
    return hako_error_set_errno (error, errno, _("cannot read from the container's setup"));
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
               _("the container's setup process died before it was ready"));
  return FALSE;
}

/* The mappings the container's user namespace gets. */
static gboolean
choose_mappings (const HakoSpec *spec, HakoUsernsMappings *out, GError **error)
{
  const HakoLinux *linux_ = spec->linux_;
  struct passwd *pw;

  memset (out, 0, sizeof *out);
  if (linux_ && linux_->uid_mappings.n > 0)
    {
      out->uids.items = g_memdup2 (linux_->uid_mappings.items, linux_->uid_mappings.n * sizeof (HakoIdMapping));
      out->uids.n = linux_->uid_mappings.n;
      out->gids.items = g_memdup2 (linux_->gid_mappings.items, linux_->gid_mappings.n * sizeof (HakoIdMapping));
      out->gids.n = linux_->gid_mappings.n;
      return TRUE;
    }
  pw = getpwuid (geteuid ());
  if (!hako_userns_default_mappings (geteuid (), getegid (), pw ? pw->pw_name : NULL,
                                     "/etc/subuid", "/etc/subgid", out, error))
    return FALSE;
  if (out->notice)
    hako_log_warning ("%s", out->notice);
  return TRUE;
}

static gboolean
prepare (Setup *setup, const HakoCreateOptions *options, const char *bundle, char **rootfs,
         GError **error)
{
  g_autofree char *config = g_build_filename (bundle, "config.json", NULL);
  HakoMountPlanOptions mount_options = { 0 };
  const HakoLinux *linux_;

  setup->spec = hako_spec_load_file (config, error);
  if (setup->spec == NULL)
    return FALSE;
  if (!hako_spec_validate_for_create (setup->spec, error))
    {
      g_prefix_error (error, "config.json: ");
      return FALSE;
    }
  linux_ = setup->spec->linux_;
  if (!hako_namespace_plan_init (&setup->namespaces, linux_, error))
    return FALSE;
  /* mknod needs CAP_MKNOD in the initial user namespace, which a process in
   * the container's user namespace never has, even when hako runs as root. */
  mount_options.rootless = TRUE;
  mount_options.new_netns = linux_ && linux_->namespaces[HAKO_NS_NETWORK].present
                            && linux_->namespaces[HAKO_NS_NETWORK].path == NULL;
  mount_options.new_cgroupns = linux_ && linux_->namespaces[HAKO_NS_CGROUP].present;
  mount_options.no_pivot = options->no_pivot;
  setup->mounts = hako_mount_plan_new (setup->spec, bundle, &mount_options, error);
  if (setup->mounts == NULL)
    return FALSE;
  setup->process = hako_process_plan_new (setup->spec, error);
  if (setup->process == NULL)
    return FALSE;
  for (const char *const *warning = hako_process_plan_warnings (setup->process); warning && *warning; warning++)
    hako_log_warning ("%s", *warning);
  *rootfs = g_canonicalize_filename (setup->spec->root->path, bundle);
  return TRUE;
}

static void
kill_and_reap (pid_t first_child, pid_t container_pid)
{
  if (container_pid > 0)
    kill (container_pid, SIGKILL);
  if (first_child > 0)
    {
      kill (first_child, SIGKILL);
      waitpid (first_child, NULL, 0);
    }
}

/* Drives the children through setup; returns the container's pid or 0. */
static pid_t
spawn (Setup *setup, GError **error)
{
  int report_pipe[2], maps_pipe[2];
  g_auto (HakoUsernsMappings) mappings = { 0 };
  pid_t first_child, container_pid = 0;
  Report r;

  if (hako_namespace_plan_new_user (&setup->namespaces)
      && !choose_mappings (setup->spec, &mappings, error))
    return 0;
  if (pipe2 (report_pipe, O_CLOEXEC) < 0 || pipe2 (maps_pipe, O_CLOEXEC) < 0)
    {
      hako_error_set_errno (error, errno, "pipe");
      return 0;
    }
  setup->report_fd = report_pipe[1];
  setup->maps_fd = maps_pipe[0];
  first_child = fork ();
  if (first_child < 0)
    {
      hako_error_set_errno (error, errno, "fork");
      return 0;
    }
  if (first_child == 0)
    run_first_child (setup);
  close (report_pipe[1]);
  close (maps_pipe[0]);

  while (read_report (report_pipe[0], &r, error))
    {
      if (r.kind == REPORT_USERNS_READY)
        {
          if (!hako_userns_write_maps (first_child, &mappings.uids, &mappings.gids, error))
            break;
          if (write (maps_pipe[1], "", 1) != 1)
            {
              hako_error_set_errno (error, errno, "write");
              break;
            }
        }
      else if (r.kind == REPORT_PID)
        container_pid = r.pid;
      else if (r.kind == REPORT_READY)
        {
          close (report_pipe[0]);
          close (maps_pipe[1]);
          waitpid (first_child, NULL, 0);
          return container_pid;
        }
      else
        {
          g_autofree char *message = describe_child_error (setup, &r.error);
          g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED, message);
          break;
        }
    }
  close (report_pipe[0]);
  close (maps_pipe[1]);
  kill_and_reap (first_child, container_pid);
  return 0;
}

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
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static gboolean
create_locked (const HakoCreateOptions *options, int lock_fd, GError **error)
{
  g_auto (Setup) setup = { .lock_fd = lock_fd };
  g_autoptr (HakoState) state = g_new0 (HakoState, 1);
  g_autofree char *dir = hako_state_dir (options->root, options->id);
  struct passwd *pw = getpwuid (geteuid ());

  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_EXISTS,
                   _("container \"%s\" already exists: delete it first (hako delete %s)"),
                   options->id, options->id);
      return FALSE;
    }
  state->id = g_strdup (options->id);
  state->bundle = g_canonicalize_filename (options->bundle, NULL);
  state->recorded = HAKO_STATUS_CREATING;
  state->created = now_rfc3339 ();
  state->owner = g_strdup (pw ? pw->pw_name : "");
  if (!prepare (&setup, options, state->bundle, &state->rootfs, error))
    return FALSE;
  if (setup.spec->annotations)
    state->annotations = g_hash_table_ref (setup.spec->annotations);
  if (!hako_state_save (options->root, state, error))
    return FALSE;
  setup.fifo_path = g_build_filename (dir, EXEC_FIFO, NULL);
  if (mkfifo (setup.fifo_path, 0600) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot create %s"), setup.fifo_path);
      hako_state_remove (options->root, options->id);
      return FALSE;
    }
  state->pid = spawn (&setup, error);
  if (state->pid == 0)
    {
      hako_state_remove (options->root, options->id);
      return FALSE;
    }
  state->pid_start = hako_process_start_time (state->pid);
  state->recorded = HAKO_STATUS_CREATED;
  if (!hako_state_save (options->root, state, error)
      || (options->pid_file && !write_pid_file (options->pid_file, state->pid, error)))
    {
      kill (state->pid, SIGKILL);
      hako_state_remove (options->root, options->id);
      return FALSE;
    }
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

gboolean
hako_container_create (const HakoCreateOptions *options, GError **error)
{
  int lock_fd = lock_container (options->root, options->id, error);
  gboolean ok;

  if (lock_fd < 0)
    return FALSE;
  ok = create_locked (options, lock_fd, error);
  close (lock_fd);
  return ok;
}

static gboolean
wrong_status (const HakoState *state, HakoStatus status, const char *command, GError **error)
{
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("container \"%s\" is %s: %s needs a %s container"),
               state->id, hako_status_name (status), command,
               g_str_equal (command, "start") ? "created" : "created or running");
  return FALSE;
}

static gboolean
start_locked (const char *root, const char *id, GError **error)
{
  g_autoptr (HakoState) state = hako_state_load (root, id, error);
  g_autofree char *dir = NULL, *fifo = NULL;
  HakoStatus status;
  int fd;

  if (state == NULL)
    return FALSE;
  status = hako_state_status (state);
  if (status != HAKO_STATUS_CREATED)
    return wrong_status (state, status, "start", error);
  dir = hako_state_dir (root, id);
  fifo = g_build_filename (dir, EXEC_FIFO, NULL);
  /* The container process holds the fifo open, so this does not block. */
  fd = open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return hako_error_set_errno (error, errno, _("cannot start container \"%s\": %s"), id, fifo);
  if (write (fd, "1", 1) != 1)
    {
      int saved_errno = errno;
      close (fd);
      return hako_error_set_errno (error, saved_errno, _("cannot start container \"%s\""), id);
    }
  close (fd);
  unlink (fifo);
  state->recorded = HAKO_STATUS_RUNNING;
  return hako_state_save (root, state, error);
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
  g_autofree char *own = g_strdup_printf ("/proc/%d/ns/pid", (int) state->pid);
  struct stat ns;
  g_autoptr (GDir) proc = NULL;
  const char *name;

  if (stat (own, &ns) < 0 || (proc = g_dir_open ("/proc", 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/ns/pid", name);
      struct stat other;
      if (g_ascii_isdigit (*name) && stat (path, &other) == 0 && other.st_ino == ns.st_ino
          && other.st_dev == ns.st_dev)
        kill (atoi (name), signal_number);
    }
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
  close (lock_fd);
  if (state == NULL)
    return FALSE;
  status = hako_state_status (state);
  if (status != HAKO_STATUS_CREATED && status != HAKO_STATUS_RUNNING)
    return wrong_status (state, status, "kill", error);
  if (all)
    signal_pid_namespace (state, signal_number);
  return signal_container_process (state, signal_number, error);
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

static gboolean
delete_locked (const char *root, const char *id, gboolean force, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (HakoState) state = hako_state_load (root, id, &local_error);
  HakoStatus status;

  if (state == NULL)
    {
      /* As runc: --force on a container that does not exist succeeds. */
      if (force && g_error_matches (local_error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  status = hako_state_status (state);
  if (status == HAKO_STATUS_RUNNING && !force)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("container \"%s\" is running: stop it first, or use delete --force"), id);
      return FALSE;
    }
  if (status != HAKO_STATUS_STOPPED && state->pid > 0)
    {
      signal_pid_namespace (state, SIGKILL);
      if (hako_process_start_time (state->pid) == state->pid_start)
        kill (state->pid, SIGKILL);
      if (!wait_gone (state, error))
        return FALSE;
    }
  hako_state_remove (root, id);
  return TRUE;
}

gboolean
hako_container_delete (const char *root, const char *id, gboolean force, GError **error)
{
  int lock_fd = lock_container (root, id, error);
  gboolean ok;

  if (lock_fd < 0)
    return FALSE;
  ok = delete_locked (root, id, force, error);
  close (lock_fd);
  return ok;
}

static volatile sig_atomic_t forwarded_pid;

static void
forward_signal (int signal_number)
{
  if (forwarded_pid > 0)
    kill (forwarded_pid, signal_number);
}

static void
forward_signals (pid_t pid)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
  struct sigaction action = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };

  forwarded_pid = pid;
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &action, NULL);
}

/* The exit status of the container process, reaped as its subreaper:
 * its own, or 128+N when signal N ended it. */
static int
wait_exit_status (pid_t pid, GError **error)
{
  int status;
  pid_t reaped;

  do
    {
      reaped = waitpid (-1, &status, 0);
      if (reaped < 0 && errno != EINTR)
        {
          hako_error_set_errno (error, errno, _("cannot wait for the container process"));
          return -1;
        }
    }
  while (reaped != pid);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

int
hako_container_run (const HakoCreateOptions *options, gboolean detach, GError **error)
{
  g_autoptr (HakoState) state = NULL;
  int exit_status;

  /* The container process is a grandchild: become its reaper to wait for it. */
  if (!detach && prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    {
      hako_error_set_errno (error, errno, "PR_SET_CHILD_SUBREAPER");
      return -1;
    }
  if (!hako_container_create (options, error))
    return -1;
  if (!hako_container_start (options->root, options->id, error)
      || (state = hako_state_load (options->root, options->id, error)) == NULL)
    {
      hako_container_delete (options->root, options->id, TRUE, NULL);
      return -1;
    }
  if (detach)
    return 0;
  forward_signals (state->pid);
  exit_status = wait_exit_status (state->pid, error);
  forwarded_pid = 0;
  if (!hako_container_delete (options->root, options->id, TRUE, exit_status < 0 ? NULL : error))
    return -1;
  return exit_status;
}
