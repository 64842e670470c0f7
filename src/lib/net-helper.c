#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "log.h"
#include "net-helper.h"
#include "net-tap.h"
#include "state.h"

/* How long create waits for the helper to listen on its forwards. */
#define READY_TIMEOUT_MS 30000

typedef struct
{
  char *exe;
  char **argv;
  int null_fd, log_fd;
  int fds[HAKO_NET_HELPER_MAX_FDS]; /* to be fds 3, 4..., the first HAKO_NET_HELPER_READY_FD */
  int n_fds;
} HelperLaunch;

static char **
helper_argv (const char *exe, const HakoNetConfig *config, const char *state_dir, pid_t pid,
             guint64 pid_start)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  g_autofree char *state_text = g_strdup_printf ("--state-dir=%s", state_dir);
  g_autofree char *pid_text = g_strdup_printf ("--pid=%d", (int) pid);
  g_autofree char *start_text = g_strdup_printf ("--pid-start=%" G_GUINT64_FORMAT, pid_start);
  g_autofree char *mtu_text = g_strdup_printf ("--mtu=%u", config->mtu);
  const char *outbound[] = { config->outbound.addr4, config->outbound.addr6 };
  char **argv;

  g_strv_builder_add_many (builder, exe, HAKO_NET_HELPER_COMMAND, pid_text, start_text, mtu_text,
                           state_text, NULL);
  if (config->mode == HAKO_NET_PASTA)
    g_strv_builder_add (builder, "--pasta");
  if (config->allow_host_loopback)
    g_strv_builder_add (builder, "--allow-host-loopback");
  if (config->dns)
    {
      g_autofree char *dns = g_strdup_printf ("--dns=%s", config->dns);
      g_strv_builder_add (builder, dns);
    }
  for (guint i = 0; i < G_N_ELEMENTS (outbound); i++)
    if (outbound[i])
      {
        g_autofree char *arg = g_strdup_printf ("--outbound-addr=%s", outbound[i]);
        g_strv_builder_add (builder, arg);
      }
  for (guint i = 0; i < config->forwards->len; i++)
    {
      g_autofree char *publish = g_strdup_printf ("--publish=%s",
                                                  g_array_index (config->forwards, HakoPortForward, i).spec);
      g_strv_builder_add (builder, publish);
    }
  argv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return argv;
}

/* ---- in the children: async-signal-safe only ---- */

static G_GNUC_NORETURN void
exec_helper (const HelperLaunch *launch)
{
  int high[2 + HAKO_NET_HELPER_MAX_FDS];

  /* Out of the way of 0..5 first, then into place. */
  high[0] = fcntl (launch->null_fd, F_DUPFD, 10);
  high[1] = fcntl (launch->log_fd, F_DUPFD, 10);
  for (int i = 0; i < launch->n_fds; i++)
    high[2 + i] = fcntl (launch->fds[i], F_DUPFD, 10);
  for (int i = 0; i < 2 + launch->n_fds; i++)
    if (high[i] < 0)
      _exit (127);
  if (dup2 (high[0], 0) < 0 || dup2 (high[0], 1) < 0 || dup2 (high[1], 2) < 0)
    _exit (127);
  for (int i = 0; i < launch->n_fds; i++)
    if (dup2 (high[2 + i], HAKO_NET_HELPER_READY_FD + i) < 0)
      _exit (127);
  /* Nothing else of the runtime's, above all not the container's lock. */
  syscall (SYS_close_range, HAKO_NET_HELPER_READY_FD + launch->n_fds, ~0U, 0);
  execv (launch->exe, launch->argv);
  _exit (127);
}

/* The first child: a session of its own, and the helper as its child, which
 * init (or the nearest subreaper) adopts when this one exits at once. */
static G_GNUC_NORETURN void
run_launcher (const HelperLaunch *launch)
{
  pid_t pid;

  setsid ();
  pid = fork ();
  if (pid == 0)
    exec_helper (launch);
  _exit (pid < 0);
}

/* ---- in the runtime ---- */

void
hako_net_ready_write (int fd, const GError *error)
{
  g_autofree char *message = error ? g_strconcat ("E", error->message, NULL)
                                   : g_strdup_printf ("R%d", (int) getpid ());

  hako_fd_write_all (fd, message, strlen (message), NULL);
  close (fd);
}

/* The container's process as a pidfd, once it is known to be still its. */
int
hako_net_helper_open_container (pid_t pid, guint64 start, GError **error)
{
  int pidfd = syscall (SYS_pidfd_open, pid, 0);

  if (pidfd < 0 || hako_process_start_time (pid) != start)
    {
      if (pidfd >= 0)
        close (pidfd);
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("network: the container's process (pid %d) ended before its network was up"),
                   (int) pid);
      return -1;
    }
  return pidfd;
}

/* The helper's pid once it is ready, or 0 with ERROR set. */
static pid_t
read_ready (int fd, GError **error)
{
  g_autoptr (GString) message = g_string_new (NULL);
  struct pollfd p = { .fd = fd, .events = POLLIN };
  char buf[512];
  ssize_t n;

  for (;;)
    {
      int ready = poll (&p, 1, READY_TIMEOUT_MS);
      if (ready < 0 && errno == EINTR)
        continue;
      if (ready == 0)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                       _("network: the helper did not get ready within %d seconds"), READY_TIMEOUT_MS / 1000);
          return 0;
        }
      n = read (fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (message, buf, n);
    }
  if (message->len > 1 && message->str[0] == 'R')
    return atoi (message->str + 1);
  if (message->len > 1 && message->str[0] == 'E')
    g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED, message->str + 1);
  else
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("network: the helper died before it was ready"));
  return 0;
}

/* The helper's stderr (what libslirp reports, and any crash) goes to
 * net-helper.log in the state directory: never to create's, which a
 * caller may be waiting on to close. */
static pid_t
spawn_helper (const HakoNetConfig *config, const char *state_dir, const int *fds, int n_fds, pid_t pid,
              guint64 pid_start, GError **error)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", error);
  g_autofree char *log_path = g_build_filename (state_dir, HAKO_NET_HELPER_LOG_FILE, NULL);
  g_auto (GStrv) argv = NULL;
  hako_autofd int null_fd = -1;
  hako_autofd int log_fd = -1;
  int ready[2];
  HelperLaunch launch;
  pid_t launcher, helper;

  if (exe == NULL)
    return 0;
  argv = helper_argv (exe, config, state_dir, pid, pid_start);
  if ((null_fd = open ("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
    {
      hako_error_set_errno (error, errno, "/dev/null");
      return 0;
    }
  if ((log_fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) < 0)
    {
      hako_error_set_errno (error, errno, "%s", log_path);
      return 0;
    }
  if (pipe2 (ready, O_CLOEXEC) < 0)
    {
      hako_error_set_errno (error, errno, "pipe");
      return 0;
    }
  /* By the magic link, not its target's name: hako may run from a sealed
   * memfd copy (self-exe.h), which has no path to execute. */
  launch = (HelperLaunch){ .exe = "/proc/self/exe", .argv = argv, .null_fd = null_fd, .log_fd = log_fd,
                           .fds = { ready[1] }, .n_fds = 1 + n_fds };
  memcpy (launch.fds + 1, fds, n_fds * sizeof (int));
  launcher = fork ();
  if (launcher == 0)
    run_launcher (&launch);
  close (ready[1]);
  if (launcher < 0)
    {
      close (ready[0]);
      hako_error_set_errno (error, errno, "fork");
      return 0;
    }
  waitpid (launcher, NULL, 0);
  helper = read_ready (ready[0], error);
  close (ready[0]);
  return helper;
}

static char *
pid_file_path (const char *state_dir)
{
  return g_build_filename (state_dir, HAKO_NET_HELPER_PID_FILE, NULL);
}

gboolean
hako_net_start (const HakoNetConfig *config, const char *state_dir, int userns_fd, int netns_fd,
                pid_t pid, guint64 pid_start, GError **error)
{
  g_autofree char *path = pid_file_path (state_dir);
  g_autofree char *record = NULL;
  hako_autofd int tap_fd = -1;
  pid_t helper;

  if (config->mode == HAKO_NET_PASTA)
    helper = spawn_helper (config, state_dir, (int[]){ netns_fd, userns_fd }, 2, pid, pid_start, error);
  else
    {
      hako_log_debug ("network: %s in container process %d, MTU %u", HAKO_TAP_NAME, (int) pid, config->mtu);
      if ((tap_fd = hako_tap_create (userns_fd, netns_fd, config->mtu, error)) < 0)
        return FALSE;
      helper = spawn_helper (config, state_dir, &tap_fd, 1, pid, pid_start, error);
    }
  if (helper <= 0)
    return FALSE;
  record = g_strdup_printf ("%d %" G_GUINT64_FORMAT "\n", (int) helper, hako_process_start_time (helper));
  if (!hako_file_replace (path, record, -1, 0600, error))
    {
      kill (helper, SIGKILL);
      return FALSE;
    }
  hako_log_debug ("network: helper %d running", (int) helper);
  return TRUE;
}

void
hako_net_stop (const char *state_dir)
{
  g_autofree char *path = pid_file_path (state_dir);
  g_autofree char *record = NULL;
  hako_autofd int pidfd = -1;
  struct pollfd p = { .events = POLLIN };
  guint64 start = 0;
  int pid = 0;

  if (!g_file_get_contents (path, &record, NULL, NULL)
      || sscanf (record, "%d %" G_GUINT64_FORMAT, &pid, &start) != 2 || pid <= 0)
    return;
  p.fd = pidfd = syscall (SYS_pidfd_open, pid, 0);
  /* Checked after pidfd_open: the pid cannot be reused while we hold it. */
  if (pidfd >= 0 && hako_process_start_time (pid) == start
      && syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0)
    while (poll (&p, 1, 5000) < 0 && errno == EINTR)
      ;
  /* `run` is the subreaper that adopted it: reap it then. */
  waitpid (pid, NULL, WNOHANG);
}
