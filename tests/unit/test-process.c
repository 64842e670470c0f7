/* The process plan: what the runtime computes from config.json, how it
 * words the child's failures, and a real apply in a new user namespace
 * (hostname, ipc sysctl, rlimit, umask, oom_score_adj, cwd creation,
 * reduced capabilities, no_new_privs) checked from inside by /bin/sh. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "process.h"
#include "self-exe.h"
#include "userns.h"

#define BIT(cap) (G_GUINT64_CONSTANT (1) << (cap))
#define CAP_KILL_ 5
#define CAP_NET_BIND_SERVICE_ 10
#define CAP_SYS_MODULE_ 16
#define CAP_SYS_ADMIN_ 21
#define CAP_BPF_ 39

/* A config.json around PROCESS (the inside of "process": {...}) and EXTRA
 * (more top-level members, with a leading comma). */
static HakoSpec *
load_spec (const char *process, const char *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": "
                                           "\"rootfs\"}, \"process\": {%s}%s}",
                                           process, extra ? extra : "");
  HakoSpec *spec = hako_spec_load_data (json, -1, &error);

  g_assert_no_error (error);
  return spec;
}

static HakoProcessPlan *
plan_for (const char *process, const char *extra)
{
  g_autoptr (HakoSpec) spec = load_spec (process, extra);
  g_autoptr (GError) error = NULL;
  HakoProcessPlan *plan = hako_process_plan_new (spec, &error);

  g_assert_no_error (error);
  return plan;
}

/* The plan must fail with a message containing each of the NULL-terminated strings. */
static void
assert_plan_error (const char *process, const char *extra, ...)
{
  g_autoptr (HakoSpec) spec = load_spec (process, extra);
  g_autoptr (GError) error = NULL;
  g_autoptr (HakoProcessPlan) plan = hako_process_plan_new (spec, &error);
  va_list args;

  g_assert_null (plan);
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  va_start (args, extra);
  for (const char *part = va_arg (args, const char *); part; part = va_arg (args, const char *))
    if (strstr (error->message, part) == NULL)
      g_error ("\"%s\" is not in the error \"%s\"", part, error->message);
  va_end (args);
}

#define SH_ARGS "\"args\": [\"sh\", \"-c\", \"true\"], \"cwd\": \"/\""

static void
test_plan_exec_paths (void)
{
  g_autoptr (HakoProcessPlan) custom
      = plan_for (SH_ARGS ", \"env\": [\"A=1\", \"PATH=/opt/bin::/usr/bin/\"]", NULL);
  g_autoptr (HakoProcessPlan) fallback = plan_for (SH_ARGS, NULL);
  g_autoptr (HakoProcessPlan) absolute
      = plan_for ("\"args\": [\"./run\", \"x\"], \"cwd\": \"/\", \"env\": [\"PATH=/bin\"]", NULL);
  const char *const custom_paths[] = { "/opt/bin/sh", "./sh", "/usr/bin/sh", NULL };

  g_assert_true (custom->path_search);
  g_assert_cmpstrv (custom->exec_paths, custom_paths);
  g_assert_cmpstr (custom->search_path, ==, "/opt/bin::/usr/bin/");
  g_assert_cmpstr (custom->envp[0], ==, "A=1");
  g_assert_cmpstr (custom->argv[2], ==, "true");
  g_assert_null (custom->argv[3]);

  /* No PATH in the container's env: the usual default, and an empty env. */
  g_assert_cmpstr (fallback->search_path, ==,
                   "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  g_assert_cmpuint (g_strv_length (fallback->exec_paths), ==, 6);
  g_assert_cmpstr (fallback->exec_paths[0], ==, "/usr/local/sbin/sh");
  g_assert_cmpstr (fallback->exec_paths[5], ==, "/bin/sh");
  g_assert_nonnull (fallback->envp);
  g_assert_null (fallback->envp[0]);

  /* A name with a '/' is used as it is. */
  g_assert_false (absolute->path_search);
  g_assert_cmpuint (g_strv_length (absolute->exec_paths), ==, 1);
  g_assert_cmpstr (absolute->exec_paths[0], ==, "./run");

  assert_plan_error ("\"args\": [\"\"], \"cwd\": \"/\"", NULL, "process.args[0]", NULL);
}

static void
test_plan_attributes (void)
{
  g_autoptr (HakoProcessPlan) plan = plan_for (
      "\"args\": [\"/bin/true\"], \"cwd\": \"/srv//data/app\", \"noNewPrivileges\": true,"
      "\"user\": {\"uid\": 1000, \"gid\": 100, \"umask\": 63, \"additionalGids\": [5, 6]},"
      "\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1024, \"hard\": 4096},"
      "              {\"type\": \"RLIMIT_CORE\", \"soft\": 18446744073709551615,"
      "               \"hard\": 18446744073709551615}],"
      "\"oomScoreAdj\": -17,"
      "\"scheduler\": {\"policy\": \"SCHED_BATCH\", \"nice\": 5,"
      "                \"flags\": [\"SCHED_FLAG_RESET_ON_FORK\"]},"
      "\"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 4}",
      ", \"linux\": {\"personality\": {\"domain\": \"LINUX32\"}}");
  g_autoptr (HakoProcessPlan) defaults = plan_for (SH_ARGS, NULL);
  const char *const parents[] = { "/srv", "/srv/data", "/srv/data/app", NULL };

  g_assert_cmpstr (plan->cwd, ==, "/srv//data/app");
  g_assert_cmpstrv (plan->cwd_parents, parents);
  g_assert_cmpuint (plan->uid, ==, 1000);
  g_assert_cmpuint (plan->gid, ==, 100);
  g_assert_cmpuint (plan->n_additional_gids, ==, 2);
  g_assert_cmpuint (plan->additional_gids[1], ==, 6);
  g_assert_cmpuint (plan->umask, ==, 077);
  g_assert_true (plan->no_new_privileges);
  g_assert_cmpuint (plan->n_rlimits, ==, 2);
  g_assert_cmpint (plan->rlimits[0].resource, ==, RLIMIT_NOFILE);
  g_assert_cmpuint (plan->rlimits[0].limit.rlim_cur, ==, 1024);
  g_assert_cmpuint (plan->rlimits[0].limit.rlim_max, ==, 4096);
  g_assert_cmpint (plan->rlimits[1].resource, ==, RLIMIT_CORE);
  g_assert_true (plan->rlimits[1].limit.rlim_cur == RLIM_INFINITY);
  g_assert_cmpstr (plan->oom_score_adj, ==, "-17");
  g_assert_true (plan->has_scheduler);
  g_assert_cmpuint (plan->sched_attr.size, ==, 48);
  g_assert_cmpuint (plan->sched_attr.sched_policy, ==, 3 /* SCHED_BATCH */);
  g_assert_cmpint (plan->sched_attr.sched_nice, ==, 5);
  g_assert_cmpuint (plan->sched_attr.sched_flags, ==, 1);
  g_assert_true (plan->has_io_priority);
  g_assert_cmpint (plan->io_priority, ==, (2 << 13) | 4);
  g_assert_true (plan->has_personality);
  g_assert_cmpuint (plan->personality, ==, PER_LINUX32);

  g_assert_cmpuint (defaults->umask, ==, 022);
  g_assert_cmpuint (defaults->uid, ==, 0);
  g_assert_cmpuint (defaults->n_additional_gids, ==, 0);
  g_assert_null (defaults->oom_score_adj);
  g_assert_false (defaults->has_scheduler || defaults->has_io_priority
                  || defaults->has_personality || defaults->no_new_privileges);
  g_assert_null (defaults->hostname);
  g_assert_cmpuint (defaults->n_sysctl, ==, 0);
  g_assert_null (defaults->cwd_parents[0]);
}

static void
test_plan_uts (void)
{
  g_autoptr (HakoProcessPlan) plan
      = plan_for (SH_ARGS, ", \"hostname\": \"box\", \"domainname\": \"example.org\","
                           "\"linux\": {\"namespaces\": [{\"type\": \"uts\"}]}");

  g_assert_cmpstr (plan->hostname, ==, "box");
  g_assert_cmpstr (plan->domainname, ==, "example.org");
  assert_plan_error (SH_ARGS, ", \"hostname\": \"box\"", "hostname: ", "uts", NULL);
  assert_plan_error (SH_ARGS, ", \"domainname\": \"d\", \"linux\": {}", "domainname: ", "uts",
                     NULL);
  assert_plan_error (SH_ARGS,
                     ", \"hostname\": \"" "0123456789012345678901234567890123456789"
                     "0123456789012345678901234\", \"linux\": {\"namespaces\": [{\"type\": "
                     "\"uts\"}]}",
                     "hostname: ", "64", NULL);
}

/* A linux object with an ipc namespace and the sysctl ENTRIES. */
static char *
with_ipc_sysctl (const char *entries)
{
  return g_strdup_printf (", \"linux\": {\"namespaces\": [{\"type\": \"ipc\"}], "
                          "\"sysctl\": {%s}}",
                          entries);
}

static void
test_plan_sysctl (void)
{
  g_autoptr (HakoProcessPlan) plan = plan_for (
      SH_ARGS, ", \"linux\": {\"namespaces\": [{\"type\": \"ipc\"}, {\"type\": \"network\"},"
               "{\"type\": \"uts\"}], \"sysctl\": {\"net.ipv4.ip_forward\": \"1\","
               "\"kernel.msgmax\": \"8192\", \"fs.mqueue.msg_max\": \"20\","
               "\"net/ipv4/conf/eth0.100/forwarding\": \"0\", \"kernel.shmmax\": \"1\","
               "\"kernel.sem\": \"1 2 3 4\", \"kernel.domainname\": \"x\"}}");
  g_autofree char *not_namespaced = with_ipc_sysctl ("\"vm.swappiness\": \"10\"");
  g_autofree char *needs_net = with_ipc_sysctl ("\"net.core.somaxconn\": \"256\"");
  g_autofree char *bad_name = with_ipc_sysctl ("\"kernel..msgmax\": \"1\"");
  g_autofree char *escape = with_ipc_sysctl ("\"net/../../etc/passwd\": \"1\"");

  g_assert_cmpuint (plan->n_sysctl, ==, 7);
  /* Sorted by key, so the child applies them in a stable order. */
  g_assert_cmpstr (plan->sysctl[0].key, ==, "fs.mqueue.msg_max");
  g_assert_cmpstr (plan->sysctl[0].path, ==, "/proc/sys/fs/mqueue/msg_max");
  g_assert_cmpstr (plan->sysctl[2].path, ==, "/proc/sys/kernel/msgmax");
  g_assert_cmpstr (plan->sysctl[2].value, ==, "8192");
  g_assert_cmpuint (plan->sysctl[2].value_length, ==, 4);
  g_assert_cmpstr (plan->sysctl[5].path, ==, "/proc/sys/net/ipv4/ip_forward");
  g_assert_cmpstr (plan->sysctl[6].path, ==, "/proc/sys/net/ipv4/conf/eth0.100/forwarding");

  assert_plan_error (SH_ARGS, not_namespaced, "linux.sysctl[\"vm.swappiness\"]",
                     "not a namespaced sysctl", NULL);
  assert_plan_error (SH_ARGS, needs_net, "linux.sysctl[\"net.core.somaxconn\"]",
                     "network namespace", NULL);
  assert_plan_error (SH_ARGS, ", \"linux\": {\"sysctl\": {\"kernel.shm_rmid_forced\": \"1\"}}",
                     "linux.sysctl[\"kernel.shm_rmid_forced\"]", "ipc namespace", NULL);
  assert_plan_error (SH_ARGS, ", \"linux\": {\"sysctl\": {\"kernel.hostname\": \"h\"}}",
                     "kernel.hostname", "uts namespace", NULL);
  assert_plan_error (SH_ARGS, bad_name, "linux.sysctl[\"kernel..msgmax\"]", NULL);
  assert_plan_error (SH_ARGS, escape, "linux.sysctl[\"net/../../etc/passwd\"]", NULL);
}

static gboolean
warnings_contain (const HakoProcessPlan *plan, const char *a, const char *b)
{
  for (const char *const *w = hako_process_plan_warnings (plan); *w; w++)
    if (strstr (*w, a) && strstr (*w, b))
      return TRUE;
  return FALSE;
}

static void
test_plan_capabilities (void)
{
  g_autoptr (HakoSpec) spec = load_spec (
      SH_ARGS ", \"capabilities\": {"
              "\"bounding\": [\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\", \"CAP_BPF\","
              "             \"CAP_SYS_MODULE\"],"
              "\"effective\": [\"CAP_KILL\", \"CAP_SYS_MODULE\"],"
              "\"permitted\": [\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\", \"CAP_SYS_MODULE\"],"
              "\"inheritable\": [\"CAP_KILL\", \"CAP_SYS_ADMIN\"],"
              "\"ambient\": [\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]}",
      NULL);
  g_autoptr (HakoSpec) none = load_spec (SH_ARGS, NULL);
  /* A kernel that stops at CAP_PERFMON (38), in a runtime without CAP_SYS_MODULE. */
  HakoCapHost host = { .last_cap = 38, .bounding = (BIT (39) - 1) & ~BIT (CAP_SYS_MODULE_) };
  g_autoptr (GError) error = NULL;
  g_autoptr (HakoProcessPlan) plan = hako_process_plan_new_for_host (spec, &host, &error);
  g_autoptr (HakoProcessPlan) empty = hako_process_plan_new_for_host (none, &host, &error);

  g_assert_no_error (error);
  g_assert_cmpint (plan->caps.last_cap, ==, 38);
  g_assert_cmphex (plan->caps.bounding, ==, BIT (CAP_KILL_) | BIT (CAP_NET_BIND_SERVICE_));
  g_assert_cmphex (plan->caps.effective, ==, BIT (CAP_KILL_));
  g_assert_cmphex (plan->caps.permitted, ==, BIT (CAP_KILL_) | BIT (CAP_NET_BIND_SERVICE_));
  g_assert_cmphex (plan->caps.inheritable, ==, BIT (CAP_KILL_));
  g_assert_cmphex (plan->caps.ambient, ==, BIT (CAP_KILL_));
  g_assert_cmpuint (g_strv_length ((char **) hako_process_plan_warnings (plan)), ==, 4);
  g_assert_true (warnings_contain (plan, "CAP_BPF", "not known to this kernel"));
  g_assert_true (warnings_contain (plan, "CAP_SYS_MODULE", "bounding set"));
  g_assert_true (warnings_contain (plan, "process.capabilities.inheritable: CAP_SYS_ADMIN",
                                   "bounding"));
  g_assert_true (warnings_contain (plan, "process.capabilities.ambient: CAP_NET_BIND_SERVICE",
                                   "inheritable"));

  /* No capabilities object: no capabilities at all, as in runc. */
  g_assert_cmphex (empty->caps.bounding | empty->caps.effective | empty->caps.permitted
                       | empty->caps.inheritable | empty->caps.ambient,
                   ==, 0);
  g_assert_null (hako_process_plan_warnings (empty)[0]);
}

static void
test_plan_affinity (void)
{
  g_autoptr (HakoProcessPlan) plan = plan_for (
      SH_ARGS ", \"execCPUAffinity\": {\"initial\": \"0-3, 7\", \"final\": \"1,200-201\"}", NULL);
  g_autoptr (HakoProcessPlan) empty
      = plan_for (SH_ARGS ", \"execCPUAffinity\": {\"initial\": \" \"}", NULL);

  g_assert_cmpstr (plan->affinity_initial.list, ==, "0-3, 7");
  g_assert_cmpuint (CPU_COUNT_S (plan->affinity_initial.size, plan->affinity_initial.set), ==, 5);
  for (int cpu = 0; cpu < 4; cpu++)
    g_assert_true (CPU_ISSET_S (cpu, plan->affinity_initial.size, plan->affinity_initial.set));
  g_assert_false (CPU_ISSET_S (4, plan->affinity_initial.size, plan->affinity_initial.set));
  g_assert_true (CPU_ISSET_S (7, plan->affinity_initial.size, plan->affinity_initial.set));
  g_assert_cmpuint (plan->affinity_final.size, >=, 202 / 8);
  g_assert_cmpuint (CPU_COUNT_S (plan->affinity_final.size, plan->affinity_final.set), ==, 3);
  g_assert_true (CPU_ISSET_S (201, plan->affinity_final.size, plan->affinity_final.set));
  g_assert_null (empty->affinity_initial.list);
  g_assert_null (empty->affinity_initial.set);
  g_assert_null (empty->affinity_final.set);

  assert_plan_error (SH_ARGS ", \"execCPUAffinity\": {\"initial\": \"3-1\"}", NULL,
                     "process.execCPUAffinity.initial", "\"3-1\"", NULL);
  assert_plan_error (SH_ARGS ", \"execCPUAffinity\": {\"final\": \"0,,2\"}", NULL,
                     "process.execCPUAffinity.final", NULL);
  assert_plan_error (SH_ARGS ", \"execCPUAffinity\": {\"final\": \"99999\"}", NULL,
                     "process.execCPUAffinity.final", "8191", NULL);
  assert_plan_error (SH_ARGS ", \"execCPUAffinity\": {\"final\": \"1-2-3\"}", NULL,
                     "process.execCPUAffinity.final", NULL);
}

static void
assert_described (const HakoProcessPlan *plan, HakoChildStage stage, HakoProcessStepKind kind,
                  int index, int saved_errno, const char *expected)
{
  HakoChildError err = { stage, HAKO_PROCESS_STEP (kind, index), saved_errno };
  g_autofree char *message = hako_process_plan_describe_error (plan, &err);

  g_assert_cmpstr (message, ==, expected);
}

static void
test_describe_error (void)
{
  g_autoptr (HakoProcessPlan) plan = plan_for (
      "\"args\": [\"foo\"], \"cwd\": \"/nonexistent\", \"env\": [\"PATH=/bin:/usr/bin\"],"
      "\"user\": {\"uid\": 1000, \"gid\": 1000},"
      "\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 2048, \"hard\": 4096}]",
      ", \"linux\": {\"namespaces\": [{\"type\": \"ipc\"}],"
      "              \"sysctl\": {\"kernel.msgmax\": \"9\"}}");
  HakoChildError corrupt = { HAKO_CHILD_STAGE_PROCESS,
                             HAKO_PROCESS_STEP (HAKO_PROCESS_STEP_RLIMIT, 7), EPERM };
  g_autofree char *fallback = hako_process_plan_describe_error (plan, &corrupt);

  assert_described (plan, HAKO_CHILD_STAGE_PROCESS, HAKO_PROCESS_STEP_RLIMIT, 0, EPERM,
                    "process.rlimits[0] RLIMIT_NOFILE: cannot set 2048/4096: "
                    "Operation not permitted");
  assert_described (plan, HAKO_CHILD_STAGE_PROCESS, HAKO_PROCESS_STEP_CWD, 0, ENOENT,
                    "process.cwd /nonexistent: No such file or directory");
  assert_described (plan, HAKO_CHILD_STAGE_PROCESS, HAKO_PROCESS_STEP_CWD_MKDIR, 0, EROFS,
                    "process.cwd /nonexistent: cannot create /nonexistent: "
                    "Read-only file system");
  assert_described (plan, HAKO_CHILD_STAGE_PROCESS, HAKO_PROCESS_STEP_SETUID, 0, EPERM,
                    "process.user.uid 1000: Operation not permitted");
  assert_described (plan, HAKO_CHILD_STAGE_PROCESS, HAKO_PROCESS_STEP_SETGID, 0, EINVAL,
                    "process.user.gid 1000: Invalid argument (the id is not mapped in the "
                    "container's user namespace: add it to linux.gidMappings)");
  assert_described (plan, HAKO_CHILD_STAGE_PROCESS, HAKO_PROCESS_STEP_SYSCTL, 0, EACCES,
                    "linux.sysctl[\"kernel.msgmax\"]: cannot write \"9\" to "
                    "/proc/sys/kernel/msgmax: Permission denied");
  assert_described (plan, HAKO_CHILD_STAGE_PROCESS, HAKO_PROCESS_STEP_CAP_BOUNDING, 21, EPERM,
                    "process.capabilities.bounding: cannot drop CAP_SYS_ADMIN: Operation not "
                    "permitted");
  assert_described (plan, HAKO_CHILD_STAGE_EXEC, HAKO_PROCESS_STEP_EXEC_NOT_FOUND, 0, ENOENT,
                    "process.args[0] \"foo\": executable file not found in $PATH (/bin:/usr/bin)");
  assert_described (plan, HAKO_CHILD_STAGE_EXEC, HAKO_PROCESS_STEP_EXEC, 1, EACCES,
                    "process.args[0] \"foo\" (/usr/bin/foo): Permission denied");
  /* An index past the plan's arrays is not trusted. */
  g_assert_nonnull (strstr (fallback, "Operation not permitted"));
}

/* ---- running the child ---- */

typedef int (*ChildSteps) (const HakoProcessPlan *plan, HakoChildError *err);

typedef struct
{
  gboolean ran;     /* FALSE: user namespaces are not available */
  gboolean failed;  /* the child reported err */
  HakoChildError err;
  char *output;     /* what the payload wrote to stdout */
  int status;
} ChildResult;

static void
child_result_clear (ChildResult *result)
{
  g_clear_pointer (&result->output, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ChildResult, child_result_clear)

static char *
read_all (int fd)
{
  GString *text = g_string_new (NULL);
  char buffer[512];
  ssize_t n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (text, buffer, n);
  return g_string_free (text, FALSE);
}

/* In the forked child: async-signal-safe code only from here on. */
static G_GNUC_NORETURN void
child_main (const HakoProcessPlan *plan, ChildSteps steps, gboolean userns, int ready_fd,
            int go_fd, int out_fd, int err_fd)
{
  HakoChildError err = { 0 };
  char byte = 'y';

  if (userns && unshare (CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWIPC) < 0)
    byte = 'n';
  if (write (ready_fd, &byte, 1) != 1 || byte == 'n' || read (go_fd, &byte, 1) != 1)
    _exit (2);
  if (dup2 (out_fd, STDOUT_FILENO) < 0)
    _exit (3);
  if (steps (plan, &err) < 0)
    {
      if (write (err_fd, &err, sizeof err) != sizeof err)
        _exit (4);
    }
  _exit (1);
}

static void
pipe_cloexec (int fds[2])
{
  g_assert_cmpint (pipe2 (fds, O_CLOEXEC), ==, 0);
}

/* Forks a child that runs STEPS on PLAN: in new user, uts and ipc
 * namespaces whose maps the runtime writes when MAPPINGS is not NULL. */
static void
run_child (const HakoProcessPlan *plan, ChildSteps steps, const HakoUsernsMappings *mappings,
           ChildResult *result)
{
  int ready[2], go[2], out[2], err[2];
  char byte = 0;
  pid_t pid;

  pipe_cloexec (ready);
  pipe_cloexec (go);
  pipe_cloexec (out);
  pipe_cloexec (err);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    child_main (plan, steps, mappings != NULL, ready[1], go[0], out[1], err[1]);
  close (ready[1]);
  close (go[0]);
  close (out[1]);
  close (err[1]);
  result->ran = read (ready[0], &byte, 1) == 1 && byte == 'y';
  if (result->ran && mappings != NULL)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (hako_userns_write_maps (pid, &mappings->uids, &mappings->gids, &error));
      g_assert_no_error (error);
    }
  if (result->ran)
    g_assert_cmpint (write (go[1], "g", 1), ==, 1);
  close (go[1]);
  result->output = read_all (out[0]);
  result->failed = read (err[0], &result->err, sizeof result->err) == sizeof result->err;
  g_assert_cmpint (waitpid (pid, &result->status, 0), ==, pid);
  close (ready[0]);
  close (out[0]);
  close (err[0]);
}

static char *
describe_failure (const HakoProcessPlan *plan, const ChildResult *result)
{
  return result->failed ? hako_process_plan_describe_error (plan, &result->err) : NULL;
}

static int
apply_all (const HakoProcessPlan *plan, HakoChildError *err)
{
  if (hako_process_plan_apply_system (plan, err) < 0
      || hako_process_plan_apply_identity (plan, err) < 0)
    return -1;
  return hako_process_plan_exec (plan, err);
}

static char *
read_oom_score_adj (void)
{
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/oom_score_adj", &text, NULL, NULL));
  return g_strdup (g_strstrip (text));
}

#define SCRIPT                                                                          \
  "cat /proc/sys/kernel/hostname /proc/sys/kernel/msgmax; "                             \
  "while read -r k v; do case $k in CapEff:|CapPrm:|CapBnd:|NoNewPrivs:) echo $k $v;; " \
  "esac; done < /proc/self/status; ulimit -n; umask; pwd; cat /proc/self/oom_score_adj"

static void
test_apply_in_userns (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hako-process-XXXXXX", &error);
  g_autofree char *cwd = g_build_filename (dir, "made", "by", "plan", NULL);
  g_autofree char *oom = read_oom_score_adj ();
  int new_oom = MIN (atoi (oom) + 1, 1000);
  struct rlimit nofile;
  g_autofree char *process = NULL;
  g_autoptr (HakoSpec) spec = NULL;
  g_autoptr (HakoProcessPlan) plan = NULL;
  g_auto (ChildResult) result = { 0 };
  g_autofree char *failure = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *mode = NULL;
  struct stat st;
  HakoIdMapping uid = { 0, geteuid (), 1 }, gid = { 0, getegid (), 1 };
  HakoUsernsMappings own_id = { .uids = { &uid, 1 }, .gids = { &gid, 1 } };

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &nofile), ==, 0);
  nofile.rlim_max = MIN (nofile.rlim_max, 512);
  nofile.rlim_cur = MIN (nofile.rlim_max, 200);
  process = g_strdup_printf (
      "\"args\": [\"sh\", \"-c\", \"%s\"], \"cwd\": \"%s\", \"noNewPrivileges\": true,"
      "\"env\": [\"PATH=/nonexistent:/usr/bin:/bin\"], \"user\": {\"uid\": 0, \"gid\": 0, "
      "\"umask\": 23}, \"oomScoreAdj\": %d,"
      "\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": %llu, \"hard\": %llu}],"
      "\"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],"
      "\"effective\": [\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],"
      "\"permitted\": [\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]}",
      SCRIPT, cwd, new_oom, (unsigned long long) nofile.rlim_cur,
      (unsigned long long) nofile.rlim_max);
  spec = load_spec (process,
                    ", \"hostname\": \"hako-test\", \"linux\": {\"namespaces\": [{\"type\": "
                    "\"user\"}, {\"type\": \"uts\"}, {\"type\": \"ipc\"}], \"sysctl\": "
                    "{\"kernel.msgmax\": \"4242\"}}");
  plan = hako_process_plan_new (spec, &error);
  g_assert_no_error (error);

  run_child (plan, apply_all, &own_id, &result);
  if (!result.ran)
    {
      g_test_skip ("user namespaces are not available here");
      return;
    }
  failure = describe_failure (plan, &result);
  g_assert_cmpstr (failure, ==, NULL);
  expected = g_strdup_printf ("hako-test\n4242\nCapPrm: 0000000000000420\n"
                              "CapEff: 0000000000000420\nCapBnd: 0000000000000420\n"
                              "NoNewPrivs: 1\n%llu\n0027\n%s\n%d\n",
                              (unsigned long long) nofile.rlim_cur, cwd, new_oom);
  g_assert_cmpstr (result.output, ==, expected);
  g_assert_true (WIFEXITED (result.status) && WEXITSTATUS (result.status) == 0);

  /* mkdir -p with 0755, whatever the umask. */
  g_assert_cmpint (g_stat (cwd, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0755);
  mode = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (mode), ==, 0);
}

/* A non-root container user: supplementary groups, and capabilities kept
 * across the change of uid into the ambient set. Needs a mapping with more
 * than one id: as root the identity, otherwise the subuid/subgid ranges
 * through newuidmap/newgidmap. */
static void
test_apply_as_user (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (HakoUsernsMappings) mappings = { 0 };
  struct passwd *pw = getpwuid (geteuid ());
  g_autoptr (HakoSpec) spec = load_spec (
      "\"args\": [\"sh\", \"-c\", \"id -u; id -G; while read -r k v; do case $k in "
      "Cap*) echo $k $v;; esac; done < /proc/self/status\"], \"cwd\": \"/\","
      "\"user\": {\"uid\": 1000, \"gid\": 1000, \"additionalGids\": [1001]},"
      "\"capabilities\": {\"bounding\": [\"CAP_KILL\"], \"effective\": [\"CAP_KILL\"],"
      "\"permitted\": [\"CAP_KILL\"], \"inheritable\": [\"CAP_KILL\"],"
      "\"ambient\": [\"CAP_KILL\"]}",
      ", \"linux\": {\"namespaces\": [{\"type\": \"user\"}]}");
  g_autoptr (HakoProcessPlan) plan = hako_process_plan_new (spec, &error);
  g_auto (ChildResult) result = { 0 };
  g_autofree char *failure = NULL;

  g_assert_no_error (error);
  g_assert_true (hako_userns_default_mappings (hako_userns_is_host_root (), geteuid (), getegid (), pw ? pw->pw_name : NULL,
                                               "/etc/subuid", "/etc/subgid", &mappings, &error));
  if (mappings.notice != NULL)
    {
      g_test_skip ("no subordinate ids to map uid 1000 with");
      return;
    }
  run_child (plan, apply_all, &mappings, &result);
  if (!result.ran)
    {
      g_test_skip ("user namespaces are not available here");
      return;
    }
  failure = describe_failure (plan, &result);
  g_assert_cmpstr (failure, ==, NULL);
  g_assert_cmpstr (result.output, ==,
                   "1000\n1000 1001\nCapInh: 0000000000000020\nCapPrm: 0000000000000020\n"
                   "CapEff: 0000000000000020\nCapBnd: 0000000000000020\n"
                   "CapAmb: 0000000000000020\n");
}

static int
exec_only (const HakoProcessPlan *plan, HakoChildError *err)
{
  return hako_process_plan_exec (plan, err);
}

static char *
exec_failure (const char *process)
{
  g_autoptr (HakoProcessPlan) plan = plan_for (process, NULL);
  g_auto (ChildResult) result = { 0 };

  run_child (plan, exec_only, NULL, &result);
  g_assert_true (result.ran);
  g_assert_true (result.failed);
  g_assert_cmpint (result.err.stage, ==, HAKO_CHILD_STAGE_EXEC);
  return describe_failure (plan, &result);
}

static void
test_exec_failures (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hako-exec-XXXXXX", &error);
  g_autofree char *script = g_build_filename (dir, "hako-not-executable", NULL);
  g_autofree char *missing = g_strdup_printf ("\"args\": [\"hako-no-such-program\"], \"cwd\": "
                                              "\"/\", \"env\": [\"PATH=%s:/nonexistent\"]",
                                              dir);
  g_autofree char *denied = g_strdup_printf ("\"args\": [\"hako-not-executable\"], \"cwd\": "
                                             "\"/\", \"env\": [\"PATH=/nonexistent:%s\"]",
                                             dir);
  g_autofree char *not_found = NULL, *absolute = NULL, *permission = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (script, "#!/bin/sh\n", -1, &error));
  g_assert_cmpint (g_chmod (script, 0644), ==, 0);

  not_found = exec_failure (missing);
  expected = g_strdup_printf ("process.args[0] \"hako-no-such-program\": executable file not "
                              "found in $PATH (%s:/nonexistent)",
                              dir);
  g_assert_cmpstr (not_found, ==, expected);

  absolute = exec_failure ("\"args\": [\"/nonexistent/prog\"], \"cwd\": \"/\"");
  g_assert_cmpstr (absolute, ==,
                   "process.args[0] \"/nonexistent/prog\": No such file or directory");

  /* EACCES is remembered while the search goes on, as execvp does. */
  permission = exec_failure (denied);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("process.args[0] \"hako-not-executable\" (%s): Permission denied",
                              script);
  g_assert_cmpstr (permission, ==, expected);

  g_unlink (script);
  g_rmdir (dir);
}

/* Which binaries need the sealed copy (self-exe.h). */
static void
test_self_exe_writable (void)
{
  struct stat installed = { .st_uid = 0, .st_mode = S_IFREG | 0755 };
  struct stat group_writable = { .st_uid = 0, .st_mode = S_IFREG | 0775 };
  struct stat users_own = { .st_uid = 1000, .st_mode = S_IFREG | 0755 };

  g_assert_true (hako_self_exe_writable_by_containers (&installed, TRUE));
  g_assert_true (hako_self_exe_writable_by_containers (&group_writable, FALSE));
  g_assert_true (hako_self_exe_writable_by_containers (&users_own, FALSE));
  if (hako_userns_is_initial ())
    g_assert_false (hako_self_exe_writable_by_containers (&installed, FALSE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/process/plan/exec-paths", test_plan_exec_paths);
  g_test_add_func ("/process/plan/attributes", test_plan_attributes);
  g_test_add_func ("/process/plan/uts", test_plan_uts);
  g_test_add_func ("/process/plan/sysctl", test_plan_sysctl);
  g_test_add_func ("/process/plan/capabilities", test_plan_capabilities);
  g_test_add_func ("/process/plan/affinity", test_plan_affinity);
  g_test_add_func ("/process/self-exe-writable", test_self_exe_writable);
  g_test_add_func ("/process/describe-error", test_describe_error);
  g_test_add_func ("/process/exec-failures", test_exec_failures);
  g_test_add_func ("/process/apply-in-userns", test_apply_in_userns);
  g_test_add_func ("/process/apply-as-user", test_apply_as_user);
  return g_test_run ();
}
