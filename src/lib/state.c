#include "config.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "json-read.h"
#include "layer-store.h"
#include "overlay.h"
#include "spec.h"
#include "state.h"
#include "userns.h"

static const char *const status_names[] = { "creating", "created", "running", "stopped", "paused" };

const char *
hako_status_name (HakoStatus status)
{
  return status_names[status];
}

void
hako_state_free (HakoState *state)
{
  if (state == NULL)
    return;
  g_free (state->id);
  g_free (state->bundle);
  g_free (state->rootfs);
  g_free (state->created);
  g_clear_pointer (&state->annotations, g_hash_table_unref);
  g_free (state->cgroup_manager);
  g_strfreev (state->cgroup_paths);
  g_strfreev (state->cgroup_created);
  g_free (state);
}

/* The longest id whose lock file, ID.lock, is a valid file name. */
#define ID_NAME_MAX (NAME_MAX - 5)

gboolean
hako_container_id_check (const char *id, GError **error)
{
  gboolean valid = *id != '\0' && strlen (id) <= 1024 && !g_str_equal (id, ".")
                   && !g_str_equal (id, "..");

  for (const char *c = id; valid && *c; c++)
    valid = g_ascii_isalnum (*c) || strchr ("_+-.", *c) != NULL;
  if (!valid)
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                 _("invalid container id \"%s\": use 1 to 1024 letters, digits, '_', '+', '-' or '.', other than \".\" and \"..\""),
                 id);
  /* runc's limit is 1024, but ROOT/ID.lock is one file name. */
  else if (strlen (id) > ID_NAME_MAX)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("container id \"%.16s...\" is %zu bytes long: hako names files in the state "
                     "root after it, which allows %d: use a shorter id"),
                   id, strlen (id), ID_NAME_MAX);
      valid = FALSE;
    }
  return valid;
}

char *
hako_state_root_resolve (const char *root_option, GError **error)
{
  const char *runtime_dir;

  if (root_option)
    return g_canonicalize_filename (root_option, NULL);
  runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  /* runc's rule: root of a user namespace other than the initial one (as
   * rootless Podman runs the runtime) cannot write /run, and keeps to
   * $XDG_RUNTIME_DIR when it has one, unless $USER says it is root. */
  if (geteuid () == 0
      && (hako_userns_is_initial () || runtime_dir == NULL || *runtime_dir == '\0'
          || g_strcmp0 (g_getenv ("USER"), "root") == 0))
    return g_strdup ("/run/hako");
  if (runtime_dir == NULL || *runtime_dir == '\0')
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                   _("XDG_RUNTIME_DIR is not set: log in through a session that sets it (systemd-logind does), or pass --root DIR"));
      return NULL;
    }
  return g_build_filename (runtime_dir, "hako", NULL);
}

char *
hako_state_dir (const char *root, const char *id)
{
  return g_build_filename (root, id, NULL);
}

static char *
lock_path (const char *root, const char *id)
{
  g_autofree char *name = g_strconcat (id, ".lock", NULL);
  return g_build_filename (root, name, NULL);
}

int
hako_state_lock (const char *root, const char *id, GError **error)
{
  g_autofree char *path = lock_path (root, id);
  int fd;

  if (g_mkdir_with_parents (root, 0700) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot create the state directory %s"), root);
      return -1;
    }
  fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      hako_error_set_errno (error, errno, _("cannot open %s"), path);
      return -1;
    }
  if (flock (fd, LOCK_EX) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot lock %s"), path);
      close (fd);
      return -1;
    }
  return fd;
}

static void
add_string (JsonBuilder *builder, const char *member, const char *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_strv (JsonBuilder *builder, const char *member, char **values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (char **v = values; v && *v; v++)
    json_builder_add_string_value (builder, *v);
  json_builder_end_array (builder);
}

static void
add_annotations (JsonBuilder *builder, GHashTable *annotations)
{
  GHashTableIter iter;
  gpointer key, value;

  if (annotations == NULL || g_hash_table_size (annotations) == 0)
    return;
  json_builder_set_member_name (builder, "annotations");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, annotations);
  while (g_hash_table_iter_next (&iter, &key, &value))
    add_string (builder, key, value);
  json_builder_end_object (builder);
}

static char *
to_json (JsonBuilder *builder, gboolean pretty)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

/* The members the record on disk and the state JSON share. */
static void
add_state_members (JsonBuilder *builder, const HakoState *state, HakoStatus status, pid_t pid)
{
  add_string (builder, "id", state->id);
  add_string (builder, "status", hako_status_name (status));
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, pid);
  add_string (builder, "bundle", state->bundle);
  add_string (builder, "rootfs", state->rootfs);
  add_string (builder, "created", state->created);
  add_annotations (builder, state->annotations);
}

/* The record on disk: what hako needs to find the container again. */
static char *
record_to_json (const HakoState *state)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_state_members (builder, state, state->recorded, state->pid);
  json_builder_set_member_name (builder, "pidStartTime");
  json_builder_add_int_value (builder, (gint64) state->pid_start);
  if (state->cgroup_manager)
    {
      add_string (builder, "cgroupManager", state->cgroup_manager);
      add_strv (builder, "cgroupPaths", state->cgroup_paths);
      add_strv (builder, "cgroupCreated", state->cgroup_created);
    }
  json_builder_end_object (builder);
  return to_json (builder, FALSE);
}

gboolean
hako_state_make_dir (const char *root, const char *id, GError **error)
{
  g_autofree char *dir = hako_state_dir (root, id);

  if (g_mkdir_with_parents (dir, 0700) < 0)
    return hako_error_set_errno (error, errno, _("cannot create %s"), dir);
  return TRUE;
}

gboolean
hako_state_save (const char *root, const HakoState *state, GError **error)
{
  g_autofree char *dir = hako_state_dir (root, state->id);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autofree char *json = record_to_json (state);

  if (!hako_state_make_dir (root, state->id, error))
    return FALSE;
  return hako_file_replace (path, json, -1, 0600, error);
}

static gboolean
record_from_json (JsonObject *object, HakoState *state, GError **error)
{
  g_autofree char *status = NULL;
  HakoOptInt pid = { FALSE, 0 }, start = { FALSE, 0 };

  if (!hako_json_member_string (object, "", "id", HAKO_JSON_REQUIRED, &state->id, error)
      || !hako_json_member_string (object, "", "status", HAKO_JSON_REQUIRED, &status, error)
      || !hako_json_member_int (object, "", "pid", HAKO_JSON_REQUIRED, 0, G_MAXINT32, &pid, error)
      || !hako_json_member_int (object, "", "pidStartTime", HAKO_JSON_REQUIRED, 0, G_MAXINT64,
                                &start, error)
      || !hako_json_member_string (object, "", "bundle", HAKO_JSON_REQUIRED, &state->bundle, error)
      || !hako_json_member_string (object, "", "rootfs", HAKO_JSON_REQUIRED, &state->rootfs, error)
      || !hako_json_member_string (object, "", "created", HAKO_JSON_REQUIRED, &state->created,
                                   error)
      || !hako_json_member_string_map (object, "", "annotations", &state->annotations, error)
      || !hako_json_member_string (object, "", "cgroupManager", HAKO_JSON_OPTIONAL,
                                   &state->cgroup_manager, error)
      || !hako_json_member_strv (object, "", "cgroupPaths", HAKO_JSON_OPTIONAL,
                                 &state->cgroup_paths, error)
      || !hako_json_member_strv (object, "", "cgroupCreated", HAKO_JSON_OPTIONAL,
                                 &state->cgroup_created, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (status, status_names[i]))
      {
        state->recorded = i;
        state->pid = pid.value;
        state->pid_start = start.value;
        return TRUE;
      }
  return hako_json_invalid (error, "status", _("unknown status \"%s\""), status);
}

HakoState *
hako_state_load_data (const char *data, gsize length, const char *origin, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (HakoState) state = g_new0 (HakoState, 1);
  JsonObject *object;

  if (!hako_json_parse_document (data, length, origin, &node, error)
      || !hako_json_node_object (node, "", &object, error)
      || !record_from_json (object, state, error))
    return NULL;
  return g_steal_pointer (&state);
}

HakoState *
hako_state_load (const char *root, const char *id, GError **error)
{
  g_autofree char *dir = hako_state_dir (root, id);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (HakoState) state = NULL;
  struct stat st;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                     _("container \"%s\" does not exist (in %s)"), id, root);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  state = hako_state_load_data (contents, length, path, error);
  if (state == NULL)
    {
      g_prefix_error (error, _("%s is damaged: "), path);
      return NULL;
    }
  state->owner = stat (dir, &st) == 0 ? st.st_uid : (uid_t) -1;
  if (state->recorded == HAKO_STATUS_CREATED)
    {
      g_autofree char *socket_path = g_build_filename (dir, HAKO_EXEC_SOCKET, NULL);
      if (access (socket_path, F_OK) < 0 && errno == ENOENT)
        state->recorded = HAKO_STATUS_RUNNING;
    }
  return g_steal_pointer (&state);
}

void
hako_state_forget_missing (const char *root, const char *id, const GError *error)
{
  if (g_error_matches (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND))
    hako_state_remove (root, id);
}

void
hako_state_remove (const char *root, const char *id)
{
  g_autofree char *dir = hako_state_dir (root, id);
  g_autofree char *lock = lock_path (root, id);

  /* Before the directory that records where the storage is, and which
   * image layers the container uses. */
  hako_overlay_remove_storage (dir);
  hako_layer_store_unpin (dir);
  hako_remove_tree (dir);
  unlink (lock);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
hako_state_list_ids (const char *root, GError **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (root, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&ids);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *state_path = g_build_filename (root, name, "state.json", NULL);
      if (g_file_test (state_path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (ids, g_strdup (name));
    }
  g_ptr_array_sort (ids, compare_strings);
  return g_steal_pointer (&ids);
}

guint64
hako_process_start_time (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after_comm;

  if (pid <= 0 || !g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  /* The command name may hold spaces and parentheses: skip to its last ')'. */
  after_comm = strrchr (contents, ')');
  if (after_comm == NULL)
    return 0;
  fields = g_strsplit (after_comm + 2, " ", 0);
  /* fields[0] is field 3 (state), so field 22 (starttime) is fields[19]. */
  if (g_strv_length (fields) < 20 || fields[0][0] == 'Z' || fields[0][0] == 'X')
    return 0;
  return g_ascii_strtoull (fields[19], NULL, 10);
}

/* The state letter of field 3 of /proc/PID/stat, or 0 when it is gone. */
static char
process_state (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  const char *after_comm;

  if (!g_file_get_contents (path, &contents, NULL, NULL)
      || (after_comm = strrchr (contents, ')')) == NULL || after_comm[1] != ' ')
    return 0;
  return after_comm[2];
}

void
hako_process_wait_settled (pid_t pid, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (process_state (pid) == 'R' && g_get_monotonic_time () < deadline)
    g_usleep (100);
}

HakoStatus
hako_state_status (const HakoState *state)
{
  if (state->recorded == HAKO_STATUS_CREATING || state->recorded == HAKO_STATUS_STOPPED)
    return state->recorded;
  if (state->pid <= 0 || hako_process_start_time (state->pid) != state->pid_start)
    return HAKO_STATUS_STOPPED;
  return state->recorded;
}

char *
hako_state_owner_name (const HakoState *state)
{
  struct passwd *pw = getpwuid (state->owner);

  return pw ? g_strdup (pw->pw_name) : g_strdup_printf ("%u", (unsigned) state->owner);
}

/* The user lookup is left to `state` and `list`: `run` passes here for its
 * hooks, and NSS is not free. */
static char *
state_json (const HakoState *state, HakoStatus status, gboolean with_owner, gboolean pretty)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "ociVersion", HAKO_OCI_VERSION);
  add_state_members (builder, state, status, status == HAKO_STATUS_STOPPED ? 0 : state->pid);
  if (with_owner)
    {
      g_autofree char *owner = hako_state_owner_name (state);
      add_string (builder, "owner", owner);
    }
  json_builder_end_object (builder);
  return to_json (builder, pretty);
}

char *
hako_state_to_json (const HakoState *state, gboolean pretty)
{
  return state_json (state, hako_state_status (state), TRUE, pretty);
}

char *
hako_state_to_hook_json (const HakoState *state)
{
  return state_json (state, state->recorded, FALSE, FALSE);
}
