#include "config.h"

#include <string.h>

#include "error.h"
#include "exec.h"
#include "i18n.h"
#include "lsm.h"

static gboolean
parse_id (const char *text, const char *option, guint32 *out, GError **error)
{
  guint64 value;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32 - 1, &value, NULL))
    {
      *out = value;
      return TRUE;
    }
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
               _("%s: \"%s\" is not a numeric id: give a number such as 1000 (names are not looked up)"),
               option, text);
  return FALSE;
}

/* --user UID[:GID]: the gid stays the process's when it is not given. */
static gboolean
apply_user (HakoUser *user, const char *text, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ":", 2);

  if (!parse_id (parts[0], "--user", &user->uid, error)
      || (parts[1] && !parse_id (parts[1], "--user", &user->gid, error)))
    return FALSE;
  g_clear_pointer (&user->username, g_free);
  return TRUE;
}

static gboolean
apply_additional_gids (HakoUser *user, const char *const *gids, GError **error)
{
  guint n = g_strv_length ((char **) gids);

  user->additional_gids = g_renew (guint32, user->additional_gids, user->n_additional_gids + n);
  for (guint i = 0; i < n; i++)
    if (!parse_id (gids[i], "--additional-gids", &user->additional_gids[user->n_additional_gids++],
                   error))
      return FALSE;
  return TRUE;
}

/* --env NAME=VALUE replaces NAME's entry, or adds one. */
static gboolean
apply_env (HakoProcess *process, const char *const *env, GError **error)
{
  for (; env && *env; env++)
    {
      const char *equals = strchr (*env, '=');
      gsize name_len = equals ? (gsize) (equals - *env) : 0;
      guint n = g_strv_length (process->env), i;

      if (name_len == 0)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                       _("--env \"%s\": give NAME=VALUE, with a name"), *env);
          return FALSE;
        }
      for (i = 0; i < n; i++)
        if (strncmp (process->env[i], *env, name_len + 1) == 0)
          break;
      if (i == n)
        {
          process->env = g_renew (char *, process->env, n + 2);
          process->env[n + 1] = NULL;
        }
      else
        g_free (process->env[i]);
      process->env[i] = g_strdup (*env);
    }
  return TRUE;
}

/* --cap as runc's: bounding, effective and permitted; ambient too when the
 * process has an inheritable set, without which ambient cannot hold it. */
static gboolean
apply_caps (HakoProcess *process, const char *const *caps, GError **error)
{
  HakoCapabilities *set;

  if (caps == NULL || *caps == NULL)
    return TRUE;
  if (process->capabilities == NULL)
    process->capabilities = g_new0 (HakoCapabilities, 1);
  set = process->capabilities;
  for (; *caps; caps++)
    {
      int cap = hako_capability_from_name (*caps);
      guint64 bit;

      if (cap < 0)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                       _("--cap \"%s\": not a capability hako knows: give a name such as CAP_NET_RAW"),
                       *caps);
          return FALSE;
        }
      bit = G_GUINT64_CONSTANT (1) << cap;
      set->bounding |= bit;
      set->effective |= bit;
      set->permitted |= bit;
      set->has_bounding = set->has_effective = set->has_permitted = TRUE;
      if (set->has_inheritable)
        {
          set->ambient |= bit;
          set->has_ambient = TRUE;
        }
    }
  return TRUE;
}

static gboolean
apply_overrides (HakoProcess *process, const HakoExecProcessOptions *options, GError **error)
{
  if (options->args)
    {
      g_strfreev (process->args);
      process->args = g_strdupv ((char **) options->args);
    }
  if (options->tty)
    process->terminal = TRUE;
  if (options->cwd)
    {
      if (!g_path_is_absolute (options->cwd))
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                       _("--cwd \"%s\": give an absolute path in the container"), options->cwd);
          return FALSE;
        }
      g_free (process->cwd);
      process->cwd = g_strdup (options->cwd);
    }
  if (options->no_new_privs)
    process->no_new_privileges = TRUE;
  if (options->process_label)
    {
      g_free (process->selinux_label);
      process->selinux_label = g_strdup (options->process_label);
    }
  if (options->apparmor)
    {
      g_free (process->apparmor_profile);
      process->apparmor_profile = g_strdup (options->apparmor);
    }
  return (options->user == NULL || apply_user (&process->user, options->user, error))
         && (options->additional_gids == NULL
             || apply_additional_gids (&process->user, options->additional_gids, error))
         && apply_env (process, options->env, error) && apply_caps (process, options->caps, error);
}

gboolean
hako_exec_spec_prepare (HakoSpec *spec, const HakoExecProcessOptions *options, GError **error)
{
  gboolean container_no_new_privs = spec->process && spec->process->no_new_privileges;

  if (options->process_file && !hako_spec_load_process_file (spec, options->process_file, error))
    return FALSE;
  if (!apply_overrides (spec->process, options, error))
    return FALSE;
  spec->process->no_new_privileges |= container_no_new_privs;
  if (!hako_spec_validate_for_create (spec, error))
    {
      g_prefix_error (error, "%s: ", options->process_file ? options->process_file : "exec");
      return FALSE;
    }
  g_clear_pointer (&spec->hostname, g_free);
  g_clear_pointer (&spec->domainname, g_free);
  if (spec->linux_)
    {
      g_clear_pointer (&spec->linux_->sysctl, g_hash_table_unref);
      g_clear_pointer (&spec->linux_->mount_label, g_free);
    }
  return hako_lsm_check (spec, "/sys", error);
}
