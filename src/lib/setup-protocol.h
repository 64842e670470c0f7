/* The messages between the runtime and the container's setup processes.
 * Children write fixed-size Reports (pipe writes under PIPE_BUF are
 * atomic); the runtime sends state JSON as a length-prefixed message.
 * The child-side helpers are async-signal-safe. */
#pragma once

#include <errno.h>
#include <glib.h>
#include <unistd.h>

#include "child-error.h"
#include "hooks.h"

typedef enum
{
  HAKO_REPORT_USERNS_READY = 1, /* the first child has its user namespace: write the maps */
  HAKO_REPORT_PID,              /* the container process exists: its pid */
  HAKO_REPORT_BEFORE_PIVOT,     /* mounts done: run the runtime's create hooks, send the state */
  HAKO_REPORT_READY,            /* set up, waiting for start */
  HAKO_REPORT_ERROR,            /* a setup step failed: error */
  HAKO_REPORT_HOOK_FAILED,      /* hooks.<hook_kind>[hook_index] failed: hook */
  HAKO_REPORT_SECCOMP_LISTENER, /* the seccomp listener fd is on its socket: pass it on */
} HakoReportKind;

typedef struct
{
  gint32 kind;
  gint32 pid;
  HakoChildError error;
  gint32 hook_kind;
  guint32 hook_index;
  HakoHookResult hook;
} HakoReport;

/* The largest state JSON a setup process accepts. */
#define HAKO_STATE_MESSAGE_MAX (256 * 1024)

static inline void
hako_report_write (int fd, const HakoReport *report)
{
  while (write (fd, report, sizeof *report) < 0 && errno == EINTR)
    ;
}

/* A setup child's end: ERROR reported to the runtime on FD, then _exit (STATUS). */
static inline G_GNUC_NORETURN void
hako_report_failure_and_exit (int fd, const HakoChildError *error, int status)
{
  HakoReport r = { .kind = HAKO_REPORT_ERROR, .error = *error };

  hako_report_write (fd, &r);
  _exit (status);
}

static inline int
hako_read_exactly (int fd, void *buf, size_t len)
{
  char *p = buf;

  while (len > 0)
    {
      ssize_t n = read (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      p += n;
      len -= n;
    }
  return 0;
}

/* Reads a length-prefixed message into BUF (of HAKO_STATE_MESSAGE_MAX bytes). */
static inline int
hako_message_read (int fd, char *buf, guint32 *len)
{
  if (hako_read_exactly (fd, len, sizeof *len) < 0 || *len >= HAKO_STATE_MESSAGE_MAX
      || hako_read_exactly (fd, buf, *len) < 0)
    return -1;
  buf[*len] = '\0';
  return 0;
}

/* The runtime's side. */
gboolean hako_message_write (int fd, const char *message, GError **error);
/* A report, or FALSE with an error when the peer closed or failed; *CLOSED
 * (may be NULL) tells a clean end of the stream from an error. */
gboolean hako_report_read (int fd, HakoReport *report, gboolean *closed, GError **error);
