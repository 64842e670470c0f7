/* hako's entry point: runc's global options, then one command. */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <seccomp.h>
#include <slirp/libslirp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "error.h"
#include "i18n.h"
#include "layer-owners.h"
#include "log.h"
#include "net-helper.h"
#include "spec.h"
#include "state.h"

typedef struct
{
  const char *name;
  HakoCommandFunc run;
  const char *summary; /* N_() */
} HakoCommand;

static const HakoCommand commands[] = {
  { "check", hako_cmd_check, N_("Check that this host can run rootless containers") },
  { "checkpoint", hako_cmd_checkpoint, N_("Dump a running container to disk (CRIU)") },
  { "create", hako_cmd_create, N_("Create a container, waiting for start") },
  { "delete", hako_cmd_delete, N_("Delete a container and everything it holds") },
  { "events", hako_cmd_events, N_("Show a container's statistics as JSON") },
  { "exec", hako_cmd_exec, N_("Run a new process in a running container") },
  { "features", hako_cmd_features, N_("Show the features of this runtime as JSON") },
  { "images", hako_cmd_images, N_("List the image layer store, or prune it") },
  { "kill", hako_cmd_kill, N_("Send a signal to a container's process") },
  { "list", hako_cmd_list, N_("List the containers") },
  { "ps", hako_cmd_ps, N_("Show the processes of a container") },
  { "pause", hako_cmd_pause, N_("Suspend every process of a container") },
  { "port", hako_cmd_port, N_("Add, remove or list a container's port forwards") },
  { "restore", hako_cmd_restore, N_("Restore a container from a checkpoint (CRIU)") },
  { "resume", hako_cmd_resume, N_("Resume a paused container") },
  { "rmi", hako_cmd_rmi, N_("Remove image layers no container uses") },
  { "run", hako_cmd_run, N_("Create and start a container, and wait for it") },
  { "sandbox", hako_cmd_sandbox, N_("Run a command on the host's own filesystem, isolated") },
  { "spec", hako_cmd_spec, N_("Create a new config.json in the bundle directory") },
  { "start", hako_cmd_start, N_("Start a created container") },
  { "state", hako_cmd_state, N_("Show the state of a container as JSON") },
  { "update", hako_cmd_update, N_("Set new resource limits on a container") },
  { "validate", hako_cmd_validate, N_("Check a bundle's config.json") },
  { HAKO_NET_HELPER_COMMAND, hako_cmd_net_helper, NULL }, /* hidden: started by create */
  { HAKO_LAYER_UNPACK_COMMAND, hako_cmd_unpack_layer, NULL }, /* hidden: started by create */
};


static char *
command_list (void)
{
  GString *s = g_string_new (_("Commands:"));

  g_string_append_c (s, '\n');
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (commands[i].summary)
      g_string_append_printf (s, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (s, "  %-10s %s\n", "help", _("Show the help of hako or of a command"));
  g_string_append (s, _("\nRun 'hako COMMAND --help' for the options of a command."));
  return g_string_free (s, FALSE);
}

static void
print_short_usage (const char *command)
{
  if (command)
    fprintf (stderr, _("Usage: hako %s [OPTIONS] [ARGS]\nRun 'hako %s --help' for its options.\n"),
             command, command);
  else
    fprintf (stderr, _("Usage: hako [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\nRun 'hako --help' for the commands.\n"));
}

/* The command called NAME; otherwise says so, with the usage, and NULL. */
static const HakoCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  hako_log_error (_("unknown command \"%s\""), name);
  print_short_usage (NULL);
  return NULL;
}

static gboolean
parse_options (const char *command, const char *parameters, const char *summary,
               const GOptionEntry *entries, const GOptionEntry *more_entries,
               gboolean stop_at_argument, int *argc, char ***argv, GError **error)
{
  g_autoptr (GOptionContext) context = g_option_context_new (parameters);
  g_autofree char *prgname = g_strdup_printf ("hako %s", command);
  g_autoptr (GError) local_error = NULL;

  g_set_prgname (prgname);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (more_entries)
    g_option_context_add_main_entries (context, more_entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, stop_at_argument);
  if (!g_option_context_parse (context, argc, argv, &local_error))
    {
      g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_USAGE, local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hako_cli_parse_options_with (const char *command, const char *parameters, const char *summary,
                             const GOptionEntry *entries, const GOptionEntry *more_entries,
                             int *argc, char ***argv, GError **error)
{
  return parse_options (command, parameters, summary, entries, more_entries, FALSE, argc, argv,
                        error);
}

gboolean
hako_cli_parse_options_before_id (const char *command, const char *parameters,
                                  const char *summary, const GOptionEntry *entries, int *argc,
                                  char ***argv, GError **error)
{
  if (!parse_options (command, parameters, summary, entries, NULL, TRUE, argc, argv, error))
    return FALSE;
  /* "ID -- ARGS": the separator is not an argument. */
  if (*argc > 2 && g_str_equal ((*argv)[2], "--"))
    {
      memmove (&(*argv)[2], &(*argv)[3], (*argc - 2) * sizeof (char *));
      (*argc)--;
    }
  return TRUE;
}

gboolean
hako_cli_parse_options (const char *command, const char *parameters, const char *summary,
                        const GOptionEntry *entries, int *argc, char ***argv, GError **error)
{
  return hako_cli_parse_options_with (command, parameters, summary, entries, NULL, argc, argv,
                                      error);
}

gboolean
hako_cli_no_arguments (const char *command, int argc, char **argv, GError **error)
{
  if (argc <= 1)
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("%s takes no arguments, got \"%s\""),
               command, argv[1]);
  return FALSE;
}

char *
hako_cli_state_root (HakoGlobalOptions *global, GError **error)
{
  return hako_state_root_resolve (global->root, error);
}

gboolean
hako_cli_container_id (const char *command, int argc, char **argv, int extra, const char **id,
                       GError **error)
{
  if (argc < 2)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("%s needs a container id"), command);
      return FALSE;
    }
  if (argc > 2 + extra)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("%s: unexpected argument \"%s\""),
                   command, argv[2 + extra]);
      return FALSE;
    }
  *id = argv[1];
  return TRUE;
}

gboolean
hako_cli_preserve_fds (int n, GError **error)
{
  if (n < 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("--preserve-fds: %d is negative"), n);
      return FALSE;
    }
  for (int fd = 3; fd < 3 + n; fd++)
    if (fcntl (fd, F_GETFD) < 0)
      {
        g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                     _("--preserve-fds %d: file descriptor %d is not open"), n, fd);
        return FALSE;
      }
  return TRUE;
}

static void
print_version (void)
{
  const struct scmp_version *seccomp = seccomp_version ();

  printf (_("hako version %s\n"), PACKAGE_VERSION);
  printf (_("spec: %s\n"), HAKO_OCI_VERSION);
  printf ("+SECCOMP(libseccomp %u.%u.%u) +SLIRP(libslirp %s) +NLS\n", seccomp->major,
          seccomp->minor, seccomp->micro, slirp_version_string ());
}

static gboolean
check_choice (const char *option, const char *value, const char *const *choices, GError **error)
{
  g_autofree char *joined = NULL;

  if (value == NULL || g_strv_contains (choices, value))
    return TRUE;
  joined = g_strjoinv ("|", (char **) choices);
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("%s: invalid value \"%s\": use %s"),
               option, value, joined);
  return FALSE;
}

static gboolean
check_global_options (HakoGlobalOptions *global, GError **error)
{
  static const char *const rootless_choices[] = { "true", "false", "auto", NULL };
  static const char *const manager_choices[] = { "systemd", "cgroupfs", "disabled", NULL };

  return check_choice ("--rootless", global->rootless, rootless_choices, error)
         && check_choice ("--cgroup-manager", global->cgroup_manager, manager_choices, error);
}

static void
global_options_clear (HakoGlobalOptions *global)
{
  g_free (global->root);
  g_free (global->log);
  g_free (global->log_format);
  g_free (global->rootless);
  g_free (global->cgroup_manager);
  g_free (global->criu);
}

/* Runs `hako help [COMMAND]` as `hako [COMMAND] --help`. */
static int
run_help (GOptionContext *global_context, HakoGlobalOptions *global, int argc, char **argv)
{
  const HakoCommand *command;
  char *help_argv[] = { argv[1], (char *) "--help", NULL };
  char **help_argvp = help_argv;
  int help_argc = 2;
  g_autofree char *text = NULL;

  if (argc < 2)
    {
      text = g_option_context_get_help (global_context, TRUE, NULL);
      fputs (text, stdout);
      return EXIT_SUCCESS;
    }
  command = find_command (argv[1]);
  if (command == NULL)
    return EXIT_FAILURE;
  return command->run (global, help_argc, help_argvp, NULL) ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
main (int argc, char **argv)
{
  HakoGlobalOptions global = { 0 };
  gboolean show_version = FALSE;
  const GOptionEntry global_entries[] = {
    { "root", 0, 0, G_OPTION_ARG_FILENAME, &global.root,
      N_("Directory for the state of containers (default: $XDG_RUNTIME_DIR/hako, or /run/hako as root)"), N_("PATH") },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &global.log, N_("Also write messages to FILE"), N_("FILE") },
    { "log-format", 0, 0, G_OPTION_ARG_STRING, &global.log_format,
      N_("Format of the --log file: text or json"), "text|json" },
    { "debug", 0, 0, G_OPTION_ARG_NONE, &global.debug, N_("Print debug messages"), NULL },
    { "systemd-cgroup", 0, 0, G_OPTION_ARG_NONE, &global.systemd_cgroup,
      N_("Manage cgroups through systemd (same as --cgroup-manager systemd)"), NULL },
    { "cgroup-manager", 0, 0, G_OPTION_ARG_STRING, &global.cgroup_manager,
      N_("Cgroup manager: systemd, cgroupfs or disabled"), "systemd|cgroupfs|disabled" },
    { "rootless", 0, 0, G_OPTION_ARG_STRING, &global.rootless,
      N_("Rootless mode: true, false or auto (default)"), "true|false|auto" },
    { "criu", 0, 0, G_OPTION_ARG_FILENAME, &global.criu, N_("Path of the criu binary"), N_("PATH") },
    { "version", 'v', 0, G_OPTION_ARG_NONE, &show_version, N_("Print the version and exit"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  const HakoCommand *command;
  HakoLogFormat log_format = HAKO_LOG_FORMAT_TEXT;
  int status = EXIT_FAILURE;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("HAKO_LOCALEDIR") ? g_getenv ("HAKO_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("hako");

  context = g_option_context_new (_("COMMAND [OPTIONS] [ARGS]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("hako runs OCI containers without root."));
  description = command_list ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !check_global_options (&global, &error)
      || (global.log_format && !hako_log_format_from_string (global.log_format, &log_format, &error)))
    {
      hako_log_error ("%s", error->message);
      print_short_usage (NULL);
      goto out;
    }
  if (!hako_log_open (global.log, log_format, global.debug, &error))
    {
      hako_log_error ("%s", error->message);
      goto out;
    }
  if (show_version)
    {
      print_version ();
      status = EXIT_SUCCESS;
      goto out;
    }
  if (argc < 2)
    {
      hako_log_error (_("no command given"));
      print_short_usage (NULL);
      goto out;
    }
  if (g_str_equal (argv[1], "help") || g_str_equal (argv[1], "h"))
    {
      status = run_help (context, &global, argc - 1, argv + 1);
      goto out;
    }
  command = find_command (argv[1]);
  if (command == NULL)
    goto out;
  global.exit_status = EXIT_SUCCESS;
  if (command->run (&global, argc - 1, argv + 1, &error))
    status = global.exit_status;
  else
    {
      hako_log_error ("%s", error->message);
      if (g_error_matches (error, HAKO_ERROR, HAKO_ERROR_USAGE))
        print_short_usage (command->name);
    }

out:
  hako_log_close ();
  global_options_clear (&global);
  return status;
}
