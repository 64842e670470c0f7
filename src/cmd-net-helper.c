/* hako _net-helper: the network helper create starts (see net-helper.h);
 * not for people, so not in the command list. */
#include "config.h"

#include <unistd.h>

#include "commands.h"
#include "error.h"
#include "i18n.h"
#include "net-helper.h"
#include "pasta.h"
#include "slirp-loop.h"

gboolean
hako_cmd_net_helper (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  int pid = 0, mtu = HAKO_NET_MTU_DEFAULT;
  gint64 pid_start = 0;
  gboolean allow_host_loopback = FALSE, pasta = FALSE;
  g_auto (GStrv) publish = NULL;
  g_autofree char *dns = NULL;
  g_auto (GStrv) outbound = NULL;
  g_autofree char *state_dir = NULL;
  const GOptionEntry entries[] = {
    { "pid", 0, 0, G_OPTION_ARG_INT, &pid, "The container's process", "PID" },
    { "pid-start", 0, 0, G_OPTION_ARG_INT64, &pid_start, "Its start time", "TICKS" },
    { "mtu", 0, 0, G_OPTION_ARG_INT, &mtu, "MTU of tap0", "N" },
    { "allow-host-loopback", 0, 0, G_OPTION_ARG_NONE, &allow_host_loopback, "Let 10.0.2.2 reach the host's loopback", NULL },
    { "publish", 0, 0, G_OPTION_ARG_STRING_ARRAY, &publish, "A port forward", "SPEC" },
    { "dns", 0, 0, G_OPTION_ARG_STRING, &dns, "The upstream DNS server", "IP[:PORT]" },
    { "outbound-addr", 0, 0, G_OPTION_ARG_STRING_ARRAY, &outbound, "A source address for outbound traffic", "IP" },
    { "pasta", 0, 0, G_OPTION_ARG_NONE, &pasta, "Run pasta instead of libslirp", NULL },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "The container's state directory", "DIR" },
    { NULL },
  };
  HakoSlirpOptions options;

  if (!hako_cli_parse_options (HAKO_NET_HELPER_COMMAND, "", "", entries, &argc, &argv, error))
    return FALSE;
  options = (HakoSlirpOptions){ .tap_fd = HAKO_NET_HELPER_TAP_FD, .container_pid = pid,
                                .container_start = pid_start, .mtu = mtu,
                                .allow_host_loopback = allow_host_loopback, .publish = (const char *const *) publish,
                                .dns = dns, .state_dir = state_dir,
                                .outbound = (const char *const *) outbound };
  /* Straight out once the container is gone: the sandbox's seccomp filter
   * refuses what exit handlers (a sanitizer's leak check) would do. */
  _exit ((pasta ? hako_pasta_run : hako_slirp_run) (&options, HAKO_NET_HELPER_READY_FD, error) ? 0 : 1);
}
