/* hako events: a container's statistics as JSON (runc-events(8)). */
#include "config.h"

#include "commands.h"
#include "container-events.h"
#include "i18n.h"

gboolean
hako_cmd_events (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  g_autofree char *root = NULL, *interval = NULL;
  gboolean stats = FALSE;
  guint interval_ms = 5000;
  const char *id;
  const GOptionEntry entries[] = {
    { "stats", 0, 0, G_OPTION_ARG_NONE, &stats, N_("Print the statistics once and exit"), NULL },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &interval, N_("Time between two statistics (default 5s)"), N_("DURATION") },
    { NULL },
  };

  if (!hako_cli_parse_options ("events", _("ID"), _("Print a container's statistics as JSON, once or every interval until it stops."),
                               entries, &argc, &argv, error)
      || !hako_cli_container_id ("events", argc, argv, 0, &id, error)
      || (interval && !hako_parse_interval (interval, &interval_ms, error))
      || (root = hako_cli_state_root (global, error)) == NULL)
    return FALSE;
  return hako_container_events (root, id, stats, interval_ms, error);
}
