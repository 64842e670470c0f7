/* hako port add|rm|ls ID [SPEC]: a running container's port forwards. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "error.h"
#include "i18n.h"
#include "net-control.h"

gboolean
hako_cmd_port (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  const GOptionEntry entries[] = { { NULL } };
  g_autofree char *root = NULL, *list = NULL;
  const char *verb;
  gboolean ls;

  if (!hako_cli_parse_options ("port", _("add|rm ID [HOSTIP:]HOSTPORT:CTRPORT[/tcp|/udp] | ls ID"),
                               _("Add, remove or list the port forwards of a container hako gives a network."),
                               entries, &argc, &argv, error))
    return FALSE;
  verb = argc > 1 ? argv[1] : "";
  ls = g_str_equal (verb, "ls");
  if (!ls && !g_str_equal (verb, "add") && !g_str_equal (verb, "rm"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("port: expected add, rm or ls, not \"%s\""), verb);
      return FALSE;
    }
  if (argc != (ls ? 3 : 4))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   ls ? _("port ls takes a container id") : _("port %s takes a container id and a forward"), verb);
      return FALSE;
    }
  if ((root = hako_cli_state_root (global, error)) == NULL
      || !hako_net_port (root, argv[2], verb, ls ? NULL : argv[3], &list, error))
    return FALSE;
  if (list)
    fputs (list, stdout);
  return TRUE;
}
