#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "foreground.h"
#include "i18n.h"
#include "log.h"
#include "terminal.h"

static volatile sig_atomic_t forwarded_pid;
static volatile sig_atomic_t held_signal;
static volatile sig_atomic_t timed_out;
static const int forwarded_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

static void
forward_signal (int signal_number)
{
  if (forwarded_pid > 0)
    kill (forwarded_pid, signal_number);
  else if (held_signal == 0)
    held_signal = signal_number;
}

/* SKIP_WINCH: with a terminal, SIGWINCH is the relay's (it resizes the
 * pty, which signals the container's foreground process group itself). */
static void
install_forwarding (gboolean skip_winch)
{
  struct sigaction action = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };

  for (gsize i = 0; i < G_N_ELEMENTS (forwarded_signals); i++)
    if (!(skip_winch && forwarded_signals[i] == SIGWINCH))
      sigaction (forwarded_signals[i], &action, NULL);
}

void
hako_foreground_hold_signals (void)
{
  held_signal = 0;
  install_forwarding (TRUE);
}

static void
forward_signals (pid_t pid, gboolean terminal)
{
  install_forwarding (terminal);
  forwarded_pid = pid;
  if (held_signal != 0)
    kill (pid, held_signal);
  held_signal = 0;
}

/* The time is up: the process goes, as timeout(1) -s KILL would do it. */
static void
time_out (int signal_number)
{
  (void) signal_number;
  timed_out = 1;
  if (forwarded_pid > 0)
    kill (forwarded_pid, SIGKILL);
}

static void
arm_timeout (guint seconds)
{
  struct sigaction action = { .sa_handler = time_out, .sa_flags = SA_RESTART };

  timed_out = 0;
  if (seconds == 0)
    return;
  sigaction (SIGALRM, &action, NULL);
  alarm (seconds);
}

static int
wait_exit_status (pid_t pid, GError **error)
{
  int status;
  pid_t reaped;

  do
    {
      reaped = waitpid (-1, &status, 0);
      if (reaped < 0 && errno != EINTR)
        {
          hako_error_set_errno (error, errno, _("cannot wait for the container process"));
          return -1;
        }
    }
  while (reaped != pid);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

int
hako_foreground_wait (pid_t pid, int master_fd, guint timeout, GError **error)
{
  g_autoptr (GError) relay_error = NULL;
  int exit_status;

  forward_signals (pid, master_fd >= 0);
  arm_timeout (timeout);
  if (master_fd >= 0 && !hako_terminal_relay (master_fd, pid, &relay_error))
    hako_log_warning ("%s", relay_error->message);
  exit_status = wait_exit_status (pid, error);
  alarm (0);
  forwarded_pid = 0;
  return timed_out && exit_status >= 0 ? HAKO_FOREGROUND_TIMED_OUT : exit_status;
}
