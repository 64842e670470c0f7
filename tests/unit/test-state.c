/* Container ids, the state root, state records and derived status. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "state.h"

static void
test_ids (void)
{
  const char *good[] = { "c1", "my_container.2", "a+b-c", "x", NULL };
  const char *bad[] = { "", ".", "..", "a/b", "../x", "with space", "tab\t", "ümlaut", NULL };
  g_autofree char *long_id = g_strnfill (1025, 'a');
  /* ROOT/ID.lock must be one file name: NAME_MAX (255) with ".lock". */
  g_autofree char *longest = g_strnfill (250, 'a');
  g_autofree char *too_long = g_strnfill (251, 'a');
  g_autoptr (GError) length_error = NULL;

  for (const char **id = good; *id; id++)
    g_assert_true (hako_container_id_check (*id, NULL));
  for (const char **id = bad; *id; id++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (hako_container_id_check (*id, &error));
      g_assert_error (error, HAKO_ERROR, HAKO_ERROR_USAGE);
    }
  g_assert_false (hako_container_id_check (long_id, NULL));
  g_assert_true (hako_container_id_check (longest, NULL));
  g_assert_false (hako_container_id_check (too_long, &length_error));
  g_assert_error (length_error, HAKO_ERROR, HAKO_ERROR_USAGE);
  g_assert_nonnull (strstr (length_error->message, "251 bytes long"));
}

static void
test_root_resolve (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *given = hako_state_root_resolve ("/tmp/x/../y", &error);
  g_autofree char *saved = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
  g_autofree char *from_env = NULL;

  g_assert_cmpstr (given, ==, "/tmp/y");
  if (geteuid () == 0)
    {
      g_autofree char *root = hako_state_root_resolve (NULL, &error);
      g_assert_cmpstr (root, ==, "/run/hako");
      return;
    }
  g_setenv ("XDG_RUNTIME_DIR", "/run/user/4242", TRUE);
  from_env = hako_state_root_resolve (NULL, &error);
  g_assert_cmpstr (from_env, ==, "/run/user/4242/hako");
  g_unsetenv ("XDG_RUNTIME_DIR");
  g_assert_null (hako_state_root_resolve (NULL, &error));
  g_assert_nonnull (strstr (error->message, "--root"));
  if (saved)
    g_setenv ("XDG_RUNTIME_DIR", saved, TRUE);
}

static HakoState *
sample_state (void)
{
  HakoState *state = g_new0 (HakoState, 1);

  state->id = g_strdup ("c1");
  state->bundle = g_strdup ("/b");
  state->rootfs = g_strdup ("/b/rootfs");
  state->created = g_strdup ("2026-12-01T00:00:00Z");
  state->owner = getuid ();
  state->recorded = HAKO_STATUS_CREATED;
  state->annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (state->annotations, g_strdup ("org.example.a"), g_strdup ("1"));
  return state;
}

static void
test_save_load_remove (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("hako-state-XXXXXX", &error);
  g_autoptr (HakoState) state = sample_state ();
  g_autoptr (HakoState) loaded = NULL;
  g_autoptr (GPtrArray) ids = NULL;
  g_autofree char *socket_path = NULL;
  int lock_fd;

  state->pid = getpid ();
  state->pid_start = hako_process_start_time (getpid ());
  lock_fd = hako_state_lock (root, "c1", &error);
  g_assert_cmpint (lock_fd, >=, 0);
  g_assert_true (hako_state_save (root, state, &error));
  socket_path = g_build_filename (root, "c1", HAKO_EXEC_SOCKET, NULL);
  g_assert_true (g_file_set_contents (socket_path, "", 0, &error));
  loaded = hako_state_load (root, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->bundle, ==, "/b");
  g_assert_cmpint (loaded->pid, ==, getpid ());
  g_assert_cmpuint (loaded->pid_start, ==, state->pid_start);
  g_assert_cmpstr (g_hash_table_lookup (loaded->annotations, "org.example.a"), ==, "1");
  g_assert_cmpint (loaded->owner, ==, getuid ());
  g_assert_cmpint (hako_state_status (loaded), ==, HAKO_STATUS_CREATED);
  g_clear_pointer (&loaded, hako_state_free);

  /* `start` only removes exec.sock: then the container is running. */
  g_assert_cmpint (unlink (socket_path), ==, 0);
  loaded = hako_state_load (root, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hako_state_status (loaded), ==, HAKO_STATUS_RUNNING);

  ids = hako_state_list_ids (root, &error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, "c1");

  hako_state_remove (root, "c1");
  close (lock_fd);
  g_assert_null (hako_state_load (root, "c1", &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND);
  g_assert_cmpint (g_rmdir (root), ==, 0); /* nothing was left behind */
}

static void
test_status_after_exit_and_reuse (void)
{
  g_autoptr (HakoState) state = sample_state ();

  state->recorded = HAKO_STATUS_RUNNING;
  state->pid = getpid ();
  state->pid_start = hako_process_start_time (getpid ());
  g_assert_cmpint (hako_state_status (state), ==, HAKO_STATUS_RUNNING);
  /* The same pid with another start time is another process: stopped. */
  state->pid_start += 1;
  g_assert_cmpint (hako_state_status (state), ==, HAKO_STATUS_STOPPED);
  state->pid = 0;
  g_assert_cmpint (hako_state_status (state), ==, HAKO_STATUS_STOPPED);
}

static void
test_json (void)
{
  g_autoptr (HakoState) state = sample_state ();
  g_autofree char *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object;

  state->recorded = HAKO_STATUS_STOPPED;
  json = hako_state_to_json (state, FALSE);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "ociVersion"), ==, "1.3.0");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "stopped");
  g_assert_cmpint (json_object_get_int_member (object, "pid"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "bundle"), ==, "/b");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/state/ids", test_ids);
  g_test_add_func ("/state/root-resolve", test_root_resolve);
  g_test_add_func ("/state/save-load-remove", test_save_load_remove);
  g_test_add_func ("/state/status-after-exit-and-reuse", test_status_after_exit_and_reuse);
  g_test_add_func ("/state/json", test_json);
  return g_test_run ();
}
