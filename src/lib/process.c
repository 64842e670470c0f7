/* The container process's attributes: planned in the runtime from
 * config.json, applied in the setup child between clone and exec.
 *
 * Everything above the "in the setup child" line may use GLib. Everything
 * below it runs after clone, where only async-signal-safe calls are
 * allowed: it makes system calls on memory the plan already holds, and
 * reports failures through HakoChildError for describe_error to word. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "json-read.h"
#include "process.h"

/* The $PATH searched when process.env has none (runc and crun use the same). */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define DEFAULT_UMASK 0022
#define CWD_MODE 0755
/* sethostname(2) and setdomainname(2) refuse longer names. */
#define UTS_NAME_MAX 64
/* The kernel's NR_CPUS is at most 8192. */
#define CPU_MAX 8191
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_WHO_PROCESS 1

/* 32-bit x86 and arm have 16-bit id calls under the plain names. */
#ifdef SYS_setresuid32
#define SYS_SETRESUID SYS_setresuid32
#define SYS_SETRESGID SYS_setresgid32
#define SYS_SETGROUPS SYS_setgroups32
#else
#define SYS_SETRESUID SYS_setresuid
#define SYS_SETRESGID SYS_setresgid
#define SYS_SETGROUPS SYS_setgroups
#endif

/* ---- in the runtime: building the plan ---- */

/* Where execvp would look for FILE: each directory of SEARCH_PATH in turn,
 * an empty one meaning the working directory. */
static char **
path_candidates (const char *search_path, const char *file)
{
  g_auto (GStrv) dirs = g_strsplit (search_path, ":", -1);
  GPtrArray *paths = g_ptr_array_new_null_terminated (g_strv_length (dirs), g_free, TRUE);

  for (guint i = 0; dirs[i] != NULL; i++)
    g_ptr_array_add (paths, g_build_filename (*dirs[i] ? dirs[i] : ".", file, NULL));
  return (char **) g_ptr_array_free (paths, FALSE);
}

static gboolean
plan_exec (HakoProcessPlan *plan, const HakoProcess *process, GError **error)
{
  const char *file;

  if (process->args == NULL || process->args[0] == NULL)
    return hako_json_invalid (error, "process.args",
                              _("at least one entry (the program to run) is required"));
  file = process->args[0];
  if (*file == '\0')
    return hako_json_invalid (error, "process.args[0]", _("the program to run is empty"));
  plan->argv = g_strdupv (process->args);
  plan->envp = process->env ? g_strdupv (process->env) : g_new0 (char *, 1);
  if (strchr (file, '/') != NULL)
    {
      plan->exec_paths = g_new0 (char *, 2);
      plan->exec_paths[0] = g_strdup (file);
      return TRUE;
    }
  plan->path_search = TRUE;
  plan->search_path = g_strdup (g_environ_getenv (plan->envp, "PATH") ?: DEFAULT_PATH);
  plan->exec_paths = path_candidates (plan->search_path, file);
  if (g_strv_length (plan->exec_paths) >= HAKO_PROCESS_STEP_KINDS_BASE)
    return hako_json_invalid (error, "process.env", _("PATH has more than %d directories"),
                              HAKO_PROCESS_STEP_KINDS_BASE - 1);
  return TRUE;
}

/* "/a/b/c" -> "/a", "/a/b", "/a/b/c": what mkdir -p creates in turn. */
static char **
path_parents (const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  GPtrArray *parents = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_autoptr (GString) prefix = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      g_string_append_c (prefix, '/');
      g_string_append (prefix, parts[i]);
      g_ptr_array_add (parents, g_strdup (prefix->str));
    }
  return (char **) g_ptr_array_free (parents, FALSE);
}

static gboolean
plan_cwd (HakoProcessPlan *plan, const HakoProcess *process, GError **error)
{
  if (process->cwd == NULL || process->cwd[0] != '/')
    return hako_json_invalid (error, "process.cwd", _("must be an absolute path"));
  if (strlen (process->cwd) >= PATH_MAX)
    return hako_json_invalid (error, "process.cwd", _("longer than %d bytes"), PATH_MAX - 1);
  plan->cwd = g_strdup (process->cwd);
  plan->cwd_parents = path_parents (plan->cwd);
  return TRUE;
}

static gboolean
has_namespace (const HakoSpec *spec, HakoNamespaceKind kind)
{
  return spec->linux_ != NULL && spec->linux_->namespaces[kind].present;
}

/* FIELD only works in the container's own namespace of KIND (a new one or
 * one it joins, as runc allows), never in the runtime's. */
static gboolean
require_namespace (const HakoSpec *spec, HakoNamespaceKind kind, const char *field,
                   GError **error)
{
  const char *name = hako_namespace_kind_name (kind);

  if (has_namespace (spec, kind))
    return TRUE;
  return hako_json_invalid (error, field,
                            _("needs the container's own %s namespace, or it would change the "
                              "host's: add {\"type\": \"%s\"} to linux.namespaces"),
                            name, name);
}

static gboolean
plan_uts_name (const HakoSpec *spec, const char *value, const char *field, char **out,
               GError **error)
{
  if (value == NULL)
    return TRUE;
  if (!require_namespace (spec, HAKO_NS_UTS, field, error))
    return FALSE;
  if (strlen (value) > UTS_NAME_MAX)
    return hako_json_invalid (error, field, _("\"%s\" is longer than %d bytes"), value,
                              UTS_NAME_MAX);
  *out = g_strdup (value);
  return TRUE;
}

/* The sysctls a namespace owns, as /proc/sys paths; a trailing '*' matches
 * any rest. Anything else is global to the host. */
static const struct
{
  const char *pattern;
  HakoNamespaceKind kind;
} namespaced_sysctls[] = {
  { "kernel/msg*", HAKO_NS_IPC },       { "kernel/sem", HAKO_NS_IPC },
  { "kernel/sem_next_id", HAKO_NS_IPC }, { "kernel/shm*", HAKO_NS_IPC },
  { "fs/mqueue/*", HAKO_NS_IPC },       { "net/*", HAKO_NS_NETWORK },
  { "kernel/hostname", HAKO_NS_UTS },   { "kernel/domainname", HAKO_NS_UTS },
};

static gboolean
sysctl_namespace (const char *name, HakoNamespaceKind *kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (namespaced_sysctls); i++)
    {
      const char *pattern = namespaced_sysctls[i].pattern;
      gsize stem = strcspn (pattern, "*");
      gboolean match = pattern[stem] == '*' ? strncmp (name, pattern, stem) == 0
                                            : strcmp (name, pattern) == 0;
      if (match)
        {
          *kind = namespaced_sysctls[i].kind;
          return TRUE;
        }
    }
  return FALSE;
}

/* "net.ipv4.ip_forward" -> "net/ipv4/ip_forward". A key with slashes is
 * already in that form (sysctl(8) uses it for names with dots, such as
 * "net/ipv4/conf/eth0.100/forwarding"). NULL unless every component is a
 * plain name. */
static char *
sysctl_name (const char *key)
{
  g_autofree char *name = g_strdup (key);
  g_auto (GStrv) parts = NULL;

  if (strchr (name, '/') == NULL)
    g_strdelimit (name, ".", '/');
  parts = g_strsplit (name, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return NULL;
  return g_steal_pointer (&name);
}

static gboolean
plan_one_sysctl (const HakoSpec *spec, const char *key, const char *value,
                 HakoSysctlWrite *out, GError **error)
{
  g_autofree char *field = hako_json_path_member ("linux.sysctl", key);
  g_autofree char *name = sysctl_name (key);
  HakoNamespaceKind kind;

  if (name == NULL)
    return hako_json_invalid (error, field, _("not a sysctl name like \"net.ipv4.ip_forward\""));
  if (!sysctl_namespace (name, &kind))
    return hako_json_invalid (error, field,
                              _("not a namespaced sysctl, so a container cannot set it (only "
                                "kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*, "
                                "kernel.hostname and kernel.domainname are)"));
  if (!require_namespace (spec, kind, field, error))
    return FALSE;
  out->key = g_strdup (key);
  out->path = g_build_filename ("/proc/sys", name, NULL);
  out->value = g_strdup (value);
  out->value_length = strlen (value);
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
plan_sysctl (HakoProcessPlan *plan, const HakoSpec *spec, GError **error)
{
  GHashTable *table = spec->linux_ ? spec->linux_->sysctl : NULL;
  g_autofree const char **keys = NULL;
  guint n;

  if (table == NULL)
    return TRUE;
  keys = (const char **) g_hash_table_get_keys_as_array (table, &n);
  /* Each one must fit the index of a HAKO_PROCESS_STEP. */
  if (n >= HAKO_PROCESS_STEP_KINDS_BASE)
    return hako_json_invalid (error, "linux.sysctl", _("more than %d entries"),
                              HAKO_PROCESS_STEP_KINDS_BASE - 1);
  g_qsort_with_data (keys, n, sizeof (char *), compare_strings, NULL);
  plan->sysctl = g_new0 (HakoSysctlWrite, n);
  for (; plan->n_sysctl < n; plan->n_sysctl++)
    {
      const char *key = keys[plan->n_sysctl];
      if (!plan_one_sysctl (spec, key, g_hash_table_lookup (table, key),
                            &plan->sysctl[plan->n_sysctl], error))
        return FALSE;
    }
  return TRUE;
}

/* One "0-3" or "7" of a CPU list, into first..last. */
static gboolean
parse_cpu_range (const char *item, const char *field, guint64 *first, guint64 *last,
                 GError **error)
{
  g_auto (GStrv) ends = g_strsplit (item, "-", 2);

  if (ends[0] == NULL
      || !g_ascii_string_to_unsigned (g_strstrip (ends[0]), 10, 0, CPU_MAX, first, NULL)
      || !g_ascii_string_to_unsigned (ends[1] ? g_strstrip (ends[1]) : ends[0], 10, 0, CPU_MAX,
                                      last, NULL)
      || *last < *first)
    return hako_json_invalid (error, field,
                              _("\"%s\" is not a CPU number or range of CPUs from 0 to %d"),
                              item, CPU_MAX);
  return TRUE;
}

/* "0-3,7" -> a CPU set. An empty or absent list leaves out->list NULL:
 * "runtime SHOULD NOT change process' CPU affinity". */
static gboolean
plan_affinity (const char *list, const char *field, HakoCpuAffinity *out, GError **error)
{
  g_auto (GStrv) items = NULL;
  g_autoptr (GArray) ranges = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint64 max = 0;

  if (list == NULL || list[strspn (list, " ")] == '\0')
    return TRUE;
  items = g_strsplit (list, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      guint64 range[2];
      if (!parse_cpu_range (items[i], field, &range[0], &range[1], error))
        return FALSE;
      g_array_append_vals (ranges, range, 2);
      max = MAX (max, range[1]);
    }
  out->list = g_strdup (list);
  out->size = CPU_ALLOC_SIZE (max + 1);
  out->set = CPU_ALLOC (max + 1);
  CPU_ZERO_S (out->size, out->set);
  for (guint i = 0; i < ranges->len; i += 2)
    for (guint64 cpu = g_array_index (ranges, guint64, i);
         cpu <= g_array_index (ranges, guint64, i + 1); cpu++)
      CPU_SET_S (cpu, out->size, out->set);
  return TRUE;
}

static void
plan_rlimits (HakoProcessPlan *plan, const HakoProcess *process)
{
  plan->n_rlimits = process->n_rlimits;
  plan->rlimits = g_new0 (HakoProcessRlimit, process->n_rlimits);
  for (guint i = 0; i < process->n_rlimits; i++)
    {
      plan->rlimits[i].type = g_strdup (process->rlimits[i].type);
      plan->rlimits[i].resource = process->rlimits[i].resource;
      plan->rlimits[i].limit.rlim_cur = process->rlimits[i].soft;
      plan->rlimits[i].limit.rlim_max = process->rlimits[i].hard;
    }
}

static void
plan_scheduler (HakoProcessPlan *plan, const HakoScheduler *scheduler)
{
  if (scheduler == NULL)
    return;
  plan->has_scheduler = TRUE;
  plan->scheduler_policy = g_strdup (scheduler->policy);
  plan->sched_attr = (HakoSchedAttr){
    .size = sizeof (HakoSchedAttr),
    .sched_policy = scheduler->policy_value,
    .sched_flags = scheduler->flags_value,
    .sched_nice = scheduler->nice.value,
    .sched_priority = scheduler->priority.value,
    .sched_runtime = scheduler->runtime.value,
    .sched_deadline = scheduler->deadline.value,
    .sched_period = scheduler->period.value,
  };
}

static void
plan_personality (HakoProcessPlan *plan, const HakoPersonality *personality)
{
  static const struct
  {
    const char *domain;
    unsigned long value;
  } domains[] = { { "LINUX", PER_LINUX }, { "LINUX32", PER_LINUX32 } };

  for (gsize i = 0; personality != NULL && i < G_N_ELEMENTS (domains); i++)
    if (g_str_equal (personality->domain, domains[i].domain))
      {
        plan->has_personality = TRUE;
        plan->personality = domains[i].value;
        plan->personality_domain = domains[i].domain;
      }
}

/* The attributes that cannot be wrong once the config parsed. */
static void
plan_attributes (HakoProcessPlan *plan, const HakoSpec *spec)
{
  const HakoProcess *process = spec->process;
  const HakoUser *user = &process->user;

  if (process->oom_score_adj.set)
    plan->oom_score_adj = g_strdup_printf ("%" G_GINT64_FORMAT, process->oom_score_adj.value);
  if (process->io_priority != NULL)
    {
      plan->has_io_priority = TRUE;
      plan->io_priority = process->io_priority->class_value << IOPRIO_CLASS_SHIFT
                          | process->io_priority->priority;
      plan->io_priority_class = g_strdup (process->io_priority->class_name);
    }
  plan_scheduler (plan, process->scheduler);
  plan_personality (plan, spec->linux_ ? spec->linux_->personality : NULL);
  plan_rlimits (plan, process);
  plan->umask = user->umask.set ? (mode_t) user->umask.value : DEFAULT_UMASK;
  plan->uid = user->uid;
  plan->gid = user->gid;
  plan->n_additional_gids = user->n_additional_gids;
  plan->additional_gids = g_new0 (gid_t, MAX (user->n_additional_gids, 1));
  for (guint i = 0; i < user->n_additional_gids; i++)
    plan->additional_gids[i] = user->additional_gids[i];
  plan->no_new_privileges = process->no_new_privileges;
}

HakoProcessPlan *
hako_process_plan_new_for_host (const HakoSpec *spec, const HakoCapHost *host, GError **error)
{
  g_autoptr (HakoProcessPlan) plan = g_new0 (HakoProcessPlan, 1);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  const HakoProcess *process = spec->process;

  if (process == NULL)
    {
      hako_json_invalid (error, "process", _("required property is missing"));
      return NULL;
    }
  if (!plan_exec (plan, process, error) || !plan_cwd (plan, process, error)
      || !plan_uts_name (spec, spec->hostname, "hostname", &plan->hostname, error)
      || !plan_uts_name (spec, spec->domainname, "domainname", &plan->domainname, error)
      || !plan_sysctl (plan, spec, error)
      || !plan_affinity (process->exec_cpu_affinity_initial, "process.execCPUAffinity.initial",
                         &plan->affinity_initial, error)
      || !plan_affinity (process->exec_cpu_affinity_final, "process.execCPUAffinity.final",
                         &plan->affinity_final, error))
    return NULL;
  plan_attributes (plan, spec);
  hako_cap_plan_init (&plan->caps, process->capabilities, host, warnings);
  plan->warnings = (char **) g_ptr_array_free (g_steal_pointer (&warnings), FALSE);
  return g_steal_pointer (&plan);
}

HakoProcessPlan *
hako_process_plan_new (const HakoSpec *spec, GError **error)
{
  HakoCapHost host;

  hako_cap_host_read (&host);
  return hako_process_plan_new_for_host (spec, &host, error);
}

static void
affinity_clear (HakoCpuAffinity *affinity)
{
  g_clear_pointer (&affinity->list, g_free);
  if (affinity->set != NULL)
    CPU_FREE (affinity->set);
  affinity->set = NULL;
}

void
hako_process_plan_free (HakoProcessPlan *plan)
{
  if (plan == NULL)
    return;
  g_strfreev (plan->argv);
  g_strfreev (plan->envp);
  g_strfreev (plan->exec_paths);
  g_free (plan->search_path);
  affinity_clear (&plan->affinity_final);
  affinity_clear (&plan->affinity_initial);
  g_free (plan->hostname);
  g_free (plan->domainname);
  for (guint i = 0; i < plan->n_sysctl; i++)
    {
      g_free (plan->sysctl[i].key);
      g_free (plan->sysctl[i].path);
      g_free (plan->sysctl[i].value);
    }
  g_free (plan->sysctl);
  g_free (plan->oom_score_adj);
  g_free (plan->io_priority_class);
  g_free (plan->scheduler_policy);
  for (guint i = 0; i < plan->n_rlimits; i++)
    g_free (plan->rlimits[i].type);
  g_free (plan->rlimits);
  g_free (plan->cwd);
  g_strfreev (plan->cwd_parents);
  g_free (plan->additional_gids);
  g_strfreev (plan->warnings);
  g_free (plan);
}

const char *const *
hako_process_plan_warnings (const HakoProcessPlan *plan)
{
  return (const char *const *) plan->warnings;
}

/* ---- in the runtime: wording a failure the child reported ---- */

static char *
format_limit (rlim_t value)
{
  return value == RLIM_INFINITY ? g_strdup ("unlimited")
                                : g_strdup_printf ("%llu", (unsigned long long) value);
}

static char *
describe_rlimit (const HakoProcessRlimit *rlimit, int index, const char *reason)
{
  g_autofree char *soft = format_limit (rlimit->limit.rlim_cur);
  g_autofree char *hard = format_limit (rlimit->limit.rlim_max);

  return g_strdup_printf (_("process.rlimits[%d] %s: cannot set %s/%s: %s"), index, rlimit->type,
                          soft, hard, reason);
}

static char *
describe_sysctl (const HakoSysctlWrite *sysctl, const char *reason)
{
  g_autofree char *field = hako_json_path_member ("linux.sysctl", sysctl->key);

  return g_strdup_printf (_("%s: cannot write \"%s\" to %s: %s"), field, sysctl->value,
                          sysctl->path, reason);
}

/* An id the kernel refuses with EINVAL is one the user namespace does not map. */
static char *
describe_id (const char *field, guint32 id, int saved_errno)
{
  if (saved_errno == EINVAL)
    return g_strdup_printf (_("%s %u: %s (the id is not mapped in the container's user "
                              "namespace: add it to linux.%sMappings)"),
                            field, id, g_strerror (saved_errno),
                            g_str_has_suffix (field, "uid") ? "uid" : "gid");
  return g_strdup_printf ("%s %u: %s", field, id, g_strerror (saved_errno));
}

static char *
describe_exec (const HakoProcessPlan *plan, HakoProcessStepKind kind, int index,
               const char *reason)
{
  if (kind == HAKO_PROCESS_STEP_EXEC_NOT_FOUND)
    return g_strdup_printf (_("process.args[0] \"%s\": executable file not found in $PATH (%s)"),
                            plan->argv[0], plan->search_path);
  if (plan->path_search)
    return g_strdup_printf ("process.args[0] \"%s\" (%s): %s", plan->argv[0],
                            plan->exec_paths[index], reason);
  return g_strdup_printf ("process.args[0] \"%s\": %s", plan->argv[0], reason);
}

static char *
describe_system_step (const HakoProcessPlan *plan, HakoProcessStepKind kind, int index,
                      int saved_errno)
{
  const char *reason = g_strerror (saved_errno);

  switch (kind)
    {
    case HAKO_PROCESS_STEP_AFFINITY_INITIAL:
      return g_strdup_printf (_("process.execCPUAffinity.initial \"%s\": cannot set the CPU "
                                "affinity: %s"),
                              plan->affinity_initial.list, reason);
    case HAKO_PROCESS_STEP_HOSTNAME:
      return g_strdup_printf (_("hostname \"%s\": cannot set it: %s"), plan->hostname, reason);
    case HAKO_PROCESS_STEP_DOMAINNAME:
      return g_strdup_printf (_("domainname \"%s\": cannot set it: %s"), plan->domainname, reason);
    case HAKO_PROCESS_STEP_SYSCTL:
      return describe_sysctl (&plan->sysctl[index], reason);
    case HAKO_PROCESS_STEP_OOM_SCORE_ADJ:
      if (saved_errno == EACCES || saved_errno == EPERM)
        return g_strdup_printf (_("process.oomScoreAdj %s: cannot write /proc/self/oom_score_adj: "
                                  "%s (lowering it below the runtime's needs CAP_SYS_RESOURCE "
                                  "on the host)"),
                                plan->oom_score_adj, reason);
      return g_strdup_printf (_("process.oomScoreAdj %s: cannot write /proc/self/oom_score_adj: "
                                "%s"),
                              plan->oom_score_adj, reason);
    case HAKO_PROCESS_STEP_PERSONALITY:
      return g_strdup_printf (_("linux.personality.domain %s: %s"), plan->personality_domain,
                              reason);
    case HAKO_PROCESS_STEP_IO_PRIORITY:
      return g_strdup_printf (_("process.ioPriority %s %d: %s"), plan->io_priority_class,
                              plan->io_priority & ((1 << IOPRIO_CLASS_SHIFT) - 1), reason);
    case HAKO_PROCESS_STEP_SCHEDULER:
      return g_strdup_printf (_("process.scheduler %s: %s"), plan->scheduler_policy, reason);
    case HAKO_PROCESS_STEP_RLIMIT:
      return describe_rlimit (&plan->rlimits[index], index, reason);
    default:
      return NULL;
    }
}

static char *
describe_identity_step (const HakoProcessPlan *plan, HakoProcessStepKind kind, int index,
                        int saved_errno)
{
  const char *reason = g_strerror (saved_errno);

  switch (kind)
    {
    case HAKO_PROCESS_STEP_CWD_MKDIR:
      return g_strdup_printf (_("process.cwd %s: cannot create %s: %s"), plan->cwd,
                              plan->cwd_parents[index], reason);
    case HAKO_PROCESS_STEP_CWD:
      return g_strdup_printf ("process.cwd %s: %s", plan->cwd, reason);
    case HAKO_PROCESS_STEP_CWD_OUTSIDE:
      return g_strdup_printf (_("process.cwd %s leads outside the container's root filesystem "
                                "(a symlink to an open directory of the runtime, such as "
                                "/proc/self/fd/N?): refused; point it at a directory in the "
                                "container"),
                              plan->cwd);
    case HAKO_PROCESS_STEP_KEEPCAPS:
      return g_strdup_printf (_("cannot keep the capabilities across the change of user "
                                "(PR_SET_KEEPCAPS): %s"),
                              reason);
    case HAKO_PROCESS_STEP_CAP_BOUNDING:
      return g_strdup_printf (_("process.capabilities.bounding: cannot drop %s: %s"),
                              hako_capability_name (index) ?: "?", reason);
    case HAKO_PROCESS_STEP_SETGROUPS:
      if (saved_errno == EPERM)
        return g_strdup_printf (_("process.user.additionalGids: cannot set the supplementary "
                                  "groups: %s (setgroups is denied in this user namespace; "
                                  "map the groups through newgidmap)"),
                                reason);
      return g_strdup_printf (_("process.user.additionalGids: cannot set the supplementary "
                                "groups: %s"),
                              reason);
    case HAKO_PROCESS_STEP_SETGID:
      return describe_id ("process.user.gid", plan->gid, saved_errno);
    case HAKO_PROCESS_STEP_SETUID:
      return describe_id ("process.user.uid", plan->uid, saved_errno);
    case HAKO_PROCESS_STEP_CAPSET:
      return g_strdup_printf (_("process.capabilities: cannot set the effective, permitted and "
                                "inheritable sets: %s"),
                              reason);
    case HAKO_PROCESS_STEP_CAP_AMBIENT_CLEAR:
      return g_strdup_printf (_("process.capabilities.ambient: cannot clear the ambient set: %s"),
                              reason);
    case HAKO_PROCESS_STEP_CAP_AMBIENT:
      return g_strdup_printf (_("process.capabilities.ambient: cannot raise %s: %s"),
                              hako_capability_name (index) ?: "?", reason);
    case HAKO_PROCESS_STEP_NO_NEW_PRIVS:
      return g_strdup_printf ("process.noNewPrivileges: %s", reason);
    case HAKO_PROCESS_STEP_AFFINITY_FINAL:
      return g_strdup_printf (_("process.execCPUAffinity.final \"%s\": cannot set the CPU "
                                "affinity: %s"),
                              plan->affinity_final.list, reason);
    default:
      return NULL;
    }
}

/* Whether the step's index points into the plan; a corrupt record must not
 * make the runtime read past an array. */
static gboolean
step_index_valid (const HakoProcessPlan *plan, HakoProcessStepKind kind, int index)
{
  switch (kind)
    {
    case HAKO_PROCESS_STEP_SYSCTL:
      return (guint) index < plan->n_sysctl;
    case HAKO_PROCESS_STEP_RLIMIT:
      return (guint) index < plan->n_rlimits;
    case HAKO_PROCESS_STEP_CWD_MKDIR:
      return (guint) index < g_strv_length (plan->cwd_parents);
    case HAKO_PROCESS_STEP_EXEC:
      return (guint) index < g_strv_length (plan->exec_paths);
    default:
      return index >= 0;
    }
}

char *
hako_process_plan_describe_error (const HakoProcessPlan *plan, const HakoChildError *err)
{
  HakoProcessStepKind kind = HAKO_PROCESS_STEP_KIND (err->step);
  int index = HAKO_PROCESS_STEP_INDEX (err->step);
  char *message = NULL;

  if (err->step >= 0 && step_index_valid (plan, kind, index))
    {
      if (kind == HAKO_PROCESS_STEP_EXEC || kind == HAKO_PROCESS_STEP_EXEC_NOT_FOUND)
        message = describe_exec (plan, kind, index, g_strerror (err->saved_errno));
      else
        message = describe_system_step (plan, kind, index, err->saved_errno)
                      ?: describe_identity_step (plan, kind, index, err->saved_errno);
    }
  return message ?: g_strdup_printf (_("the container's process setup failed at step %d: %s"),
                                     err->step, g_strerror (err->saved_errno));
}

/* ---- in the setup child: async-signal-safe only ---- */

static int
fail_step (HakoChildError *err, HakoProcessStepKind kind, int index)
{
  return hako_child_fail (err, HAKO_CHILD_STAGE_PROCESS, HAKO_PROCESS_STEP (kind, index), errno);
}

static int
set_affinity (const HakoCpuAffinity *affinity)
{
  return affinity->set == NULL ? 0 : sched_setaffinity (0, affinity->size, affinity->set);
}

static int
write_file (const char *path, const char *value, gsize length)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  ssize_t n;
  int saved_errno;

  if (fd < 0)
    return -1;
  do
    n = write (fd, value, length);
  while (n < 0 && errno == EINTR);
  saved_errno = errno;
  close (fd);
  if (n >= 0 && (gsize) n != length)
    saved_errno = EIO;
  errno = saved_errno;
  return n >= 0 && (gsize) n == length ? 0 : -1;
}

static int
set_uts_names (const HakoProcessPlan *plan, HakoChildError *err)
{
  if (plan->hostname && sethostname (plan->hostname, strlen (plan->hostname)) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_HOSTNAME, 0);
  if (plan->domainname && setdomainname (plan->domainname, strlen (plan->domainname)) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_DOMAINNAME, 0);
  return 0;
}

static int
write_sysctls (const HakoProcessPlan *plan, HakoChildError *err)
{
  for (guint i = 0; i < plan->n_sysctl; i++)
    if (write_file (plan->sysctl[i].path, plan->sysctl[i].value, plan->sysctl[i].value_length) < 0)
      return fail_step (err, HAKO_PROCESS_STEP_SYSCTL, i);
  return 0;
}

static int
set_scheduling (const HakoProcessPlan *plan, HakoChildError *err)
{
  if (plan->has_io_priority
      && syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, plan->io_priority) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_IO_PRIORITY, 0);
  if (plan->has_scheduler && syscall (SYS_sched_setattr, 0, &plan->sched_attr, 0) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_SCHEDULER, 0);
  return 0;
}

static int
set_rlimits (const HakoProcessPlan *plan, HakoChildError *err)
{
  for (guint i = 0; i < plan->n_rlimits; i++)
    if (setrlimit (plan->rlimits[i].resource, &plan->rlimits[i].limit) < 0)
      return fail_step (err, HAKO_PROCESS_STEP_RLIMIT, i);
  return 0;
}

int
hako_process_plan_apply_system (const HakoProcessPlan *plan, HakoChildError *err)
{
  /* "initial": before anything else runs in the container. */
  if (set_affinity (&plan->affinity_initial) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_AFFINITY_INITIAL, 0);
  if (set_uts_names (plan, err) < 0 || write_sysctls (plan, err) < 0)
    return -1;
  if (plan->oom_score_adj
      && write_file ("/proc/self/oom_score_adj", plan->oom_score_adj,
                     strlen (plan->oom_score_adj)) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_OOM_SCORE_ADJ, 0);
  if (plan->has_personality && personality (plan->personality) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_PERSONALITY, 0);
  if (set_scheduling (plan, err) < 0 || set_rlimits (plan, err) < 0)
    return -1;
  umask (plan->umask);
  return 0;
}

/* mkdir -p of the cwd, with exactly CWD_MODE whatever process.user.umask is. */
static int
make_cwd (const HakoProcessPlan *plan, HakoChildError *err)
{
  mode_t saved_umask = umask (0);

  for (guint i = 0; plan->cwd_parents[i] != NULL; i++)
    if (mkdir (plan->cwd_parents[i], CWD_MODE) < 0 && errno != EEXIST)
      {
        fail_step (err, HAKO_PROCESS_STEP_CWD_MKDIR, i);
        umask (saved_umask);
        return -1;
      }
  umask (saved_umask);
  return 0;
}

/* The directory entered must be below the process's root: a cwd through
 * a symlink to /proc/self/fd/N of a directory fd the setup still holds
 * (runc's CVE-2024-21626) would be outside, where the kernel's getcwd
 * answers "(unreachable)...". A getcwd that fails says nothing either way
 * (linux.seccomp may deny it: the filter can already be on here). */
static int
check_cwd_inside_root (HakoChildError *err)
{
  char cwd[PATH_MAX];

  if (syscall (SYS_getcwd, cwd, sizeof cwd) >= 0 && cwd[0] != '/')
    return fail_step (err, HAKO_PROCESS_STEP_CWD_OUTSIDE, 0);
  return 0;
}

/* Enters the cwd as the container's root, creating it when missing. A cwd
 * only the process's own user may enter (EACCES) is entered again after
 * the change of user: *retry says so. */
static int
enter_cwd (const HakoProcessPlan *plan, gboolean *retry, HakoChildError *err)
{
  *retry = FALSE;
  if (chdir (plan->cwd) == 0)
    return 0;
  if (errno == ENOENT)
    {
      if (make_cwd (plan, err) < 0)
        return -1;
      if (chdir (plan->cwd) == 0)
        return 0;
    }
  if (errno == EACCES)
    {
      *retry = TRUE;
      return 0;
    }
  return fail_step (err, HAKO_PROCESS_STEP_CWD, 0);
}

/* With no groups asked, a user namespace where setgroups is denied (its
 * gid_map written without newgidmap) has nothing to clear. */
static int
set_groups (const HakoProcessPlan *plan)
{
  if (syscall (SYS_SETGROUPS, plan->n_additional_gids, plan->additional_gids) == 0)
    return 0;
  return errno == EPERM && plan->n_additional_gids == 0 ? 0 : -1;
}

/* The bounding set is dropped while still the container's root: after the
 * change of user the effective set is empty and PR_CAPBSET_DROP needs
 * CAP_SETPCAP. capset(2) then restores the effective set from the
 * permitted one PR_SET_KEEPCAPS kept. */
static int
change_user (const HakoProcessPlan *plan, HakoChildError *err)
{
  int cap = -1;

  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_KEEPCAPS, 0);
  if (hako_cap_drop_bounding (&plan->caps, &cap) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_CAP_BOUNDING, cap);
  if (set_groups (plan) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_SETGROUPS, 0);
  if (syscall (SYS_SETRESGID, plan->gid, plan->gid, plan->gid) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_SETGID, 0);
  if (syscall (SYS_SETRESUID, plan->uid, plan->uid, plan->uid) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_SETUID, 0);
  return 0;
}

static int
set_capabilities (const HakoProcessPlan *plan, HakoChildError *err)
{
  int cap = -1;

  if (hako_cap_set (&plan->caps) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_CAPSET, 0);
  if (hako_cap_set_ambient (&plan->caps, &cap) < 0)
    return cap < 0 ? fail_step (err, HAKO_PROCESS_STEP_CAP_AMBIENT_CLEAR, 0)
                   : fail_step (err, HAKO_PROCESS_STEP_CAP_AMBIENT, cap);
  return 0;
}

int
hako_process_plan_apply_identity (const HakoProcessPlan *plan, HakoChildError *err)
{
  gboolean retry_cwd;

  if (enter_cwd (plan, &retry_cwd, err) < 0 || change_user (plan, err) < 0)
    return -1;
  if (retry_cwd && chdir (plan->cwd) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_CWD, 0);
  if (check_cwd_inside_root (err) < 0 || set_capabilities (plan, err) < 0)
    return -1;
  if (plan->no_new_privileges && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_NO_NEW_PRIVS, 0);
  return 0;
}

/* The errors after which execvp tries the next directory of $PATH. */
static gboolean
exec_tries_next (int saved_errno)
{
  switch (saved_errno)
    {
    case EACCES:
    case ENOENT:
    case ENOTDIR:
    case ESTALE:
    case ENODEV:
    case ETIMEDOUT:
      return TRUE;
    default:
      return FALSE;
    }
}

static int
exec_fail (HakoChildError *err, HakoProcessStepKind kind, int index, int saved_errno)
{
  return hako_child_fail (err, HAKO_CHILD_STAGE_EXEC, HAKO_PROCESS_STEP (kind, index),
                          saved_errno);
}

/* Tries each candidate as execvp does: ATTEMPT returns the errno of
 * candidate I (0 when it would run, where it returns at all). */
static int
try_candidates (const HakoProcessPlan *plan, int (*attempt) (const HakoProcessPlan *, int),
                HakoChildError *err)
{
  int denied = -1;

  for (int i = 0; plan->exec_paths[i] != NULL; i++)
    {
      int saved_errno = attempt (plan, i);
      if (saved_errno == 0)
        return 0;
      if (!plan->path_search || !exec_tries_next (saved_errno))
        return exec_fail (err, HAKO_PROCESS_STEP_EXEC, i, saved_errno);
      if (saved_errno == EACCES)
        denied = i;
    }
  if (denied >= 0)
    return exec_fail (err, HAKO_PROCESS_STEP_EXEC, denied, EACCES);
  return exec_fail (err, HAKO_PROCESS_STEP_EXEC_NOT_FOUND, 0, ENOENT);
}

static int
attempt_exec (const HakoProcessPlan *plan, int i)
{
  execve (plan->exec_paths[i], plan->argv, plan->envp);
  return errno;
}

/* What execve would say about the file, short of loading it. */
static int
attempt_find (const HakoProcessPlan *plan, int i)
{
  struct stat st;

  if (stat (plan->exec_paths[i], &st) < 0)
    return errno;
  if (!S_ISREG (st.st_mode) || access (plan->exec_paths[i], X_OK) < 0)
    return EACCES;
  return 0;
}

int
hako_process_plan_find_exec (const HakoProcessPlan *plan, HakoChildError *err)
{
  return try_candidates (plan, attempt_find, err);
}

int
hako_process_plan_exec (const HakoProcessPlan *plan, HakoChildError *err)
{
  if (set_affinity (&plan->affinity_final) < 0)
    return fail_step (err, HAKO_PROCESS_STEP_AFFINITY_FINAL, 0);

  /* linux.seccomp goes here: loaded last, after every other step, so the
   * filter only has to allow execve itself. */

  return try_candidates (plan, attempt_exec, err);
}
