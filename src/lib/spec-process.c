/* config.json "process": the container's first program and how it runs
 * (config.md, "Process", "POSIX process", "Linux Process", "User"). */
#include "config.h"

#include <string.h>

#include "error.h"
#include "i18n.h"
#include "spec-private.h"

/* Indexed by the kernel's value: SCHED_OTHER is 0 ... SCHED_DEADLINE is 6. */
static const char *const scheduler_policies[] = {
  "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE",
  "SCHED_DEADLINE", NULL,
};

/* Indexed by bit: SCHED_FLAG_RESET_ON_FORK is 0x01 ... SCHED_FLAG_UTIL_CLAMP_MAX is 0x40. */
static const char *const scheduler_flags[] = {
  "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN",
  "SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
  "SCHED_FLAG_UTIL_CLAMP_MAX", NULL,
};

/* Indexed by the kernel's value minus one: IOPRIO_CLASS_RT is 1. */
static const char *const io_priority_classes[] = {
  "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", NULL,
};

/* The position of value in choices, or an error naming the choices. */
static gboolean
choice_index (const char *value, const char *path, const char *const *choices, int *index,
              GError **error)
{
  for (int i = 0; choices[i] != NULL; i++)
    if (strcmp (choices[i], value) == 0)
      {
        *index = i;
        return TRUE;
      }
  return hako_spec_require_one_of (value, path, choices, error);
}

static gboolean
member_choice (JsonObject *object, const char *path, const char *member,
               const char *const *choices, char **name, int *index, GError **error)
{
  g_autofree char *member_path = hako_json_path_member (path, member);

  return hako_json_member_string (object, path, member, HAKO_JSON_REQUIRED, name, error)
         && choice_index (*name, member_path, choices, index, error);
}

static gboolean
parse_console_size (JsonObject *object, const char *path, HakoProcess *process, GError **error)
{
  JsonObject *size = NULL;
  g_autofree char *size_path = NULL;
  /* TIOCSWINSZ takes unsigned shorts. */
  HakoOptUint height = { FALSE, 0 }, width = { FALSE, 0 };

  if (!hako_json_member_object (object, path, "consoleSize", HAKO_JSON_OPTIONAL, &size,
                                &size_path, error))
    return FALSE;
  if (size == NULL)
    return TRUE;
  if (!hako_json_member_uint (size, size_path, "height", HAKO_JSON_REQUIRED, G_MAXUINT16,
                              &height, error)
      || !hako_json_member_uint (size, size_path, "width", HAKO_JSON_REQUIRED, G_MAXUINT16,
                                 &width, error))
    return FALSE;
  process->has_console_size = TRUE;
  process->console_height = height.value;
  process->console_width = width.value;
  return TRUE;
}

static gboolean
parse_cwd (JsonObject *object, const char *path, HakoProcess *process, GError **error)
{
  g_autofree char *cwd_path = hako_json_path_member (path, "cwd");

  return hako_json_member_string (object, path, "cwd", HAKO_JSON_REQUIRED, &process->cwd, error)
         && hako_spec_require_absolute (process->cwd, cwd_path, error);
}

static gboolean
parse_additional_gids (JsonObject *object, const char *path, HakoUser *user, GError **error)
{
  JsonArray *array = NULL;
  g_autofree char *array_path = NULL;

  if (!hako_json_member_array (object, path, "additionalGids", HAKO_JSON_OPTIONAL, &array,
                               &array_path, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  user->n_additional_gids = json_array_get_length (array);
  user->additional_gids = g_new0 (guint32, user->n_additional_gids);
  for (guint i = 0; i < user->n_additional_gids; i++)
    {
      g_autofree char *element_path = hako_json_path_index (array_path, i);
      guint64 gid;

      if (!hako_json_node_uint (json_array_get_element (array, i), element_path, G_MAXUINT32,
                                &gid, error))
        return FALSE;
      user->additional_gids[i] = gid;
    }
  return TRUE;
}

/* uid and gid are REQUIRED for the POSIX user; without "user" the process
 * runs as 0:0 in the container. */
static gboolean
parse_user (JsonObject *object, const char *path, HakoUser *user, GError **error)
{
  JsonObject *user_object = NULL;
  g_autofree char *user_path = NULL;

  if (!hako_json_member_object (object, path, "user", HAKO_JSON_OPTIONAL, &user_object,
                                &user_path, error))
    return FALSE;
  return user_object == NULL
         || (hako_spec_member_uint32 (user_object, user_path, "uid", &user->uid, error)
             && hako_spec_member_uint32 (user_object, user_path, "gid", &user->gid, error)
             && hako_json_member_uint (user_object, user_path, "umask", HAKO_JSON_OPTIONAL,
                                       0777, &user->umask, error)
             && parse_additional_gids (user_object, user_path, user, error)
             && hako_json_member_string (user_object, user_path, "username",
                                         HAKO_JSON_OPTIONAL, &user->username, error));
}

/* A name that is not of the CAP_* form is a mistake in the config, so it
 * is an error. A well-formed name hako does not know (a newer kernel's, or
 * a typo) cannot be granted: config.md asks runtimes to log a warning and
 * not fail, so it is kept aside for the process setup to warn about. */
static gboolean
is_capability_name (const char *name)
{
  if (!g_str_has_prefix (name, "CAP_") || name[4] == '\0')
    return FALSE;
  for (const char *c = name + 4; *c; c++)
    if (!g_ascii_isupper (*c) && !g_ascii_isdigit (*c) && *c != '_')
      return FALSE;
  return TRUE;
}

static gboolean
parse_capability_set (JsonObject *object, const char *path, const char *member, gboolean *has,
                      guint64 *mask, GPtrArray **unknown, GError **error)
{
  g_auto (GStrv) names = NULL;

  if (!hako_json_member_strv (object, path, member, HAKO_JSON_OPTIONAL, &names, error))
    return FALSE;
  if (names == NULL)
    return TRUE;
  *has = TRUE;
  for (guint i = 0; names[i] != NULL; i++)
    {
      int cap = hako_capability_from_name (names[i]);
      g_autofree char *element_path = NULL;

      if (cap >= 0)
        {
          *mask |= G_GUINT64_CONSTANT (1) << cap;
          continue;
        }
      element_path = hako_spec_element_path (path, member, i);
      if (!is_capability_name (names[i]))
        return hako_json_invalid (error, element_path,
                                  _("\"%s\" is not a capability name like \"CAP_CHOWN\""), names[i]);
      if (*unknown == NULL)
        *unknown = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (*unknown, g_strdup_printf ("%s: %s", element_path, names[i]));
    }
  return TRUE;
}

static gboolean
parse_capabilities (JsonObject *object, const char *path, gpointer item, GError **error)
{
  HakoCapabilities *caps = item;

  return parse_capability_set (object, path, "bounding", &caps->has_bounding, &caps->bounding,
                               &caps->unknown, error)
         && parse_capability_set (object, path, "effective", &caps->has_effective,
                                  &caps->effective, &caps->unknown, error)
         && parse_capability_set (object, path, "inheritable", &caps->has_inheritable,
                                  &caps->inheritable, &caps->unknown, error)
         && parse_capability_set (object, path, "permitted", &caps->has_permitted,
                                  &caps->permitted, &caps->unknown, error)
         && parse_capability_set (object, path, "ambient", &caps->has_ambient, &caps->ambient,
                                  &caps->unknown, error);
}

static gboolean
parse_rlimit (JsonObject *object, const char *path, gpointer item, GError **error)
{
  HakoRlimit *rlimit = item;
  g_autofree char *type_path = hako_json_path_member (path, "type");
  HakoOptUint soft = { FALSE, 0 }, hard = { FALSE, 0 };

  if (!hako_json_member_string (object, path, "type", HAKO_JSON_REQUIRED, &rlimit->type, error))
    return FALSE;
  rlimit->resource = hako_rlimit_from_name (rlimit->type);
  if (rlimit->resource < 0)
    return hako_json_invalid (error, type_path, _("unknown resource limit \"%s\""), rlimit->type);
  if (!hako_json_member_uint (object, path, "soft", HAKO_JSON_REQUIRED, G_MAXUINT64, &soft,
                              error)
      || !hako_json_member_uint (object, path, "hard", HAKO_JSON_REQUIRED, G_MAXUINT64, &hard,
                                 error))
    return FALSE;
  rlimit->soft = soft.value;
  rlimit->hard = hard.value;
  if (rlimit->soft > rlimit->hard)
    return hako_json_invalid (error, path, _("soft limit %llu is above hard limit %llu"),
                              (unsigned long long) rlimit->soft,
                              (unsigned long long) rlimit->hard);
  return TRUE;
}

/* "If rlimits contains duplicated entries with same type, the runtime MUST
 * generate an error." */
static gboolean
parse_rlimits (JsonObject *object, const char *path, HakoProcess *process, GError **error)
{
  if (!hako_spec_parse_object_array (object, path, "rlimits", sizeof (HakoRlimit), parse_rlimit,
                                     (gpointer *) &process->rlimits, &process->n_rlimits, error))
    return FALSE;
  for (guint i = 0; i < process->n_rlimits; i++)
    for (guint j = 0; j < i; j++)
      if (process->rlimits[i].resource == process->rlimits[j].resource)
        {
          g_autofree char *element_path = hako_spec_element_path (path, "rlimits", i);
          g_autofree char *type_path = hako_json_path_member (element_path, "type");
          g_autofree char *first_path = hako_spec_element_path (path, "rlimits", j);

          return hako_json_invalid (error, type_path, _("%s is already set by %s"),
                                    process->rlimits[i].type, first_path);
        }
  return TRUE;
}

static gboolean
parse_scheduler_flags (JsonObject *object, const char *path, HakoScheduler *scheduler,
                       GError **error)
{
  if (!hako_json_member_strv (object, path, "flags", HAKO_JSON_OPTIONAL, &scheduler->flags,
                              error))
    return FALSE;
  for (guint i = 0; scheduler->flags != NULL && scheduler->flags[i] != NULL; i++)
    {
      g_autofree char *element_path = hako_spec_element_path (path, "flags", i);
      int bit = 0;

      if (!choice_index (scheduler->flags[i], element_path, scheduler_flags, &bit, error))
        return FALSE;
      scheduler->flags_value |= G_GUINT64_CONSTANT (1) << bit;
    }
  return TRUE;
}

static gboolean
parse_scheduler (JsonObject *object, const char *path, gpointer item, GError **error)
{
  HakoScheduler *scheduler = item;

  return member_choice (object, path, "policy", scheduler_policies, &scheduler->policy,
                        &scheduler->policy_value, error)
         && hako_json_member_int (object, path, "nice", HAKO_JSON_OPTIONAL, G_MININT32,
                                  G_MAXINT32, &scheduler->nice, error)
         && hako_json_member_int (object, path, "priority", HAKO_JSON_OPTIONAL, G_MININT32,
                                  G_MAXINT32, &scheduler->priority, error)
         && parse_scheduler_flags (object, path, scheduler, error)
         && hako_json_member_uint (object, path, "runtime", HAKO_JSON_OPTIONAL, G_MAXUINT64,
                                   &scheduler->runtime, error)
         && hako_json_member_uint (object, path, "deadline", HAKO_JSON_OPTIONAL, G_MAXUINT64,
                                   &scheduler->deadline, error)
         && hako_json_member_uint (object, path, "period", HAKO_JSON_OPTIONAL, G_MAXUINT64,
                                   &scheduler->period, error);
}

/* priority is REQUIRED by config.md (the schema leaves it optional), from 0
 * (highest) to 7 (lowest). */
static gboolean
parse_io_priority (JsonObject *object, const char *path, gpointer item, GError **error)
{
  HakoIoPriority *io = item;
  HakoOptInt priority = { FALSE, 0 };
  int class_index;

  if (!member_choice (object, path, "class", io_priority_classes, &io->class_name, &class_index,
                      error)
      || !hako_json_member_int (object, path, "priority", HAKO_JSON_REQUIRED, 0, 7, &priority,
                                error))
    return FALSE;
  io->class_value = class_index + 1;
  io->priority = priority.value;
  return TRUE;
}

/* Both lists match the schema's ^[0-9, -]*$ ("0-3,7"). */
static gboolean
member_cpu_list (JsonObject *object, const char *path, const char *member, char **out,
                 GError **error)
{
  g_autofree char *member_path = hako_json_path_member (path, member);

  if (!hako_json_member_string (object, path, member, HAKO_JSON_OPTIONAL, out, error))
    return FALSE;
  if (*out != NULL && (*out)[strspn (*out, "0123456789, -")] != '\0')
    return hako_json_invalid (error, member_path,
                              _("\"%s\" is not a list of CPUs like \"0-3,7\""), *out);
  return TRUE;
}

static gboolean
parse_exec_cpu_affinity (JsonObject *object, const char *path, HakoProcess *process,
                         GError **error)
{
  JsonObject *affinity = NULL;
  g_autofree char *affinity_path = NULL;

  if (!hako_json_member_object (object, path, "execCPUAffinity", HAKO_JSON_OPTIONAL, &affinity,
                                &affinity_path, error))
    return FALSE;
  return affinity == NULL
         || (member_cpu_list (affinity, affinity_path, "initial",
                              &process->exec_cpu_affinity_initial, error)
             && member_cpu_list (affinity, affinity_path, "final",
                                 &process->exec_cpu_affinity_final, error));
}

/* *out is set first, so on error hako_spec_free releases what was read. */
gboolean
hako_spec_parse_process (JsonObject *object, const char *path, HakoProcess **out,
                         GError **error)
{
  HakoProcess *process = *out = g_new0 (HakoProcess, 1);

  return hako_json_member_bool (object, path, "terminal", &process->terminal, error)
         && parse_console_size (object, path, process, error)
         && parse_cwd (object, path, process, error)
         && hako_spec_parse_env (object, path, "env", &process->env, error)
         && hako_json_member_strv (object, path, "args", HAKO_JSON_OPTIONAL, &process->args,
                                   error)
         && hako_json_member_string (object, path, "commandLine", HAKO_JSON_OPTIONAL,
                                     &process->command_line, error)
         && parse_user (object, path, &process->user, error)
         && hako_spec_parse_object_member (object, path, "capabilities",
                                           sizeof (HakoCapabilities), parse_capabilities,
                                           (gpointer *) &process->capabilities, error)
         && parse_rlimits (object, path, process, error)
         && hako_json_member_string (object, path, "apparmorProfile", HAKO_JSON_OPTIONAL,
                                     &process->apparmor_profile, error)
         && hako_json_member_int (object, path, "oomScoreAdj", HAKO_JSON_OPTIONAL, -1000, 1000,
                                  &process->oom_score_adj, error)
         && hako_json_member_string (object, path, "selinuxLabel", HAKO_JSON_OPTIONAL,
                                     &process->selinux_label, error)
         && hako_json_member_bool (object, path, "noNewPrivileges",
                                   &process->no_new_privileges, error)
         && hako_spec_parse_object_member (object, path, "scheduler", sizeof (HakoScheduler),
                                           parse_scheduler, (gpointer *) &process->scheduler,
                                           error)
         && hako_spec_parse_object_member (object, path, "ioPriority", sizeof (HakoIoPriority),
                                           parse_io_priority, (gpointer *) &process->io_priority,
                                           error)
         && parse_exec_cpu_affinity (object, path, process, error);
}

void
hako_process_free (HakoProcess *process)
{
  if (process == NULL)
    return;
  g_free (process->cwd);
  g_strfreev (process->env);
  g_strfreev (process->args);
  g_free (process->command_line);
  g_free (process->user.additional_gids);
  g_free (process->user.username);
  if (process->capabilities)
    g_clear_pointer (&process->capabilities->unknown, g_ptr_array_unref);
  g_free (process->capabilities);
  for (guint i = 0; i < process->n_rlimits; i++)
    g_free (process->rlimits[i].type);
  g_free (process->rlimits);
  g_free (process->apparmor_profile);
  g_free (process->selinux_label);
  if (process->scheduler)
    {
      g_free (process->scheduler->policy);
      g_strfreev (process->scheduler->flags);
    }
  g_free (process->scheduler);
  if (process->io_priority)
    g_free (process->io_priority->class_name);
  g_free (process->io_priority);
  g_free (process->exec_cpu_affinity_initial);
  g_free (process->exec_cpu_affinity_final);
  g_free (process);
}
