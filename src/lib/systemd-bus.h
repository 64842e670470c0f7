/* The systemd manager over D-Bus: which bus reaches it, and its methods,
 * those that queue a job waited for until the job is done. The runtime
 * itself talks to it (GDBus's worker thread then exists: every later
 * fork must only exec, as they all do). */
#pragma once

#include <gio/gio.h>

/* The address of the manager's bus: root's is the system bus, anyone
 * else's their session bus (DBUS_SESSION_BUS_ADDRESS, else
 * $XDG_RUNTIME_DIR/bus). NULL when there is none, and *WHY_NOT says what
 * is missing and how to get it. */
char *hako_systemd_bus_address (char **why_not);
GDBusConnection *hako_systemd_bus_open (GError **error);

/* Calls METHOD of the manager with PARAMETERS (floating), which queues a
 * job, and waits for the job to go: its result ("done", "failed",
 * "canceled", ...), or NULL and an error when the call failed or the job
 * outlived the timeout. *QUEUED: whether systemd took the call (and so
 * made a job). Errors as hako_systemd_call's. */
char *hako_systemd_run_job (GDBusConnection *bus, const char *method, GVariant *parameters,
                            gboolean *queued, GError **error);
/* Calls METHOD of the manager with PARAMETERS (floating); the reply is
 * ignored. Errors are HAKO_ERROR: HAKO_ERROR_NOT_FOUND for a unit that
 * systemd does not know (NoSuchUnit). */
gboolean hako_systemd_call (GDBusConnection *bus, const char *method, GVariant *parameters,
                            GError **error);
