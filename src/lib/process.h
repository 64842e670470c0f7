/* The container process's attributes from config.json (process, hostname,
 * domainname, linux.sysctl, linux.personality), prepared by the runtime as a
 * plan and applied by the setup child between clone and exec.
 *
 * hako_process_plan_new runs in the runtime (GLib allowed) and computes
 * everything: argv/envp, the executable's candidate paths, numeric ids,
 * rlimits, capability masks, the sched_attr, CPU sets, /proc/sys paths.
 * The three apply functions run in the child, in this order, inside the
 * container (its user and other namespaces entered, rootfs pivoted). They
 * make async-signal-safe calls only (syscalls on the plan's memory: no
 * malloc, no stdio, no GLib) and report a failure as a HakoChildError
 * whose step is HAKO_PROCESS_STEP (kind, index), turned back into a message
 * by hako_process_plan_describe_error in the runtime. */
#pragma once

#include <glib.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "caps.h"
#include "child-error.h"
#include "spec.h"

/* HakoChildError.step = kind * HAKO_PROCESS_STEP_KINDS_BASE + index, where
 * index is the position in the plan's array the kind names (0 otherwise). */
typedef enum
{
  HAKO_PROCESS_STEP_NONE,
  /* apply_system (stage PROCESS) */
  HAKO_PROCESS_STEP_AFFINITY_INITIAL,
  HAKO_PROCESS_STEP_HOSTNAME,
  HAKO_PROCESS_STEP_DOMAINNAME,
  HAKO_PROCESS_STEP_SYSCTL, /* index: plan->sysctl[index] */
  HAKO_PROCESS_STEP_OOM_SCORE_ADJ,
  HAKO_PROCESS_STEP_PERSONALITY,
  HAKO_PROCESS_STEP_IO_PRIORITY,
  HAKO_PROCESS_STEP_SCHEDULER,
  HAKO_PROCESS_STEP_RLIMIT, /* index: plan->rlimits[index], which is process.rlimits[index] */
  /* apply_identity (stage PROCESS) */
  HAKO_PROCESS_STEP_CWD_MKDIR, /* index: plan->cwd_parents[index] */
  HAKO_PROCESS_STEP_CWD,
  HAKO_PROCESS_STEP_CWD_OUTSIDE, /* the cwd entered is not below the root */
  HAKO_PROCESS_STEP_KEEPCAPS,
  HAKO_PROCESS_STEP_CAP_BOUNDING, /* index: the capability that could not be dropped */
  HAKO_PROCESS_STEP_SETGROUPS,
  HAKO_PROCESS_STEP_SETGID,
  HAKO_PROCESS_STEP_SETUID,
  HAKO_PROCESS_STEP_CAPSET,
  HAKO_PROCESS_STEP_CAP_AMBIENT_CLEAR,
  HAKO_PROCESS_STEP_CAP_AMBIENT, /* index: the capability that could not be raised */
  HAKO_PROCESS_STEP_NO_NEW_PRIVS,
  /* exec */
  HAKO_PROCESS_STEP_AFFINITY_FINAL, /* stage PROCESS */
  HAKO_PROCESS_STEP_EXEC,           /* stage EXEC; index: plan->exec_paths[index] */
  HAKO_PROCESS_STEP_EXEC_NOT_FOUND, /* stage EXEC: no candidate from $PATH exists */
} HakoProcessStepKind;

#define HAKO_PROCESS_STEP_KINDS_BASE 10000
#define HAKO_PROCESS_STEP(kind, index) ((int) (kind) * HAKO_PROCESS_STEP_KINDS_BASE + (int) (index))
#define HAKO_PROCESS_STEP_KIND(step) ((HakoProcessStepKind) ((step) / HAKO_PROCESS_STEP_KINDS_BASE))
#define HAKO_PROCESS_STEP_INDEX(step) ((step) % HAKO_PROCESS_STEP_KINDS_BASE)

/* The kernel's struct sched_attr (SCHED_ATTR_SIZE_VER0), for SYS_sched_setattr. */
typedef struct
{
  guint32 size;
  guint32 sched_policy;
  guint64 sched_flags;
  gint32 sched_nice;
  guint32 sched_priority;
  guint64 sched_runtime;
  guint64 sched_deadline;
  guint64 sched_period;
} HakoSchedAttr;

typedef struct
{
  char *key;   /* as in the config: "net.ipv4.ip_forward" */
  char *path;  /* "/proc/sys/net/ipv4/ip_forward" */
  char *value;
  gsize value_length;
} HakoSysctlWrite;

typedef struct
{
  char *type; /* "RLIMIT_NOFILE" */
  int resource;
  struct rlimit limit;
} HakoProcessRlimit;

/* A CPU list ("0-3,7") as a cpu_set_t sized for its highest CPU. */
typedef struct
{
  char *list;
  cpu_set_t *set;
  gsize size; /* bytes, for sched_setaffinity */
} HakoCpuAffinity;

typedef struct
{
  /* execve */
  char **argv;       /* process.args */
  char **envp;       /* process.env, empty when absent */
  char **exec_paths; /* args[0] itself, or the candidates from $PATH when it has no '/' */
  gboolean path_search;
  char *search_path; /* the $PATH searched (the container's, or the default) */
  HakoCpuAffinity affinity_final; /* list NULL: leave the affinity alone */

  /* apply_system */
  HakoCpuAffinity affinity_initial;
  char *hostname;   /* NULL: not set */
  char *domainname; /* NULL: not set */
  HakoSysctlWrite *sysctl; /* sorted by key */
  guint n_sysctl;
  char *oom_score_adj; /* "500"; NULL: leave it */
  gboolean has_personality;
  unsigned long personality;
  const char *personality_domain; /* "LINUX" (static) */
  gboolean has_io_priority;
  int io_priority; /* the ioprio value: class << 13 | level */
  char *io_priority_class; /* "IOPRIO_CLASS_BE" */
  gboolean has_scheduler;
  HakoSchedAttr sched_attr;
  char *scheduler_policy;
  HakoProcessRlimit *rlimits;
  guint n_rlimits;
  mode_t umask; /* process.user.umask, 0022 when absent */

  /* apply_identity */
  char *cwd;
  char **cwd_parents; /* "/a", "/a/b", ... "/a/b/c": created when cwd is missing */
  uid_t uid;
  gid_t gid;
  gid_t *additional_gids;
  gsize n_additional_gids;
  HakoCapPlan caps;
  gboolean no_new_privileges;

  /* For the caller to log (config.md "logged as a warning"); NULL-terminated. */
  char **warnings;
} HakoProcessPlan;

/* The plan for SPEC's process (which must be present, with args), checked
 * against the config's namespaces: hostname/domainname need a uts
 * namespace, each linux.sysctl key the namespace that owns it. */
HakoProcessPlan *hako_process_plan_new (const HakoSpec *spec, GError **error);
/* The same with a given host's capabilities instead of this one's (tests). */
HakoProcessPlan *hako_process_plan_new_for_host (const HakoSpec *spec, const HakoCapHost *host,
                                                 GError **error);
void hako_process_plan_free (HakoProcessPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoProcessPlan, hako_process_plan_free)

/* Messages for the caller to log as warnings: capabilities that cannot be
 * granted here. Owned by the plan; NULL-terminated, possibly empty. */
const char *const *hako_process_plan_warnings (const HakoProcessPlan *plan);

/* The user-facing message for a failure the child reported, naming the
 * config field: `process.cwd /x: No such file or directory`. */
char *hako_process_plan_describe_error (const HakoProcessPlan *plan, const HakoChildError *err);

/* ---- in the setup child: async-signal-safe, 0 or -1 with *err ---- */

/* Initial CPU affinity, hostname, domainname, sysctl, oom_score_adj,
 * personality, ioPriority, scheduler, rlimits, umask: what needs the
 * container's root. */
int hako_process_plan_apply_system (const HakoProcessPlan *plan, HakoChildError *err);
/* cwd (created with mode 0755 when missing, as runc does), bounding set,
 * supplementary groups, gid, uid, capabilities, ambient set, no_new_privs. */
int hako_process_plan_apply_identity (const HakoProcessPlan *plan, HakoChildError *err);
/* Whether the process's executable would run (exists, a regular file, and
 * executable for it), checked as execve's candidates are: at create, as
 * runc does, so that a missing command fails create with the reason that
 * engines turn into exit statuses 127 and 126. */
int hako_process_plan_find_exec (const HakoProcessPlan *plan, HakoChildError *err);
/* Final CPU affinity, then execve of each candidate in turn, like execvp.
 * Returns (-1) only on failure. */
int hako_process_plan_exec (const HakoProcessPlan *plan, HakoChildError *err);
