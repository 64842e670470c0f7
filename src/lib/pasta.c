#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "net-config.h"
#include "net-helper.h"
#include "pasta.h"

#define PID_FILE "pasta.pid"
#define READY_TIMEOUT_MS 10000

gboolean
hako_pasta_installed (void)
{
  g_autofree char *path = g_find_program_in_path ("pasta");
  return path != NULL;
}

/* -t/-u SPEC for pasta: [ADDR/]HOSTPORT:CTRPORT. */
static char *
pasta_forward (const HakoPortForward *forward)
{
  char addr[INET6_ADDRSTRLEN] = "";

  if (forward->family == AF_INET6)
    inet_ntop (AF_INET6, &forward->host_addr6, addr, sizeof addr);
  else if (forward->host_addr.s_addr != htonl (INADDR_ANY))
    inet_ntop (AF_INET, &forward->host_addr, addr, sizeof addr);
  return g_strdup_printf ("%s%s%u:%u", addr, *addr ? "/" : "", forward->host_port, forward->container_port);
}

static char **
pasta_argv (const HakoSlirpOptions *options, GError **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *mtu = g_strdup_printf ("%u", options->mtu);
  g_autofree char *netns = g_strdup_printf ("/proc/self/fd/%d", HAKO_NET_HELPER_NETNS_FD);
  g_autofree char *userns = g_strdup_printf ("/proc/self/fd/%d", HAKO_NET_HELPER_USERNS_FD);
  gboolean tcp = FALSE, udp = FALSE;

  g_strv_builder_add_many (builder, "pasta", "--config-net", "--foreground", "--quiet", "--netns", netns,
                           "--userns", userns, "--mtu", mtu, "--pid", PID_FILE, "-T", "none", "-U", "none",
                           NULL);
  if (!options->allow_host_loopback)
    g_strv_builder_add (builder, "--no-map-gw");
  /* The addresses only, also for --outbound-if: pasta's --outbound-if4/6
   * would also make it copy that interface's addresses and routes into
   * the container (its -i default). */
  for (const char *const *p = options->outbound; p && *p; p++)
    g_strv_builder_add_many (builder, "--outbound", *p, NULL);
  /* As root pasta would become nobody, who may not enter the namespaces. */
  if (geteuid () == 0)
    g_strv_builder_add_many (builder, "--runas", "0", NULL);
  for (const char *const *p = options->publish; p && *p; p++)
    {
      g_auto (HakoPortForward) forward = { 0 };
      g_autofree char *spec = NULL;
      if (!hako_port_forward_parse (*p, &forward, error))
        return NULL;
      spec = pasta_forward (&forward);
      g_strv_builder_add_many (builder, forward.udp ? "-u" : "-t", spec, NULL);
      udp |= forward.udp;
      tcp |= !forward.udp;
    }
  if (!tcp)
    g_strv_builder_add_many (builder, "-t", "none", NULL);
  if (!udp)
    g_strv_builder_add_many (builder, "-u", "none", NULL);
  return g_strv_builder_end (builder);
}

/* pasta's pid once it has written its pid file (it is set up then). */
static pid_t
start_pasta (char **argv, GError **error)
{
  int status;
  pid_t pid = fork ();

  if (pid == 0)
    {
      /* Dies with the helper, whom delete kills; create waits for the
       * ready pipe to close, which pasta must not hold. */
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      close (HAKO_NET_HELPER_READY_FD);
      execvp (argv[0], argv);
      _exit (127);
    }
  if (pid < 0)
    {
      hako_error_set_errno (error, errno, "fork");
      return -1;
    }
  for (int waited = 0; waited < READY_TIMEOUT_MS; waited += 50)
    {
      if (g_file_test (PID_FILE, G_FILE_TEST_EXISTS))
        return pid;
      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                       _("network: pasta exited with status %d before it was ready (its messages are in %s)"),
                       WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status),
                       HAKO_NET_HELPER_LOG_FILE);
          return -1;
        }
      g_usleep (50000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("network: pasta did not get ready within %d seconds"),
               READY_TIMEOUT_MS / 1000);
  return -1;
}

gboolean
hako_pasta_run (const HakoSlirpOptions *options, int ready_fd, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_auto (GStrv) argv = NULL;
  hako_autofd int container = -1;
  hako_autofd int pasta_fd = -1;
  struct pollfd fds[2] = { { .events = POLLIN }, { .events = POLLIN } };
  pid_t pasta = -1;

  /* The pid file goes into the state directory. */
  if (chdir (options->state_dir) < 0)
    hako_error_set_errno (&local_error, errno, "%s", options->state_dir);
  else if ((container = hako_net_helper_open_container (options->container_pid, options->container_start,
                                                        &local_error)) >= 0
           && (argv = pasta_argv (options, &local_error)) != NULL)
    pasta = start_pasta (argv, &local_error);
  hako_net_ready_write (ready_fd, local_error);
  if (pasta < 0)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  fds[0].fd = container;
  fds[1].fd = pasta_fd = syscall (SYS_pidfd_open, pasta, 0);
  while (poll (fds, 2, -1) < 0 && errno == EINTR)
    ;
  kill (pasta, SIGKILL);
  waitpid (pasta, NULL, 0);
  return TRUE;
}
