/* hako exec: run a new process in a container (runc-exec(8)). */
#include "config.h"

#include "commands.h"
#include "error.h"
#include "exec.h"
#include "i18n.h"
#include "self-exe.h"

gboolean
hako_cmd_exec (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL, *process_file = NULL, *console_socket = NULL, *pid_file = NULL;
  g_autofree char *cwd = NULL, *user = NULL, *process_label = NULL, *apparmor = NULL;
  g_auto (GStrv) env = NULL, additional_gids = NULL, caps = NULL, cgroups = NULL;
  gboolean tty = FALSE, detach = FALSE, no_new_privs = FALSE, ignore_paused = FALSE;
  int preserve_fds = 0, status;
  HakoExecOptions options;
  const char *id;
  const GOptionEntry entries[] = {
    { "process", 'p', 0, G_OPTION_ARG_FILENAME, &process_file, N_("Take the process from FILE (a config.json process object)"), N_("FILE") },
    { "tty", 't', 0, G_OPTION_ARG_NONE, &tty, N_("Give the process a new pseudo-terminal"), NULL },
    { "console-socket", 0, 0, G_OPTION_ARG_FILENAME, &console_socket, N_("Send the terminal's master to the unix socket PATH"), N_("PATH") },
    { "detach", 'd', 0, G_OPTION_ARG_NONE, &detach, N_("Do not wait for the process"), NULL },
    { "pid-file", 0, 0, G_OPTION_ARG_FILENAME, &pid_file, N_("Write the process's pid to FILE"), N_("FILE") },
    { "cwd", 0, 0, G_OPTION_ARG_STRING, &cwd, N_("Working directory in the container"), N_("PATH") },
    { "env", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &env, N_("Set an environment variable (repeatable)"), N_("NAME=VALUE") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("Run as UID (and GID)"), N_("UID[:GID]") },
    { "additional-gids", 'g', 0, G_OPTION_ARG_STRING_ARRAY, &additional_gids, N_("Add a supplementary group (repeatable)"), N_("GID") },
    { "cap", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &caps, N_("Add a capability (repeatable)"), N_("CAP") },
    { "no-new-privs", 0, 0, G_OPTION_ARG_NONE, &no_new_privs, N_("Set no_new_privs for the process"), NULL },
    { "preserve-fds", 0, 0, G_OPTION_ARG_INT, &preserve_fds, N_("Pass N more file descriptors from 3 on"), N_("N") },
    { "cgroup", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cgroups, N_("Join the sub-cgroup PATH of the container's (cgroup v1: CONTROLLER[,...]:PATH for those controllers; repeatable)"), N_("[CONTROLLERS:]PATH") },
    { "ignore-paused", 0, 0, G_OPTION_ARG_NONE, &ignore_paused, N_("Start the process in a paused container too (it runs once resumed)"), NULL },
    { "process-label", 0, 0, G_OPTION_ARG_STRING, &process_label, N_("SELinux label of the process"), N_("LABEL") },
    { "apparmor", 0, 0, G_OPTION_ARG_STRING, &apparmor, N_("AppArmor profile of the process"), N_("PROFILE") },
    { NULL },
  };

  if (!hako_self_exe_seal (error)
      || !hako_cli_parse_options_before_id ("exec", _("ID [--] [COMMAND [ARG...]]"),
                                         _("Run a new process in a created or running container, and wait for it."),
                                         entries, &argc, &argv, error)
      || !hako_cli_container_id ("exec", argc, argv, G_MAXINT - 2, &id, error)
      || !hako_cli_preserve_fds (preserve_fds, error)
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  if ((process_file != NULL) == (argc > 2))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   process_file ? _("exec: give either --process FILE or a command, not both")
                                : _("exec needs a command to run after the container id, or --process FILE"));
      return FALSE;
    }
  options = (HakoExecOptions){
    .root = root, .id = id, .console_socket = console_socket, .detach = detach,
    .pid_file = pid_file, .preserve_fds = preserve_fds, .ignore_paused = ignore_paused,
    .cgroups = (const char *const *) cgroups,
    .process = { .process_file = process_file,
                 .args = argc > 2 ? (const char *const *) &argv[2] : NULL,
                 .tty = tty, .cwd = cwd, .env = (const char *const *) env, .user = user,
                 .additional_gids = (const char *const *) additional_gids,
                 .caps = (const char *const *) caps, .no_new_privs = no_new_privs,
                 .process_label = process_label, .apparmor = apparmor },
  };
  status = hako_container_exec (&options, error);
  if (status < 0)
    return FALSE;
  global->exit_status = status;
  return TRUE;
}
