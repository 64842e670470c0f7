#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <linux/keyctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "container-init.h"
#include "container-setup.h"
#include "error.h"
#include "fd-util.h"
#include "hooks.h"
#include "i18n.h"
#include "listen-fds.h"
#include "log.h"
#include "lsm.h"
#include "mount.h"
#include "mount-idmap.h"
#include "namespaces.h"
#include "overlay.h"
#include "process.h"
#include "seccomp-filter.h"
#include "seccomp-notify.h"
#include "terminal.h"
#include "unsupported.h"
#include "userns.h"

/* Steps of the setup's own work, for HAKO_CHILD_STAGE_SYNC and _NAMESPACES. */
enum
{
  STEP_USERNS = -1,
  STEP_FORK = -2,
  STEP_EXEC_SOCKET = 1,
  STEP_RUNTIME = 2,
  STEP_KEYRING = 3,
};

struct HakoSetup
{
  HakoSpec *spec;
  char *rootfs;
  char *state_dir;
  HakoNamespacePlan namespaces;
  HakoMountPlan *mounts;
  HakoProcessPlan *process;
  char *message; /* HAKO_STATE_MESSAGE_MAX bytes for state JSON, allocated before fork */
  int report_fd; /* children write HakoReports here */
  int control_fd; /* children read the maps signal and the state message here */
  int runtime_fds[2]; /* the runtime's ends of those pipes, which children close */
  int lock_fd;
  int listen_fd; /* exec.sock, bound before the user namespace exists */
  gboolean host_root; /* the runtime is root of the initial user namespace */
  gboolean join_first; /* ... or of its own (hako_userns_is_root) */
  HakoSeccompPlan *seccomp; /* NULL without linux.seccomp */
  int seccomp_fds[2]; /* with SCMP_ACT_NOTIFY: the runtime's, the child's end for the listener */
  int console_fd;     /* the console socket of process.terminal, or -1 */
  gboolean has_console_size;
  struct winsize console_size;
  char *device_dir;   /* where the runtime, as host root, makes linux.devices nodes */
  char *keyring_name; /* NULL with --no-new-keyring */
  int passed_fds;     /* fds from 3 on that the payload keeps (LISTEN_FDS + --preserve-fds) */
  gboolean init;      /* pid 1 stays an init (container-init.h) */
  HakoCgroup *cgroup; /* NULL without a cgroup manager */
  int userns_fd, netns_fd; /* the container process's, for the network (see net-tap.h) */
  HakoOverlay *overlay; /* NULL: root.path bound as it is */
};

/* ---- in the children: async-signal-safe only ---- */

static G_GNUC_NORETURN void
child_fail (const HakoSetup *setup, const HakoChildError *error)
{
  hako_report_failure_and_exit (setup->report_fd, error, 1);
}

static G_GNUC_NORETURN void
child_fail_errno (const HakoSetup *setup, HakoChildStage stage, int step)
{
  HakoChildError error;

  hako_child_fail (&error, stage, step, errno);
  child_fail (setup, &error);
}

static void
report_simple (int fd, HakoReportKind kind, pid_t pid)
{
  HakoReport r = { .kind = kind, .pid = pid };
  hako_report_write (fd, &r);
}

/* Runs hooks of KIND with the state message; on failure reports to FD, exits. */
static void
child_run_hooks (const HakoSetup *setup, HakoHookKind kind, int fd, guint32 len)
{
  HakoReport r = { .kind = HAKO_REPORT_HOOK_FAILED, .hook_kind = kind };

  if (hako_hooks_exec (setup->spec, kind, setup->message, len, &r.hook_index, &r.hook) == 0)
    return;
  hako_report_write (fd, &r);
  _exit (1);
}

static gboolean
has_create_hooks (const HakoSpec *spec)
{
  return spec->n_hooks[HAKO_HOOK_PRESTART] + spec->n_hooks[HAKO_HOOK_CREATE_RUNTIME]
             + spec->n_hooks[HAKO_HOOK_CREATE_CONTAINER]
         > 0;
}

/* Before pivot_root: let the runtime run its create hooks, then ours. With
 * none, the round trip is skipped: the runtime is busy recording the pid. */
static int
before_pivot (void *data, HakoChildError *err)
{
  const HakoSetup *setup = data;
  guint32 len;

  if (has_create_hooks (setup->spec))
    {
      report_simple (setup->report_fd, HAKO_REPORT_BEFORE_PIVOT, 0);
      if (hako_message_read (setup->control_fd, setup->message, &len) < 0)
        return hako_child_fail (err, HAKO_CHILD_STAGE_SYNC, STEP_RUNTIME, errno);
      child_run_hooks (setup, HAKO_HOOK_CREATE_CONTAINER, setup->report_fd, len);
    }
  /* Before readonlyPaths make /proc/sys read-only, as runc orders it. */
  return hako_process_plan_apply_system (setup->process, err);
}

/* exec.sock in the state directory, bound while host paths still resolve
 * and with the runtime's own credentials: the state directory need not be
 * reachable by the container's root (a uidMappings entry may make it any
 * host uid). */
static int
listen_exec_socket (const HakoSetup *setup)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  /* A relative name keeps long state paths within sun_path. */
  memcpy (addr.sun_path, HAKO_EXEC_SOCKET, sizeof HAKO_EXEC_SOCKET);
  if (fd < 0 || chdir (setup->state_dir) < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0
      || listen (fd, 1) < 0)
    return -1;
  return fd;
}

/* Waits for `start`: its state message, the startContainer hooks, exec. */
static G_GNUC_NORETURN void
wait_for_start_and_exec (const HakoSetup *setup, int listen_fd)
{
  HakoReport r = { .kind = HAKO_REPORT_ERROR };
  guint32 len;
  int conn;

  do
    conn = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
  while (conn < 0 && errno == EINTR);
  if (conn < 0 || hako_message_read (conn, setup->message, &len) < 0)
    _exit (1);
  close (listen_fd);
  child_run_hooks (setup, HAKO_HOOK_START_CONTAINER, conn, len);
  /* Nothing of the runtime may reach the payload: every fd but stdio and
   * the ones passed on purpose closes on exec. */
  for (int fd = 3; fd < 3 + setup->passed_fds; fd++)
    fcntl (fd, F_SETFD, 0);
  hako_fd_mark_cloexec_from (3 + setup->passed_fds);
  /* Last before exec (with no_new_privs): the filter constrains the payload, not the setup. */
  if (hako_seccomp_plan_load_late (setup->seccomp, setup->process->no_new_privileges, &r.error) < 0)
    {
      hako_report_write (conn, &r);
      _exit (127);
    }
  if (setup->init)
    hako_container_init_fork ();
  hako_process_plan_exec (setup->process, &r.error);
  hako_report_write (conn, &r);
  _exit (127);
}

static G_GNUC_NORETURN void
run_container_process (HakoSetup *setup)
{
  HakoChildError error = { 0 };
  int listen_fd = setup->listen_fd;

  /* A session keyring of its own, as runc gives; kernels without keyrings are fine. */
  if (setup->keyring_name && syscall (SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, setup->keyring_name) < 0
      && errno != ENOSYS)
    child_fail_errno (setup, HAKO_CHILD_STAGE_SYNC, STEP_KEYRING);
  /* A session of its own, as with a terminal (which makes one): the
   * container leaves the caller's job control, and CRIU dumps only a tree
   * that leads its session. It cannot fail: a forked child leads no
   * process group. */
  if (setup->console_fd < 0)
    setsid ();
  /* Before the mount plan binds its merged tree as the rootfs. */
  if ((setup->overlay && hako_overlay_mount (setup->overlay, &error) < 0)
      || hako_mount_plan_apply (setup->mounts, before_pivot, setup, &error) < 0
      || (setup->console_fd >= 0
          && hako_terminal_setup_child (setup->console_fd,
                                        setup->has_console_size ? &setup->console_size : NULL,
                                        &error) < 0)
      || hako_seccomp_plan_load_early (setup->seccomp, setup->process->no_new_privileges,
                                       setup->seccomp_fds[1], setup->report_fd, &error) < 0
      || hako_process_plan_apply_identity (setup->process, &error) < 0
      || hako_process_plan_find_exec (setup->process, &error) < 0)
    child_fail (setup, &error);
  report_simple (setup->report_fd, HAKO_REPORT_READY, 0);
  close (setup->report_fd);
  close (setup->control_fd);
  wait_for_start_and_exec (setup, listen_fd);
}

/* A child's copies of the runtime's descriptors: an flock belongs to the
 * open file, so a copy would hold the lock until exec; and with the
 * runtime's ends of the pipes open, a runtime killed half-way would never
 * be seen (EOF), leaving the child waiting for ever. */
static void
close_runtime_fds (const HakoSetup *setup)
{
  close (setup->lock_fd);
  close (setup->runtime_fds[0]);
  close (setup->runtime_fds[1]);
  if (setup->seccomp_fds[0] >= 0)
    close (setup->seccomp_fds[0]);
}

/* The first child: its own user namespace first, then the others. */
static G_GNUC_NORETURN void
run_first_child (HakoSetup *setup)
{
  HakoChildError error = { 0 };
  int pid_reported[2];
  char byte;
  pid_t pid;

  close_runtime_fds (setup);
  /* Nothing of a setup may outlive a runtime killed half-way. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* In its cgroup before anything else: a cgroup namespace made below then
   * has the container's cgroup as its root, and nothing escapes a limit. */
  if (setup->cgroup && read (setup->control_fd, &byte, 1) != 1)
    _exit (1); /* the runtime could not place it, and reports why */
  setup->listen_fd = listen_exec_socket (setup);
  if (setup->listen_fd < 0)
    child_fail_errno (setup, HAKO_CHILD_STAGE_SYNC, STEP_EXEC_SOCKET);
  /* What root joins was made in its own user namespace (the host's, or a
   * rootless engine's): joined with its capabilities there, before the
   * container's user namespace takes them away. */
  if (setup->join_first && hako_namespace_plan_join (&setup->namespaces, &error) < 0)
    child_fail (setup, &error);
  /* While still the host's root: the mount namespace the container's is then copied from. */
  if (setup->overlay && hako_overlay_attach_lowers (setup->overlay, &error) < 0)
    child_fail (setup, &error);
  if (hako_namespace_plan_new_user (&setup->namespaces))
    {
      if (unshare (CLONE_NEWUSER) < 0)
        child_fail_errno (setup, HAKO_CHILD_STAGE_NAMESPACES, STEP_USERNS);
      report_simple (setup->report_fd, HAKO_REPORT_USERNS_READY, 0);
      if (read (setup->control_fd, &byte, 1) != 1)
        _exit (1); /* the runtime could not write the maps and reports why */
    }
  else if (hako_namespace_plan_join_user (&setup->namespaces, &error) < 0)
    child_fail (setup, &error);

  if ((!setup->join_first && hako_namespace_plan_join (&setup->namespaces, &error) < 0)
      || hako_namespace_plan_create (&setup->namespaces, &error) < 0
      || hako_mount_plan_open_runtime_sources (setup->mounts, &error) < 0)
    child_fail (setup, &error);
  /* Act as the container's root where the mapping has one. */
  if (setresgid (0, 0, 0) == 0)
    (void) setresuid (0, 0, 0);
  /* Fork so that, in a new pid namespace, the container process is its pid 1.
   * It waits until its pid is reported, so every later report comes after. */
  if (pipe2 (pid_reported, O_CLOEXEC) < 0)
    child_fail_errno (setup, HAKO_CHILD_STAGE_NAMESPACES, STEP_FORK);
  pid = fork ();
  if (pid < 0)
    child_fail_errno (setup, HAKO_CHILD_STAGE_NAMESPACES, STEP_FORK);
  if (pid == 0)
    {
      close (pid_reported[1]);
      if (read (pid_reported[0], &byte, 1) != 1)
        _exit (1);
      close (pid_reported[0]);
      run_container_process (setup);
    }
  report_simple (setup->report_fd, HAKO_REPORT_PID, pid);
  /* Not before the runtime has the pid on record: killed before that, it
   * would leave delete --force no process to kill, and this one waiting for
   * `start` for ever. Without that byte the container process ends. */
  if (read (setup->control_fd, &byte, 1) != 1)
    _exit (1);
  (void) !write (pid_reported[1], "", 1);
  _exit (0);
}

/* The container process made by one clone with its namespaces: it waits
 * for its maps (and its cgroup), then carries on as run_container_process. */
static G_GNUC_NORETURN void
run_cloned_child (HakoSetup *setup)
{
  HakoChildError error = { 0 };
  char byte;

  close_runtime_fds (setup);
  if (read (setup->control_fd, &byte, 1) != 1)
    _exit (1); /* the runtime could not write the maps and reports why */
  if (hako_mount_plan_open_runtime_sources (setup->mounts, &error) < 0)
    child_fail (setup, &error);
  if (setresgid (0, 0, 0) == 0)
    (void) setresuid (0, 0, 0);
  if (hako_namespace_plan_create_after_clone (&setup->namespaces, &error) < 0)
    child_fail (setup, &error);
  run_container_process (setup);
}

/* ---- in the runtime ---- */

static char *
describe_child_error (const HakoSetup *setup, const HakoChildError *error)
{
  const char *reason = g_strerror (error->saved_errno);

  switch (error->stage)
    {
    case HAKO_CHILD_STAGE_NAMESPACES:
      if (error->step == STEP_USERNS)
        return g_strdup_printf (_("cannot create a user namespace: %s (are unprivileged user namespaces disabled? see the sysctl user.max_user_namespaces)"),
                                reason);
      if (error->step == STEP_FORK)
        return g_strdup_printf (_("cannot fork the container process: %s"), reason);
      return hako_namespace_plan_describe_error (&setup->namespaces, error);
    case HAKO_CHILD_STAGE_MOUNT:
      return hako_mount_plan_describe_error (setup->mounts, error);
    case HAKO_CHILD_STAGE_OVERLAY:
      return hako_overlay_describe_error (setup->overlay, error);
    case HAKO_CHILD_STAGE_TERMINAL:
      return hako_terminal_describe_error (error);
    case HAKO_CHILD_STAGE_SECCOMP:
      return hako_seccomp_describe_error (error);
    case HAKO_CHILD_STAGE_PROCESS:
    case HAKO_CHILD_STAGE_EXEC:
      return hako_process_plan_describe_error (setup->process, error);
    default:
      if (error->step == STEP_EXEC_SOCKET)
        return g_strdup_printf (_("cannot listen on %s/%s: %s"), setup->state_dir, HAKO_EXEC_SOCKET, reason);
      if (error->step == STEP_KEYRING)
        return g_strdup_printf (_("cannot create the session keyring: %s (--no-new-keyring keeps the caller's)"), reason);
      return g_strdup_printf (_("lost the runtime during setup: %s"), reason);
    }
}

static char *
describe_report (const HakoSetup *setup, const HakoReport *r)
{
  if (r->kind == HAKO_REPORT_HOOK_FAILED)
    return hako_hook_describe_failure (setup->spec, r->hook_kind, r->hook_index, &r->hook);
  return describe_child_error (setup, &r->error);
}

char *
hako_setup_describe_start_report (const HakoSpec *spec, const HakoReport *report)
{
  g_autoptr (HakoProcessPlan) process = NULL;

  if (report->kind == HAKO_REPORT_HOOK_FAILED)
    return hako_hook_describe_failure (spec, report->hook_kind, report->hook_index, &report->hook);
  if (report->error.stage == HAKO_CHILD_STAGE_SECCOMP)
    return hako_seccomp_describe_error (&report->error);
  process = hako_process_plan_new (spec, NULL);
  if (process == NULL)
    return g_strdup (g_strerror (report->error.saved_errno));
  return hako_process_plan_describe_error (process, &report->error);
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
  if (!hako_userns_default_mappings (hako_userns_is_root (), geteuid (), getegid (), pw ? pw->pw_name : NULL,
                                     "/etc/subuid", "/etc/subgid", out, error))
    return FALSE;
  if (out->notice)
    hako_log_warning ("%s", out->notice);
  for (guint i = 0; i < out->uids.n; i++)
    hako_log_debug ("uid map: %u %u %u", out->uids.items[i].container_id,
                    out->uids.items[i].host_id, out->uids.items[i].size);
  for (guint i = 0; i < out->gids.n; i++)
    hako_log_debug ("gid map: %u %u %u", out->gids.items[i].container_id,
                    out->gids.items[i].host_id, out->gids.items[i].size);
  return TRUE;
}

/* config.md: a capability that cannot be mapped is a warning, not a failure. */
static void
warn_unknown_capabilities (const HakoCapabilities *caps)
{
  for (guint i = 0; caps && caps->unknown && i < caps->unknown->len; i++)
    hako_log_warning (_("%s is not a capability hako knows; ignoring it"),
                      (const char *) caps->unknown->pdata[i]);
}

/* The cgroup a config without linux.cgroupsPath gets: the id, as runc
 * names it, in the default state root. Under another --root the same id
 * names another container, whose cgroup must not be this one: the root's
 * hash is added. */
static char *
cgroup_default_name (const HakoSetupOptions *options)
{
  g_autofree char *root = g_path_get_dirname (options->state_dir);
  g_autofree char *default_root = hako_state_root_resolve (NULL, NULL);
  g_autofree char *hash = NULL;

  if (default_root && g_str_equal (root, default_root))
    return g_strdup (options->id);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, root, -1);
  return g_strdup_printf ("%s-%.8s", options->id, hash);
}

/* The container's cgroup, or none: then limits are refused unless accepted
 * unenforced (unsupported.c). */
static gboolean
setup_cgroup (HakoSetup *setup, const HakoSetupOptions *options, GError **error)
{
  HakoCgroupManager manager;
  const HakoLinux *linux_ = setup->spec->linux_;
  g_autofree char *why_none = NULL, *default_name = NULL;

  if (!hako_cgroup_manager_choose (options->cgroup_manager, linux_ ? linux_->cgroups_path : NULL,
                                   &manager, &why_none, error))
    return FALSE;
  if (manager == HAKO_CGROUP_MANAGER_NONE)
    return hako_unsupported_check (setup->spec, why_none, error);
  default_name = cgroup_default_name (options);
  setup->cgroup = hako_cgroup_new (manager, default_name, linux_ ? linux_->cgroups_path : NULL, error);
  return setup->cgroup != NULL;
}

/* process.terminal: a console socket to send the pty to, and its size. */
static gboolean
setup_console (HakoSetup *setup, const HakoSetupOptions *options, GError **error)
{
  const HakoProcess *process = setup->spec->process;

  setup->console_fd = -1;
  if (!process->terminal)
    {
      if (options->console_fd >= 0 && !options->console_offered)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                       _("--console-socket is for a container with a terminal: set process.terminal to true in config.json, or drop the option"));
          return FALSE;
        }
      return TRUE;
    }
  if (options->console_fd < 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("config.json: process.terminal is true: pass --console-socket PATH, or use hako run in the foreground"));
      return FALSE;
    }
  setup->console_fd = options->console_fd;
  if (process->has_console_size)
    {
      setup->console_size.ws_row = process->console_height;
      setup->console_size.ws_col = process->console_width;
      setup->has_console_size = TRUE;
    }
  else if (options->console_offered)
    /* A foreground run: the payload starts at the caller's size. */
    setup->has_console_size = ioctl (STDIN_FILENO, TIOCGWINSZ, &setup->console_size) == 0;
  return TRUE;
}

static char *
join_topmost_first (const char *const *bottom_first)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = g_strv_length ((char **) bottom_first); i-- > 0;)
    g_string_append_printf (out, "%s%s", out->len ? ":" : "", bottom_first[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The overlay rootfs, when the config, --overlay or --image asks for it. */
static gboolean
setup_overlay (HakoSetup *setup, const HakoSetupOptions *options, HakoMountPlanOptions *mount_options,
               GError **error)
{
  g_autofree char *rootfs = NULL;
  gboolean wanted;

  if (!hako_overlay_wanted (setup->spec, options->overlay || options->image_layers, &wanted, error))
    return FALSE;
  /* Without root.path the mount plan says what is missing. */
  if (!wanted || setup->spec->root->path == NULL)
    return TRUE;
  rootfs = options->image_layers ? join_topmost_first (options->image_layers)
                                 : g_canonicalize_filename (setup->spec->root->path, options->bundle);
  setup->overlay = hako_overlay_new (setup->spec, options->id, options->state_dir, rootfs,
                                     options->overlay_storage, error);
  if (setup->overlay == NULL)
    return FALSE;
  mount_options->rootfs_source = hako_overlay_get_merged (setup->overlay);
  return TRUE;
}

HakoSetup *
hako_setup_new (const char *config, gsize config_len, const HakoSetupOptions *options,
                GError **error)
{
  g_autoptr (HakoSetup) setup = g_new0 (HakoSetup, 1);
  HakoMountPlanOptions mount_options = { 0 };
  const HakoLinux *linux_;

  setup->report_fd = setup->control_fd = setup->lock_fd = setup->listen_fd = setup->console_fd = -1;
  setup->runtime_fds[0] = setup->runtime_fds[1] = -1;
  setup->seccomp_fds[0] = setup->seccomp_fds[1] = -1;
  setup->userns_fd = setup->netns_fd = -1;
  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    setup->namespaces.join_fds[kind] = -1;
  setup->spec = hako_spec_load_data (config, config_len, error);
  if (setup->spec == NULL)
    return NULL;
  if (!hako_spec_validate_for_create (setup->spec, error))
    {
      g_prefix_error (error, "config.json: ");
      return NULL;
    }
  if (!hako_lsm_check (setup->spec, "/sys", error) || !setup_cgroup (setup, options, error)
      || !setup_console (setup, options, error)
      || (options->prepare_spec && !options->prepare_spec (setup->spec, options->prepare_data, error)))
    return NULL;
  /* Renumbered for the container's pid 1. */
  setup->passed_fds = hako_listen_fds_take (&setup->spec->process->env, TRUE) + options->preserve_fds;
  setup->init = options->init;
  linux_ = setup->spec->linux_;
  if (!hako_namespace_plan_init (&setup->namespaces, linux_, error))
    return NULL;
  setup->namespaces.keep_user = !(linux_ && linux_->namespaces[HAKO_NS_USER].present)
                                && hako_userns_is_root () && !hako_userns_is_initial ();
  /* mknod needs CAP_MKNOD in the initial user namespace, which a process in
   * the container's user namespace never has, even when hako runs as root:
   * then hako makes the nodes itself, for the container to bind. */
  mount_options.rootless = TRUE;
  setup->host_root = hako_userns_is_host_root ();
  setup->join_first = hako_userns_is_root ();
  if (setup->host_root)
    setup->device_dir = g_build_filename (options->state_dir, "devices", NULL);
  mount_options.device_dir = setup->device_dir;
  mount_options.unprivileged = !setup->host_root && hako_userns_is_initial ();
  mount_options.new_netns = linux_ && linux_->namespaces[HAKO_NS_NETWORK].present
                            && linux_->namespaces[HAKO_NS_NETWORK].path == NULL;
  mount_options.new_cgroupns = linux_ && linux_->namespaces[HAKO_NS_CGROUP].present;
  mount_options.no_pivot = options->no_pivot;
  mount_options.rootfs_readonly_from = options->rootfs_readonly_from;
  if (!setup_overlay (setup, options, &mount_options, error))
    return NULL;
  setup->mounts = hako_mount_plan_new (setup->spec, options->bundle, &mount_options, error);
  if (setup->mounts == NULL)
    return NULL;
  hako_mount_plan_mark_runtime_sources (setup->mounts, options->state_dir);
  setup->process = hako_process_plan_new (setup->spec, error);
  if (setup->process == NULL)
    return NULL;
  for (const char *const *w = hako_process_plan_warnings (setup->process); w && *w; w++)
    hako_log_warning ("%s", *w);
  warn_unknown_capabilities (setup->spec->process->capabilities);
  if (linux_ && linux_->seccomp
      && (setup->seccomp = hako_seccomp_plan_new (linux_->seccomp, error)) == NULL)
    {
      g_prefix_error (error, "config.json: ");
      return NULL;
    }
  setup->rootfs = g_canonicalize_filename (setup->spec->root->path, options->bundle);
  setup->state_dir = g_strdup (options->state_dir);
  setup->keyring_name = options->no_new_keyring ? NULL : g_strdup (options->id);
  setup->message = g_malloc (HAKO_STATE_MESSAGE_MAX);
  return g_steal_pointer (&setup);
}

void
hako_setup_free (HakoSetup *setup)
{
  if (setup == NULL)
    return;
  g_clear_pointer (&setup->spec, hako_spec_free);
  hako_namespace_plan_clear (&setup->namespaces);
  g_clear_pointer (&setup->mounts, hako_mount_plan_free);
  g_clear_pointer (&setup->process, hako_process_plan_free);
  g_clear_pointer (&setup->seccomp, hako_seccomp_plan_free);
  g_clear_pointer (&setup->cgroup, hako_cgroup_free);
  g_clear_pointer (&setup->overlay, hako_overlay_free);
  g_free (setup->rootfs);
  g_free (setup->state_dir);
  g_free (setup->keyring_name);
  g_free (setup->device_dir);
  g_free (setup->message);
  if (setup->userns_fd >= 0)
    close (setup->userns_fd);
  if (setup->netns_fd >= 0)
    close (setup->netns_fd);
  for (int i = 0; i < 2; i++)
    if (setup->seccomp_fds[i] >= 0)
      close (setup->seccomp_fds[i]);
  g_free (setup);
}

const HakoSpec *
hako_setup_get_spec (const HakoSetup *setup)
{
  return setup->spec;
}

HakoSpec *
hako_setup_steal_spec (HakoSetup *setup)
{
  return g_steal_pointer (&setup->spec);
}

const char *
hako_setup_get_rootfs (const HakoSetup *setup)
{
  return setup->rootfs;
}

/* Moves PID into the cgroup, on record at the next save. */
static gboolean
place_in_cgroup (HakoSetup *setup, pid_t pid, HakoState *state, GError **error)
{
  if (!setup->cgroup)
    return TRUE;
  if (!hako_cgroup_place (setup->cgroup, pid, error))
    return FALSE;
  hako_cgroup_record (setup->cgroup, state);
  return TRUE;
}

/* The cgroup exists, and the state says so, before any process. */
static gboolean
create_cgroup (HakoSetup *setup, const char *root, HakoState *state, GError **error)
{
  if (!hako_cgroup_create (setup->cgroup, error))
    return FALSE;
  hako_cgroup_record (setup->cgroup, state);
  if (hako_state_save (root, state, error))
    return TRUE;
  hako_cgroup_destroy (setup->cgroup, NULL);
  return FALSE;
}

static int
open_namespace (pid_t pid, const char *name)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/ns/%s", (int) pid, name);
  return open (path, O_RDONLY | O_CLOEXEC);
}

/* The container process exists: its pid for the state, and its namespaces
 * opened now, while its credentials are still the runtime's own (once it
 * takes process.user, only real root may open them). */
static void
note_container_process (HakoSetup *setup, pid_t pid, HakoState *state)
{
  state->pid = pid;
  state->pid_start = hako_process_start_time (pid);
  setup->userns_fd = open_namespace (pid, "user");
  setup->netns_fd = open_namespace (pid, "net");
}

int
hako_setup_get_namespace_fd (const HakoSetup *setup, const char *name)
{
  return g_str_equal (name, "user") ? setup->userns_fd : setup->netns_fd;
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

/* One report from the children, acted upon. TRUE to keep going; *DONE once ready. */
static gboolean
handle_report (HakoSetup *setup, const HakoReport *r, pid_t first_child,
               const HakoUsernsMappings *mappings, const char *root, HakoState *state,
               int control_fd, gboolean *done, GError **error)
{
  g_autofree char *json = NULL;
  g_autofree char *message = NULL;

  switch (r->kind)
    {
    case HAKO_REPORT_USERNS_READY:
      if (!hako_userns_write_maps (first_child, &mappings->uids, &mappings->gids, error))
        return FALSE;
      return hako_fd_write_all (control_fd, "", 1, error);
    case HAKO_REPORT_PID:
      note_container_process (setup, r->pid, state);
      return hako_state_save (root, state, error) && hako_fd_write_all (control_fd, "", 1, error);
    case HAKO_REPORT_BEFORE_PIVOT:
      /* Steps 3 to 5 of runtime.md's lifecycle come after the environment is
       * created (step 2, "creating"): these hooks see "created". */
      state->recorded = HAKO_STATUS_CREATED;
      json = hako_state_to_hook_json (state);
      state->recorded = HAKO_STATUS_CREATING;
      return hako_hooks_run (setup->spec, HAKO_HOOK_PRESTART, json, error)
             && hako_hooks_run (setup->spec, HAKO_HOOK_CREATE_RUNTIME, json, error)
             && hako_message_write (control_fd, json, error);
    case HAKO_REPORT_READY:
      /* Limits once the setup is done, as runc sets them: the setup's own
       * processes count against pids.max, and it opens devices the rules
       * may deny the payload. */
      if (setup->cgroup && setup->spec->linux_
          && !hako_cgroup_apply (setup->cgroup, setup->spec->linux_->resources, error))
        return FALSE;
      *done = TRUE;
      return TRUE;
    case HAKO_REPORT_SECCOMP_LISTENER:
      return hako_seccomp_notify_forward (setup->spec->linux_->seccomp, setup->seccomp_fds[0],
                                          state->pid, state, error);
    default:
      message = describe_report (setup, r);
      g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED, message);
      return FALSE;
    }
}

/* exec.sock as the first child would bind it, without moving the runtime's cwd. */
static int
listen_exec_socket_in_runtime (const HakoSetup *setup)
{
  int cwd_fd = open (".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  int fd;

  if (cwd_fd < 0)
    return -1;
  fd = listen_exec_socket (setup);
  if (fchdir (cwd_fd) < 0 && fd >= 0)
    {
      close (fd);
      fd = -1;
    }
  close (cwd_fd);
  return fd;
}

static void
unlink_exec_socket (const HakoSetup *setup)
{
  g_autofree char *path = g_build_filename (setup->state_dir, HAKO_EXEC_SOCKET, NULL);
  unlink (path);
}

/* The fast path: the container process in one clone (see
 * hako_namespace_plan_clone_flags). Its pid, or -1 when the plan needs the
 * first child's sequence or the clone failed; that sequence then also says
 * precisely which namespace the kernel refused. */
static pid_t
clone_container_process (HakoSetup *setup)
{
  /* Idmapped lowerdirs are attached before the user namespace exists. */
  int flags = hako_overlay_has_idmapped_lowers (setup->overlay) ? 0
                                                                 : hako_namespace_plan_clone_flags (&setup->namespaces);
  pid_t pid;

  if (flags == 0 || (setup->listen_fd = listen_exec_socket_in_runtime (setup)) < 0)
    return -1;
  pid = syscall (SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid == 0)
    run_cloned_child (setup);
  close (setup->listen_fd);
  setup->listen_fd = -1;
  if (pid < 0)
    unlink_exec_socket (setup);
  return pid;
}

/* Once the cloned container process exists: its cgroup and maps, its pid
 * on record (see run_first_child), then its go (it makes its cgroup
 * namespace after it). */
static gboolean
start_cloned_process (HakoSetup *setup, pid_t pid, const HakoUsernsMappings *mappings,
                      const char *root, HakoState *state, int control_fd, GError **error)
{
  note_container_process (setup, pid, state);
  return place_in_cgroup (setup, pid, state, error)
         && hako_userns_write_maps (pid, &mappings->uids, &mappings->gids, error)
         && hako_state_save (root, state, error) && hako_fd_write_all (control_fd, "", 1, error);
}

static gboolean
open_pipes (HakoSetup *setup, int report_pipe[2], int control_pipe[2], GError **error)
{
  if (hako_seccomp_plan_has_listener (setup->seccomp)
      && socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, setup->seccomp_fds) < 0)
    return hako_error_set_errno (error, errno, "socketpair");
  if (pipe2 (report_pipe, O_CLOEXEC) < 0)
    return hako_error_set_errno (error, errno, "pipe");
  if (pipe2 (control_pipe, O_CLOEXEC) < 0)
    {
      close (report_pipe[0]);
      close (report_pipe[1]);
      return hako_error_set_errno (error, errno, "pipe");
    }
  return TRUE;
}

/* The detached mounts the setup inherits (idmapped binds and lowerdirs),
 * closed in the runtime once the setup has them, or will not start. */
static void
close_detached_mounts (HakoSetup *setup)
{
  hako_mount_plan_close_idmapped (setup->mounts);
  if (setup->overlay)
    hako_overlay_close_lowers (setup->overlay);
}

gboolean
hako_setup_spawn (HakoSetup *setup, const char *root, HakoState *state, int lock_fd,
                  GError **error)
{
  int report_pipe[2], control_pipe[2];
  g_auto (HakoUsernsMappings) mappings = { 0 };
  gboolean done = FALSE;
  pid_t first_child, cloned;
  HakoReport r;

  if ((hako_namespace_plan_new_user (&setup->namespaces)
       && !choose_mappings (setup->spec, &mappings, error))
      || (setup->overlay
          && !hako_overlay_prepare (setup->overlay, setup->state_dir,
                                    hako_namespace_plan_new_user (&setup->namespaces) ? &mappings : NULL, error))
      || !hako_mount_plan_make_device_nodes (setup->mounts, error)
      /* Before the fork: the setup inherits them. */
      || !hako_mount_plan_open_idmapped (setup->mounts, setup->namespaces.join_fds[HAKO_NS_USER],
                                         &mappings.uids, &mappings.gids, error))
    {
      close_detached_mounts (setup);
      return FALSE;
    }
  if ((setup->cgroup && !create_cgroup (setup, root, state, error))
      || !open_pipes (setup, report_pipe, control_pipe, error))
    {
      close_detached_mounts (setup);
      if (setup->cgroup)
        hako_cgroup_destroy (setup->cgroup, NULL);
      return FALSE;
    }
  setup->report_fd = report_pipe[1];
  setup->control_fd = control_pipe[0];
  setup->runtime_fds[0] = report_pipe[0];
  setup->runtime_fds[1] = control_pipe[1];
  setup->lock_fd = lock_fd;
  cloned = clone_container_process (setup);
  first_child = cloned > 0 ? cloned : fork ();
  if (first_child == 0)
    run_first_child (setup);
  close (report_pipe[1]);
  close (control_pipe[0]);
  if (setup->seccomp_fds[1] >= 0)
    {
      close (setup->seccomp_fds[1]);
      setup->seccomp_fds[1] = -1;
    }
  close_detached_mounts (setup);
  if (first_child < 0)
    hako_error_set_errno (error, errno, "fork");
  else if (cloned > 0
               ? start_cloned_process (setup, cloned, &mappings, root, state, control_pipe[1], error)
               : (!setup->cgroup
                  || (place_in_cgroup (setup, first_child, state, error)
                      && hako_fd_write_all (control_pipe[1], "", 1, error))))
    while (!done && hako_report_read (report_pipe[0], &r, NULL, error)
           && handle_report (setup, &r, first_child, &mappings, root, state, control_pipe[1],
                             &done, error))
      ;
  close (report_pipe[0]);
  close (control_pipe[1]);
  if (done)
    {
      /* The cloned container process is no child to wait for: it runs on. */
      if (cloned < 0)
        waitpid (first_child, NULL, 0);
      return TRUE;
    }
  kill_and_reap (first_child, state->pid);
  if (setup->cgroup)
    hako_cgroup_destroy (setup->cgroup, NULL);
  return FALSE;
}
