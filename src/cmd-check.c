/* hako check: can this host run rootless containers, and if not, what to do. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "error.h"
#include "host-check.h"
#include "i18n.h"

gboolean
hako_cmd_check (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *format = NULL, *text = NULL;
  g_autoptr (GArray) items = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), "text|json" },
    { NULL },
  };

  if (!hako_cli_parse_options ("check", "", _("Check that this host can run rootless containers, and say how to fix what is missing."),
                               entries, &argc, &argv, error)
      || !hako_cli_no_arguments ("check", argc, argv, error))
    return FALSE;
  if (format && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("--format: invalid value \"%s\": use text or json"), format);
      return FALSE;
    }
  items = hako_host_check_run ();
  text = format && g_str_equal (format, "json") ? hako_host_check_format_json (items)
                                                : hako_host_check_format_text (items);
  fputs (text, stdout);
  if (format && g_str_equal (format, "json"))
    fputc ('\n', stdout);
  if (!hako_host_check_passed (items))
    global->exit_status = 1;
  return TRUE;
}
