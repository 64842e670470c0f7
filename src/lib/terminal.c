#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "terminal.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO ('T', 0x41)
#endif

/* The ptmx device: /dev/ptmx and every devpts instance's ptmx node. */
#define PTMX_MAJOR 5
#define PTMX_MINOR 2
#define DEFAULT_VEOF '\004'

/* ---- in the container process: async-signal-safe only ---- */

/* Closes MASTER and PEER (when >= 0), keeping errno, and fills *err. */
static int
terminal_fail (HakoChildError *err, HakoTerminalStep step, int master, int peer)
{
  int saved_errno = errno;

  if (master >= 0)
    close (master);
  if (peer >= 0)
    close (peer);
  return hako_child_fail (err, HAKO_CHILD_STAGE_TERMINAL, step, saved_errno);
}

/* FD itself, or a close-on-exec copy of it at 3 or above when it is one of
 * 0-2 (stdio was closed), so that the dup2 onto 0-2 cannot clobber it. */
static int
fd_above_stdio (int fd)
{
  int moved, saved_errno;

  if (fd < 0 || fd > STDERR_FILENO)
    return fd;
  moved = fcntl (fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  saved_errno = errno;
  close (fd);
  errno = saved_errno;
  return moved;
}

static gboolean
is_ptmx (int fd)
{
  struct stat st;

  return fstat (fd, &st) == 0 && S_ISCHR (st.st_mode) && major (st.st_rdev) == PTMX_MAJOR
         && minor (st.st_rdev) == PTMX_MINOR;
}

/* The container's ptmx: /dev/ptmx, or /dev/pts/ptmx when that is missing
 * or is not a ptmx device. -1 with errno of the last attempt. */
static int
open_ptmx (void)
{
  static const char *const paths[] = { "/dev/ptmx", "/dev/pts/ptmx" };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      int fd = fd_above_stdio (open (paths[i], O_RDWR | O_NOCTTY | O_CLOEXEC));

      if (fd >= 0 && is_ptmx (fd))
        return fd;
      if (fd >= 0)
        {
          close (fd);
          errno = ENOTTY;
        }
    }
  return -1;
}

/* "/dev/pts/N" into BUFFER (at least 32 bytes); its length. */
static size_t
format_pts_name (char *buffer, unsigned int number)
{
  static const char prefix[] = "/dev/pts/";
  char digits[16];
  size_t n_digits = 0, length = sizeof prefix - 1;

  memcpy (buffer, prefix, length);
  do
    digits[n_digits++] = '0' + number % 10;
  while ((number /= 10) > 0);
  while (n_digits > 0)
    buffer[length++] = digits[--n_digits];
  buffer[length] = '\0';
  return length;
}

/* PEER as the controlling terminal of a new session and as fds 0, 1, 2. */
static int
attach_peer (int peer, HakoChildError *err)
{
  if (setsid () < 0)
    return terminal_fail (err, HAKO_TERMINAL_STEP_SETSID, -1, peer);
  if (ioctl (peer, TIOCSCTTY, 0) < 0)
    return terminal_fail (err, HAKO_TERMINAL_STEP_CTTY, -1, peer);
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (dup2 (peer, fd) < 0)
      return terminal_fail (err, HAKO_TERMINAL_STEP_STDIO, -1, peer);
  close (peer);
  return 0;
}

int
hako_terminal_setup_child (int console_socket_fd, const struct winsize *size, HakoChildError *err)
{
  char name[32];
  unsigned int number;
  int unlock = 0;
  int master, peer;

  master = open_ptmx ();
  if (master < 0)
    return terminal_fail (err, HAKO_TERMINAL_STEP_OPEN_PTMX, -1, -1);
  if (ioctl (master, TIOCSPTLCK, &unlock) < 0)
    return terminal_fail (err, HAKO_TERMINAL_STEP_UNLOCK, master, -1);
  if (ioctl (master, TIOCGPTN, &number) < 0)
    return terminal_fail (err, HAKO_TERMINAL_STEP_PTY_NUMBER, master, -1);
  /* The peer straight from the master: no path lookup in the container. */
  peer = fd_above_stdio (ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (peer < 0)
    return terminal_fail (err, HAKO_TERMINAL_STEP_PEER, master, -1);
  if (size && ioctl (peer, TIOCSWINSZ, size) < 0)
    return terminal_fail (err, HAKO_TERMINAL_STEP_WINSIZE, master, peer);
  if (hako_fd_send (console_socket_fd, master, name, format_pts_name (name, number)) < 0)
    return terminal_fail (err, HAKO_TERMINAL_STEP_SEND, master, peer);
  close (master);
  close (console_socket_fd);
  return attach_peer (peer, err);
}

/* ---- in the runtime ---- */

char *
hako_terminal_describe_error (const HakoChildError *err)
{
  const char *strerror_text = g_strerror (err->saved_errno);

  switch ((HakoTerminalStep) err->step)
    {
    case HAKO_TERMINAL_STEP_OPEN_PTMX:
      return g_strdup_printf (_("cannot open a new pseudo-terminal in the container (/dev/ptmx, /dev/pts/ptmx): %s: is a devpts file system mounted on /dev/pts?"),
                              strerror_text);
    case HAKO_TERMINAL_STEP_UNLOCK:
      return g_strdup_printf (_("cannot unlock the container's pseudo-terminal: %s"), strerror_text);
    case HAKO_TERMINAL_STEP_PTY_NUMBER:
      return g_strdup_printf (_("cannot get the number of the container's pseudo-terminal: %s"),
                              strerror_text);
    case HAKO_TERMINAL_STEP_PEER:
      return g_strdup_printf (_("cannot open the container's pseudo-terminal slave: %s (TIOCGPTPEER needs Linux 4.13 or later)"),
                              strerror_text);
    case HAKO_TERMINAL_STEP_WINSIZE:
      return g_strdup_printf (_("cannot set the window size of the container's terminal: %s"),
                              strerror_text);
    case HAKO_TERMINAL_STEP_SEND:
      return g_strdup_printf (_("cannot send the container's terminal over the console socket: %s"),
                              strerror_text);
    case HAKO_TERMINAL_STEP_SETSID:
      return g_strdup_printf (_("cannot start a new session for the container's terminal: %s"),
                              strerror_text);
    case HAKO_TERMINAL_STEP_CTTY:
      return g_strdup_printf (_("cannot make the pseudo-terminal the container's controlling terminal: %s"),
                              strerror_text);
    case HAKO_TERMINAL_STEP_STDIO:
      return g_strdup_printf (_("cannot make the pseudo-terminal the container's standard input and output: %s"),
                              strerror_text);
    default:
      return g_strdup_printf (_("cannot set up the container's terminal: %s"), strerror_text);
    }
}

int
hako_terminal_connect_console_socket (const char *path, GError **error)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd, saved_errno;

  if (strlen (path) >= sizeof address.sun_path)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("console socket %s: the path is too long for a unix socket (at most %zu bytes)"),
                   path, sizeof address.sun_path - 1);
      return -1;
    }
  memcpy (address.sun_path, path, strlen (path) + 1);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    {
      hako_error_set_errno (error, errno, _("cannot connect to the console socket %s"), path);
      return -1;
    }
  if (connect (fd, (struct sockaddr *) &address, sizeof address) == 0)
    return fd;
  saved_errno = errno;
  close (fd);
  g_set_error (error, HAKO_ERROR, saved_errno == ENOENT ? HAKO_ERROR_NOT_FOUND : HAKO_ERROR_FAILED,
               _("cannot connect to the console socket %s: %s"), path, g_strerror (saved_errno));
  return -1;
}

gboolean
hako_terminal_socketpair (int fds[2], GError **error)
{
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
    return hako_error_set_errno (error, errno, _("cannot create a console socket pair"));
  return TRUE;
}

gboolean
hako_terminal_receive_master (int socket_fd, int *master_fd, GError **error)
{
  union
  {
    struct cmsghdr align;
    char buffer[CMSG_SPACE (4 * sizeof (int))];
  } control;
  char payload[64];
  struct iovec iov = { .iov_base = payload, .iov_len = sizeof payload };
  struct msghdr msg = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.buffer,
    .msg_controllen = sizeof control.buffer,
  };
  ssize_t n;
  int fd;

  do
    n = recvmsg (socket_fd, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return hako_error_set_errno (error, errno, _("cannot receive the container's terminal"));
  fd = hako_fd_take_first (&msg);
  if (fd < 0)
    {
      g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                           n == 0 ? _("the container closed the console socket without sending its terminal")
                                  : _("the container sent a message without a terminal over the console socket"));
      return FALSE;
    }
  *master_fd = fd;
  return TRUE;
}

/* ---- the foreground relay ---- */

typedef struct
{
  int master_fd;
  int master_flags; /* as found, restored at the end; -1 when not changed */
  int signal_fd;    /* SIGWINCH */
  int pid_fd;       /* the container process; -1 when not watched */
  gboolean container_gone;
  gboolean mask_saved;
  sigset_t saved_mask;
  gboolean stdin_is_tty; /* and then in raw mode, saved_termios to restore */
  struct termios saved_termios;
  gboolean stdin_open;
  gboolean mid_line; /* the last byte written to the master was not a newline */
  int eofs_pending;  /* VEOF characters still to write */
  char veof;
  char input[4096]; /* read from stdin, not yet written to the master */
  gsize input_start, input_length;
  gboolean done; /* the container's side hung up */
} Relay;

static void
relay_init (Relay *relay, int master_fd)
{
  memset (relay, 0, sizeof *relay);
  relay->master_fd = master_fd;
  relay->master_flags = -1;
  relay->signal_fd = -1;
  relay->pid_fd = -1;
  relay->stdin_open = TRUE;
}

/* Raw mode on stdin when it is a terminal. */
static gboolean
relay_make_stdin_raw (Relay *relay, GError **error)
{
  struct termios raw;

  if (tcgetattr (STDIN_FILENO, &relay->saved_termios) < 0)
    return TRUE; /* not a terminal */
  raw = relay->saved_termios;
  cfmakeraw (&raw);
  if (tcsetattr (STDIN_FILENO, TCSANOW, &raw) < 0)
    return hako_error_set_errno (error, errno, _("cannot put the terminal in raw mode"));
  relay->stdin_is_tty = TRUE;
  return TRUE;
}

/* SIGWINCH through a signalfd, blocked in this thread meanwhile. */
static gboolean
relay_own_sigwinch (Relay *relay, GError **error)
{
  sigset_t winch;
  int ret;

  sigemptyset (&winch);
  sigaddset (&winch, SIGWINCH);
  ret = pthread_sigmask (SIG_BLOCK, &winch, &relay->saved_mask);
  if (ret != 0)
    return hako_error_set_errno (error, ret, "pthread_sigmask");
  relay->mask_saved = TRUE;
  relay->signal_fd = signalfd (-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK);
  if (relay->signal_fd < 0)
    return hako_error_set_errno (error, errno, "signalfd");
  return TRUE;
}

/* Watches the container process through a pidfd where the kernel has them
 * (Linux 5.3); without one, the relay ends only when the terminal hangs up. */
static void
relay_watch_container (Relay *relay, pid_t container_pid)
{
  if (container_pid <= 0)
    return;
  relay->pid_fd = syscall (SYS_pidfd_open, container_pid, 0);
  if (relay->pid_fd < 0 && errno == ESRCH)
    relay->container_gone = TRUE;
}

/* Non-blocking master, so that writing input never stalls reading output. */
static gboolean
relay_set_master_nonblocking (Relay *relay, GError **error)
{
  int flags = fcntl (relay->master_fd, F_GETFL);

  if (flags < 0 || fcntl (relay->master_fd, F_SETFL, flags | O_NONBLOCK) < 0)
    return hako_error_set_errno (error, errno, _("cannot use the container's terminal"));
  relay->master_flags = flags;
  return TRUE;
}

/* The size of the terminal hako runs on (stdin's, else stdout's), if any. */
static void
relay_copy_window_size (const Relay *relay)
{
  struct winsize size;

  if (ioctl (STDIN_FILENO, TIOCGWINSZ, &size) == 0 || ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0)
    (void) ioctl (relay->master_fd, TIOCSWINSZ, &size);
}

static gboolean
relay_begin (Relay *relay, pid_t container_pid, GError **error)
{
  if (!relay_make_stdin_raw (relay, error) || !relay_own_sigwinch (relay, error)
      || !relay_set_master_nonblocking (relay, error))
    return FALSE;
  relay_watch_container (relay, container_pid);
  relay_copy_window_size (relay);
  return TRUE;
}

static void
relay_end (Relay *relay)
{
  if (relay->stdin_is_tty)
    (void) tcsetattr (STDIN_FILENO, TCSANOW, &relay->saved_termios);
  if (relay->master_flags >= 0)
    (void) fcntl (relay->master_fd, F_SETFL, relay->master_flags);
  if (relay->signal_fd >= 0)
    close (relay->signal_fd);
  if (relay->mask_saved)
    pthread_sigmask (SIG_SETMASK, &relay->saved_mask, NULL);
  if (relay->pid_fd >= 0)
    close (relay->pid_fd);
}

static void
relay_take_sigwinch (Relay *relay)
{
  struct signalfd_siginfo info;

  while (read (relay->signal_fd, &info, sizeof info) == sizeof info)
    ;
  relay_copy_window_size (relay);
}

/* One read of the container's output, copied to stdout: the bytes copied,
 * 0 when there was nothing (or the terminal hung up: relay->done), -1. */
static gssize
relay_copy_output (Relay *relay, GError **error)
{
  char buffer[8192];
  ssize_t n = read (relay->master_fd, buffer, sizeof buffer);

  if (n > 0)
    {
      if (!hako_fd_write_all (STDOUT_FILENO, buffer, n, error))
        {
          g_prefix_error (error, _("cannot copy the container's terminal to standard output: "));
          return -1;
        }
      return n;
    }
  if (n == 0 || errno == EIO)
    relay->done = TRUE;
  else if (errno != EAGAIN && errno != EINTR)
    {
      hako_error_set_errno (error, errno, _("cannot read from the container's terminal"));
      return -1;
    }
  return 0;
}

/* What the terminal has buffered once the container process is gone. */
static gboolean
relay_drain_output (Relay *relay, GError **error)
{
  struct pollfd master = { .fd = relay->master_fd, .events = POLLIN };
  gssize n = 1;

  while (n > 0 && !relay->done && poll (&master, 1, 0) > 0)
    n = relay_copy_output (relay, error);
  return n >= 0;
}

/* The container's side is gone: whatever input is left has no reader. */
static void
relay_drop_input (Relay *relay)
{
  relay->stdin_open = FALSE;
  relay->input_length = 0;
  relay->eofs_pending = 0;
}

/* Writes up to LENGTH bytes to the master: how many, 0 when it would block
 * or the terminal is gone (input dropped), -1 on another error. */
static gssize
relay_write_master (Relay *relay, const char *data, gsize length, GError **error)
{
  ssize_t n = write (relay->master_fd, data, length);

  if (n >= 0)
    return n;
  if (errno == EIO)
    relay_drop_input (relay);
  else if (errno != EAGAIN && errno != EINTR)
    {
      hako_error_set_errno (error, errno, _("cannot write to the container's terminal"));
      return -1;
    }
  return 0;
}

/* Pending input, then pending VEOFs, as far as the master takes them. */
static gboolean
relay_flush_input (Relay *relay, GError **error)
{
  gssize n = 1;

  while (relay->input_length > 0 && n > 0)
    {
      n = relay_write_master (relay, relay->input + relay->input_start, relay->input_length, error);
      if (n > 0)
        {
          relay->mid_line = relay->input[relay->input_start + n - 1] != '\n';
          relay->input_start += n;
          relay->input_length -= n;
        }
    }
  while (relay->input_length == 0 && relay->eofs_pending > 0 && n > 0)
    {
      n = relay_write_master (relay, &relay->veof, 1, error);
      if (n > 0)
        relay->eofs_pending--;
    }
  return n >= 0;
}

/* The terminal's VEOF character (^D unless the container changed it). */
static char
relay_veof (const Relay *relay)
{
  struct termios attributes;

  if (tcgetattr (relay->master_fd, &attributes) == 0 && attributes.c_cc[VEOF] != _POSIX_VDISABLE)
    return attributes.c_cc[VEOF];
  return DEFAULT_VEOF;
}

/* End of stdin. A terminal's hangup ends the input; a file's or pipe's
 * end becomes the terminal's end of file, which in canonical mode needs a
 * second VEOF when the last line has no newline. */
static void
relay_end_input (Relay *relay)
{
  relay->stdin_open = FALSE;
  if (relay->stdin_is_tty)
    return;
  relay->veof = relay_veof (relay);
  relay->eofs_pending = relay->mid_line ? 2 : 1;
}

static gboolean
relay_read_input (Relay *relay, GError **error)
{
  ssize_t n = read (STDIN_FILENO, relay->input, sizeof relay->input);

  if (n > 0)
    {
      relay->input_start = 0;
      relay->input_length = n;
    }
  else if (n == 0 || (errno != EAGAIN && errno != EINTR))
    relay_end_input (relay); /* end of file, or a stdin that cannot be read */
  return relay_flush_input (relay, error);
}

enum
{
  POLL_SIGNAL,
  POLL_MASTER,
  POLL_STDIN,
  POLL_CONTAINER,
  N_POLL
};

static void
relay_poll_set (const Relay *relay, struct pollfd fds[N_POLL])
{
  gboolean output_pending = relay->input_length > 0 || relay->eofs_pending > 0;

  fds[POLL_SIGNAL] = (struct pollfd) { .fd = relay->signal_fd, .events = POLLIN };
  fds[POLL_MASTER] = (struct pollfd) { .fd = relay->master_fd,
                                       .events = POLLIN | (output_pending ? POLLOUT : 0) };
  /* Read more input only once the last has been passed on. */
  fds[POLL_STDIN] = (struct pollfd) { .fd = relay->stdin_open && !output_pending ? STDIN_FILENO : -1,
                                      .events = POLLIN };
  fds[POLL_CONTAINER] = (struct pollfd) { .fd = relay->pid_fd, .events = POLLIN };
}

static gboolean
relay_run (Relay *relay, GError **error)
{
  while (!relay->done && !relay->container_gone)
    {
      struct pollfd fds[N_POLL];

      relay_poll_set (relay, fds);
      if (poll (fds, N_POLL, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return hako_error_set_errno (error, errno, "poll");
        }
      /* The size first, so that input typed after a resize sees it. */
      if (fds[POLL_SIGNAL].revents)
        relay_take_sigwinch (relay);
      if ((fds[POLL_MASTER].revents & (POLLIN | POLLHUP | POLLERR))
          && relay_copy_output (relay, error) < 0)
        return FALSE;
      if (!relay->done && (fds[POLL_MASTER].revents & POLLOUT) && !relay_flush_input (relay, error))
        return FALSE;
      if (!relay->done && fds[POLL_STDIN].revents && !relay_read_input (relay, error))
        return FALSE;
      if (fds[POLL_CONTAINER].revents)
        relay->container_gone = TRUE;
    }
  return relay_drain_output (relay, error);
}

gboolean
hako_terminal_relay (int master_fd, pid_t container_pid, GError **error)
{
  Relay relay;
  gboolean ok;

  relay_init (&relay, master_fd);
  ok = relay_begin (&relay, container_pid, error) && relay_run (&relay, error);
  relay_end (&relay);
  return ok;
}
