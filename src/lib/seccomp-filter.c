/* linux.seccomp: compiled with libseccomp in the runtime into a BPF program
 * held in memory, loaded by the setup child with one system call. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "seccomp-names.h"
#include "seccomp-filter.h"
#include "setup-protocol.h"

/* seccomp_data.args[0..5]: with distinct indices, a rule has at most six. */
#define MAX_ARGS 6
/* SECCOMP_RET_DATA: what an errno action can carry. */
#define MAX_ERRNO_RET 0xffff

/* HakoChildError.step of a failed load. */
enum
{
  STEP_LOAD,
  STEP_TSYNC, /* seccomp(2) returned the id of a thread it could not synchronise */
  STEP_SEND_LISTENER, /* the listener fd could not go to the runtime */
};

struct HakoSeccompPlan
{
  struct sock_filter *filter;
  struct sock_fprog prog; /* .filter = filter */
  unsigned int flags;     /* SECCOMP_FILTER_FLAG_* */
};

/* ---- in the runtime ---- */

typedef struct
{
  const char *name;
  guint32 action;
  gboolean takes_errno; /* SCMP_ACT_ERRNO (x), SCMP_ACT_TRACE (x) */
} ActionName;

static const ActionName actions[] = {
  { "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, FALSE },
  { "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, FALSE },
  { "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, FALSE },
  { "SCMP_ACT_TRAP", SCMP_ACT_TRAP, FALSE },
  { "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO (0), TRUE },
  { "SCMP_ACT_TRACE", SCMP_ACT_TRACE (0), TRUE },
  { "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, FALSE },
  { "SCMP_ACT_LOG", SCMP_ACT_LOG, FALSE },
  { "SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, FALSE },
};

static const struct
{
  const char *name;
  enum scmp_compare op;
} operators[] = {
  { "SCMP_CMP_NE", SCMP_CMP_NE },         { "SCMP_CMP_LT", SCMP_CMP_LT },
  { "SCMP_CMP_LE", SCMP_CMP_LE },         { "SCMP_CMP_EQ", SCMP_CMP_EQ },
  { "SCMP_CMP_GE", SCMP_CMP_GE },         { "SCMP_CMP_GT", SCMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/* Each flag is checked by libseccomp (does the kernel have it?) through its
 * filter attribute, then passed to seccomp(2) ourselves: an exported BPF
 * program carries no flags. */
static const struct
{
  const char *name;
  enum scmp_filter_attr attr;
  unsigned int flag;
} flags[] = {
  { "SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC, SECCOMP_FILTER_FLAG_TSYNC },
  { "SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG, SECCOMP_FILTER_FLAG_LOG },
  { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB, SECCOMP_FILTER_FLAG_SPEC_ALLOW },
/* SCMP_FLTATR_CTL_WAITKILL is an enum member, from libseccomp 2.6 on. */
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
  { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SCMP_FLTATR_CTL_WAITKILL,
    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
#endif
};

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (scmp_filter_ctx, seccomp_release, NULL)

/* The calls that take the listener fd to the runtime, once the filter is
 * on: notified, they would wait for an agent that has no fd yet. */
static const char *const listener_handoff_calls[] = { "sendmsg", "write", NULL };

/* SCMP_ACT_NOTIFY anywhere (the kernel then hands back a listener fd), where
 * hako can honour it: *USES tells. */
static gboolean
check_notify (const HakoSeccomp *seccomp, gboolean *uses, GError **error)
{
  *uses = FALSE;
  if (g_str_equal (seccomp->default_action, "SCMP_ACT_NOTIFY"))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default "
                     "action (hako passes the listener to the agent with write and sendmsg): "
                     "notify chosen syscalls in linux.seccomp.syscalls instead"));
      return FALSE;
    }
  for (guint i = 0; i < seccomp->n_syscalls; i++)
    {
      const HakoSeccompRule *rule = &seccomp->syscalls[i];

      if (!g_str_equal (rule->action, "SCMP_ACT_NOTIFY"))
        continue;
      *uses = TRUE;
      for (guint j = 0; rule->names[j] != NULL; j++)
        if (g_strv_contains (listener_handoff_calls, rule->names[j]))
          {
            g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                         _("linux.seccomp.syscalls[%u].names[%u]: SCMP_ACT_NOTIFY cannot be "
                           "used for %s: hako passes the listener to the agent with it"),
                         i, j, rule->names[j]);
            return FALSE;
          }
    }
  return TRUE;
}

/* NAME with ERRNO_RET (EPERM when unset) as a libseccomp action; ERRNO_PATH
 * names the errno field for the error. */
static gboolean
resolve_action (const char *name, const HakoOptUint *errno_ret, const char *errno_path,
                guint32 *out, GError **error)
{
  guint64 errno_value = errno_ret->set ? errno_ret->value : EPERM;

  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      if (!g_str_equal (name, actions[i].name))
        continue;
      if (actions[i].takes_errno && errno_value > MAX_ERRNO_RET)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                       _("%s: %" PRIu64 " is not an errno: seccomp returns at most %d"),
                       errno_path, errno_value, MAX_ERRNO_RET);
          return FALSE;
        }
      *out = actions[i].action | (actions[i].takes_errno ? (guint32) errno_value : 0);
      return TRUE;
    }
  /* The parser only lets known names through. */
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
               _("linux.seccomp: unknown action %s"), name);
  return FALSE;
}

static enum scmp_compare
resolve_operator (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (operators); i++)
    if (g_str_equal (name, operators[i].name))
      return operators[i].op;
  g_return_val_if_reached (_SCMP_CMP_MIN);
}

static struct scmp_arg_cmp
to_arg_cmp (const HakoSeccompArg *arg)
{
  struct scmp_arg_cmp cmp = {
    .arg = arg->index,
    .op = resolve_operator (arg->op),
    .datum_a = arg->value,
  };

  /* (argument & value) == valueTwo */
  if (cmp.op == SCMP_CMP_MASKED_EQ)
    cmp.datum_b = arg->value_two;
  return cmp;
}

static gboolean
set_attribute (scmp_filter_ctx ctx, enum scmp_filter_attr attr, guint32 value,
               const char *what, GError **error)
{
  int rc = seccomp_attr_set (ctx, attr, value);

  if (rc == 0)
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
               _("%s: not supported by this kernel or libseccomp: %s"), what, g_strerror (-rc));
  return FALSE;
}

static gboolean
add_flag (scmp_filter_ctx ctx, const char *name, const char *path, unsigned int *out,
          GError **error)
{
  const struct scmp_version *version = seccomp_version ();

  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    if (g_str_equal (name, flags[i].name))
      {
        *out |= flags[i].flag;
        return set_attribute (ctx, flags[i].attr, 1, path, error);
      }
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
               _("%s: %s is not supported by this libseccomp (%u.%u.%u)"), path, name,
               version->major, version->minor, version->micro);
  return FALSE;
}

static gboolean
add_flags (scmp_filter_ctx ctx, GStrv names, unsigned int *out, GError **error)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("linux.seccomp.flags[%u]", i);
      if (!add_flag (ctx, names[i], path, out, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_architecture (scmp_filter_ctx ctx, const char *name, const char *path, GError **error)
{
  g_autofree char *token = hako_seccomp_arch_token (name);
  guint32 arch = token ? seccomp_arch_resolve_name (token) : 0;
  int rc;

  if (arch == 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("%s: %s is not known to this libseccomp"), path, name);
      return FALSE;
    }
  /* The native architecture is in every new filter already. */
  rc = seccomp_arch_add (ctx, arch);
  if (rc == 0 || rc == -EEXIST)
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED, _("%s: cannot add %s: %s"), path,
               name, g_strerror (-rc));
  return FALSE;
}

static gboolean
add_architectures (scmp_filter_ctx ctx, GStrv names, GError **error)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("linux.seccomp.architectures[%u]", i);
      if (!add_architecture (ctx, names[i], path, error))
        return FALSE;
    }
  return TRUE;
}

/* runc's rule: conditions on distinct arguments all have to hold (one rule);
 * several conditions on the same argument are alternatives (one rule each). */
static gboolean
args_share_index (const HakoSeccompRule *rule)
{
  guint seen = 0;

  for (guint i = 0; i < rule->n_args; i++)
    {
      guint bit = 1u << rule->args[i].index;
      if (seen & bit)
        return TRUE;
      seen |= bit;
    }
  return FALSE;
}

/* libseccomp merges a rule it has already; either way the syscall is covered. */
static int
rule_add (scmp_filter_ctx ctx, guint32 action, int nr, guint n, const struct scmp_arg_cmp *cmps)
{
  int rc = seccomp_rule_add_array (ctx, action, nr, n, cmps);

  return rc == -EEXIST ? 0 : rc;
}

static int
add_syscall (scmp_filter_ctx ctx, const HakoSeccompRule *rule, guint32 action, int nr)
{
  struct scmp_arg_cmp cmps[MAX_ARGS];
  int rc = 0;

  if (args_share_index (rule))
    {
      for (guint i = 0; rc == 0 && i < rule->n_args; i++)
        {
          cmps[0] = to_arg_cmp (&rule->args[i]);
          rc = rule_add (ctx, action, nr, 1, cmps);
        }
      return rc;
    }
  /* Distinct indices 0..5: at most MAX_ARGS conditions. */
  for (guint i = 0; i < rule->n_args; i++)
    cmps[i] = to_arg_cmp (&rule->args[i]);
  return rule_add (ctx, action, nr, rule->n_args, cmps);
}

static gboolean
add_rule (scmp_filter_ctx ctx, const HakoSeccompRule *rule, guint index, guint32 default_action,
          GError **error)
{
  g_autofree char *path = g_strdup_printf ("linux.seccomp.syscalls[%u]", index);
  g_autofree char *errno_path = g_strdup_printf ("%s.errnoRet", path);
  guint32 action;

  if (!resolve_action (rule->action, &rule->errno_ret, errno_path, &action, error))
    return FALSE;
  /* libseccomp refuses a rule that changes nothing. */
  if (action == default_action)
    return TRUE;
  for (guint i = 0; rule->names[i] != NULL; i++)
    {
      int nr = seccomp_syscall_resolve_name (rule->names[i]);
      int rc;

      /* Unknown here (another architecture's, or newer than libseccomp). */
      if (nr == __NR_SCMP_ERROR)
        continue;
      rc = add_syscall (ctx, rule, action, nr);
      if (rc < 0)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                       _("%s: cannot add a rule for \"%s\": %s"), path, rule->names[i],
                       g_strerror (-rc));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_all_at (int fd, char *buffer, gsize length, GError **error)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = pread (fd, buffer + done, length - done, done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return hako_error_set_errno (error, n < 0 ? errno : EIO,
                                     _("cannot read back the seccomp filter"));
      done += n;
    }
  return TRUE;
}

/* libseccomp 2.5 exports to an fd only: a memfd, read back into the plan. */
static gboolean
export_program (scmp_filter_ctx ctx, HakoSeccompPlan *plan, GError **error)
{
  hako_autofd int fd = memfd_create ("hako-seccomp", MFD_CLOEXEC);
  off_t size;
  int rc;

  if (fd < 0)
    return hako_error_set_errno (error, errno, "memfd_create");
  rc = seccomp_export_bpf (ctx, fd);
  if (rc < 0)
    return hako_error_set_errno (error, -rc, _("cannot export the seccomp filter"));
  size = lseek (fd, 0, SEEK_END);
  if (size < 0)
    return hako_error_set_errno (error, errno, _("cannot read back the seccomp filter"));
  if (size == 0 || size % sizeof (struct sock_filter) != 0
      || size / sizeof (struct sock_filter) > BPF_MAXINSNS)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
                   _("linux.seccomp: the filter has %lu BPF instructions; the kernel takes 1 to %d"),
                   (unsigned long) (size / sizeof (struct sock_filter)), BPF_MAXINSNS);
      return FALSE;
    }
  plan->filter = g_malloc (size);
  plan->prog.filter = plan->filter;
  plan->prog.len = size / sizeof (struct sock_filter);
  return read_all_at (fd, (char *) plan->filter, size, error);
}

static scmp_filter_ctx
new_filter (const HakoSeccomp *seccomp, guint32 *default_action, GError **error)
{
  scmp_filter_ctx ctx;

  if (!resolve_action (seccomp->default_action, &seccomp->default_errno_ret,
                       "linux.seccomp.defaultErrnoRet", default_action, error))
    return NULL;
  ctx = seccomp_init (*default_action);
  if (ctx == NULL)
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                 _("linux.seccomp.defaultAction: libseccomp cannot make a filter with %s here"),
                 seccomp->default_action);
  return ctx;
}

HakoSeccompPlan *
hako_seccomp_plan_new (const HakoSeccomp *seccomp, GError **error)
{
  g_autoptr (HakoSeccompPlan) plan = g_new0 (HakoSeccompPlan, 1);
  g_auto (scmp_filter_ctx) ctx = NULL;
  guint32 default_action;
  gboolean notify;

  g_return_val_if_fail (seccomp != NULL, NULL);
  if (!check_notify (seccomp, &notify, error))
    return NULL;
  ctx = new_filter (seccomp, &default_action, error);
  /* hako sets no_new_privs itself, as process.noNewPrivileges says. */
  if (ctx == NULL
      || !set_attribute (ctx, SCMP_FLTATR_CTL_NNP, 0, "linux.seccomp", error)
      || !add_architectures (ctx, seccomp->architectures, error)
      || !add_flags (ctx, seccomp->flags, &plan->flags, error))
    return NULL;
  for (guint i = 0; i < seccomp->n_syscalls; i++)
    if (!add_rule (ctx, &seccomp->syscalls[i], i, default_action, error))
      return NULL;
  if (!export_program (ctx, plan, error))
    return NULL;
  /* With a listener, seccomp(2) returns its fd: then a thread TSYNC could
   * not follow has to show as an error (ESRCH), as the kernel requires. */
  if (notify)
    plan->flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER
                   | (plan->flags & SECCOMP_FILTER_FLAG_TSYNC ? SECCOMP_FILTER_FLAG_TSYNC_ESRCH : 0);
  return g_steal_pointer (&plan);
}

void
hako_seccomp_plan_free (HakoSeccompPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->filter);
  g_free (plan);
}

guint
hako_seccomp_plan_get_flags (const HakoSeccompPlan *plan)
{
  return plan->flags;
}

gboolean
hako_seccomp_plan_has_listener (const HakoSeccompPlan *plan)
{
  return plan != NULL && (plan->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0;
}

guint
hako_seccomp_plan_get_length (const HakoSeccompPlan *plan)
{
  return plan->prog.len;
}

char *
hako_seccomp_describe_error (const HakoChildError *err)
{
  const char *reason = g_strerror (err->saved_errno);

  if (err->step == STEP_SEND_LISTENER)
    return g_strdup_printf (_("cannot pass the seccomp listener fd (SCMP_ACT_NOTIFY) to the "
                              "runtime: %s"),
                            reason);
  if (err->step == STEP_TSYNC)
    return g_strdup (_("cannot load the linux.seccomp filter: another thread of the container "
                       "process has a different filter (SECCOMP_FILTER_FLAG_TSYNC)"));
  switch (err->saved_errno)
    {
    case EACCES:
      return g_strdup_printf (_("cannot load the linux.seccomp filter: %s: a seccomp filter needs "
                                "process.noNewPrivileges or CAP_SYS_ADMIN"),
                              reason);
    case EINVAL:
      return g_strdup_printf (_("cannot load the linux.seccomp filter: %s (does this kernel know "
                                "every one of linux.seccomp.flags?)"),
                              reason);
    case ENOMEM:
      return g_strdup_printf (_("cannot load the linux.seccomp filter: %s (the filters of the "
                                "process together exceed the kernel's limit?)"),
                              reason);
    default:
      return g_strdup_printf (_("cannot load the linux.seccomp filter: %s"), reason);
    }
}

/* ---- in the setup child: async-signal-safe ---- */

int
hako_seccomp_plan_load (const HakoSeccompPlan *plan, HakoChildError *err)
{
  long rc;

  if (plan == NULL)
    return 0;
  rc = syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, plan->flags, &plan->prog);
  if (rc == 0 || (rc > 0 && (plan->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)))
    return rc;
  if (rc < 0 && errno == ESRCH && (plan->flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH))
    return hako_child_fail (err, HAKO_CHILD_STAGE_SECCOMP, STEP_TSYNC, ESRCH);
  /* With TSYNC, a positive result is the thread that could not follow. */
  if (rc > 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_SECCOMP, STEP_TSYNC, ESRCH);
  /* Linux before 3.17: no seccomp(2), and no flags either. */
  if (errno == ENOSYS && plan->flags == 0
      && prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &plan->prog, 0, 0) == 0)
    return 0;
  return hako_child_fail (err, HAKO_CHILD_STAGE_SECCOMP, STEP_LOAD, errno);
}

/* Without no_new_privs the kernel takes a filter only with CAP_SYS_ADMIN,
 * which the identity step drops; a listener's fd has to reach the agent
 * before the runtime's command ends (runc's order too). */
static gboolean
loads_early (const HakoSeccompPlan *plan, gboolean no_new_privs)
{
  return !no_new_privs || hako_seccomp_plan_has_listener (plan);
}

int
hako_seccomp_plan_load_early (const HakoSeccompPlan *plan, gboolean no_new_privs, int socket_fd,
                              int report_fd, HakoChildError *err)
{
  HakoReport report = { .kind = HAKO_REPORT_SECCOMP_LISTENER };
  int listener;

  if (!loads_early (plan, no_new_privs))
    return 0;
  listener = hako_seccomp_plan_load (plan, err);
  if (listener <= 0)
    return listener;
  if (hako_fd_send (socket_fd, listener, "", 1) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_SECCOMP, STEP_SEND_LISTENER, errno);
  close (listener);
  hako_report_write (report_fd, &report);
  return 0;
}

int
hako_seccomp_plan_load_late (const HakoSeccompPlan *plan, gboolean no_new_privs,
                             HakoChildError *err)
{
  return loads_early (plan, no_new_privs) ? 0 : hako_seccomp_plan_load (plan, err);
}
