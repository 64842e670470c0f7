#include "config.h"

#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container-init.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
static volatile sig_atomic_t payload_pid;

/* A signal from the terminal (SI_KERNEL) already reached the payload, in
 * the same foreground process group: only those sent to pid 1 go on. */
static void
forward (int signal_number, siginfo_t *info, void *context)
{
  (void) context;
  if (payload_pid > 0 && info->si_code != SI_KERNEL)
    kill (payload_pid, signal_number);
}

static G_GNUC_NORETURN void
reap_until_payload_exits (void)
{
  int status;
  pid_t pid;

  for (;;)
    {
      pid = waitpid (-1, &status, 0);
      if (pid < 0 && errno != EINTR)
        _exit (127);
      if (pid == payload_pid)
        _exit (WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
    }
}

void
hako_container_init_fork (void)
{
  struct sigaction action = { .sa_sigaction = forward, .sa_flags = SA_SIGINFO | SA_RESTART };
  sigset_t all, old;
  pid_t pid;

  /* The runtime is this process's parent by now (the setup's first child,
   * which forked it, is gone): its death, even by SIGKILL, kills pid 1. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &old);
  for (gsize i = 0; i < G_N_ELEMENTS (forwarded); i++)
    sigaction (forwarded[i], &action, NULL);
  pid = fork ();
  if (pid <= 0)
    {
      /* The payload (or, when fork failed, the process itself, which then
       * runs the payload as pid 1 rather than not at all). exec resets the
       * handlers; the mask it would keep. */
      sigprocmask (SIG_SETMASK, &old, NULL);
      return;
    }
  payload_pid = pid;
  syscall (SYS_close_range, 0, ~0U, 0);
  sigprocmask (SIG_SETMASK, &old, NULL);
  reap_until_payload_exits ();
}
