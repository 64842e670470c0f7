/* `hako sandbox`'s config: it loads back through hako's own parser and
 * says what the options asked; malformed options are refused by name. */
#include "config.h"

#include <string.h>

#include "error.h"
#include "sandbox-config.h"
#include "spec.h"

static void
base (HakoSandboxConfig *config)
{
  const char *const argv[] = { "make", "-j2", NULL };

  config->argv = g_strdupv ((char **) argv);
  config->cwd = g_strdup ("/tmp");
  config->home = g_strdup ("/home/alice");
  config->uid = 1234;
  config->gid = 5678;
}

static HakoSpec *
load (const HakoSandboxConfig *config)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = hako_sandbox_config_generate (config, &error);
  HakoSpec *spec;

  g_assert_no_error (error);
  spec = hako_spec_load_data (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (hako_spec_validate_for_create (spec, &error));
  return spec;
}

/* The last mount on DESTINATION: the one the sandbox sees. */
static const HakoMount *
find_mount (const HakoSpec *spec, const char *destination)
{
  for (guint i = spec->n_mounts; i-- > 0;)
    if (g_str_equal (spec->mounts[i].destination, destination))
      return &spec->mounts[i];
  return NULL;
}

static const char *
annotation (const HakoSpec *spec, const char *name)
{
  return spec->annotations ? g_hash_table_lookup (spec->annotations, name) : NULL;
}

static void
test_defaults (void)
{
  g_auto (HakoSandboxConfig) config = { 0 };
  g_autoptr (HakoSpec) spec = NULL;

  base (&config);
  spec = load (&config);
  g_assert_cmpstr (spec->process->args[0], ==, "make");
  g_assert_cmpstr (spec->process->cwd, ==, "/tmp");
  g_assert_cmpuint (spec->process->user.uid, ==, 1234);
  g_assert_cmpuint (spec->linux_->uid_mappings.n, ==, 1);
  g_assert_cmpuint (spec->linux_->uid_mappings.items[0].container_id, ==, 1234);
  g_assert_cmpuint (spec->linux_->uid_mappings.items[0].host_id, ==, 1234);
  g_assert_cmpuint (spec->linux_->gid_mappings.items[0].host_id, ==, 5678);
  g_assert_cmpstr (spec->root->path, ==, "/");
  g_assert_false (spec->root->readonly);
  g_assert_cmpstr (annotation (spec, "org.hako.rootfs"), ==, "overlay");
  g_assert_null (annotation (spec, "org.hako.network"));
  g_assert_cmpstr (spec->hostname, ==, "sandbox");
  g_assert_true (spec->process->no_new_privileges);
  for (int ns = 0; ns < HAKO_NS_N_KINDS; ns++)
    if (ns != HAKO_NS_TIME)
      g_assert_true (spec->linux_->namespaces[ns].present);
  g_assert_cmpstr (find_mount (spec, "/tmp")->type, ==, "bind"); /* the cwd, over the tmpfs */
  g_assert_cmpstr (find_mount (spec, "/run")->type, ==, "tmpfs");
  g_assert_cmpstr (find_mount (spec, "/home/alice")->type, ==, "tmpfs");
  g_assert_cmpstr (find_mount (spec, "/sys")->type, ==, "sysfs");
  g_assert_null (spec->linux_->resources->memory);
}

static void
test_options (void)
{
  g_auto (HakoSandboxConfig) config = { 0 };
  g_autoptr (HakoSpec) spec = NULL;
  const char *const env[] = { "A=b", NULL };
  const char *const tmpfs[] = { "/opt", NULL };

  base (&config);
  config.root = TRUE;
  config.net = TRUE;
  config.share_home = TRUE;
  config.no_overlay = TRUE;
  config.clearenv = TRUE;
  config.env = g_strdupv ((char **) env);
  config.tmpfs = g_strdupv ((char **) tmpfs);
  config.hostname = g_strdup ("builder");
  config.memory = g_strdup ("64m");
  config.cpus = g_strdup ("1.5");
  config.pids = 20;
  spec = load (&config);
  g_assert_cmpuint (spec->process->user.uid, ==, 0);
  g_assert_cmpstr (spec->root->path, ==, HAKO_SANDBOX_ROOTFS);
  g_assert_true (spec->root->readonly);
  g_assert_cmpstr (annotation (spec, "org.hako.rootfs"), ==, "bind");
  g_assert_cmpstr (annotation (spec, "org.hako.network"), ==, "slirp");
  g_assert_cmpstr (spec->hostname, ==, "builder");
  g_assert_cmpstr (find_mount (spec, "/home/alice")->type, ==, "bind");
  g_assert_cmpstr (find_mount (spec, "/opt")->type, ==, "tmpfs");
  g_assert_cmpstr (spec->process->env[0], ==, "PWD=/tmp");
  g_assert_cmpstr (spec->process->env[1], ==, "A=b");
  g_assert_null (spec->process->env[2]);
  g_assert_cmpint (spec->linux_->resources->memory->limit.value, ==, 64 << 20);
  g_assert_cmpint (spec->linux_->resources->cpu->quota.value, ==, 150000);
  g_assert_cmpuint (spec->linux_->resources->cpu->period.value, ==, 100000);
  g_assert_cmpint (spec->linux_->resources->pids_limit.value, ==, 20);
  g_assert_true (hako_sandbox_config_has_limits (&config));
}

/* FIELD = VALUE makes generate fail with a message containing NEEDLE. */
static void
assert_refused (void (*set) (HakoSandboxConfig *config), const char *needle)
{
  g_auto (HakoSandboxConfig) config = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;

  base (&config);
  set (&config);
  json = hako_sandbox_config_generate (&config, &error);
  g_assert_null (json);
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("\"%s\" lacks \"%s\"", error->message, needle);
}

static void set_bad_memory (HakoSandboxConfig *c) { c->memory = g_strdup ("12x"); }
static void set_bad_cpus (HakoSandboxConfig *c) { c->cpus = g_strdup ("0"); }
static void set_bad_env (HakoSandboxConfig *c) { c->env = g_strsplit ("NOVALUE", ",", -1); }
static void set_bad_tmpfs (HakoSandboxConfig *c) { c->tmpfs = g_strsplit ("relative", ",", -1); }
static void set_missing_source (HakoSandboxConfig *c) { c->binds = g_strsplit ("/nonexistent-hako:/x", ",", -1); }
static void set_bad_destination (HakoSandboxConfig *c) { c->ro_binds = g_strsplit ("/tmp:relative", ",", -1); }
static void set_missing_seccomp (HakoSandboxConfig *c) { c->seccomp = g_strdup ("/nonexistent-hako.json"); }

static void
test_refusals (void)
{
  assert_refused (set_bad_memory, "--memory 12x: expected a size in bytes");
  assert_refused (set_bad_cpus, "--cpus 0: expected a number of CPUs");
  assert_refused (set_bad_env, "--env NOVALUE: expected NAME=VALUE");
  assert_refused (set_bad_tmpfs, "--tmpfs relative: expected an absolute path");
  assert_refused (set_missing_source, "the source /nonexistent-hako does not exist");
  assert_refused (set_bad_destination, "--ro-bind /tmp:relative: expected SRC[:DST]");
  assert_refused (set_missing_seccomp, "--seccomp /nonexistent-hako.json");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sandbox-config/defaults", test_defaults);
  g_test_add_func ("/sandbox-config/options", test_options);
  g_test_add_func ("/sandbox-config/refusals", test_refusals);
  return g_test_run ();
}
