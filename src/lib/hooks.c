#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "hooks.h"
#include "i18n.h"

/* Waits for PID, at most TIMEOUT seconds when TIMEOUT > 0; kills it then. */
static gboolean
wait_hook (pid_t pid, gint64 timeout, int *status, gboolean *timed_out)
{
  gint64 deadline = timeout > 0 ? g_get_monotonic_time () + timeout * G_USEC_PER_SEC : 0;

  *timed_out = FALSE;
  for (;;)
    {
      pid_t reaped = waitpid (pid, status, deadline ? WNOHANG : 0);
      if (reaped == pid)
        return TRUE;
      if (reaped < 0 && errno != EINTR)
        return FALSE;
      if (deadline && g_get_monotonic_time () >= deadline)
        {
          *timed_out = TRUE;
          kill (pid, SIGKILL);
          deadline = 0;
        }
      else if (deadline)
        g_usleep (5000);
    }
}

/* execv semantics: path is what runs, args (default: just path) its argv. */
static char **
hook_spawn_argv (const HakoHook *hook)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, hook->path);
  if (hook->args && hook->args[0])
    for (char **arg = hook->args; *arg; arg++)
      g_ptr_array_add (argv, *arg);
  else
    g_ptr_array_add (argv, hook->path);
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

static gboolean
run_hook (const HakoHook *hook, const char *where, const char *state_json, GError **error)
{
  const char *empty_env[] = { NULL };
  g_autofree char **argv = hook_spawn_argv (hook);
  g_autoptr (GError) local_error = NULL;
  int stdin_fd = -1, status;
  gboolean timed_out;
  GPid pid;

  if (!g_spawn_async_with_pipes (NULL, argv, hook->env ? hook->env : (char **) empty_env,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_FILE_AND_ARGV_ZERO, NULL,
                                 NULL, &pid, &stdin_fd, NULL, NULL, &local_error))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("%s: cannot run %s: %s"), where,
                   hook->path, local_error->message);
      return FALSE;
    }
  /* A hook that does not read its stdin must not fail the write. */
  signal (SIGPIPE, SIG_IGN);
  hako_fd_write_all (stdin_fd, state_json, strlen (state_json), NULL);
  close (stdin_fd);
  if (!wait_hook (pid, hook->timeout.set ? hook->timeout.value : 0, &status, &timed_out))
    return hako_error_set_errno (error, errno, _("%s: cannot wait for %s"), where, hook->path);
  if (timed_out)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("%s: %s timed out after %d s"),
                   where, hook->path, (int) hook->timeout.value);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, &local_error))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("%s: %s failed: %s"), where, hook->path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hako_hooks_run (const HakoSpec *spec, HakoHookKind kind, const char *state_json, GError **error)
{
  for (guint i = 0; i < spec->n_hooks[kind]; i++)
    {
      g_autofree char *where = g_strdup_printf ("hooks.%s[%u]", hako_hook_kind_names[kind], i);
      if (!run_hook (&spec->hooks[kind][i], where, state_json, error))
        return FALSE;
    }
  return TRUE;
}
