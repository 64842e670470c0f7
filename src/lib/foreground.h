/* Waiting in the foreground for a process the runtime started in a
 * container (`run`, `exec`): signals forwarded to it, its terminal relayed,
 * its exit status returned. */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* Forwards SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 (and, without
 * a terminal, SIGWINCH) to PID, relays MASTER_FD (when >= 0) with
 * hako_terminal_relay, then reaps PID, which must be a child or, with
 * PR_SET_CHILD_SUBREAPER, a descendant (other descendants reaped on the way
 * are dropped). Returns its exit status, or 128+N when signal N ended it;
 * -1 with ERROR set. Forwarding stops on return. TIMEOUT (seconds, 0 for
 * none): PID is then killed, and the status is HAKO_FOREGROUND_TIMED_OUT. */
int hako_foreground_wait (pid_t pid, int master_fd, guint timeout, GError **error);

/* Until hako_foreground_wait has a process to forward them to, the
 * signals it forwards are held (the first one) rather than ending the
 * runtime half-way through making the container, leaving it behind. */
void hako_foreground_hold_signals (void);

/* The exit status after a timeout, as timeout(1) has it. */
#define HAKO_FOREGROUND_TIMED_OUT 124
