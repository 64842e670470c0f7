#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "net-config.h"
#include "overlay.h"
#include "sandbox-config.h"
#include "seccomp-default.h"
#include "spec-default.h"
#include "userns.h"

#define SANDBOX_HOSTNAME "sandbox"
#define CPU_PERIOD 100000

/* Container root's capabilities with --root: Podman's default set, what
 * a build that chowns or installs into its own tree expects. */
static const char *const root_capabilities[] = {
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
  "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT", NULL,
};
/* As the template of `hako spec` has them: what a container must not see or change. */
static const char *const masked_paths[] = {
  "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
  "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
  "/sys/devices/virtual/powercap", NULL,
};
static const char *const readonly_paths[] = {
  "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

void
hako_sandbox_config_clear (HakoSandboxConfig *config)
{
  g_clear_pointer (&config->argv, g_strfreev);
  g_clear_pointer (&config->cwd, g_free);
  g_clear_pointer (&config->home, g_free);
  g_clear_pointer (&config->hostname, g_free);
  g_clear_pointer (&config->binds, g_strfreev);
  g_clear_pointer (&config->ro_binds, g_strfreev);
  g_clear_pointer (&config->tmpfs, g_strfreev);
  g_clear_pointer (&config->env, g_strfreev);
  g_clear_pointer (&config->seccomp, g_free);
  g_clear_pointer (&config->memory, g_free);
  g_clear_pointer (&config->cpus, g_free);
  g_clear_pointer (&config->hidden, g_strfreev);
}

gboolean
hako_sandbox_config_has_limits (const HakoSandboxConfig *config)
{
  return config->memory || config->cpus || config->pids > 0;
}

static JsonArray *
string_array (const char *const *strings)
{
  JsonArray *array = json_array_new ();

  for (gsize i = 0; strings && strings[i]; i++)
    json_array_add_string_element (array, strings[i]);
  return array;
}

static void
add_mount (JsonArray *mounts, const char *destination, const char *type, const char *source,
           const char *const *options)
{
  JsonObject *mount = json_object_new ();

  json_object_set_string_member (mount, "destination", destination);
  json_object_set_string_member (mount, "type", type);
  json_object_set_string_member (mount, "source", source);
  if (options)
    json_object_set_array_member (mount, "options", string_array (options));
  json_array_add_object_element (mounts, mount);
}

static void
add_bind (JsonArray *mounts, const char *source, const char *destination, gboolean readonly)
{
  const char *const rw[] = { "rbind", "nosuid", "nodev", NULL };
  const char *const ro[] = { "rbind", "nosuid", "nodev", "rro", NULL };

  add_mount (mounts, destination, "bind", source, readonly ? ro : rw);
}

static void
add_tmpfs (JsonArray *mounts, const char *destination, const char *mode)
{
  g_autofree char *mode_option = g_strdup_printf ("mode=%s", mode);
  const char *const options[] = { "nosuid", "nodev", mode_option, NULL };

  add_mount (mounts, destination, "tmpfs", "tmpfs", options);
}

static gboolean
path_is_below (const char *path, const char *dir)
{
  gsize n = strlen (dir);

  return g_str_equal (dir, "/") || (strncmp (path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0'));
}

/* The directories the sandbox mounts a fresh tmpfs on, where any mount
 * point can be made even when / is the host's own, read-only. */
static gboolean
under_fresh_tmpfs (const HakoSandboxConfig *config, const char *path)
{
  static const char *const fixed[] = { "/dev", "/tmp", "/run", NULL };

  for (gsize i = 0; fixed[i]; i++)
    if (path_is_below (path, fixed[i]))
      return TRUE;
  for (gsize i = 0; config->tmpfs && config->tmpfs[i]; i++)
    if (path_is_below (path, config->tmpfs[i]))
      return TRUE;
  return !config->share_home && config->home && path_is_below (path, config->home);
}

/* Whether the overlay lets the sandbox make PATH as a mount point: its
 * nearest existing ancestor is writable by the caller (a directory of the
 * host's root is not, even for the sandbox's root: that id is not mapped). */
static gboolean
can_create (const HakoSandboxConfig *config, const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (config->no_overlay)
    return FALSE;
  if (hako_userns_is_host_root ())
    return TRUE;
  while (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      char *parent = g_path_get_dirname (dir);
      g_free (dir);
      dir = parent;
    }
  return access (dir, W_OK) == 0;
}

/* Checks one --bind or --ro-bind SRC[:DST] and adds it. */
static gboolean
add_user_bind (const HakoSandboxConfig *config, JsonArray *mounts, const char *option,
               const char *value, gboolean readonly, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (value, ":", 2);
  g_autofree char *source = g_canonicalize_filename (parts[0], config->cwd);
  const char *destination = parts[1] ? parts[1] : source;

  if (*parts[0] == '\0' || (parts[1] && !g_path_is_absolute (parts[1])))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("%s %s: expected SRC[:DST], DST an absolute path, e.g. %s ./out:/out"), option,
                   value, option);
      return FALSE;
    }
  if (!g_file_test (source, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                   _("%s %s: the source %s does not exist: create it, or give an existing path"),
                   option, value, source);
      return FALSE;
    }
  if (!g_file_test (destination, G_FILE_TEST_EXISTS) && !under_fresh_tmpfs (config, destination)
      && !can_create (config, destination))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                   config->no_overlay
                       ? _("%s %s: %s does not exist, and with --no-overlay nothing can be created in the host's read-only /: create it on the host, or drop --no-overlay")
                       : _("%s %s: %s does not exist, and the caller may not create it there (its parent belongs to another user): create it on the host, or put it under a --tmpfs"),
                   option, value, destination);
      return FALSE;
    }
  add_bind (mounts, source, destination, readonly);
  return TRUE;
}

static gboolean
add_user_binds (const HakoSandboxConfig *config, JsonArray *mounts, const char *option,
                char **values, gboolean readonly, GError **error)
{
  for (gsize i = 0; values && values[i]; i++)
    if (!add_user_bind (config, mounts, option, values[i], readonly, error))
      return FALSE;
  return TRUE;
}

static JsonArray *
make_mounts (const HakoSandboxConfig *config, GError **error)
{
  g_autoptr (JsonArray) mounts = json_array_new ();
  const char *const dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
  const char *const pts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", NULL };
  const char *const sys[] = { "nosuid", "noexec", "nodev", "ro", NULL };

  add_mount (mounts, "/proc", "proc", "proc", NULL);
  add_mount (mounts, "/dev", "tmpfs", "tmpfs", dev);
  add_mount (mounts, "/dev/pts", "devpts", "devpts", pts);
  add_tmpfs (mounts, "/dev/shm", "1777");
  add_mount (mounts, "/sys", "sysfs", "sysfs", sys);
  add_tmpfs (mounts, "/tmp", "1777");
  add_tmpfs (mounts, "/run", "755");
  if (config->home && !g_str_equal (config->home, "/"))
    {
      if (config->share_home)
        add_bind (mounts, config->home, config->home, FALSE);
      else
        add_tmpfs (mounts, config->home, "700");
    }
  if (!g_str_equal (config->cwd, "/"))
    add_bind (mounts, config->cwd, config->cwd, config->ro_cwd);
  for (gsize i = 0; config->tmpfs && config->tmpfs[i]; i++)
    {
      if (!g_path_is_absolute (config->tmpfs[i]))
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                       _("--tmpfs %s: expected an absolute path, e.g. --tmpfs /var/cache"), config->tmpfs[i]);
          return NULL;
        }
      add_tmpfs (mounts, config->tmpfs[i], "755");
    }
  if (!add_user_binds (config, mounts, "--bind", config->binds, FALSE, error)
      || !add_user_binds (config, mounts, "--ro-bind", config->ro_binds, TRUE, error))
    return NULL;
  /* Last, over whatever bind reaches them. */
  for (gsize i = 0; config->hidden && config->hidden[i]; i++)
    if (g_file_test (config->hidden[i], G_FILE_TEST_IS_DIR)
        && !(config->home && !config->share_home && path_is_below (config->hidden[i], config->home)))
      add_tmpfs (mounts, config->hidden[i], "700");
  return g_steal_pointer (&mounts);
}

static gboolean
make_env (const HakoSandboxConfig *config, JsonObject *process, GError **error)
{
  g_auto (GStrv) env = config->clearenv ? g_new0 (char *, 1) : g_get_environ ();

  /* As bubblewrap's --clearenv: the working directory stays known. */
  if (config->clearenv)
    env = g_environ_setenv (env, "PWD", config->cwd, TRUE);
  for (gsize i = 0; config->env && config->env[i]; i++)
    {
      g_auto (GStrv) kv = g_strsplit (config->env[i], "=", 2);
      if (kv[1] == NULL || *kv[0] == '\0')
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                       _("--env %s: expected NAME=VALUE, e.g. --env LANG=C.UTF-8"), config->env[i]);
          return FALSE;
        }
      env = g_environ_setenv (env, kv[0], kv[1], TRUE);
    }
  json_object_set_array_member (process, "env", string_array ((const char *const *) env));
  return TRUE;
}

static JsonObject *
make_process (const HakoSandboxConfig *config, GError **error)
{
  g_autoptr (JsonObject) process = json_object_new ();
  JsonObject *user = json_object_new ();
  JsonObject *caps = json_object_new ();
  const char *const *cap_list = config->root ? root_capabilities : NULL;

  json_object_set_boolean_member (process, "terminal", config->terminal);
  json_object_set_int_member (user, "uid", config->root ? 0 : config->uid);
  json_object_set_int_member (user, "gid", config->root ? 0 : config->gid);
  json_object_set_object_member (process, "user", user);
  json_object_set_array_member (process, "args", string_array ((const char *const *) config->argv));
  json_object_set_string_member (process, "cwd", config->cwd);
  if (!make_env (config, process, error))
    return NULL;
  for (gsize i = 0; i < 3; i++)
    json_object_set_array_member (caps, (const char *[]){ "bounding", "effective", "permitted" }[i],
                                  string_array (cap_list));
  json_object_set_object_member (process, "capabilities", caps);
  json_object_set_boolean_member (process, "noNewPrivileges", TRUE);
  return g_steal_pointer (&process);
}

/* SIZE[k|m|g] (binary units), as the limits of bubblewrap's users and
 * Docker's --memory read. */
static gboolean
parse_size (const char *text, gint64 *out, GError **error)
{
  g_autofree char *number = g_strdup (text);
  gsize n = strlen (number);
  guint64 value, unit = 1;

  if (n > 0 && strchr ("kKmMgG", number[n - 1]))
    {
      unit = g_ascii_tolower (number[n - 1]) == 'k' ? 1024 : g_ascii_tolower (number[n - 1]) == 'm' ? 1024 * 1024 : 1024 * 1024 * 1024;
      number[n - 1] = '\0';
    }
  if (!g_ascii_string_to_unsigned (number, 10, 1, G_MAXINT64 / unit, &value, NULL))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--memory %s: expected a size in bytes, with k, m or g for KiB, MiB or GiB, e.g. --memory 512m"),
                   text);
      return FALSE;
    }
  *out = value * unit;
  return TRUE;
}

static JsonObject *
make_resources (const HakoSandboxConfig *config, GError **error)
{
  g_autoptr (JsonObject) resources = json_object_new ();
  gint64 memory;
  double cpus;
  char *end = NULL;

  if (config->memory)
    {
      JsonObject *object = json_object_new ();
      if (!parse_size (config->memory, &memory, error))
        {
          json_object_unref (object);
          return NULL;
        }
      json_object_set_int_member (object, "limit", memory);
      json_object_set_object_member (resources, "memory", object);
    }
  if (config->cpus)
    {
      JsonObject *object = json_object_new ();
      cpus = g_ascii_strtod (config->cpus, &end);
      if (end == config->cpus || *end != '\0' || !isfinite (cpus) || cpus < 0.01 || cpus > 4096)
        {
          json_object_unref (object);
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                       _("--cpus %s: expected a number of CPUs from 0.01, e.g. --cpus 1.5"), config->cpus);
          return NULL;
        }
      json_object_set_int_member (object, "quota", (gint64) (cpus * CPU_PERIOD + 0.5));
      json_object_set_int_member (object, "period", CPU_PERIOD);
      json_object_set_object_member (resources, "cpu", object);
    }
  if (config->pids > 0)
    {
      JsonObject *object = json_object_new ();
      json_object_set_int_member (object, "limit", config->pids);
      json_object_set_object_member (resources, "pids", object);
    }
  return g_steal_pointer (&resources);
}

/* --seccomp: hako's own default profile, or a file holding a
 * linux.seccomp object. */
static JsonNode *
load_seccomp (const char *option_value, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (g_str_equal (option_value, "default"))
    return hako_seccomp_default_profile_json (error);
  if (!json_parser_load_from_file (parser, option_value, error))
    {
      g_prefix_error (error, _("--seccomp %s: "), option_value);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("--seccomp %s: expected a JSON object as linux.seccomp of config.json has it (defaultAction, syscalls)"),
                   option_value);
      return NULL;
    }
  return json_node_copy (root);
}

static gboolean
add_linux (const HakoSandboxConfig *config, JsonObject *top, GError **error)
{
  static const char *const namespaces[] = { "user", "pid", "network", "ipc", "uts", "mount", "cgroup", NULL };
  JsonObject *linux_ = json_object_new ();
  JsonArray *ns = json_array_new ();
  JsonObject *resources;

  json_object_set_object_member (top, "linux", linux_);
  for (gsize i = 0; namespaces[i]; i++)
    {
      JsonObject *object = json_object_new ();
      json_object_set_string_member (object, "type", namespaces[i]);
      json_array_add_object_element (ns, object);
    }
  json_object_set_array_member (linux_, "namespaces", ns);
  /* The caller alone: as itself, or with --root as 0. Not its subordinate
   * ids: fuse-overlayfs would copy files up owned by them (what the host's
   * root owns shows as the overflow id), which the caller could not remove
   * afterwards. The host's root with --root: hako's default, every id. */
  if (!config->root || !hako_userns_is_host_root ())
    {
      guint32 uid = config->root ? 0 : config->uid, gid = config->root ? 0 : config->gid;
      json_object_set_member (linux_, "uidMappings", hako_spec_default_id_mapping (uid, config->uid));
      json_object_set_member (linux_, "gidMappings", hako_spec_default_id_mapping (gid, config->gid));
    }
  json_object_set_array_member (linux_, "maskedPaths", string_array (masked_paths));
  json_object_set_array_member (linux_, "readonlyPaths", string_array (readonly_paths));
  if ((resources = make_resources (config, error)) == NULL)
    return FALSE;
  json_object_set_object_member (linux_, "resources", resources);
  if (config->seccomp && !g_str_equal (config->seccomp, "none"))
    {
      JsonNode *seccomp = load_seccomp (config->seccomp, error);
      if (seccomp == NULL)
        return FALSE;
      json_object_set_member (linux_, "seccomp", seccomp);
    }
  return TRUE;
}

char *
hako_sandbox_config_generate (const HakoSandboxConfig *config, GError **error)
{
  g_autoptr (JsonObject) top = json_object_new ();
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *root = json_object_new ();
  JsonObject *annotations = json_object_new ();
  JsonObject *process;
  JsonArray *mounts;

  json_object_set_string_member (top, "ociVersion", "1.3.0");
  /* Without the overlay, the host's / is bound onto the private bundle's
   * empty rootfs (HakoCreateOptions.rootfs_readonly_from). */
  json_object_set_string_member (root, "path", config->no_overlay ? HAKO_SANDBOX_ROOTFS : "/");
  /* With the overlay, writes land in its throw-away upper layer. */
  json_object_set_boolean_member (root, "readonly", config->no_overlay);
  json_object_set_object_member (top, "root", root);
  json_object_set_string_member (top, "hostname", config->hostname ? config->hostname : SANDBOX_HOSTNAME);
  json_object_set_string_member (annotations, HAKO_ANNOTATION_ROOTFS, config->no_overlay ? "bind" : "overlay");
  if (config->net)
    json_object_set_string_member (annotations, HAKO_ANNOTATION_NETWORK, "slirp");
  json_object_set_object_member (top, "annotations", annotations);
  if ((process = make_process (config, error)) == NULL)
    return NULL;
  json_object_set_object_member (top, "process", process);
  if ((mounts = make_mounts (config, error)) == NULL)
    return NULL;
  json_object_set_array_member (top, "mounts", mounts);
  if (!add_linux (config, top, error))
    return NULL;
  json_node_set_object (node, top);
  return json_to_string (node, FALSE);
}
