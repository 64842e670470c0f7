/* config.json parsing: the fixtures in tests/data/config (every good one
 * loads, every bad one fails with exactly the message in its .err), the
 * runtime-spec's own schema examples, and the values a parse produces. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "error.h"
#include "spec-private.h"

#define CAP_BIT(n) (G_GUINT64_CONSTANT (1) << (n))

/* $HAKO_TEST_DATA (set by make check), else tests/data beside this file. */
static char *
data_dir (void)
{
  g_autofree char *unit_dir = NULL;

  if (g_getenv ("HAKO_TEST_DATA"))
    return g_strdup (g_getenv ("HAKO_TEST_DATA"));
  unit_dir = g_getenv ("G_TEST_SRCDIR") ? g_strdup (g_getenv ("G_TEST_SRCDIR"))
                                        : g_path_get_dirname (__FILE__);
  return g_build_filename (unit_dir, "..", "data", NULL);
}

/* A file in the runtime-spec's schema tests, or NULL (test skipped) when
 * $HAKO_SPEC_SCHEMA is not set. */
static char *
schema_file (const char *kind, const char *name)
{
  const char *schema = g_getenv ("HAKO_SPEC_SCHEMA");

  if (schema == NULL)
    {
      g_test_skip ("HAKO_SPEC_SCHEMA is not set");
      return NULL;
    }
  return g_build_filename (schema, "test", "config", kind, name, NULL);
}

static char *
read_file (const char *path, gsize *length)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static HakoSpec *
load_ok (const char *path)
{
  g_autoptr (GError) error = NULL;
  HakoSpec *spec = hako_spec_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec);
  return spec;
}

/* The error loading path's contents as config.json, or, when it loads,
 * the error checking it for create (as `hako validate` does). */
static GError *
load_error (const char *path)
{
  gsize length;
  g_autofree char *contents = read_file (path, &length);
  GError *error = NULL;
  g_autoptr (HakoSpec) spec = hako_spec_load_data (contents, length, &error);

  if (spec != NULL)
    {
      g_assert_false (hako_spec_validate_for_create (spec, &error));
      g_prefix_error (&error, "config.json: ");
    }
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  return error;
}

static HakoSpec *
load_data_ok (const char *data)
{
  g_autoptr (GError) error = NULL;
  HakoSpec *spec = hako_spec_load_data (data, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec);
  return spec;
}

/* ---- fixtures ---- */

static void
test_good_fixture (gconstpointer data)
{
  g_autoptr (HakoSpec) spec = load_ok (data);
}

static void
test_bad_fixture (gconstpointer data)
{
  const char *path = data;
  g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".json"));
  g_autofree char *err_path = g_strconcat (stem, ".err", NULL);
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_file_test (err_path, G_FILE_TEST_EXISTS))
    g_error ("%s has no .err file with its expected message", path);
  expected = g_strchomp (read_file (err_path, NULL));
  error = load_error (path);
  g_assert_cmpstr (error->message, ==, expected);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
add_fixture_tests (const char *kind, GTestDataFunc func)
{
  g_autofree char *data = data_dir ();
  g_autofree char *dir_path = g_build_filename (data, "config", kind, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - strlen (".json")));
  g_assert_cmpuint (names->len, >, 0);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *stem = names->pdata[i];
      g_autofree char *test_path = g_strdup_printf ("/spec/fixture/%s/%s", kind, stem);
      g_autofree char *file = g_strconcat (stem, ".json", NULL);

      g_test_add_data_func_full (test_path, g_build_filename (dir_path, file, NULL), func,
                                 g_free);
    }
}

/* ---- the runtime-spec's schema examples ---- */

static void
test_schema_good (void)
{
  const char *const names[] = { "minimal.json", "minimal-for-start.json", "linux-netdevice.json",
                                "linux-rdma.json" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = schema_file ("good", names[i]);
      g_autoptr (HakoSpec) spec = NULL;

      if (path == NULL)
        return;
      spec = load_ok (path);
      g_assert_cmpstr (spec->root->path, ==, "rootfs");
    }
}

static void
test_schema_bad (void)
{
  const struct
  {
    const char *name;
    const char *message;
    gboolean prefix_only;
  } cases[] = {
    { "invalid-json.json", "config.json is not valid JSON: ", TRUE },
    /* "64kB": the page size must be a power of two written with KB/MB/GB */
    { "linux-hugepage.json", "config.json: linux.resources.hugepageLimits[0].pageSize: ", TRUE },
    { "linux-netdevice.json", "config.json: linux.netDevices.eth0.name: expected a string, got a number" },
    { "linux-rdma.json", "config.json: linux.resources.rdma.mlx5_1.hcaHandles: expected an integer, got a string" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = schema_file ("bad", cases[i].name);
      g_autoptr (GError) error = NULL;

      if (path == NULL)
        return;
      error = load_error (path);
      if (cases[i].prefix_only)
        g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      else
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* spec-example.json still says "ociVersion": "0.5.0-dev" (a pre-1.0 version,
 * whose capabilities were a flat list): hako refuses that version, and
 * parses the example's body once the version says 1.x. */
static HakoSpec *
load_spec_example (void)
{
  g_autofree char *path = schema_file ("good", "spec-example.json");
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *patched = NULL;

  if (path == NULL)
    return NULL;
  error = load_error (path);
  g_assert_cmpstr (error->message, ==,
                   "config.json: ociVersion: unsupported version \"0.5.0-dev\": hako supports "
                   "1.0.0 to 1.3.0");
  contents = read_file (path, NULL);
  root = json_from_string (contents, NULL);
  g_assert_nonnull (root);
  json_object_set_string_member (json_node_get_object (root), "ociVersion", "1.0.0");
  patched = json_to_string (root, FALSE);
  return load_data_ok (patched);
}

static void
test_spec_example (void)
{
  g_autoptr (HakoSpec) spec = load_spec_example ();
  const HakoProcess *process;
  const HakoCapabilities *caps;
  const guint64 three = CAP_BIT (29) | CAP_BIT (5) | CAP_BIT (10); /* AUDIT_WRITE KILL NET_BIND_SERVICE */

  if (spec == NULL)
    return;
  g_assert_cmpstr (spec->oci_version, ==, "1.0.0");

  process = spec->process;
  g_assert_nonnull (process);
  g_assert_true (process->terminal);
  g_assert_false (process->has_console_size);
  g_assert_cmpuint (process->user.uid, ==, 1);
  g_assert_cmpuint (process->user.gid, ==, 1);
  g_assert_false (process->user.umask.set);
  g_assert_cmpuint (process->user.n_additional_gids, ==, 2);
  g_assert_cmpuint (process->user.additional_gids[0], ==, 5);
  g_assert_cmpuint (process->user.additional_gids[1], ==, 6);
  g_assert_cmpstrv (process->args, ((const char *const[]){ "sh", NULL }));
  g_assert_cmpstrv (process->env,
                    ((const char *const[]){
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        "TERM=xterm", NULL }));
  g_assert_cmpstr (process->cwd, ==, "/");
  g_assert_cmpstr (process->apparmor_profile, ==, "acme_secure_profile");
  g_assert_cmpstr (process->selinux_label, ==, "system_u:system_r:svirt_lxc_net_t:s0:c124,c675");
  g_assert_true (process->no_new_privileges);
  g_assert_false (process->oom_score_adj.set);
  g_assert_null (process->scheduler);
  g_assert_null (process->io_priority);

  caps = process->capabilities;
  g_assert_nonnull (caps);
  g_assert_true (caps->has_bounding && caps->has_permitted && caps->has_inheritable
                 && caps->has_effective && caps->has_ambient);
  g_assert_cmphex (caps->bounding, ==, three);
  g_assert_cmphex (caps->permitted, ==, three);
  g_assert_cmphex (caps->inheritable, ==, three);
  g_assert_cmphex (caps->effective, ==, CAP_BIT (29) | CAP_BIT (5));
  g_assert_cmphex (caps->ambient, ==, CAP_BIT (10));

  g_assert_cmpuint (process->n_rlimits, ==, 2);
  g_assert_cmpstr (process->rlimits[0].type, ==, "RLIMIT_CORE");
  g_assert_cmpint (process->rlimits[0].resource, ==, RLIMIT_CORE);
  g_assert_cmpuint (process->rlimits[0].soft, ==, 1024);
  g_assert_cmpuint (process->rlimits[0].hard, ==, 1024);
  g_assert_cmpstr (process->rlimits[1].type, ==, "RLIMIT_NOFILE");
  g_assert_cmpint (process->rlimits[1].resource, ==, RLIMIT_NOFILE);

  g_assert_cmpstr (spec->root->path, ==, "rootfs");
  g_assert_true (spec->root->readonly);
  g_assert_cmpstr (spec->hostname, ==, "slartibartfast");
  g_assert_cmpstr (spec->domainname, ==, "foobarbaz.test");

  g_assert_cmpuint (spec->n_mounts, ==, 7);
  g_assert_cmpstr (spec->mounts[0].destination, ==, "/proc");
  g_assert_cmpstr (spec->mounts[0].type, ==, "proc");
  g_assert_cmpstr (spec->mounts[0].source, ==, "proc");
  g_assert_null (spec->mounts[0].options);
  g_assert_null (spec->mounts[0].uid_mappings.items);
  g_assert_cmpstr (spec->mounts[2].destination, ==, "/dev/pts");
  g_assert_cmpstrv (spec->mounts[2].options,
                    ((const char *const[]){ "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                                            "mode=0620", "gid=5", NULL }));
  g_assert_cmpstr (spec->mounts[6].destination, ==, "/sys/fs/cgroup");

  g_assert_cmpuint (spec->n_hooks[HAKO_HOOK_PRESTART], ==, 2);
  g_assert_cmpstr (spec->hooks[HAKO_HOOK_PRESTART][0].path, ==, "/usr/bin/fix-mounts");
  g_assert_cmpstrv (spec->hooks[HAKO_HOOK_PRESTART][0].args,
                    ((const char *const[]){ "fix-mounts", "arg1", "arg2", NULL }));
  g_assert_cmpstrv (spec->hooks[HAKO_HOOK_PRESTART][0].env,
                    ((const char *const[]){ "key1=value1", NULL }));
  g_assert_false (spec->hooks[HAKO_HOOK_PRESTART][0].timeout.set);
  g_assert_null (spec->hooks[HAKO_HOOK_PRESTART][1].args);
  g_assert_cmpuint (spec->n_hooks[HAKO_HOOK_CREATE_RUNTIME], ==, 2);
  g_assert_cmpuint (spec->n_hooks[HAKO_HOOK_CREATE_CONTAINER], ==, 1);
  g_assert_cmpstr (spec->hooks[HAKO_HOOK_CREATE_CONTAINER][0].path, ==, "/usr/bin/mount-hook");
  g_assert_cmpuint (spec->n_hooks[HAKO_HOOK_START_CONTAINER], ==, 1);
  g_assert_cmpstr (spec->hooks[HAKO_HOOK_START_CONTAINER][0].path, ==, "/usr/bin/refresh-ldcache");
  g_assert_cmpuint (spec->n_hooks[HAKO_HOOK_POSTSTART], ==, 1);
  g_assert_true (spec->hooks[HAKO_HOOK_POSTSTART][0].timeout.set);
  g_assert_cmpint (spec->hooks[HAKO_HOOK_POSTSTART][0].timeout.value, ==, 5);
  g_assert_cmpuint (spec->n_hooks[HAKO_HOOK_POSTSTOP], ==, 1);
  g_assert_cmpstrv (spec->hooks[HAKO_HOOK_POSTSTOP][0].args,
                    ((const char *const[]){ "cleanup.sh", "-f", NULL }));

  g_assert_nonnull (spec->annotations);
  g_assert_cmpuint (g_hash_table_size (spec->annotations), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (spec->annotations, "com.example.key1"), ==, "value1");
  g_assert_cmpstr (g_hash_table_lookup (spec->annotations, "com.example.key2"), ==, "value2");
  g_assert_nonnull (spec->linux_);
}

/* ---- values from hako's own fixtures ---- */

static HakoSpec *
load_fixture (const char *kind, const char *name)
{
  g_autofree char *data = data_dir ();
  g_autofree char *path = g_build_filename (data, "config", kind, name, NULL);

  return load_ok (path);
}

static void
test_process_full (void)
{
  g_autoptr (HakoSpec) spec = load_fixture ("good", "process-full.json");
  const HakoProcess *process = spec->process;
  const HakoScheduler *scheduler = process->scheduler;

  g_assert_true (process->terminal);
  g_assert_true (process->has_console_size);
  g_assert_cmpuint (process->console_height, ==, 25);
  g_assert_cmpuint (process->console_width, ==, 80);
  g_assert_cmpstr (process->cwd, ==, "/home/user");
  g_assert_cmpstr (process->env[3], ==, "WITH_EQUALS=a=b");
  g_assert_cmpuint (g_strv_length (process->args), ==, 3);
  g_assert_cmpstr (process->command_line, ==, "sh -c \"echo hi\"");
  g_assert_cmpuint (process->user.uid, ==, G_MAXUINT32);
  g_assert_cmpuint (process->user.gid, ==, 1000);
  g_assert_true (process->user.umask.set);
  g_assert_cmpuint (process->user.umask.value, ==, 022);
  g_assert_cmpuint (process->user.n_additional_gids, ==, 3);
  g_assert_cmpuint (process->user.additional_gids[2], ==, G_MAXUINT32);
  g_assert_cmpstr (process->user.username, ==, "user");

  g_assert_cmphex (process->capabilities->bounding, ==, CAP_BIT (0) | CAP_BIT (40) | CAP_BIT (5));
  g_assert_true (process->capabilities->has_effective);
  g_assert_cmphex (process->capabilities->effective, ==, 0);
  g_assert_cmphex (process->capabilities->ambient, ==, CAP_BIT (38) | CAP_BIT (39));

  g_assert_cmpuint (process->n_rlimits, ==, 3);
  g_assert_cmpint (process->rlimits[0].resource, ==, RLIMIT_NOFILE);
  g_assert_cmpuint (process->rlimits[0].soft, ==, 1024);
  g_assert_cmpuint (process->rlimits[0].hard, ==, 4096);
  g_assert_cmpint (process->rlimits[2].resource, ==, RLIMIT_RTTIME);
  g_assert_cmpuint (process->rlimits[2].hard, ==, G_MAXINT64);

  g_assert_true (process->oom_score_adj.set);
  g_assert_cmpint (process->oom_score_adj.value, ==, -1000);
  g_assert_true (process->no_new_privileges);

  g_assert_cmpstr (scheduler->policy, ==, "SCHED_DEADLINE");
  g_assert_cmpint (scheduler->policy_value, ==, 6);
  g_assert_true (scheduler->nice.set);
  g_assert_cmpint (scheduler->nice.value, ==, -20);
  g_assert_true (scheduler->priority.set);
  g_assert_cmpint (scheduler->priority.value, ==, 0);
  g_assert_cmphex (scheduler->flags_value, ==, 0x01 | 0x40);
  g_assert_cmpuint (scheduler->runtime.value, ==, 10000000);
  g_assert_cmpuint (scheduler->deadline.value, ==, 30000000);
  g_assert_cmpuint (scheduler->period.value, ==, 100000000);

  g_assert_cmpstr (process->io_priority->class_name, ==, "IOPRIO_CLASS_IDLE");
  g_assert_cmpint (process->io_priority->class_value, ==, 3);
  g_assert_cmpint (process->io_priority->priority, ==, 7);
  g_assert_cmpstr (process->exec_cpu_affinity_initial, ==, "7");
  g_assert_cmpstr (process->exec_cpu_affinity_final, ==, "0-3, 7");
}

static void
test_top_full (void)
{
  g_autoptr (HakoSpec) spec = load_fixture ("good", "top-full.json");
  const HakoMount *data = &spec->mounts[1];

  g_assert_cmpstr (spec->oci_version, ==, "1.2.1-rc.1+build.5");
  g_assert_cmpstr (spec->root->path, ==, "/var/lib/bundle/rootfs");
  g_assert_null (spec->process);
  g_assert_null (spec->linux_);
  g_assert_cmpstr (g_hash_table_lookup (spec->annotations, "com.example.empty"), ==, "");

  /* a relative destination is interpreted relative to "/" (config.md, Linux) */
  g_assert_cmpstr (data->destination, ==, "/data");
  g_assert_cmpuint (data->uid_mappings.n, ==, 1);
  g_assert_cmpuint (data->uid_mappings.items[0].host_id, ==, 100000);
  g_assert_cmpuint (data->uid_mappings.items[0].size, ==, 65536);
  g_assert_cmpuint (data->gid_mappings.n, ==, 2);
  g_assert_cmpuint (data->gid_mappings.items[1].container_id, ==, 1);
  g_assert_cmpuint (data->gid_mappings.items[1].host_id, ==, G_MAXUINT32);

  g_assert_cmpuint (spec->n_hooks[HAKO_HOOK_CREATE_CONTAINER], ==, 0);
  g_assert_cmpint (spec->hooks[HAKO_HOOK_CREATE_RUNTIME][0].timeout.value, ==, 1);
  g_assert_cmpint (spec->hooks[HAKO_HOOK_POSTSTART][0].timeout.value, ==, G_MAXINT32);
}

static void
test_nulls_are_absent (void)
{
  g_autoptr (HakoSpec) spec = load_fixture ("good", "top-nulls.json");

  g_assert_false (spec->root->readonly);
  g_assert_null (spec->mounts);
  g_assert_null (spec->annotations);
  g_assert_null (spec->hostname);
  g_assert_null (spec->hooks[HAKO_HOOK_PRESTART]);
  g_assert_null (spec->process->env);
  g_assert_null (spec->process->command_line);
  g_assert_cmpuint (spec->process->user.uid, ==, 0);
  g_assert_false (spec->process->capabilities->has_bounding);
  g_assert_null (spec->process->rlimits);
  g_assert_false (spec->process->oom_score_adj.set);
  g_assert_null (spec->linux_);
}

/* ---- the loaders ---- */

static void
test_load_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hako-test-spec-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "my-config.json", NULL);
  g_autofree char *missing = g_build_filename (dir, "config.json", NULL);
  g_autoptr (HakoSpec) spec = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "{\"ociVersion\": \"1.3.0\", \"hostname\": 1}", -1,
                                      &error));
  spec = hako_spec_load_file (path, &error);
  g_assert_null (spec);
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, "my-config.json: hostname: expected a string, got a number");
  g_clear_error (&error);

  spec = hako_spec_load_file (missing, &error);
  g_assert_null (spec);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_load_data_length (void)
{
  const char data[] = "{\"ociVersion\": \"1.0.2\"}GARBAGE";
  g_autoptr (GError) error = NULL;
  g_autoptr (HakoSpec) spec = hako_spec_load_data (data, strlen ("{\"ociVersion\": \"1.0.2\"}"),
                                                   &error);

  g_assert_no_error (error);
  g_assert_cmpstr (spec->oci_version, ==, "1.0.2");
  g_clear_pointer (&spec, hako_spec_free);
  spec = hako_spec_load_data (data, -1, &error);
  g_assert_null (spec);
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
}

static void
test_oci_versions (void)
{
  const char *const good[] = { "1.0.0", "1.0.2-dev", "1.1.0+dirty", "1.3.0", "1.3.99",
                               "1.2.0-rc.1.alpha-2+sha.5114f85", "1.0.0-0" };
  const char *const unsupported[] = { "0.1.0", "1.4.0", "1.10.0", "2.0.0-rc.1",
                                      "1.99999999999999999999999.0" };
  const char *const malformed[] = { "", "1", "1.0", "v1.0.0", "1.0.0.0", "01.0.0", "1.0.00",
                                    "1.0.0-", "1.0.0-01", "1.0.0+", "1.0.0 ", "1.0.0\n",
                                    "1.0.0-a..b", "1.0.0-a.", "1.0.0-00", "1.0.0+a..b",
                                    "1.0.0-a_b", "1.0.0+", "-1.0.0", "1.0.0-.a" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *doc = g_strdup_printf ("{\"ociVersion\": \"%s\"}", good[i]);
      g_autoptr (HakoSpec) spec = load_data_ok (doc);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (unsupported) + G_N_ELEMENTS (malformed); i++)
    {
      gboolean is_unsupported = i < G_N_ELEMENTS (unsupported);
      const char *version = is_unsupported ? unsupported[i] : malformed[i - G_N_ELEMENTS (unsupported)];
      g_autoptr (JsonNode) doc = json_node_new (JSON_NODE_OBJECT);
      g_autoptr (JsonObject) object = json_object_new ();
      g_autofree char *text = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (HakoSpec) spec = NULL;

      json_object_set_string_member (object, "ociVersion", version);
      json_node_set_object (doc, object);
      text = json_to_string (doc, FALSE);
      spec = hako_spec_load_data (text, -1, &error);
      g_assert_null (spec);
      g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
      g_assert_true (g_str_has_prefix (error->message,
                                       is_unsupported ? "config.json: ociVersion: unsupported version"
                                                      : "config.json: ociVersion: \""));
    }
}

/* ---- create-time checks ---- */

static void
test_validate_for_create (void)
{
  const struct
  {
    const char *doc;
    const char *message; /* NULL: valid */
  } cases[] = {
    { "{\"ociVersion\": \"1.0.0\", \"root\": {\"path\": \"rootfs\"}}",
      "process: required property is missing" },
    { "{\"ociVersion\": \"1.0.0\", \"process\": {\"cwd\": \"/\", \"args\": [\"sh\"]}}",
      "root: required property is missing" },
    { "{\"ociVersion\": \"1.0.0\", \"root\": {\"path\": \"rootfs\"}, \"process\": {\"cwd\": \"/\"}}",
      "process.args: at least one entry (the program to run) is required" },
    { "{\"ociVersion\": \"1.0.0\", \"root\": {\"path\": \"rootfs\"},"
      " \"process\": {\"cwd\": \"/\", \"args\": []}}",
      "process.args: at least one entry (the program to run) is required" },
    { "{\"ociVersion\": \"1.0.0\", \"root\": {\"path\": \"rootfs\"},"
      " \"process\": {\"cwd\": \"/\", \"args\": [\"\"]}}",
      NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (HakoSpec) spec = load_data_ok (cases[i].doc);
      g_autoptr (GError) error = NULL;
      gboolean ok = hako_spec_validate_for_create (spec, &error);

      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
  {
    g_autofree char *path = schema_file ("good", "minimal-for-start.json");
    g_autoptr (HakoSpec) spec = NULL;
    g_autoptr (GError) error = NULL;

    if (path == NULL)
      return;
    spec = load_ok (path);
    g_assert_true (hako_spec_validate_for_create (spec, &error));
    g_assert_no_error (error);
  }
}

/* ---- tables ---- */

static void
test_capability_table (void)
{
  g_assert_cmpint (hako_capability_last (), ==, 40);
  for (int cap = 0; cap <= hako_capability_last (); cap++)
    {
      const char *name = hako_capability_name (cap);
      g_assert_nonnull (name);
      g_assert_true (g_str_has_prefix (name, "CAP_"));
      g_assert_cmpint (hako_capability_from_name (name), ==, cap);
    }
  g_assert_cmpstr (hako_capability_name (0), ==, "CAP_CHOWN");
  g_assert_cmpstr (hako_capability_name (21), ==, "CAP_SYS_ADMIN");
  g_assert_cmpstr (hako_capability_name (40), ==, "CAP_CHECKPOINT_RESTORE");
  g_assert_null (hako_capability_name (-1));
  g_assert_null (hako_capability_name (41));
  g_assert_cmpint (hako_capability_from_name ("CAP_FOO"), ==, -1);
  g_assert_cmpint (hako_capability_from_name ("chown"), ==, -1);
  g_assert_cmpint (hako_capability_from_name (""), ==, -1);
}

static void
test_rlimit_table (void)
{
  const char *const names[] = { "RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA",
                                "RLIMIT_FSIZE", "RLIMIT_LOCKS", "RLIMIT_MEMLOCK",
                                "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE", "RLIMIT_NPROC",
                                "RLIMIT_RSS", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
                                "RLIMIT_SIGPENDING", "RLIMIT_STACK" };
  guint64 seen = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      int resource = hako_rlimit_from_name (names[i]);
      g_assert_cmpint (resource, >=, 0);
      g_assert_cmpint (resource, <, RLIMIT_NLIMITS);
      g_assert_false (seen & (G_GUINT64_CONSTANT (1) << resource));
      seen |= G_GUINT64_CONSTANT (1) << resource;
    }
  g_assert_cmpint (hako_rlimit_from_name ("RLIMIT_NOFILE"), ==, RLIMIT_NOFILE);
  g_assert_cmpint (hako_rlimit_from_name ("RLIMIT_FOO"), ==, -1);
  g_assert_cmpint (hako_rlimit_from_name ("NOFILE"), ==, -1);
}

static void
test_namespace_and_hook_tables (void)
{
  const char *const hooks[] = { "prestart", "createRuntime", "createContainer", "startContainer",
                                "poststart", "poststop" };
  int all_flags = 0;

  for (int kind = 0; kind < HAKO_HOOK_N_KINDS; kind++)
    g_assert_cmpstr (hako_hook_kind_names[kind], ==, hooks[kind]);
  g_assert_cmpstr (hako_namespace_kind_name (HAKO_NS_NETWORK), ==, "network");
  g_assert_cmpstr (hako_namespace_kind_name (HAKO_NS_TIME), ==, "time");
  g_assert_cmphex (hako_namespace_kind_clone_flag (HAKO_NS_USER), ==, 0x10000000);
  g_assert_cmphex (hako_namespace_kind_clone_flag (HAKO_NS_TIME), ==, 0x80);
  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    {
      int flag = hako_namespace_kind_clone_flag (kind);
      g_assert_nonnull (hako_namespace_kind_name (kind));
      g_assert_cmpint (flag, !=, 0);
      g_assert_false (all_flags & flag);
      all_flags |= flag;
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add_fixture_tests ("good", test_good_fixture);
  add_fixture_tests ("bad", test_bad_fixture);
  g_test_add_func ("/spec/schema/good", test_schema_good);
  g_test_add_func ("/spec/schema/bad", test_schema_bad);
  g_test_add_func ("/spec/schema/spec-example", test_spec_example);
  g_test_add_func ("/spec/values/process-full", test_process_full);
  g_test_add_func ("/spec/values/top-full", test_top_full);
  g_test_add_func ("/spec/values/nulls-are-absent", test_nulls_are_absent);
  g_test_add_func ("/spec/load/file", test_load_file);
  g_test_add_func ("/spec/load/data-length", test_load_data_length);
  g_test_add_func ("/spec/load/oci-versions", test_oci_versions);
  g_test_add_func ("/spec/validate-for-create", test_validate_for_create);
  g_test_add_func ("/spec/tables/capabilities", test_capability_table);
  g_test_add_func ("/spec/tables/rlimits", test_rlimit_table);
  g_test_add_func ("/spec/tables/namespaces-and-hooks", test_namespace_and_hook_tables);
  return g_test_run ();
}
