#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "error.h"
#include "exec.h"
#include "fd-util.h"
#include "foreground.h"
#include "i18n.h"
#include "listen-fds.h"
#include "log.h"
#include "namespaces.h"
#include "process.h"
#include "seccomp-filter.h"
#include "seccomp-notify.h"
#include "setup-protocol.h"
#include "state.h"
#include "terminal.h"
#include "userns.h"

/* Steps of the exec's own work, for HAKO_CHILD_STAGE_SYNC. */
enum
{
  STEP_FORK = 1,
  STEP_ROOT = 2,
};

/* The names under /proc/PID/ns of HakoNamespaceKind. */
static const char *const proc_ns_names[HAKO_NS_N_KINDS] = {
  [HAKO_NS_MOUNT] = "mnt", [HAKO_NS_PID] = "pid",   [HAKO_NS_NETWORK] = "net",
  [HAKO_NS_UTS] = "uts",   [HAKO_NS_IPC] = "ipc",   [HAKO_NS_USER] = "user",
  [HAKO_NS_CGROUP] = "cgroup", [HAKO_NS_TIME] = "time",
};

typedef struct
{
  HakoNamespacePlan namespaces; /* join_fds only: the container process's */
  int root_fd;                  /* its root directory */
  HakoProcessPlan *process;
  HakoSeccompPlan *seccomp; /* NULL without linux.seccomp */
  int seccomp_fds[2];       /* with SCMP_ACT_NOTIFY: the runtime's, the child's end */
  int console_fd;           /* where the pty master goes, or -1 without a terminal */
  gboolean has_console_size;
  struct winsize console_size;
  guint preserve_fds;
  gboolean join_first; /* hako_userns_is_root: the other namespaces before the user one */
  gboolean has_cgroup;
  int report_fd;
  int control_fd;
} ExecPlan;

static void
exec_plan_clear (ExecPlan *plan)
{
  hako_namespace_plan_clear (&plan->namespaces);
  if (plan->root_fd >= 0)
    close (plan->root_fd);
  g_clear_pointer (&plan->process, hako_process_plan_free);
  g_clear_pointer (&plan->seccomp, hako_seccomp_plan_free);
  for (int i = 0; i < 2; i++)
    if (plan->seccomp_fds[i] >= 0)
      close (plan->seccomp_fds[i]);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExecPlan, exec_plan_clear)

/* ---- in the children: async-signal-safe only ---- */

static G_GNUC_NORETURN void
child_fail (const ExecPlan *plan, const HakoChildError *error)
{
  hako_report_failure_and_exit (plan->report_fd, error, 127);
}

/* Inside every namespace: the process itself. */
static G_GNUC_NORETURN void
run_process (const ExecPlan *plan)
{
  HakoChildError error = { 0 };

  if (fchdir (plan->root_fd) < 0 || chroot (".") < 0)
    {
      hako_child_fail (&error, HAKO_CHILD_STAGE_SYNC, STEP_ROOT, errno);
      child_fail (plan, &error);
    }
  close (plan->root_fd);
  if ((plan->console_fd >= 0
       && hako_terminal_setup_child (plan->console_fd,
                                     plan->has_console_size ? &plan->console_size : NULL, &error) < 0)
      || hako_process_plan_apply_system (plan->process, &error) < 0
      || hako_seccomp_plan_load_early (plan->seccomp, plan->process->no_new_privileges,
                                       plan->seccomp_fds[1], plan->report_fd, &error) < 0
      || hako_process_plan_apply_identity (plan->process, &error) < 0)
    child_fail (plan, &error);
  hako_listen_fds_set_pid (plan->process->envp);
  for (int fd = 3; fd < 3 + (int) plan->preserve_fds; fd++)
    fcntl (fd, F_SETFD, 0);
  hako_fd_mark_cloexec_from (3 + plan->preserve_fds);
  if (hako_seccomp_plan_load_late (plan->seccomp, plan->process->no_new_privileges, &error) < 0)
    child_fail (plan, &error);
  hako_process_plan_exec (plan->process, &error);
  child_fail (plan, &error);
}

static G_GNUC_NORETURN void
run_child (const ExecPlan *plan)
{
  HakoChildError error = { 0 };
  HakoReport r = { .kind = HAKO_REPORT_PID };
  char byte;
  pid_t pid;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* Until exec replaces it, this is the runtime's binary inside the
   * container's namespaces: non-dumpable, the container's processes cannot
   * open its /proc/PID/exe (nor its fds, memory) to reach the host's file. */
  prctl (PR_SET_DUMPABLE, 0);
  if (plan->has_cgroup && read (plan->control_fd, &byte, 1) != 1)
    _exit (1); /* the runtime could not place it, and reports why */
  /* As for create: what real root joins may belong to the initial user
   * namespace; an unprivileged caller needs the container's user namespace
   * first to have any right over the others. */
  if ((plan->join_first && hako_namespace_plan_join (&plan->namespaces, &error) < 0)
      || hako_namespace_plan_join_user (&plan->namespaces, &error) < 0
      || (!plan->join_first && hako_namespace_plan_join (&plan->namespaces, &error) < 0))
    child_fail (plan, &error);
  if (setresgid (0, 0, 0) == 0)
    (void) setresuid (0, 0, 0);
  /* setns(CLONE_NEWPID) only places the children. */
  pid = fork ();
  if (pid < 0)
    {
      hako_child_fail (&error, HAKO_CHILD_STAGE_SYNC, STEP_FORK, errno);
      child_fail (plan, &error);
    }
  if (pid == 0)
    run_process (plan);
  r.pid = pid;
  hako_report_write (plan->report_fd, &r);
  _exit (0);
}

/* ---- in the runtime ---- */

static gboolean
same_namespace (pid_t pid, const char *name)
{
  g_autofree char *theirs = g_strdup_printf ("/proc/%d/ns/%s", (int) pid, name);
  g_autofree char *ours = g_strdup_printf ("/proc/self/ns/%s", name);
  struct stat a, b;

  return stat (theirs, &a) == 0 && stat (ours, &b) == 0 && a.st_ino == b.st_ino
         && a.st_dev == b.st_dev;
}

/* Every namespace of the container process that is not the runtime's own
 * (setns into one's own user namespace fails), and its root directory. */
static gboolean
open_container (ExecPlan *plan, const HakoState *state, GError **error)
{
  g_autofree char *root = g_strdup_printf ("/proc/%d/root", (int) state->pid);

  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/ns/%s", (int) state->pid, proc_ns_names[kind]);

      if (same_namespace (state->pid, proc_ns_names[kind]) || !g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      plan->namespaces.join_fds[kind] = open (path, O_RDONLY | O_CLOEXEC);
      if (plan->namespaces.join_fds[kind] < 0)
        return hako_error_set_errno (error, errno, _("cannot open the %s namespace of container \"%s\" (%s)"),
                                     hako_namespace_kind_name (kind), state->id, path);
    }
  plan->root_fd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (plan->root_fd < 0)
    return hako_error_set_errno (error, errno, _("cannot open the root of container \"%s\" (%s)"),
                                 state->id, root);
  /* Still the container's process: nothing above opened a reused pid's. */
  if (hako_process_start_time (state->pid) != state->pid_start)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("container \"%s\" is not running"), state->id);
      return FALSE;
    }
  return TRUE;
}

/* Loads the container under its lock and opens what the exec joins. */
static HakoState *
load_container (const HakoExecOptions *options, ExecPlan *plan, HakoSpec **spec, GError **error)
{
  g_autoptr (HakoState) state = NULL;
  g_autofree char *dir = NULL, *config = NULL;
  hako_autofd int lock_fd = -1;
  HakoStatus status;

  if (!hako_container_id_check (options->id, error)
      || (lock_fd = hako_state_lock (options->root, options->id, error)) < 0)
    return NULL;
  if ((state = hako_state_load (options->root, options->id, error)) == NULL)
    {
      hako_state_forget_missing (options->root, options->id, error ? *error : NULL);
      return NULL;
    }
  status = hako_state_status (state);
  if (status == HAKO_STATUS_PAUSED && !options->ignore_paused)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("container \"%s\" is paused: resume it first (hako resume %s), or pass --ignore-paused to start a process that stays frozen until then"),
                   state->id, state->id);
      return NULL;
    }
  /* A created container is set up already (runc execs in it too). */
  if (status != HAKO_STATUS_CREATED && status != HAKO_STATUS_RUNNING && status != HAKO_STATUS_PAUSED)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("container \"%s\" is %s: exec needs a created or running container (a stopped one runs nothing more: create it again)"),
                   state->id, hako_status_name (status));
      return NULL;
    }
  dir = hako_state_dir (options->root, options->id);
  config = g_build_filename (dir, "config.json", NULL);
  if ((*spec = hako_spec_load_file (config, error)) == NULL || !open_container (plan, state, error))
    return NULL;
  return g_steal_pointer (&state);
}

/* The process's plans, from the container's config turned into its own. */
static gboolean
prepare_plans (ExecPlan *plan, HakoSpec *spec, const HakoExecOptions *options, GError **error)
{
  const HakoProcess *process;

  if (!hako_exec_spec_prepare (spec, &options->process, error))
    return FALSE;
  process = spec->process;
  /* Addressed to the process, which learns its pid in the container. */
  plan->preserve_fds = hako_listen_fds_take (&spec->process->env, FALSE) + options->preserve_fds;
  if (process->terminal && options->detach && options->console_socket == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("a detached exec with a terminal needs --console-socket PATH to send the terminal to"));
      return FALSE;
    }
  if (!process->terminal && options->console_socket)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--console-socket is for a process with a terminal: add --tty, or drop the option"));
      return FALSE;
    }
  plan->process = hako_process_plan_new (spec, error);
  if (plan->process == NULL)
    return FALSE;
  for (const char *const *w = hako_process_plan_warnings (plan->process); w && *w; w++)
    hako_log_warning ("%s", *w);
  /* runc's rule: a process in the container is under its filter too. */
  if (spec->linux_ && spec->linux_->seccomp
      && (plan->seccomp = hako_seccomp_plan_new (spec->linux_->seccomp, error)) == NULL)
    return FALSE;
  if (process->has_console_size)
    {
      plan->console_size.ws_row = process->console_height;
      plan->console_size.ws_col = process->console_width;
      plan->has_console_size = TRUE;
    }
  else if (process->terminal && options->console_socket == NULL)
    plan->has_console_size = ioctl (STDIN_FILENO, TIOCGWINSZ, &plan->console_size) == 0;
  plan->join_first = hako_userns_is_root ();
  return TRUE;
}

static char *
describe_child_error (const ExecPlan *plan, const HakoChildError *error)
{
  const char *reason = g_strerror (error->saved_errno);

  switch (error->stage)
    {
    case HAKO_CHILD_STAGE_NAMESPACES:
      return hako_namespace_plan_describe_error (&plan->namespaces, error);
    case HAKO_CHILD_STAGE_TERMINAL:
      return hako_terminal_describe_error (error);
    case HAKO_CHILD_STAGE_SECCOMP:
      return hako_seccomp_describe_error (error);
    case HAKO_CHILD_STAGE_PROCESS:
    case HAKO_CHILD_STAGE_EXEC:
      return hako_process_plan_describe_error (plan->process, error);
    default:
      if (error->step == STEP_ROOT)
        return g_strdup_printf (_("cannot enter the container's root directory: %s"), reason);
      return g_strdup_printf (_("cannot fork the process in the container: %s"), reason);
    }
}

/* Forks the child, places it in the cgroup, and reads its reports until
 * the process has exec'd (the pipe closes). Its pid, or -1. */
static pid_t
spawn (ExecPlan *plan, HakoCgroup *cgroup, const HakoSeccomp *seccomp, const HakoState *state,
       GError **error)
{
  int report_pipe[2], control_pipe[2] = { -1, -1 };
  gboolean closed = FALSE, listener_pending = FALSE, ok;
  pid_t child, pid = -1;
  HakoReport r;

  if (pipe2 (report_pipe, O_CLOEXEC) < 0)
    {
      hako_error_set_errno (error, errno, "pipe");
      return -1;
    }
  if (pipe2 (control_pipe, O_CLOEXEC) < 0)
    {
      hako_error_set_errno (error, errno, "pipe");
      close (report_pipe[0]);
      close (report_pipe[1]);
      return -1;
    }
  if (hako_seccomp_plan_has_listener (plan->seccomp)
      && socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, plan->seccomp_fds) < 0)
    {
      hako_error_set_errno (error, errno, "socketpair");
      close (report_pipe[0]);
      close (report_pipe[1]);
      close (control_pipe[0]);
      close (control_pipe[1]);
      return -1;
    }
  plan->report_fd = report_pipe[1];
  plan->control_fd = control_pipe[0];
  plan->has_cgroup = cgroup != NULL;
  child = fork ();
  if (child == 0)
    run_child (plan);
  close (report_pipe[1]);
  close (control_pipe[0]);
  ok = child > 0 || hako_error_set_errno (error, errno, "fork");
  ok = ok && (cgroup == NULL
              || (hako_cgroup_place (cgroup, child, error)
                  && hako_fd_write_all (control_pipe[1], "", 1, error)));
  close (control_pipe[1]);
  while (ok && hako_report_read (report_pipe[0], &r, &closed, error))
    {
      if (r.kind == HAKO_REPORT_PID)
        pid = r.pid;
      /* The process may report its listener before its parent reports its pid. */
      else if (r.kind == HAKO_REPORT_SECCOMP_LISTENER)
        listener_pending = TRUE;
      else
        {
          g_autofree char *message = describe_child_error (plan, &r.error);
          g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED, message);
          ok = FALSE;
        }
      if (ok && listener_pending && pid > 0)
        {
          listener_pending = FALSE;
          ok = hako_seccomp_notify_forward (seccomp, plan->seccomp_fds[0], pid, state, error);
        }
    }
  close (report_pipe[0]);
  if (child > 0)
    {
      if (!ok)
        kill (child, SIGKILL);
      waitpid (child, NULL, 0);
    }
  if (ok && closed && pid > 0)
    {
      g_clear_error (error);
      return pid;
    }
  if (ok)
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("the process ended before it could run"));
  return -1;
}

/* A terminal for the process: the console socket's, or (in the foreground)
 * one end of a pair whose other end the relay reads the master from. */
static gboolean
open_console (ExecPlan *plan, const HakoExecOptions *options, int *relay_fd, GError **error)
{
  int pair[2];

  *relay_fd = -1;
  if (options->console_socket)
    return (plan->console_fd = hako_terminal_connect_console_socket (options->console_socket, error)) >= 0;
  if (!hako_terminal_socketpair (pair, error))
    return FALSE;
  *relay_fd = pair[0];
  plan->console_fd = pair[1];
  return TRUE;
}

int
hako_container_exec (const HakoExecOptions *options, GError **error)
{
  g_auto (ExecPlan) plan = { .root_fd = -1, .console_fd = -1, .seccomp_fds = { -1, -1 } };
  g_autoptr (HakoSpec) spec = NULL;
  g_autoptr (HakoState) state = NULL;
  g_autoptr (HakoCgroup) cgroup = NULL;
  hako_autofd int relay_fd = -1;
  hako_autofd int master_fd = -1;
  g_autofree char *pid_text = NULL;
  gboolean terminal;
  pid_t pid;

  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    plan.namespaces.join_fds[kind] = -1;
  state = load_container (options, &plan, &spec, error);
  if (state == NULL || !prepare_plans (&plan, spec, options, error))
    return -1;
  terminal = spec->process->terminal;
  cgroup = hako_cgroup_from_state (state->cgroup_manager, (const char *const *) state->cgroup_paths,
                                   (const char *const *) state->cgroup_created);
  if (options->cgroups && *options->cgroups
      && (cgroup == NULL ? !hako_cgroup_refuse_missing (state->id, "exec --cgroup", error)
                         : !hako_cgroup_select_sub (cgroup, options->cgroups, error)))
    return -1;
  /* The process is a grandchild: become its reaper to wait for it. */
  if (!options->detach && prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    {
      hako_error_set_errno (error, errno, "PR_SET_CHILD_SUBREAPER");
      return -1;
    }
  if (terminal && !open_console (&plan, options, &relay_fd, error))
    return -1;
  pid = spawn (&plan, cgroup, spec->linux_ ? spec->linux_->seccomp : NULL, state, error);
  if (plan.console_fd >= 0)
    close (plan.console_fd);
  if (pid < 0)
    return -1;

  pid_text = g_strdup_printf ("%d", (int) pid);
  if (options->pid_file && !hako_file_replace (options->pid_file, pid_text, -1, 0644, error))
    {
      kill (pid, SIGKILL);
      return -1;
    }
  if (options->detach)
    return 0;
  if (relay_fd >= 0 && !hako_terminal_receive_master (relay_fd, &master_fd, error))
    {
      kill (pid, SIGKILL);
      return -1;
    }
  signal (SIGPIPE, SIG_IGN);
  return hako_foreground_wait (pid, master_fd, 0, error);
}
