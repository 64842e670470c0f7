#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "container-events.h"
#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "state.h"

static void
add_uint (JsonBuilder *b, const char *name, guint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) MIN (value, (guint64) G_MAXINT64));
}

static void
add_memory_counter (JsonBuilder *b, const char *name, const HakoMemoryCounter *c)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_uint (b, "limit", c->limit);
  add_uint (b, "usage", c->usage);
  add_uint (b, "max", c->max);
  add_uint (b, "failcnt", c->failcnt);
  json_builder_end_object (b);
}

static void
add_blkio (JsonBuilder *b, const char *name, const GArray *entries)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      const HakoBlkioEntry *e = &g_array_index (entries, HakoBlkioEntry, i);
      json_builder_begin_object (b);
      add_uint (b, "major", e->major);
      add_uint (b, "minor", e->minor);
      json_builder_set_member_name (b, "op");
      json_builder_add_string_value (b, e->op);
      add_uint (b, "value", e->value);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_cpu (JsonBuilder *b, const HakoCgroupStats *s)
{
  json_builder_set_member_name (b, "cpu");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  add_uint (b, "total", s->cpu_total);
  json_builder_set_member_name (b, "percpu");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->cpu_percpu->len; i++)
    json_builder_add_int_value (b, (gint64) g_array_index (s->cpu_percpu, guint64, i));
  json_builder_end_array (b);
  add_uint (b, "kernel", s->cpu_kernel);
  add_uint (b, "user", s->cpu_user);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "throttling");
  json_builder_begin_object (b);
  add_uint (b, "periods", s->throttling_periods);
  add_uint (b, "throttledPeriods", s->throttled_periods);
  add_uint (b, "throttledTime", s->throttled_time);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_memory (JsonBuilder *b, const HakoCgroupStats *s)
{
  g_autoptr (GList) keys = g_hash_table_get_keys (s->memory_raw);

  json_builder_set_member_name (b, "memory");
  json_builder_begin_object (b);
  add_memory_counter (b, "usage", &s->memory);
  add_memory_counter (b, "swap", &s->swap);
  add_memory_counter (b, "kernel", &s->kernel);
  json_builder_set_member_name (b, "raw");
  json_builder_begin_object (b);
  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *k = keys; k; k = k->next)
    add_uint (b, k->data, g_ascii_strtoull (g_hash_table_lookup (s->memory_raw, k->data), NULL, 10));
  json_builder_end_object (b);
  json_builder_end_object (b);
}

char *
hako_stats_event_json (const char *id, const HakoCgroupStats *s)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "stats");
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  add_cpu (b, s);
  add_memory (b, s);
  json_builder_set_member_name (b, "pids");
  json_builder_begin_object (b);
  add_uint (b, "current", s->pids_current);
  add_uint (b, "limit", s->pids_limit);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "blkio");
  json_builder_begin_object (b);
  add_blkio (b, "ioServiceBytesRecursive", s->io_service_bytes);
  add_blkio (b, "ioServicedRecursive", s->io_serviced);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

gboolean
hako_parse_interval (const char *text, guint *ms, GError **error)
{
  static const struct
  {
    const char *unit;
    guint ms;
  } units[] = { { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 } };
  char *end;
  guint64 value = g_ascii_strtoull (text, &end, 10);

  for (gsize i = 0; end != text && i < G_N_ELEMENTS (units); i++)
    if (g_str_equal (end, units[i].unit) && value > 0 && value <= G_MAXUINT / units[i].ms)
      {
        *ms = value * units[i].ms;
        return TRUE;
      }
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
               _("--interval \"%s\": give a duration above zero such as 5s, 500ms, 2m or 1h"), text);
  return FALSE;
}

/* The container's cgroup and stats, or NULL; *STOPPED when it stopped
 * (no error then). */
static HakoCgroupStats *
stats_of (const char *root, const char *id, HakoCgroup **cgroup_out, gboolean *stopped,
          GError **error)
{
  g_autoptr (HakoState) state = NULL;
  g_autoptr (HakoCgroup) cgroup = NULL;
  HakoCgroupStats *stats;

  *stopped = FALSE;
  if (!hako_container_id_check (id, error) || (state = hako_state_load (root, id, error)) == NULL)
    return NULL;
  if (hako_state_status (state) == HAKO_STATUS_STOPPED)
    {
      *stopped = TRUE;
      return NULL;
    }
  cgroup = hako_cgroup_from_state (state->cgroup_manager, (const char *const *) state->cgroup_paths,
                                   (const char *const *) state->cgroup_created);
  if (cgroup == NULL)
    {
      hako_cgroup_refuse_missing (id, "events", error);
      return NULL;
    }
  stats = hako_cgroup_stats (cgroup);
  if (cgroup_out && *cgroup_out == NULL)
    *cgroup_out = g_steal_pointer (&cgroup);
  return stats;
}

static void
print_line (const char *line)
{
  printf ("%s\n", line);
  fflush (stdout);
}

static void
print_oom (const char *id)
{
  g_autofree char *escaped = g_strescape (id, NULL);
  g_autofree char *line = g_strdup_printf ("{\"type\":\"oom\",\"id\":\"%s\"}", escaped);

  print_line (line);
}

/* Waits INTERVAL_MS, printing an "oom" event for each notice the v1
 * eventfd gives meanwhile (one a read, as runc's). */
static void
wait_interval (const char *id, int oom_fd, guint interval_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) interval_ms * 1000;
  gint64 now;

  if (oom_fd < 0)
    {
      g_usleep ((gulong) interval_ms * 1000);
      return;
    }
  while ((now = g_get_monotonic_time ()) < end)
    {
      struct pollfd p = { .fd = oom_fd, .events = POLLIN };
      guint64 count;

      if (poll (&p, 1, (int) ((end - now + 999) / 1000)) > 0
          && read (oom_fd, &count, sizeof count) == sizeof count)
        print_oom (id);
    }
}

gboolean
hako_container_events (const char *root, const char *id, gboolean once, guint interval_ms,
                       GError **error)
{
  g_autoptr (HakoCgroup) cgroup = NULL;
  hako_autofd int oom_fd = -1;
  guint64 oom_kills = 0;

  for (gboolean first = TRUE;; first = FALSE)
    {
      gboolean stopped;
      g_autoptr (HakoCgroupStats) stats = stats_of (root, id, &cgroup, &stopped, error);
      g_autofree char *event = NULL;

      if (stopped && first)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                       _("container \"%s\" is stopped: events needs a created, running or paused container"), id);
          return FALSE;
        }
      /* Watching ends with the container. */
      if (stopped)
        return TRUE;
      if (stats == NULL)
        return FALSE;
      /* Without v1's notice, an OOM shows as a count that went up. */
      if (!first && oom_fd < 0)
        for (guint64 i = oom_kills; i < stats->oom_kills; i++)
          print_oom (id);
      oom_kills = stats->oom_kills;
      event = hako_stats_event_json (id, stats);
      print_line (event);
      if (once)
        return TRUE;
      if (first)
        oom_fd = hako_cgroup_oom_eventfd (cgroup);
      wait_interval (id, oom_fd, interval_ms);
    }
}
