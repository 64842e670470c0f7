/* hako sandbox: run a command with the host's own filesystem as its image. */
#include "config.h"

#include <unistd.h>

#include "commands.h"
#include "error.h"
#include "i18n.h"
#include "sandbox.h"

gboolean
hako_cmd_sandbox (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_auto (HakoSandboxConfig) config = { 0 };
  g_autofree char *changes = NULL, *root = NULL;
  g_auto (GStrv) publish = NULL;
  int timeout = 0, status;
  const GOptionEntry entries[] = {
    { "changes", 0, 0, G_OPTION_ARG_FILENAME, &changes, N_("Keep the writes to / in DIR/upper instead of throwing them away (DIR new or empty)"), N_("DIR") },
    { "no-overlay", 0, 0, G_OPTION_ARG_NONE, &config.no_overlay, N_("Bind the host's / read-only instead of the overlay: nothing can be written outside the shared directories"), NULL },
    { "ro-cwd", 0, 0, G_OPTION_ARG_NONE, &config.ro_cwd, N_("Share the current directory read-only"), NULL },
    { "share-home", 0, 0, G_OPTION_ARG_NONE, &config.share_home, N_("Share $HOME read-write instead of hiding it"), NULL },
    { "root", 0, 0, G_OPTION_ARG_NONE, &config.root, N_("Run as uid 0 (the caller mapped as 0; as the host's root, every id)"), NULL },
    { "net", 0, 0, G_OPTION_ARG_NONE, &config.net, N_("Give the sandbox user-mode networking (libslirp)"), NULL },
    { "publish", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &publish, N_("Forward a host port into the sandbox (repeatable; needs --net)"), N_("[HOSTIP:]HOSTPORT:PORT[/tcp|/udp]") },
    { "memory", 0, 0, G_OPTION_ARG_STRING, &config.memory, N_("Memory limit"), N_("SIZE[k|m|g]") },
    { "cpus", 0, 0, G_OPTION_ARG_STRING, &config.cpus, N_("CPU limit, in CPUs"), N_("N") },
    { "pids", 0, 0, G_OPTION_ARG_INT64, &config.pids, N_("Limit on the number of processes"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Kill the sandbox after SECS seconds, exiting with status 124"), N_("SECS") },
    { "seccomp", 0, 0, G_OPTION_ARG_FILENAME, &config.seccomp, N_("System call filter: default, none (the default) or a file with a linux.seccomp object"), N_("default|none|FILE") },
    { "bind", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &config.binds, N_("Bind a host path read-write (at the same path unless DST is given; repeatable)"), N_("SRC[:DST]") },
    { "ro-bind", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &config.ro_binds, N_("Bind a host path read-only (repeatable)"), N_("SRC[:DST]") },
    { "tmpfs", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &config.tmpfs, N_("Mount an empty tmpfs (repeatable)"), N_("DST") },
    { "env", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &config.env, N_("Set an environment variable (repeatable)"), N_("NAME=VALUE") },
    { "clearenv", 0, 0, G_OPTION_ARG_NONE, &config.clearenv, N_("Start from an empty environment (PWD and --env only)"), NULL },
    { "hostname", 0, 0, G_OPTION_ARG_STRING, &config.hostname, N_("Host name inside (default: sandbox)"), N_("NAME") },
    { NULL },
  };
  HakoSandboxRun run;

  if (!hako_cli_parse_options_before_id ("sandbox", _("[--] COMMAND [ARGS...]"),
                                         _("Run COMMAND in new namespaces with the host's own filesystem read-only, writes to / thrown away, the current directory shared and $HOME hidden."),
                                         entries, &argc, &argv, error))
    return FALSE;
  if (argc < 2)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("sandbox needs a command, e.g. hako sandbox -- make"));
      return FALSE;
    }
  if (timeout < 0 || config.pids < 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("--timeout and --pids take a positive number"));
      return FALSE;
    }
  if ((root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  config.argv = g_strdupv (&argv[g_str_equal (argv[1], "--") ? 2 : 1]);
  config.cwd = g_get_current_dir ();
  config.home = g_strdup (g_get_home_dir ());
  config.uid = getuid ();
  config.gid = getgid ();
  config.terminal = isatty (STDIN_FILENO);
  run = (HakoSandboxRun){ .publish = (const char *const *) publish, .changes = changes,
                          .timeout = timeout, .state_root = root,
                          .cgroup_manager = global->systemd_cgroup ? "systemd" : global->cgroup_manager };
  status = hako_sandbox_run (&config, &run, error);
  if (status < 0)
    return FALSE;
  global->exit_status = status;
  return TRUE;
}
