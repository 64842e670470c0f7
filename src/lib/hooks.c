#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "hooks.h"
#include "i18n.h"
#include "log.h"

/* ---- async-signal-safe ---- */

static gint64
monotonic_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
write_all_nosignal (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = send (fd, data, len, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return; /* a hook need not read its stdin */
      data += n;
      len -= n;
    }
}

static G_GNUC_NORETURN void
exec_hook (const HakoHook *hook, int stdin_fd, int error_fd)
{
  char *default_argv[] = { hook->path, NULL };
  char *no_env[] = { NULL };
  int saved_errno;

  /* A hook must not outlive a runtime killed while it waits for it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (dup2 (stdin_fd, STDIN_FILENO) >= 0)
    execve (hook->path, hook->args && hook->args[0] ? hook->args : default_argv,
            hook->env ? hook->env : no_env);
  saved_errno = errno;
  (void) !write (error_fd, &saved_errno, sizeof saved_errno);
  _exit (127);
}

/* Waits for PID until DEADLINE_MS (0: forever), then kills it. */
static void
wait_with_deadline (pid_t pid, gint64 deadline_ms, HakoHookResult *result)
{
  const struct timespec tick = { 0, 5 * 1000 * 1000 };

  for (;;)
    {
      pid_t reaped = waitpid (pid, &result->wait_status, deadline_ms ? WNOHANG : 0);
      if (reaped == pid || (reaped < 0 && errno != EINTR))
        return;
      if (deadline_ms && monotonic_ms () >= deadline_ms)
        {
          result->timed_out = TRUE;
          kill (pid, SIGKILL);
          deadline_ms = 0;
        }
      else if (deadline_ms)
        nanosleep (&tick, NULL);
    }
}

int
hako_hook_exec (const HakoHook *hook, const char *state_json, gsize state_len,
                HakoHookResult *result)
{
  int io[2], error_pipe[2];
  pid_t pid;
  ssize_t n;

  memset (result, 0, sizeof *result);
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, io) < 0)
    return result->exec_errno = errno, -1;
  if (pipe2 (error_pipe, O_CLOEXEC) < 0)
    {
      result->exec_errno = errno;
      close (io[0]);
      close (io[1]);
      return -1;
    }
  pid = fork ();
  if (pid == 0)
    exec_hook (hook, io[1], error_pipe[1]);
  close (io[1]);
  close (error_pipe[1]);
  if (pid < 0)
    {
      result->exec_errno = errno;
      close (io[0]);
      close (error_pipe[0]);
      return -1;
    }
  write_all_nosignal (io[0], state_json, state_len);
  close (io[0]);
  n = read (error_pipe[0], &result->exec_errno, sizeof result->exec_errno);
  close (error_pipe[0]);
  if (n != sizeof result->exec_errno)
    result->exec_errno = 0; /* the exec went through and closed the pipe */
  wait_with_deadline (pid, hook->timeout.set ? monotonic_ms () + hook->timeout.value * 1000 : 0,
                      result);
  if (result->exec_errno || result->timed_out || !WIFEXITED (result->wait_status)
      || WEXITSTATUS (result->wait_status) != 0)
    return -1;
  return 0;
}

int
hako_hooks_exec (const HakoSpec *spec, HakoHookKind kind, const char *state_json,
                 gsize state_len, guint *failed_index, HakoHookResult *result)
{
  for (guint i = 0; i < spec->n_hooks[kind]; i++)
    if (hako_hook_exec (&spec->hooks[kind][i], state_json, state_len, result) < 0)
      {
        *failed_index = i;
        return -1;
      }
  return 0;
}

/* ---- the runtime ---- */

char *
hako_hook_describe_failure (const HakoSpec *spec, HakoHookKind kind, guint index,
                            const HakoHookResult *result)
{
  const HakoHook *hook = &spec->hooks[kind][index];
  g_autofree char *where = g_strdup_printf ("hooks.%s[%u]", hako_hook_kind_names[kind], index);

  if (result->exec_errno)
    return g_strdup_printf (_("%s: cannot run %s: %s"), where, hook->path,
                            g_strerror (result->exec_errno));
  if (result->timed_out)
    return g_strdup_printf (_("%s: %s timed out after %d s"), where, hook->path,
                            (int) hook->timeout.value);
  if (WIFSIGNALED (result->wait_status))
    return g_strdup_printf (_("%s: %s was killed by signal %d"), where, hook->path,
                            WTERMSIG (result->wait_status));
  return g_strdup_printf (_("%s: %s exited with status %d"), where, hook->path,
                          WEXITSTATUS (result->wait_status));
}

void
hako_hooks_run_warn (const HakoSpec *spec, HakoHookKind kind, const char *state_json)
{
  for (guint i = 0; i < spec->n_hooks[kind]; i++)
    {
      HakoHookResult result;
      if (hako_hook_exec (&spec->hooks[kind][i], state_json, strlen (state_json), &result) < 0)
        {
          g_autofree char *message = hako_hook_describe_failure (spec, kind, i, &result);
          hako_log_warning ("%s", message);
        }
    }
}

gboolean
hako_hooks_run (const HakoSpec *spec, HakoHookKind kind, const char *state_json,
                GError **error)
{
  HakoHookResult result;
  guint failed;
  g_autofree char *message = NULL;

  if (hako_hooks_exec (spec, kind, state_json, strlen (state_json), &failed, &result) == 0)
    return TRUE;
  message = hako_hook_describe_failure (spec, kind, failed, &result);
  g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED, message);
  return FALSE;
}
