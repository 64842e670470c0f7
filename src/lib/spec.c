/* config.json: the document, its top-level properties (ociVersion, root,
 * mounts, hooks, annotations, hostname, domainname) and the helpers every
 * section parser shares. process is in spec-process.c, linux in spec-linux.c. */
#include "config.h"

#include <string.h>

#include "error.h"
#include "i18n.h"
#include "mount-options.h"
#include "spec-private.h"

/* ---- shared helpers ---- */

gboolean
hako_spec_parse_object_array (JsonObject *parent, const char *path, const char *member,
                              gsize item_size, HakoSpecParseItem parse_item, gpointer *items,
                              guint *n_items, GError **error)
{
  JsonArray *array = NULL;
  g_autofree char *array_path = NULL;

  if (!hako_json_member_array (parent, path, member, HAKO_JSON_OPTIONAL, &array, &array_path,
                               error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  *n_items = json_array_get_length (array);
  *items = g_malloc0_n (*n_items, item_size);
  for (guint i = 0; i < *n_items; i++)
    {
      JsonObject *element;
      g_autofree char *element_path = NULL;

      if (!hako_json_array_object (array, array_path, i, &element, &element_path, error)
          || !parse_item (element, element_path, (char *) *items + i * item_size, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
hako_spec_member_uint32 (JsonObject *object, const char *path, const char *member, guint32 *out,
                         GError **error)
{
  HakoOptUint value = { FALSE, 0 };

  if (!hako_json_member_uint (object, path, member, HAKO_JSON_REQUIRED, G_MAXUINT32, &value,
                              error))
    return FALSE;
  *out = value.value;
  return TRUE;
}

char *
hako_spec_element_path (const char *path, const char *member, guint index)
{
  g_autofree char *array_path = hako_json_path_member (path, member);

  return hako_json_path_index (array_path, index);
}

gboolean
hako_spec_parse_env (JsonObject *object, const char *path, const char *member, GStrv *out,
                     GError **error)
{
  if (!hako_json_member_strv (object, path, member, HAKO_JSON_OPTIONAL, out, error))
    return FALSE;
  for (guint i = 0; *out != NULL && (*out)[i] != NULL; i++)
    {
      const char *entry = (*out)[i];
      const char *equals = strchr (entry, '=');
      g_autofree char *entry_path = NULL;

      if (equals != NULL && equals != entry)
        continue;
      entry_path = hako_spec_element_path (path, member, i);
      return hako_json_invalid (error, entry_path, _("\"%s\" is not of the form KEY=VALUE"),
                                entry);
    }
  return TRUE;
}

gboolean
hako_spec_require_absolute (const char *value, const char *path, GError **error)
{
  if (!g_path_is_absolute (value))
    return hako_json_invalid (error, path, _("\"%s\" is not an absolute path"), value);
  return TRUE;
}

gboolean
hako_spec_require_one_of (const char *value, const char *path, const char *const *choices,
                          GError **error)
{
  g_autofree char *list = NULL;

  if (g_strv_contains (choices, value))
    return TRUE;
  list = g_strjoinv (", ", (GStrv) choices);
  return hako_json_invalid (error, path, _("unknown value \"%s\": expected one of %s"), value,
                            list);
}

static gboolean
require_non_empty (const char *value, const char *path, GError **error)
{
  if (*value == '\0')
    return hako_json_invalid (error, path, _("must not be empty"));
  return TRUE;
}

static gboolean
parse_id_mapping (JsonObject *object, const char *path, gpointer item, GError **error)
{
  HakoIdMapping *mapping = item;
  g_autofree char *size_path = NULL;

  if (!hako_spec_member_uint32 (object, path, "containerID", &mapping->container_id, error)
      || !hako_spec_member_uint32 (object, path, "hostID", &mapping->host_id, error)
      || !hako_spec_member_uint32 (object, path, "size", &mapping->size, error))
    return FALSE;
  if (mapping->size == 0)
    {
      size_path = hako_json_path_member (path, "size");
      return hako_json_invalid (error, size_path, _("must map at least one id"));
    }
  return TRUE;
}

gboolean
hako_spec_parse_id_mappings (JsonObject *parent, const char *path, const char *member,
                             HakoIdMappings *out, GError **error)
{
  return hako_spec_parse_object_array (parent, path, member, sizeof (HakoIdMapping),
                                       parse_id_mapping, (gpointer *) &out->items, &out->n,
                                       error);
}

/* ---- ociVersion ---- */

/* SemVer 2.0.0 (semver.org) by hand: a regex costs a PCRE compile on every
 * config load, which `run` pays on its critical path. */

/* A numeric identifier: 0, or digits without a leading zero. Its end, or NULL. */
static const char *
semver_number (const char *p)
{
  const char *start = p;

  while (g_ascii_isdigit (*p))
    p++;
  if (p == start || (*start == '0' && p - start > 1))
    return NULL;
  return p;
}

/* Dot-separated identifiers of [0-9A-Za-z-]; in a pre-release, an all-digit
 * one must also be a numeric identifier. Their end, or NULL. */
static const char *
semver_identifiers (const char *p, gboolean pre_release)
{
  for (;;)
    {
      const char *start = p;
      gboolean digits_only = TRUE;

      for (; g_ascii_isalnum (*p) || *p == '-'; p++)
        digits_only = digits_only && g_ascii_isdigit (*p);
      if (p == start || (pre_release && digits_only && semver_number (start) != p))
        return NULL;
      if (*p != '.')
        return p;
      p++;
    }
}

/* TRUE when VERSION is SemVer; its MAJOR and MINOR (saturated) then. */
static gboolean
semver_parse (const char *version, guint64 *major, guint64 *minor)
{
  const char *p = version, *end;

  if ((end = semver_number (p)) == NULL || *end != '.')
    return FALSE;
  *major = g_ascii_strtoull (p, NULL, 10);
  p = end + 1;
  if ((end = semver_number (p)) == NULL || *end != '.')
    return FALSE;
  *minor = g_ascii_strtoull (p, NULL, 10);
  if ((p = semver_number (end + 1)) == NULL)
    return FALSE;
  if (*p == '-' && (p = semver_identifiers (p + 1, TRUE)) == NULL)
    return FALSE;
  if (*p == '+' && (p = semver_identifiers (p + 1, FALSE)) == NULL)
    return FALSE;
  return *p == '\0';
}

/* The newest version hako implements; keep in step with HAKO_OCI_VERSION. */
#define SUPPORTED_MAJOR 1
#define SUPPORTED_MINOR 3

/* Versions within one major version are compatible, but a config written for
 * a newer minor version may use properties hako would silently ignore. */
static gboolean
check_oci_version (const char *version, GError **error)
{
  guint64 major, minor;

  if (!semver_parse (version, &major, &minor))
    return hako_json_invalid (error, "ociVersion",
                              _("\"%s\" is not a SemVer version like \"%s\""), version,
                              HAKO_OCI_VERSION);
  /* strtoull saturates, so a huge MINOR still compares as too new. */
  if (major != SUPPORTED_MAJOR || minor > SUPPORTED_MINOR)
    return hako_json_invalid (error, "ociVersion",
                              _("unsupported version \"%s\": hako supports %s to %s"), version,
                              HAKO_OCI_VERSION_MIN, HAKO_OCI_VERSION);
  return TRUE;
}

/* ---- root, mounts, hooks ---- */

static gboolean
parse_root (JsonObject *object, const char *path, gpointer item, GError **error)
{
  HakoRoot *root = item;
  g_autofree char *value_path = hako_json_path_member (path, "path");

  return hako_json_member_string (object, path, "path", HAKO_JSON_REQUIRED, &root->path, error)
         && require_non_empty (root->path, value_path, error)
         && hako_json_member_bool (object, path, "readonly", &root->readonly, error);
}

/* An idmapping (idmap, ridmap, or mappings, which imply idmap as for crun
 * and runc) changes how the files of a bind source appear; a filesystem the
 * container mounts itself belongs to its user namespace already. */
static gboolean
check_idmap_is_bind (const HakoMount *mount, const char *path, GError **error)
{
  g_auto (HakoMountFlags) flags = { 0 };

  hako_mount_flags_parse ((const char *const *) mount->options, &flags);
  if ((flags.idmap || mount->uid_mappings.items) && !hako_mount_flags_is_bind (&flags, mount->type))
    return hako_json_invalid (error, path,
                              _("idmap, ridmap and uidMappings apply to bind mounts only: add \"bind\" or \"rbind\" to options"));
  return TRUE;
}

static gboolean
parse_mount (JsonObject *object, const char *path, gpointer item, GError **error)
{
  HakoMount *mount = item;
  g_autofree char *destination_path = hako_json_path_member (path, "destination");

  if (!hako_json_member_string (object, path, "destination", HAKO_JSON_REQUIRED,
                                &mount->destination, error)
      || !require_non_empty (mount->destination, destination_path, error)
      || !hako_json_member_string (object, path, "source", HAKO_JSON_OPTIONAL, &mount->source,
                                   error)
      || !hako_json_member_string (object, path, "type", HAKO_JSON_OPTIONAL, &mount->type, error)
      || !hako_json_member_strv (object, path, "options", HAKO_JSON_OPTIONAL, &mount->options,
                                 error)
      || !hako_spec_parse_id_mappings (object, path, "uidMappings", &mount->uid_mappings, error)
      || !hako_spec_parse_id_mappings (object, path, "gidMappings", &mount->gid_mappings, error))
    return FALSE;

  /* config.md, Linux: a relative destination is deprecated but allowed, and
   * "MUST be interpreted as relative to "/"", so store it that way. */
  if (!g_path_is_absolute (mount->destination))
    {
      char *relative = mount->destination;
      mount->destination = g_strconcat ("/", relative, NULL);
      g_free (relative);
    }

  /* "If specified, it MUST be specified along with gidMappings" (and vice versa). */
  if ((mount->uid_mappings.items == NULL) != (mount->gid_mappings.items == NULL))
    return hako_json_invalid (error, path, _("uidMappings and gidMappings must be given together"));
  return check_idmap_is_bind (mount, path, error);
}

static gboolean
parse_hook (JsonObject *object, const char *path, gpointer item, GError **error)
{
  HakoHook *hook = item;
  g_autofree char *value_path = hako_json_path_member (path, "path");

  return hako_json_member_string (object, path, "path", HAKO_JSON_REQUIRED, &hook->path, error)
         && hako_spec_require_absolute (hook->path, value_path, error)
         && hako_json_member_strv (object, path, "args", HAKO_JSON_OPTIONAL, &hook->args, error)
         && hako_spec_parse_env (object, path, "env", &hook->env, error)
         && hako_json_member_int (object, path, "timeout", HAKO_JSON_OPTIONAL, 1, G_MAXINT32,
                                  &hook->timeout, error);
}

static gboolean
parse_hooks (JsonObject *doc, HakoSpec *spec, GError **error)
{
  JsonObject *object = NULL;
  g_autofree char *path = NULL;

  if (!hako_json_member_object (doc, "", "hooks", HAKO_JSON_OPTIONAL, &object, &path, error))
    return FALSE;
  for (int kind = 0; object != NULL && kind < HAKO_HOOK_N_KINDS; kind++)
    if (!hako_spec_parse_object_array (object, path, hako_hook_kind_names[kind],
                                       sizeof (HakoHook), parse_hook,
                                       (gpointer *) &spec->hooks[kind], &spec->n_hooks[kind],
                                       error))
      return FALSE;
  return TRUE;
}

/* ---- the document ---- */

static gboolean
parse_sections (JsonObject *doc, HakoSpec *spec, GError **error)
{
  JsonObject *process = NULL;
  JsonObject *linux_ = NULL;
  g_autofree char *process_path = NULL;
  g_autofree char *linux_path = NULL;

  return hako_json_member_object (doc, "", "process", HAKO_JSON_OPTIONAL, &process,
                                  &process_path, error)
         && (process == NULL
             || hako_spec_parse_process (process, process_path, &spec->process, error))
         && hako_json_member_object (doc, "", "linux", HAKO_JSON_OPTIONAL, &linux_, &linux_path,
                                     error)
         && (linux_ == NULL || hako_spec_parse_linux (linux_, linux_path, &spec->linux_, error));
}

static gboolean
parse_spec (JsonObject *doc, HakoSpec *spec, GError **error)
{
  return hako_json_member_string (doc, "", "ociVersion", HAKO_JSON_REQUIRED, &spec->oci_version,
                                  error)
         && check_oci_version (spec->oci_version, error)
         && hako_spec_parse_object_member (doc, "", "root", sizeof (HakoRoot), parse_root,
                                           (gpointer *) &spec->root, error)
         && hako_spec_parse_object_array (doc, "", "mounts", sizeof (HakoMount), parse_mount,
                                          (gpointer *) &spec->mounts, &spec->n_mounts, error)
         && parse_hooks (doc, spec, error)
         && hako_json_member_string_map (doc, "", "annotations", &spec->annotations, error)
         && hako_json_member_string (doc, "", "hostname", HAKO_JSON_OPTIONAL, &spec->hostname,
                                     error)
         && hako_json_member_string (doc, "", "domainname", HAKO_JSON_OPTIONAL,
                                     &spec->domainname, error)
         && parse_sections (doc, spec, error);
}

static HakoSpec *
load (const char *data, gssize length, const char *document_name, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (HakoSpec) spec = g_new0 (HakoSpec, 1);
  JsonObject *doc;

  if (!hako_json_parse_document (data, length, document_name, &root, error))
    return NULL;
  if (!hako_json_node_object (root, "", &doc, error) || !parse_spec (doc, spec, error))
    {
      g_prefix_error (error, "%s: ", document_name);
      return NULL;
    }
  return g_steal_pointer (&spec);
}

HakoSpec *
hako_spec_load_data (const char *data, gssize length, GError **error)
{
  return load (data, length, "config.json", error);
}

HakoSpec *
hako_spec_load_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = g_path_get_basename (path);
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return load (contents, length, name, error);
}

gboolean
hako_spec_load_process_file (HakoSpec *spec, const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr (JsonNode) root = NULL;
  HakoProcess *process = NULL;
  JsonObject *object;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error)
      || !hako_json_parse_document (contents, length, name, &root, error))
    return FALSE;
  if (!hako_json_node_object (root, "", &object, error)
      || !hako_spec_parse_process (object, "", &process, error))
    {
      hako_process_free (process);
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  hako_process_free (spec->process);
  spec->process = process;
  return TRUE;
}

/* process is OPTIONAL in config.md but "REQUIRED when start is called", and
 * create prepares exactly that start; root is REQUIRED on Linux. args is
 * OPTIONAL in the schema, yet config.md requires at least one entry on
 * non-Windows platforms, so the check lives here with process itself. */
gboolean
hako_spec_validate_for_create (const HakoSpec *spec, GError **error)
{
  if (spec->root == NULL)
    return hako_json_invalid (error, "root", _("required property is missing"));
  if (spec->process == NULL)
    return hako_json_invalid (error, "process", _("required property is missing"));
  if (spec->process->args == NULL || spec->process->args[0] == NULL)
    return hako_json_invalid (error, "process.args",
                              _("at least one entry (the program to run) is required"));
  /* Devices move into the container's own network namespace; the spec's
   * examples list netDevices alone, so this is checked at create only. */
  if (spec->linux_ && spec->linux_->n_net_devices > 0
      && !spec->linux_->namespaces[HAKO_NS_NETWORK].present)
    return hako_json_invalid (error, "linux.netDevices",
                              _("moving network devices needs a network namespace: add "
                                "{\"type\": \"network\"} to linux.namespaces"));
  return TRUE;
}

/* ---- freeing ---- */

static void
hook_clear (HakoHook *hook)
{
  g_free (hook->path);
  g_strfreev (hook->args);
  g_strfreev (hook->env);
}

static void
mount_clear (HakoMount *mount)
{
  g_free (mount->destination);
  g_free (mount->source);
  g_free (mount->type);
  g_strfreev (mount->options);
  g_free (mount->uid_mappings.items);
  g_free (mount->gid_mappings.items);
}

void
hako_spec_free (HakoSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->oci_version);
  if (spec->root)
    g_free (spec->root->path);
  g_free (spec->root);
  for (guint i = 0; i < spec->n_mounts; i++)
    mount_clear (&spec->mounts[i]);
  g_free (spec->mounts);
  hako_process_free (spec->process);
  g_free (spec->hostname);
  g_free (spec->domainname);
  for (int kind = 0; kind < HAKO_HOOK_N_KINDS; kind++)
    {
      for (guint i = 0; i < spec->n_hooks[kind]; i++)
        hook_clear (&spec->hooks[kind][i]);
      g_free (spec->hooks[kind]);
    }
  g_clear_pointer (&spec->annotations, g_hash_table_unref);
  hako_linux_free (spec->linux_);
  g_free (spec);
}
