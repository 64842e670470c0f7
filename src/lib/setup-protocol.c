#include "config.h"

#include <string.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "setup-protocol.h"

gboolean
hako_message_write (int fd, const char *message, GError **error)
{
  guint32 len = strlen (message);

  if (len >= HAKO_STATE_MESSAGE_MAX)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("the container state is too large (%u bytes)"), len);
      return FALSE;
    }
  return hako_fd_write_all (fd, (const char *) &len, sizeof len, error)
         && hako_fd_write_all (fd, message, len, error);
}

gboolean
hako_report_read (int fd, HakoReport *report, gboolean *closed, GError **error)
{
  ssize_t n;

  do
    n = read (fd, report, sizeof *report);
  while (n < 0 && errno == EINTR);
  if (closed)
    *closed = n == 0;
  if (n == sizeof *report)
    return TRUE;
  if (n < 0)
    return hako_error_set_errno (error, errno, _("cannot read from the container's setup"));
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
               _("the container's setup process died before it was ready"));
  return FALSE;
}
