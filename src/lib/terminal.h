/* The container's new pseudo-terminal (process.terminal: true), as
 * shared/runc-cli/terminals.md describes it.
 *
 * In the container process (after pivot_root, before the identity switch),
 * hako_terminal_setup_child opens the container's own ptmx, makes its peer
 * the process's controlling terminal and stdio, and sends the master over a
 * console socket with SCM_RIGHTS. In the runtime, the socket is either the
 * one --console-socket names (hako_terminal_connect_console_socket) or, for
 * a foreground `run`, one end of hako_terminal_socketpair; the runtime then
 * takes the master with hako_terminal_receive_master and relays its stdio
 * through it with hako_terminal_relay until the container is done. */
#pragma once

#include <glib.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include "child-error.h"

/* HakoChildError.step for stage HAKO_CHILD_STAGE_TERMINAL. */
typedef enum
{
  HAKO_TERMINAL_STEP_NONE,
  HAKO_TERMINAL_STEP_OPEN_PTMX,  /* /dev/ptmx, then /dev/pts/ptmx; errno of the last try */
  HAKO_TERMINAL_STEP_UNLOCK,     /* TIOCSPTLCK */
  HAKO_TERMINAL_STEP_PTY_NUMBER, /* TIOCGPTN */
  HAKO_TERMINAL_STEP_PEER,       /* TIOCGPTPEER (Linux 4.13) */
  HAKO_TERMINAL_STEP_WINSIZE,    /* TIOCSWINSZ */
  HAKO_TERMINAL_STEP_SEND,       /* sendmsg of the master over the console socket */
  HAKO_TERMINAL_STEP_SETSID,
  HAKO_TERMINAL_STEP_CTTY, /* TIOCSCTTY */
  HAKO_TERMINAL_STEP_STDIO, /* dup2 onto 0, 1, 2 */
} HakoTerminalStep;

/* ---- in the container process: async-signal-safe, 0 or -1 with *err ---- */

/* Opens a new pseudo-terminal on the container's /dev/ptmx (falling back to
 * /dev/pts/ptmx when that is missing or not a ptmx), sets its window size
 * when SIZE is not NULL, sends the master over CONSOLE_SOCKET_FD (with the
 * slave's name, "/dev/pts/N", as the payload, as runc does), then makes the
 * slave the controlling terminal of a new session and the process's stdin,
 * stdout and stderr. CONSOLE_SOCKET_FD and the master are closed on
 * success; no other copy of the terminal is left beyond fds 0-2. The
 * caller must not be a process group leader (setsid). */
int hako_terminal_setup_child (int console_socket_fd, const struct winsize *size, HakoChildError *err);

/* ---- in the runtime ---- */

/* The user-facing message for a HAKO_CHILD_STAGE_TERMINAL failure. */
char *hako_terminal_describe_error (const HakoChildError *err);

/* Connects to the unix socket at PATH (--console-socket): a close-on-exec
 * fd for the container process to send its terminal to, or -1. */
int hako_terminal_connect_console_socket (const char *path, GError **error);

/* A connected pair of close-on-exec unix stream sockets: `run` keeps fds[0]
 * for hako_terminal_receive_master and gives fds[1] to the container. */
gboolean hako_terminal_socketpair (int fds[2], GError **error);

/* Receives one terminal master sent by hako_terminal_setup_child (or any
 * SCM_RIGHTS sender) on SOCKET_FD, as a close-on-exec fd in *MASTER_FD.
 * Blocks until it arrives; fails if the sender closes without sending. */
gboolean hako_terminal_receive_master (int socket_fd, int *master_fd, GError **error);

/* The foreground relay for `run` with a terminal: copies stdin to MASTER_FD
 * and MASTER_FD to stdout until the container's side of the terminal hangs
 * up, or CONTAINER_PID (when > 0) exits, after which whatever output is
 * still buffered is copied too. Returns TRUE then; the caller reaps.
 *
 * When stdin is a terminal it is put in raw mode for the duration (restored
 * on every return) and its window size is copied to MASTER_FD at the start
 * and on every SIGWINCH. The relay owns SIGWINCH while it runs: it blocks
 * it in the calling thread and reads it from a signalfd, so a handler the
 * caller installed for it does not run (and must not forward SIGWINCH to
 * the container: resizing the master already signals the terminal's
 * foreground process group). Other threads must block SIGWINCH too, or one
 * of them may take the signal. When stdin is not a terminal, its end is
 * passed on as the terminal's VEOF character (^D), as `docker run -t`
 * does: once, or twice when the input ended in the middle of a line (the
 * first VEOF then only pushes that line to the reader). MASTER_FD stays
 * open; its file status flags are restored. */
gboolean hako_terminal_relay (int master_fd, pid_t container_pid, GError **error);
