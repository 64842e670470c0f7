#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "systemd-bus.h"

#define SYSTEMD_NAME "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define MANAGER_INTERFACE SYSTEMD_NAME ".Manager"
#define SYSTEM_BUS_SOCKET "/run/dbus/system_bus_socket"
/* A scope starts or stops in milliseconds; a manager this slow is stuck. */
#define JOB_TIMEOUT_SECONDS 30
#define CALL_TIMEOUT_MS (JOB_TIMEOUT_SECONDS * 1000)

static gboolean
is_socket (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISSOCK (st.st_mode);
}

static char *
socket_address (const char *path)
{
  g_autofree char *escaped = g_dbus_address_escape_value (path);

  return g_strconcat ("unix:path=", escaped, NULL);
}

char *
hako_systemd_bus_address (char **why_not)
{
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  const char *env;
  g_autofree char *session = NULL;

  if (geteuid () == 0)
    {
      env = g_getenv ("DBUS_SYSTEM_BUS_ADDRESS");
      if (env && *env)
        return g_strdup (env);
      if (is_socket (SYSTEM_BUS_SOCKET))
        return socket_address (SYSTEM_BUS_SOCKET);
      *why_not = g_strdup_printf (_("the system bus %s does not exist: systemd must be PID 1 with dbus running (systemctl status dbus.socket)"),
                                  SYSTEM_BUS_SOCKET);
      return NULL;
    }
  env = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  if (env && *env)
    return g_strdup (env);
  session = runtime_dir && *runtime_dir ? g_build_filename (runtime_dir, "bus", NULL) : NULL;
  if (session && is_socket (session))
    return socket_address (session);
  *why_not = g_strdup_printf (_("no session bus reaches your systemd user manager: DBUS_SESSION_BUS_ADDRESS is not set and %s is no socket; log in through a real session (ssh, or machinectl shell %s@), or run \"loginctl enable-linger %s\" once, then check \"systemctl --user status\""),
                              session ? session : _("$XDG_RUNTIME_DIR/bus (XDG_RUNTIME_DIR is not set)"),
                              g_get_user_name (), g_get_user_name ());
  return NULL;
}

GDBusConnection *
hako_systemd_bus_open (GError **error)
{
  g_autofree char *why_not = NULL;
  g_autofree char *address = hako_systemd_bus_address (&why_not);
  GDBusConnection *bus;

  if (address == NULL)
    {
      g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED, why_not);
      return NULL;
    }
  bus = g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                    | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, error);
  if (bus == NULL)
    g_prefix_error (error, _("cannot connect to systemd's bus %s: "), address);
  return bus;
}

/* A failed call as HAKO_ERROR, without GDBus's prefix; systemd's
 * NoSuchUnit is HAKO_ERROR_NOT_FOUND. */
static GVariant *
call (GDBusConnection *bus, const char *method, GVariant *parameters, const GVariantType *reply_type,
      GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *remote = NULL;
  GVariant *reply = g_dbus_connection_call_sync (bus, SYSTEMD_NAME, SYSTEMD_PATH, MANAGER_INTERFACE,
                                                 method, parameters, reply_type,
                                                 G_DBUS_CALL_FLAGS_NO_AUTO_START, CALL_TIMEOUT_MS,
                                                 NULL, &local);
  if (reply)
    return reply;
  remote = g_dbus_error_get_remote_error (local);
  g_dbus_error_strip_remote_error (local);
  g_set_error_literal (error, HAKO_ERROR,
                       g_strcmp0 (remote, SYSTEMD_NAME ".NoSuchUnit") == 0 ? HAKO_ERROR_NOT_FOUND
                                                                           : HAKO_ERROR_FAILED,
                       local->message);
  return NULL;
}

gboolean
hako_systemd_call (GDBusConnection *bus, const char *method, GVariant *parameters, GError **error)
{
  g_autoptr (GVariant) reply = call (bus, method, parameters, NULL, error);

  return reply != NULL;
}

/* The jobs removed so far (path -> result): the signal for ours may come
 * before the reply that names it. */
typedef struct
{
  GHashTable *removed;
  gboolean timed_out;
  gboolean unsubscribed;
} JobWatch;

static void
on_job_removed (GDBusConnection *bus, const char *sender, const char *path,
                const char *interface, const char *signal, GVariant *parameters, gpointer data)
{
  JobWatch *watch = data;
  const char *job, *unit, *result;
  guint32 id;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(uoss)")))
    return;
  g_variant_get (parameters, "(u&o&s&s)", &id, &job, &unit, &result);
  g_hash_table_insert (watch->removed, g_strdup (job), g_strdup (result));
}

static void
on_unsubscribed (gpointer data)
{
  ((JobWatch *) data)->unsubscribed = TRUE;
}

static gboolean
on_timeout (gpointer data)
{
  ((JobWatch *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

char *
hako_systemd_run_job (GDBusConnection *bus, const char *method, GVariant *parameters,
                      gboolean *queued, GError **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GHashTable) removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JobWatch watch = { .removed = removed };
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GSource) timeout = NULL;
  const char *job = NULL, *result = NULL;
  guint subscription;

  /* Subscribed before the call, in a context of our own that nothing else
   * dispatches. */
  g_main_context_push_thread_default (context);
  subscription = g_dbus_connection_signal_subscribe (bus, SYSTEMD_NAME, MANAGER_INTERFACE,
                                                     "JobRemoved", SYSTEMD_PATH, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE, on_job_removed,
                                                     &watch, on_unsubscribed);
  reply = call (bus, method, parameters, G_VARIANT_TYPE ("(o)"), error);
  *queued = reply != NULL;
  if (reply)
    {
      g_variant_get (reply, "(&o)", &job);
      timeout = g_timeout_source_new_seconds (JOB_TIMEOUT_SECONDS);
      g_source_set_callback (timeout, on_timeout, &watch, NULL);
      g_source_attach (timeout, context);
      while ((result = g_hash_table_lookup (removed, job)) == NULL && !watch.timed_out)
        g_main_context_iteration (context, TRUE);
      g_source_destroy (timeout);
      if (result == NULL)
        g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                     _("systemd did not finish its job %s within %d seconds"), job,
                     JOB_TIMEOUT_SECONDS);
    }
  result = g_strdup (result);
  /* Until its destroy notify, the subscription may still call us. */
  g_dbus_connection_signal_unsubscribe (bus, subscription);
  while (!watch.unsubscribed)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  return (char *) result;
}
