/* `hako events`: a container's cgroup statistics as runc-events(8) prints
 * them, one JSON object a line:
 * {"type":"stats","id":ID,"data":{"cpu":...,"memory":...,"pids":...,"blkio":...}} */
#pragma once

#include <glib.h>

#include "cgroup-stats.h"

/* The event for STATS of container ID, as one line of JSON (no newline). */
char *hako_stats_event_json (const char *id, const HakoCgroupStats *stats);

/* A Go-style duration ("5s", "500ms", "2m", "1h") in milliseconds. */
gboolean hako_parse_interval (const char *text, guint *ms, GError **error);

/* Prints the stats event of container ID once (ONCE), or every
 * INTERVAL_MS until the container stops, with an {"type":"oom","id":ID}
 * event for each OOM kill in between. A container without a cgroup is
 * refused with the reason. */
gboolean hako_container_events (const char *root, const char *id, gboolean once, guint interval_ms,
                                GError **error);
