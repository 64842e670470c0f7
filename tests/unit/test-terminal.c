/* The container's terminal: a real pseudo-terminal set up by
 * hako_terminal_setup_child in a forked child on the host's /dev/ptmx (no
 * container needed), its master received over a socketpair or a console
 * socket path, the foreground relay with a pipe and with a terminal as
 * stdin, and the errors a user sees. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "error.h"
#include "terminal.h"

#define TIMEOUT_MS 10000

static char *const child_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "PS1=", "HOME=/", "LC_ALL=C", NULL };

/* Forks a process that sets up its terminal on SOCKET_FD (closed in the
 * parent) and runs SCRIPT with sh, or an interactive sh when SCRIPT is NULL. */
static pid_t
spawn_in_terminal (int socket_fd, const struct winsize *size, const char *script)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      HakoChildError err = { 0 };

      prctl (PR_SET_PDEATHSIG, SIGKILL); /* a failed test leaves nothing behind */
      if (hako_terminal_setup_child (socket_fd, size, &err) < 0)
        {
          g_autofree char *message = hako_terminal_describe_error (&err);
          g_printerr ("setup_child: %s\n", message);
          _exit (1);
        }
      if (script)
        execle ("/bin/sh", "sh", "-c", script, (char *) NULL, child_env);
      else
        execle ("/bin/sh", "sh", (char *) NULL, child_env);
      _exit (127);
    }
  close (socket_fd);
  return pid;
}

static void
assert_exit_status (pid_t pid, int expected)
{
  int status;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, expected);
}

/* Reads FD into OUT until NEEDLE appears in it (TRUE), or until the end of
 * file or a terminal's hangup (FALSE); fails the test after TIMEOUT_MS. */
static gboolean
read_until (int fd, GString *out, const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * 1000;

  while (needle == NULL || strstr (out->str, needle) == NULL)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      int remaining = (deadline - g_get_monotonic_time ()) / 1000;
      char buffer[1024];
      ssize_t n;

      if (remaining <= 0 || poll (&p, 1, remaining) == 0)
        g_error ("timed out waiting for \"%s\"; read so far: \"%s\"", needle ? needle : "EOF", out->str);
      n = read (fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0 || (n < 0 && errno == EIO))
        return FALSE;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (out, buffer, n);
    }
  return TRUE;
}

static char *
read_to_end (int fd)
{
  GString *out = g_string_new (NULL);

  read_until (fd, out, NULL);
  return g_string_free (out, FALSE);
}

static int
receive_master (int socket_fd)
{
  g_autoptr (GError) error = NULL;
  int master = -1;

  g_assert_true (hako_terminal_receive_master (socket_fd, &master, &error));
  g_assert_no_error (error);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (fcntl (master, F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);
  return master;
}

/* Over a socketpair, as `run` does: the terminal's name, size and '\n' ->
 * "\r\n" translation, as the child's shell sees them. */
static void
test_setup_child_socketpair (void)
{
  g_autoptr (GError) error = NULL;
  struct winsize size = { .ws_row = 33, .ws_col = 101 };
  g_autofree char *output = NULL, *expected = NULL;
  unsigned int number;
  int fds[2], master;
  pid_t pid;

  g_assert_true (hako_terminal_socketpair (fds, &error));
  g_assert_no_error (error);
  pid = spawn_in_terminal (fds[1], &size, "tty; stty size; echo ok");
  master = receive_master (fds[0]);
  close (fds[0]);
  output = read_to_end (master);
  g_assert_cmpint (ioctl (master, TIOCGPTN, &number), ==, 0);
  expected = g_strdup_printf ("/dev/pts/%u\r\n33 101\r\nok\r\n", number);
  g_assert_cmpstr (output, ==, expected);
  close (master);
  assert_exit_status (pid, 0);
}

/* A unix socket listening at a fresh path in a temporary directory. */
static int
listen_at (const char *path)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (strlen (path), <, sizeof address.sun_path);
  strcpy (address.sun_path, path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (listen (fd, 1), ==, 0);
  return fd;
}

/* Over --console-socket PATH, without a size: the kernel's 0x0. */
static void
test_setup_child_console_socket (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hako-terminal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "console.sock", NULL);
  g_autofree char *output = NULL;
  int listener = listen_at (path), socket_fd, connection, master;
  pid_t pid;

  socket_fd = hako_terminal_connect_console_socket (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (socket_fd, >=, 0);
  pid = spawn_in_terminal (socket_fd, NULL, "stty size; echo ok");
  connection = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
  g_assert_cmpint (connection, >=, 0);
  master = receive_master (connection);
  output = read_to_end (master);
  g_assert_cmpstr (output, ==, "0 0\r\nok\r\n");
  close (master);
  close (connection);
  close (listener);
  assert_exit_status (pid, 0);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_connect_missing (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hako-terminal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "missing.sock", NULL);

  g_assert_cmpint (hako_terminal_connect_console_socket (path, &error), ==, -1);
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "console socket"));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
  g_rmdir (dir);
}

static void
test_connect_too_long (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strnfill (200, 'x');

  g_assert_cmpint (hako_terminal_connect_console_socket (path, &error), ==, -1);
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "too long"));
}

/* The setup child died, or sent something else. */
static void
test_receive_without_terminal (void)
{
  g_autoptr (GError) closed = NULL, no_fd = NULL;
  int fds[2], master = -1;

  g_assert_true (hako_terminal_socketpair (fds, NULL));
  close (fds[1]);
  g_assert_false (hako_terminal_receive_master (fds[0], &master, &closed));
  g_assert_error (closed, HAKO_ERROR, HAKO_ERROR_FAILED);
  g_assert_nonnull (strstr (closed->message, "without sending its terminal"));
  close (fds[0]);

  g_assert_true (hako_terminal_socketpair (fds, NULL));
  g_assert_cmpint (write (fds[1], "x", 1), ==, 1);
  g_assert_false (hako_terminal_receive_master (fds[0], &master, &no_fd));
  g_assert_error (no_fd, HAKO_ERROR, HAKO_ERROR_FAILED);
  g_assert_nonnull (strstr (no_fd->message, "without a terminal"));
  g_assert_cmpint (master, ==, -1);
  close (fds[0]);
  close (fds[1]);
}

/* A console socket that is not a socket: the child reports the send step. */
static void
test_setup_child_error (void)
{
  HakoChildError err = { 0 };
  g_autofree char *message = NULL;
  int not_socket[2], report[2];
  pid_t pid;

  g_assert_cmpint (pipe2 (not_socket, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (report, O_CLOEXEC), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int ret = hako_terminal_setup_child (not_socket[1], NULL, &err);
      _exit (ret == -1 && write (report[1], &err, sizeof err) == sizeof err ? 0 : 1);
    }
  close (report[1]);
  assert_exit_status (pid, 0);
  g_assert_cmpint (read (report[0], &err, sizeof err), ==, sizeof err);
  g_assert_cmpint (err.stage, ==, HAKO_CHILD_STAGE_TERMINAL);
  g_assert_cmpint (err.step, ==, HAKO_TERMINAL_STEP_SEND);
  g_assert_cmpint (err.saved_errno, ==, ENOTSOCK);
  message = hako_terminal_describe_error (&err);
  g_assert_nonnull (strstr (message, "console socket"));
  g_assert_nonnull (strstr (message, g_strerror (ENOTSOCK)));
  close (report[0]);
  close (not_socket[0]);
  close (not_socket[1]);
}

static void
test_describe_error (void)
{
  for (int step = HAKO_TERMINAL_STEP_NONE; step <= HAKO_TERMINAL_STEP_STDIO + 1; step++)
    {
      HakoChildError err = { HAKO_CHILD_STAGE_TERMINAL, step, EACCES };
      g_autofree char *message = hako_terminal_describe_error (&err);

      g_assert_nonnull (strstr (message, "terminal"));
      g_assert_nonnull (strstr (message, g_strerror (EACCES)));
    }
}

/* Forks the runtime side of `run`: a process with STDIN_FD as stdin and
 * STDOUT_FD as stdout that starts SCRIPT (an interactive sh when NULL) on
 * a new terminal and relays until it is done, then exits 0 (2 when the
 * relay failed). */
static pid_t
spawn_relay (int stdin_fd, int stdout_fd, const char *script)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr (GError) error = NULL;
      int fds[2], master, status;
      pid_t container;

      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (dup2 (stdin_fd, STDIN_FILENO) < 0 || dup2 (stdout_fd, STDOUT_FILENO) < 0
          || !hako_terminal_socketpair (fds, NULL))
        _exit (3);
      container = spawn_in_terminal (fds[1], NULL, script);
      if (!hako_terminal_receive_master (fds[0], &master, &error)
          || !hako_terminal_relay (master, container, &error))
        {
          g_printerr ("relay: %s\n", error->message);
          _exit (2);
        }
      close (master);
      waitpid (container, &status, 0);
      _exit (WIFEXITED (status) ? WEXITSTATUS (status) : 4);
    }
  return pid;
}

/* The relayed output of SCRIPT (NULL: an interactive sh) fed INPUT through
 * a pipe on stdin; the relay must exit 0. */
static char *
relay_pipe_output (const char *input, const char *script)
{
  int in[2], out[2];
  char *output;
  pid_t pid;

  g_assert_cmpint (pipe2 (in, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (out, O_CLOEXEC), ==, 0);
  g_assert_cmpint (write (in[1], input, strlen (input)), ==, strlen (input));
  close (in[1]);
  pid = spawn_relay (in[0], out[1], script);
  close (in[0]);
  close (out[1]);
  output = read_to_end (out[0]);
  close (out[0]);
  assert_exit_status (pid, 0);
  return output;
}

/* stdin a pipe: its input reaches the shell, its end becomes ^D. */
static void
test_relay_pipe (void)
{
  g_autofree char *output = relay_pipe_output ("echo hi\nexit\n", NULL);

  /* The terminal echoes the input; the command's own output follows a newline. */
  if (strstr (output, "\r\nhi\r\n") == NULL)
    g_error ("no \"hi\" line in \"%s\"", output);
}

/* A command that only ends on end of file: the pipe's end reaches it,
 * whether the input ends with a newline or in the middle of a line. */
static void
test_relay_pipe_eof (gconstpointer input)
{
  g_autofree char *output = relay_pipe_output (input, "cat >/dev/null; echo done");

  g_assert_true (g_str_has_suffix (output, "done\r\n"));
}

static tcflag_t
local_flags (int fd)
{
  struct termios attributes;

  g_assert_cmpint (tcgetattr (fd, &attributes), ==, 0);
  return attributes.c_lflag;
}

static void
set_size (int fd, unsigned short rows, unsigned short columns)
{
  struct winsize size = { .ws_row = rows, .ws_col = columns };

  g_assert_cmpint (ioctl (fd, TIOCSWINSZ, &size), ==, 0);
}

/* Waits until the terminal on FD has left canonical mode. */
static void
wait_raw (int fd)
{
  for (int i = 0; local_flags (fd) & ICANON; i++)
    {
      g_assert_cmpint (i, <, TIMEOUT_MS / 10);
      g_usleep (10000);
    }
}

/* stdin a terminal: raw mode while relaying, restored after; its size
 * copied at the start and on SIGWINCH. */
static void
test_relay_tty (void)
{
  int outer = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC), outer_slave, out[2];
  g_autoptr (GString) output = g_string_new (NULL);
  pid_t pid;

  g_assert_cmpint (outer, >=, 0);
  g_assert_cmpint (grantpt (outer), ==, 0);
  g_assert_cmpint (unlockpt (outer), ==, 0);
  outer_slave = open (ptsname (outer), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (outer_slave, >=, 0);
  g_assert_true (local_flags (outer) & ICANON);
  set_size (outer, 40, 120);
  g_assert_cmpint (pipe2 (out, O_CLOEXEC), ==, 0);

  pid = spawn_relay (outer_slave, out[1], "read a; stty size; read b; stty size");
  close (outer_slave);
  close (out[1]);
  wait_raw (outer);
  g_assert_cmpint (write (outer, "a\r", 2), ==, 2);
  g_assert_true (read_until (out[0], output, "40 120\r\n"));

  set_size (outer, 50, 130);
  g_assert_cmpint (kill (pid, SIGWINCH), ==, 0);
  g_assert_cmpint (write (outer, "b\r", 2), ==, 2);
  g_assert_true (read_until (out[0], output, "50 130\r\n"));
  g_assert_false (read_until (out[0], output, NULL));
  assert_exit_status (pid, 0);
  g_assert_true (local_flags (outer) & ICANON);
  close (out[0]);
  close (outer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/terminal/setup-child/socketpair", test_setup_child_socketpair);
  g_test_add_func ("/terminal/setup-child/console-socket", test_setup_child_console_socket);
  g_test_add_func ("/terminal/setup-child/error", test_setup_child_error);
  g_test_add_func ("/terminal/connect/missing", test_connect_missing);
  g_test_add_func ("/terminal/connect/too-long", test_connect_too_long);
  g_test_add_func ("/terminal/receive/without-terminal", test_receive_without_terminal);
  g_test_add_func ("/terminal/describe-error", test_describe_error);
  g_test_add_func ("/terminal/relay/pipe", test_relay_pipe);
  g_test_add_data_func ("/terminal/relay/pipe-eof/newline", "line\n", test_relay_pipe_eof);
  g_test_add_data_func ("/terminal/relay/pipe-eof/mid-line", "no newline", test_relay_pipe_eof);
  g_test_add_func ("/terminal/relay/tty", test_relay_tty);
  return g_test_run ();
}
