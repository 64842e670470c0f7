#include "config.h"

#include <string.h>
#include <unistd.h>

#include "listen-fds.h"

#define LISTEN_PID_PREFIX "LISTEN_PID="
/* Room for any pid (pid_max is at most 2^22, 7 digits). */
#define LISTEN_PID_PLACEHOLDER LISTEN_PID_PREFIX "??????????"

guint
hako_listen_fds_take (char ***env, gboolean pid_one)
{
  const char *listen_pid = g_getenv ("LISTEN_PID");
  const char *listen_fds = g_getenv ("LISTEN_FDS");
  g_autoptr (GStrvBuilder) builder = NULL;
  g_autofree char *count = NULL;
  guint64 pid, n;

  if (listen_pid == NULL || listen_fds == NULL
      || !g_ascii_string_to_unsigned (listen_pid, 10, 1, G_MAXINT, &pid, NULL) || (pid_t) pid != getpid ()
      || !g_ascii_string_to_unsigned (listen_fds, 10, 1, 1024, &n, NULL))
    return 0;
  builder = g_strv_builder_new ();
  for (char **e = *env; e && *e; e++)
    if (!g_str_has_prefix (*e, "LISTEN_FDS=") && !g_str_has_prefix (*e, LISTEN_PID_PREFIX))
      g_strv_builder_add (builder, *e);
  count = g_strdup_printf ("LISTEN_FDS=%u", (guint) n);
  g_strv_builder_add (builder, count);
  g_strv_builder_add (builder, pid_one ? LISTEN_PID_PREFIX "1" : LISTEN_PID_PLACEHOLDER);
  g_strfreev (*env);
  *env = g_strv_builder_end (builder);
  return n;
}

void
hako_listen_fds_set_pid (char **envp)
{
  for (char **e = envp; e && *e; e++)
    if (strcmp (*e, LISTEN_PID_PLACEHOLDER) == 0)
      {
        char digits[16];
        int n = 0;
        char *out = *e + sizeof LISTEN_PID_PREFIX - 1;

        for (unsigned long pid = (unsigned long) getpid (); pid > 0 || n == 0; pid /= 10)
          digits[n++] = (char) ('0' + pid % 10);
        while (n > 0)
          *out++ = digits[--n];
        *out = '\0';
        return;
      }
}
