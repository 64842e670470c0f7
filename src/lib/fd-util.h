/* Small, careful file-descriptor helpers. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <stddef.h>

/* write(2) until everything is written, retrying on EINTR. */
gboolean hako_fd_write_all (int fd, const char *data, gsize length, GError **error);
/* Creates PATH exclusively (never replacing a file) with CONTENTS (LENGTH
 * bytes, or up to its NUL when negative). */
gboolean hako_file_create_new (const char *path, const char *contents, gssize length, int mode,
                               GError **error);
/* Replaces PATH with CONTENTS atomically (a temporary file renamed over it),
 * without fsync: state lives on the runtime dir's tmpfs, where readers need
 * never see a half-written file but nothing must survive a reboot. */
gboolean hako_file_replace (const char *path, const char *contents, gssize length, int mode,
                            GError **error);
/* Removes PATH and, when it is a directory, everything below it, never
 * following symlinks. Best effort: what cannot be removed stays. */
void hako_remove_tree (const char *path);

/* In a child before exec (async-signal-safe): every fd from FIRST on
 * closes on exec, so nothing of the runtime reaches the payload; without
 * close_range (an old kernel, or a seccomp profile refusing it) one by one
 * up to RLIMIT_NOFILE. */
void hako_fd_mark_cloexec_from (int first);

/* Sends FD over the unix socket SOCKET_FD with SCM_RIGHTS, PAYLOAD (at
 * least one byte) as the message: 0, or -1 with errno. Async-signal-safe. */
int hako_fd_send (int socket_fd, int fd, const char *payload, size_t length);
/* The first fd a received MSG carries; any others are closed. -1 when it has none. */
struct msghdr;
int hako_fd_take_first (struct msghdr *msg);

/* An int fd closed at the end of its scope (GLib's g_autofd is 2.76). */
static inline void
hako_close_fd_p (int *fd)
{
  if (*fd >= 0)
    g_close (*fd, NULL);
}
#define hako_autofd __attribute__ ((cleanup (hako_close_fd_p)))
