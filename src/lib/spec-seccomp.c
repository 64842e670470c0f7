/* linux.seccomp (config-linux.md, "Seccomp"). Only names are checked here;
 * seccomp.c resolves them with libseccomp when the filter is built. */
#include "config.h"

#include "error.h"
#include "i18n.h"
#include "seccomp-names.h"
#include "spec-private.h"

/* The syscall arguments a filter can inspect: seccomp_data.args[0..5]. */
#define MAX_ARG_INDEX 5

static gboolean
read_action (JsonObject *object, const char *path, const char *member, char **out,
             GError **error)
{
  g_autofree char *member_path = hako_json_path_member (path, member);

  return hako_json_member_string (object, path, member, HAKO_JSON_REQUIRED, out, error)
         && hako_spec_require_one_of (*out, member_path, hako_seccomp_action_names, error);
}

/* config-linux.md: an errno for an action that returns none MUST be an error. */
static gboolean
read_errno_ret (JsonObject *object, const char *path, const char *member, const char *action,
                HakoOptUint *out, GError **error)
{
  g_autofree char *member_path = hako_json_path_member (path, member);

  if (!hako_json_member_uint (object, path, member, HAKO_JSON_OPTIONAL, G_MAXUINT32, out, error))
    return FALSE;
  if (out->set && !g_str_equal (action, "SCMP_ACT_ERRNO")
      && !g_str_equal (action, "SCMP_ACT_TRACE"))
    return hako_json_invalid (error, member_path,
                              _("%s returns no errno: remove %s, or use SCMP_ACT_ERRNO or "
                                "SCMP_ACT_TRACE"),
                              action, member);
  return TRUE;
}

static gboolean
read_names (JsonObject *object, const char *path, const char *member,
            const char *const *choices, GStrv *out, GError **error)
{
  g_autofree char *member_path = hako_json_path_member (path, member);

  if (!hako_json_member_strv (object, path, member, HAKO_JSON_OPTIONAL, out, error))
    return FALSE;
  for (guint i = 0; *out != NULL && (*out)[i] != NULL; i++)
    {
      g_autofree char *element_path = hako_json_path_index (member_path, i);
      if (!hako_spec_require_one_of ((*out)[i], element_path, choices, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_arg (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoSeccompArg *arg = element;
  g_autofree char *op_path = hako_json_path_member (path, "op");
  HakoOptUint index = { FALSE, 0 }, value = { FALSE, 0 }, value_two = { FALSE, 0 };

  if (!hako_json_member_uint (object, path, "index", HAKO_JSON_REQUIRED, MAX_ARG_INDEX, &index,
                              error)
      || !hako_json_member_uint (object, path, "value", HAKO_JSON_REQUIRED, G_MAXUINT64, &value,
                                 error)
      || !hako_json_member_uint (object, path, "valueTwo", HAKO_JSON_OPTIONAL, G_MAXUINT64,
                                 &value_two, error)
      || !hako_json_member_string (object, path, "op", HAKO_JSON_REQUIRED, &arg->op, error)
      || !hako_spec_require_one_of (arg->op, op_path, hako_seccomp_operator_names, error))
    return FALSE;
  arg->index = index.value;
  arg->value = value.value;
  arg->value_two = value_two.value;
  return TRUE;
}

static gboolean
parse_rule (JsonObject *object, const char *path, gpointer element, GError **error)
{
  HakoSeccompRule *rule = element;
  g_autofree char *names_path = hako_json_path_member (path, "names");

  if (!hako_json_member_strv (object, path, "names", HAKO_JSON_REQUIRED, &rule->names, error))
    return FALSE;
  if (rule->names[0] == NULL)
    return hako_json_invalid (error, names_path, _("must list at least one syscall"));
  for (guint i = 0; rule->names[i] != NULL; i++)
    if (*rule->names[i] == '\0')
      {
        g_autofree char *name_path = hako_json_path_index (names_path, i);
        return hako_json_invalid (error, name_path, _("syscall names must not be empty"));
      }
  return read_action (object, path, "action", &rule->action, error)
         && read_errno_ret (object, path, "errnoRet", rule->action, &rule->errno_ret, error)
         && hako_spec_parse_object_array (object, path, "args", sizeof (HakoSeccompArg),
                                          parse_arg, (gpointer *) &rule->args, &rule->n_args,
                                          error);
}

/* SCMP_ACT_NOTIFY hands syscalls to an agent, which needs listenerPath to be reached. */
static gboolean
check_listener (const HakoSeccomp *seccomp, const char *path, GError **error)
{
  g_autofree char *listener_path = hako_json_path_member (path, "listenerPath");
  g_autofree char *notify_path = NULL;

  if (seccomp->listener_path != NULL)
    return TRUE;
  if (seccomp->listener_metadata != NULL)
    {
      g_autofree char *metadata_path = hako_json_path_member (path, "listenerMetadata");
      return hako_json_invalid (error, metadata_path, _("needs %s to be set"), listener_path);
    }
  if (g_str_equal (seccomp->default_action, "SCMP_ACT_NOTIFY"))
    notify_path = hako_json_path_member (path, "defaultAction");
  for (guint i = 0; notify_path == NULL && i < seccomp->n_syscalls; i++)
    if (g_str_equal (seccomp->syscalls[i].action, "SCMP_ACT_NOTIFY"))
      {
        g_autofree char *rule_path = hako_json_path_member (path, "syscalls");
        g_autofree char *element_path = hako_json_path_index (rule_path, i);
        notify_path = hako_json_path_member (element_path, "action");
      }
  if (notify_path != NULL)
    return hako_json_invalid (error, notify_path,
                              _("SCMP_ACT_NOTIFY needs %s, the seccomp agent's socket"),
                              listener_path);
  return TRUE;
}

gboolean
hako_spec_parse_seccomp (JsonObject *object, const char *path, HakoSeccomp **out,
                         GError **error)
{
  g_autoptr (HakoSeccomp) seccomp = g_new0 (HakoSeccomp, 1);
  g_autofree char *listener_path = hako_json_path_member (path, "listenerPath");

  if (!read_action (object, path, "defaultAction", &seccomp->default_action, error)
      || !read_errno_ret (object, path, "defaultErrnoRet", seccomp->default_action,
                          &seccomp->default_errno_ret, error)
      || !read_names (object, path, "architectures", hako_seccomp_arch_names,
                      &seccomp->architectures, error)
      || !read_names (object, path, "flags", hako_seccomp_flag_names, &seccomp->flags, error)
      || !hako_json_member_string (object, path, "listenerPath", HAKO_JSON_OPTIONAL,
                                   &seccomp->listener_path, error)
      || (seccomp->listener_path != NULL
          && !hako_spec_require_absolute (seccomp->listener_path, listener_path, error))
      || !hako_json_member_string (object, path, "listenerMetadata", HAKO_JSON_OPTIONAL,
                                   &seccomp->listener_metadata, error)
      || !hako_spec_parse_object_array (object, path, "syscalls", sizeof (HakoSeccompRule),
                                        parse_rule, (gpointer *) &seccomp->syscalls,
                                        &seccomp->n_syscalls, error)
      || !check_listener (seccomp, path, error))
    return FALSE;
  *out = g_steal_pointer (&seccomp);
  return TRUE;
}

void
hako_seccomp_free (HakoSeccomp *seccomp)
{
  if (seccomp == NULL)
    return;
  g_free (seccomp->default_action);
  g_strfreev (seccomp->architectures);
  g_strfreev (seccomp->flags);
  g_free (seccomp->listener_path);
  g_free (seccomp->listener_metadata);
  for (guint i = 0; i < seccomp->n_syscalls; i++)
    {
      HakoSeccompRule *rule = &seccomp->syscalls[i];
      g_strfreev (rule->names);
      g_free (rule->action);
      for (guint j = 0; j < rule->n_args; j++)
        g_free (rule->args[j].op);
      g_free (rule->args);
    }
  g_free (seccomp->syscalls);
  g_free (seccomp);
}
