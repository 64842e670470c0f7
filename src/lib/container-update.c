#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "container-update.h"
#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "json-read.h"
#include "spec.h"
#include "state.h"

/* "512m" -> 536870912; "-1" where ALLOW_UNLIMITED. */
static gboolean
parse_size (const char *text, const char *option, gboolean allow_unlimited, gint64 *out,
            GError **error)
{
  static const char suffixes[] = "kmgt";
  g_autofree char *digits = g_strdup (text);
  gsize len = strlen (digits);
  const char *suffix;
  guint64 value, scale = 1;

  if (allow_unlimited && g_str_equal (text, "-1"))
    {
      *out = -1;
      return TRUE;
    }
  if (len > 1 && (suffix = strchr (suffixes, g_ascii_tolower (digits[len - 1]))) != NULL)
    {
      scale = G_GUINT64_CONSTANT (1) << (10 * (suffix - suffixes + 1));
      digits[len - 1] = '\0';
    }
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT64 / scale, &value, NULL))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("%s \"%s\": give a number of bytes, optionally with a k, m, g or t suffix%s"),
                   option, text, allow_unlimited ? _(", or -1 for no limit") : "");
      return FALSE;
    }
  *out = value * scale;
  return TRUE;
}

static gboolean
parse_number (const char *text, const char *option, gboolean allow_negative, gint64 *out,
              GError **error)
{
  if (g_ascii_string_to_signed (text, 10, allow_negative ? G_MININT64 : 0, G_MAXINT64, out, NULL))
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, _("%s \"%s\": give a number%s"), option, text,
               allow_negative ? "" : _(" (0 or more)"));
  return FALSE;
}

typedef enum
{
  VALUE_SIZE,           /* bytes, with a suffix */
  VALUE_SIZE_UNLIMITED, /* the same, or -1 */
  VALUE_NUMBER,         /* 0 or more */
  VALUE_SIGNED,         /* any integer (-1 for no limit, as for quota and pids) */
  VALUE_STRING,
} ValueKind;

typedef struct
{
  const char *option;
  gsize offset; /* of the const char * in HakoUpdateFlags */
  const char *section, *member;
  ValueKind kind;
} FlagMember;

#define FLAG(option, field, section, member, kind) \
  { option, G_STRUCT_OFFSET (HakoUpdateFlags, field), section, member, kind }

/* Where each of runc's flags lands in linux.resources. */
static const FlagMember flag_members[] = {
  FLAG ("--memory", memory, "memory", "limit", VALUE_SIZE_UNLIMITED),
  FLAG ("--memory-reservation", memory_reservation, "memory", "reservation", VALUE_SIZE_UNLIMITED),
  FLAG ("--memory-swap", memory_swap, "memory", "swap", VALUE_SIZE_UNLIMITED),
  FLAG ("--kernel-memory", kernel_memory, "memory", "kernel", VALUE_SIZE_UNLIMITED),
  FLAG ("--kernel-memory-tcp", kernel_memory_tcp, "memory", "kernelTCP", VALUE_SIZE_UNLIMITED),
  FLAG ("--cpu-share", cpu_shares, "cpu", "shares", VALUE_NUMBER),
  FLAG ("--cpu-quota", cpu_quota, "cpu", "quota", VALUE_SIGNED),
  FLAG ("--cpu-period", cpu_period, "cpu", "period", VALUE_NUMBER),
  FLAG ("--cpu-burst", cpu_burst, "cpu", "burst", VALUE_NUMBER),
  FLAG ("--cpu-rt-period", cpu_rt_period, "cpu", "realtimePeriod", VALUE_NUMBER),
  FLAG ("--cpu-rt-runtime", cpu_rt_runtime, "cpu", "realtimeRuntime", VALUE_SIGNED),
  FLAG ("--cpuset-cpus", cpuset_cpus, "cpu", "cpus", VALUE_STRING),
  FLAG ("--cpuset-mems", cpuset_mems, "cpu", "mems", VALUE_STRING),
  FLAG ("--pids-limit", pids_limit, "pids", "limit", VALUE_SIGNED),
  FLAG ("--blkio-weight", blkio_weight, "blockIO", "weight", VALUE_NUMBER),
};

static JsonObject *
section_of (JsonObject *resources, const char *name)
{
  if (!json_object_has_member (resources, name))
    json_object_set_object_member (resources, name, json_object_new ());
  return json_object_get_object_member (resources, name);
}

char *
hako_update_flags_to_json (const HakoUpdateFlags *flags, GError **error)
{
  g_autoptr (JsonObject) resources = json_object_new ();
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (flags->l3_cache_schema || flags->mem_bw_schema)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("--l3-cache-schema and --mem-bw-schema set Intel RDT, which hako does not manage (hako features shows intelRdt disabled)"));
      return NULL;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (flag_members); i++)
    {
      const FlagMember *f = &flag_members[i];
      const char *text = G_STRUCT_MEMBER (const char *, flags, f->offset);
      gint64 value;

      if (text == NULL)
        continue;
      if (f->kind == VALUE_STRING)
        {
          json_object_set_string_member (section_of (resources, f->section), f->member, text);
          continue;
        }
      if (!(f->kind == VALUE_SIZE || f->kind == VALUE_SIZE_UNLIMITED
                ? parse_size (text, f->option, f->kind == VALUE_SIZE_UNLIMITED, &value, error)
                : parse_number (text, f->option, f->kind == VALUE_SIGNED, &value, error)))
        return NULL;
      json_object_set_int_member (section_of (resources, f->section), f->member, value);
    }
  json_node_set_object (node, resources);
  return json_to_string (node, FALSE);
}

/* Members of FROM replace those of INTO; objects merge, member by member. */
static void
merge_objects (JsonObject *into, JsonObject *from)
{
  g_autoptr (GList) members = json_object_get_members (from);

  for (GList *m = members; m; m = m->next)
    {
      const char *name = m->data;
      JsonNode *value = json_object_get_member (from, name);
      JsonNode *old = json_object_get_member (into, name);

      if (old && JSON_NODE_HOLDS_OBJECT (old) && JSON_NODE_HOLDS_OBJECT (value))
        merge_objects (json_node_get_object (old), json_node_get_object (value));
      else
        json_object_set_member (into, name, json_node_copy (value));
    }
}

static JsonNode *
parse_mutable (const char *text, const char *name, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;

  if (!hako_json_check_depth (text, strlen (text), name, error))
    return NULL;
  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, "%s: %s", name, local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("%s: give a JSON object, as linux.resources in config.json"), name);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

/* The saved config with RESOURCES merged into linux.resources, as text. */
static char *
merge_config (const char *config_path, const char *resources, const char *name, GError **error)
{
  g_autofree char *config = NULL;
  g_autoptr (JsonNode) doc = NULL, update = NULL;
  JsonObject *linux_;

  if (!g_file_get_contents (config_path, &config, NULL, error)
      || (update = parse_mutable (resources, name, error)) == NULL
      || (doc = parse_mutable (config, config_path, error)) == NULL)
    return NULL;
  linux_ = section_of (json_node_get_object (doc), "linux");
  merge_objects (section_of (linux_, "resources"), json_node_get_object (update));
  return json_to_string (doc, TRUE);
}

static gboolean
update_locked (const char *root, const char *id, const char *resources, const char *name,
               GError **error)
{
  g_autoptr (HakoState) state = hako_state_load (root, id, error);
  g_autoptr (HakoCgroup) cgroup = NULL;
  g_autoptr (HakoSpec) spec = NULL;
  g_autofree char *dir = NULL, *config_path = NULL, *merged = NULL;
  HakoResources *r;
  HakoStatus status;
  gboolean applied;
  guint n_devices;

  if (state == NULL)
    {
      hako_state_forget_missing (root, id, error ? *error : NULL);
      return FALSE;
    }
  status = hako_state_status (state);
  if (status == HAKO_STATUS_STOPPED || status == HAKO_STATUS_CREATING)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("container \"%s\" is %s: update needs a created, running or paused container"),
                   id, hako_status_name (status));
      return FALSE;
    }
  cgroup = hako_cgroup_from_state (state->cgroup_manager, (const char *const *) state->cgroup_paths,
                                   (const char *const *) state->cgroup_created);
  if (cgroup == NULL)
    return hako_cgroup_refuse_missing (id, "update", error);
  dir = hako_state_dir (root, id);
  config_path = g_build_filename (dir, "config.json", NULL);
  if ((merged = merge_config (config_path, resources, name, error)) == NULL
      || (spec = hako_spec_load_data (merged, -1, error)) == NULL)
    {
      g_prefix_error (error, _("update %s: "), id);
      return FALSE;
    }
  r = spec->linux_->resources;
  /* Device rules are create's: rewriting them would deny every device for
   * a moment (runc's update leaves them too). */
  n_devices = r->n_devices;
  r->n_devices = 0;
  applied = hako_cgroup_apply (cgroup, r, error);
  r->n_devices = n_devices;
  if (!applied)
    {
      g_prefix_error (error, _("update %s: "), id);
      return FALSE;
    }
  return hako_file_replace (config_path, merged, -1, 0600, error);
}

gboolean
hako_container_update (const char *root, const char *id, const char *resources,
                       const char *name, GError **error)
{
  int lock_fd;
  gboolean ok;

  if (!hako_container_id_check (id, error) || (lock_fd = hako_state_lock (root, id, error)) < 0)
    return FALSE;
  ok = update_locked (root, id, resources, name, error);
  close (lock_fd);
  return ok;
}
