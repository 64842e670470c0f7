/* The command table and what every command receives from the global options. */
#pragma once

#include <glib.h>

#include "checkpoint.h"
#include "container.h"

typedef struct
{
  char *root;           /* --root: the state directory */
  char *log;            /* --log FILE */
  char *log_format;     /* --log-format text|json */
  gboolean debug;       /* --debug */
  gboolean systemd_cgroup; /* --systemd-cgroup */
  char *rootless;       /* --rootless true|false|auto */
  char *cgroup_manager; /* --cgroup-manager systemd|cgroupfs|disabled */
  char *criu;           /* --criu PATH */
  int exit_status;      /* set by commands that exit with another status (run) */
} HakoGlobalOptions;

/* A command parses its own options from argv (argv[0] is its name) and
 * returns FALSE with an error; HAKO_ERROR_USAGE errors also print its usage. */
typedef gboolean (*HakoCommandFunc) (HakoGlobalOptions *global, int argc, char **argv,
                                     GError **error);

/* Parses a command's options; positional arguments remain in argv. On an
 * unknown option the error is HAKO_ERROR_USAGE. */
gboolean hako_cli_parse_options (const char *command, const char *parameters,
                                 const char *summary, const GOptionEntry *entries, int *argc,
                                 char ***argv, GError **error);

/* As hako_cli_parse_options, with a second set of entries (may be NULL). */
gboolean hako_cli_parse_options_with (const char *command, const char *parameters,
                                      const char *summary, const GOptionEntry *entries,
                                      const GOptionEntry *more_entries, int *argc, char ***argv,
                                      GError **error);

/* checkpoint's and restore's shared options (--image-path, --work-path,
 * --tcp-established, --ext-unix-sk, --shell-job, --file-locks), NULL-ended,
 * for hako_cli_parse_options_with. */
#define HAKO_CLI_CRIU_N_ENTRIES 7
void hako_cli_criu_entries (GOptionEntry entries[HAKO_CLI_CRIU_N_ENTRIES], HakoCriuOptions *criu,
                            char **image_path, char **work_path);

/* The options create and run share; the strings are owned here. */
typedef struct
{
  char *bundle;
  char *pid_file;
  char *console_socket;
  char *root;
  gboolean no_pivot;
  gboolean no_new_keyring;
  int preserve_fds;
  char *network;
  int mtu;
  gboolean allow_host_loopback;
  char **publish;
  char *dns;
  char **outbound_addr;
  char *outbound_if;
  gboolean overlay;
  char *image;
} HakoCliCreateArgs;

void hako_cli_create_args_clear (HakoCliCreateArgs *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoCliCreateArgs, hako_cli_create_args_clear)

/* Parses create's options (plus EXTRA) and the container id into OPTIONS,
 * which borrows from ARGS. */
gboolean hako_cli_parse_create (const char *command, const char *summary, const GOptionEntry *extra,
                                HakoGlobalOptions *global, HakoCliCreateArgs *args, int *argc,
                                char ***argv, HakoCreateOptions *options, GError **error);

/* As hako_cli_parse_options, but options end at the first argument (the
 * container id): what follows it is a command line of its own (exec, ps),
 * after an optional "--". */
gboolean hako_cli_parse_options_before_id (const char *command, const char *parameters,
                                           const char *summary, const GOptionEntry *entries,
                                           int *argc, char ***argv, GError **error);

/* A usage error when positional arguments remain after the options. */
gboolean hako_cli_no_arguments (const char *command, int argc, char **argv, GError **error);

/* The state root: --root, or the default for the calling user. */
char *hako_cli_state_root (HakoGlobalOptions *global, GError **error);
/* The single container id argument of a command (argv[1]), with EXTRA more allowed. */
gboolean hako_cli_container_id (const char *command, int argc, char **argv, int extra,
                                const char **id, GError **error);

/* --preserve-fds N: a usage error unless 0 <= N and fds 3..3+N-1 are open. */
gboolean hako_cli_preserve_fds (int n, GError **error);

gboolean hako_cmd_create (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_start (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_run (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_state (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_exec (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_ps (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_pause (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_resume (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_checkpoint (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_restore (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_update (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_events (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_kill (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_delete (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_list (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_images (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_rmi (HakoGlobalOptions *global, int argc, char **argv, GError **error);

gboolean hako_cmd_spec (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_validate (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_port (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_net_helper (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_unpack_layer (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_check (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_sandbox (HakoGlobalOptions *global, int argc, char **argv, GError **error);
gboolean hako_cmd_features (HakoGlobalOptions *global, int argc, char **argv, GError **error);
