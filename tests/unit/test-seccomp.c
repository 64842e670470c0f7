/* linux.seccomp: what the compiler refuses and how it words it, then real
 * filters loaded in forked children (no_new_privs first, as an
 * unprivileged process must) that try system calls and report the
 * results over a pipe. Runs as root and as an ordinary user. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "seccomp-default.h"
#include "seccomp-names.h"
#include "seccomp-filter.h"

#define MAX_PROBES 8
#define PRIO_WHO 4242

/* ---- building plans from config.json text ---- */

/* A config.json whose linux.seccomp is {SECCOMP}. */
static HakoSpec *
load_spec (const char *seccomp)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
      "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"},"
      " \"process\": {\"args\": [\"true\"], \"cwd\": \"/\"},"
      " \"linux\": {\"seccomp\": {%s}}}",
      seccomp);
  HakoSpec *spec = hako_spec_load_data (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spec->linux_->seccomp);
  return spec;
}

static HakoSeccompPlan *
plan_for (const char *seccomp)
{
  g_autoptr (HakoSpec) spec = load_spec (seccomp);
  g_autoptr (GError) error = NULL;
  HakoSeccompPlan *plan = hako_seccomp_plan_new (spec->linux_->seccomp, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  g_assert_cmpuint (hako_seccomp_plan_get_length (plan), >, 0);
  return plan;
}

/* The plan must fail with CODE and a message containing each of the
 * NULL-terminated strings. */
static void
assert_plan_error (const char *seccomp, HakoErrorCode code, ...)
{
  g_autoptr (HakoSpec) spec = load_spec (seccomp);
  g_autoptr (GError) error = NULL;
  g_autoptr (HakoSeccompPlan) plan = hako_seccomp_plan_new (spec->linux_->seccomp, &error);
  va_list args;

  g_assert_null (plan);
  g_assert_error (error, HAKO_ERROR, (int) code);
  va_start (args, code);
  for (const char *part = va_arg (args, const char *); part; part = va_arg (args, const char *))
    if (strstr (error->message, part) == NULL)
      g_error ("\"%s\" is not in the error \"%s\"", part, error->message);
  va_end (args);
}

/* ---- running a filter in a child ---- */

typedef enum
{
  CHILD_NO_NEW_PRIVS = 1 << 0,
  CHILD_DROP_ROOT = 1 << 1, /* lose CAP_SYS_ADMIN when running as root */
} ChildOptions;

/* What the child sends back: the load's outcome, then each probe's errno (0: it worked). */
typedef struct
{
  int load_failed;
  HakoChildError error;
  int probes[MAX_PROBES];
} ChildReport;

typedef struct
{
  ChildReport report;
  gboolean reported;
  int status;
} ChildOutcome;

/* Fills probes[]; runs under the filter, so only plain system calls. */
typedef void (*ProbeFunc) (int *probes, gconstpointer data);

static int
errno_of (long rc)
{
  return rc < 0 ? errno : 0;
}

/* exit_group itself: the sanitizers' _exit wants system calls a strict
 * filter does not allow. */
static G_GNUC_NORETURN void
child_exit (int status)
{
  syscall (SYS_exit_group, status);
  _exit (status);
}

static void
prepare_child (ChildOptions options)
{
  struct rlimit no_core = { 0, 0 };

  /* A process killed by seccomp dumps core: not here. */
  setrlimit (RLIMIT_CORE, &no_core);
  if ((options & CHILD_DROP_ROOT) && geteuid () == 0
      && (setresgid (65534, 65534, 65534) < 0 || setresuid (65534, 65534, 65534) < 0))
    child_exit (2);
  if ((options & CHILD_NO_NEW_PRIVS) && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    child_exit (3);
}

static G_GNUC_NORETURN void
run_child (int fd, const HakoSeccompPlan *plan, ChildOptions options, ProbeFunc probe,
           gconstpointer data)
{
  ChildReport report = { 0 };

  prepare_child (options);
  if (hako_seccomp_plan_load (plan, &report.error) < 0)
    report.load_failed = 1;
  else
    probe (report.probes, data);
  if (write (fd, &report, sizeof report) != sizeof report)
    child_exit (4);
  child_exit (0);
}

static void
run_filtered (const HakoSeccompPlan *plan, ChildOptions options, ProbeFunc probe,
              gconstpointer data, ChildOutcome *out)
{
  int fds[2];
  pid_t pid;
  ssize_t n;

  memset (out, 0, sizeof *out);
  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[0]);
      run_child (fds[1], plan, options, probe, data);
    }
  close (fds[1]);
  do
    n = read (fds[0], &out->report, sizeof out->report);
  while (n < 0 && errno == EINTR);
  out->reported = n == sizeof out->report;
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &out->status, 0), ==, pid);
}

/* Runs PROBE under PLAN with no_new_privs; the load must work and the child exit 0. */
static void
probe_filter (const HakoSeccompPlan *plan, ProbeFunc probe, gconstpointer data,
              int probes[MAX_PROBES])
{
  ChildOutcome outcome;

  run_filtered (plan, CHILD_NO_NEW_PRIVS, probe, data, &outcome);
  g_assert_true (outcome.reported);
  if (outcome.report.load_failed)
    g_error ("the filter did not load: %s", g_strerror (outcome.report.error.saved_errno));
  g_assert_true (WIFEXITED (outcome.status));
  g_assert_cmpint (WEXITSTATUS (outcome.status), ==, 0);
  memcpy (probes, outcome.report.probes, sizeof outcome.report.probes);
}

/* ---- probes ---- */

static void
probe_mkdir (int *probes, gconstpointer data)
{
  const char *path = data;

  probes[0] = errno_of (mkdir (path, 0700));
  probes[1] = errno_of (mkdirat (AT_FDCWD, path, 0700));
  probes[2] = errno_of (getpid ());
}

static void
probe_getppid (int *probes, gconstpointer data)
{
  probes[0] = errno_of (syscall (SYS_getppid));
  probes[1] = errno_of (syscall (SYS_getpid));
}

static void
probe_personality (int *probes, gconstpointer data)
{
  probes[0] = errno_of (personality (0xffffffff));
  probes[1] = errno_of (personality (PER_LINUX));
}

static void
probe_umask (int *probes, gconstpointer data)
{
  probes[0] = errno_of (syscall (SYS_umask, 022));
  probes[1] = errno_of (syscall (SYS_umask, 020));
  probes[2] = errno_of (syscall (SYS_umask, 077));
  probes[3] = errno_of (syscall (SYS_umask, 0));
}

static void
probe_getpriority (int *probes, gconstpointer data)
{
  probes[0] = errno_of (syscall (SYS_getpriority, PRIO_PROCESS, PRIO_WHO));
  probes[1] = errno_of (syscall (SYS_getpriority, PRIO_PROCESS, PRIO_WHO + 1));
  probes[2] = errno_of (syscall (SYS_getpriority, PRIO_PGRP, PRIO_WHO));
  probes[3] = errno_of (syscall (SYS_getpriority, PRIO_PROCESS, 0));
}

/* ---- compiling ---- */

/* data/seccomp-default.json: parsed and compiled within the kernel's limit. */
static void
test_default_profile (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (HakoSeccomp) profile = hako_seccomp_default_profile (&error);
  g_autoptr (HakoSeccompPlan) plan = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (profile->default_action, ==, "SCMP_ACT_ERRNO");
  g_assert_cmpuint (profile->default_errno_ret.value, ==, ENOSYS);
  plan = hako_seccomp_plan_new (profile, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hako_seccomp_plan_get_length (plan), <, BPF_MAXINSNS);
  g_assert_false (hako_seccomp_plan_has_listener (plan));
}

/* SCMP_ACT_NOTIFY: a listener where hako can pass it on, refused where the
 * handoff itself would be notified. */
static void
test_notify (void)
{
  g_autoptr (HakoSeccompPlan) plan = plan_for (
      "\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/a.sock\","
      "\"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]");

  g_assert_true (hako_seccomp_plan_has_listener (plan));
  g_assert_false (hako_seccomp_plan_has_listener (NULL));
  assert_plan_error ("\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"/run/a.sock\"",
                     HAKO_ERROR_CONFIG, "linux.seccomp.defaultAction: ",
                     "SCMP_ACT_NOTIFY cannot be the default action", NULL);
  assert_plan_error ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/a.sock\","
                     "\"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\"},"
                     "  {\"names\": [\"openat\", \"sendmsg\"], \"action\": \"SCMP_ACT_NOTIFY\"}]",
                     HAKO_ERROR_CONFIG, "linux.seccomp.syscalls[1].names[1]: ",
                     "cannot be used for sendmsg", NULL);
}

static void
test_compile_errors (void)
{
  assert_plan_error ("\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 65536",
                     HAKO_ERROR_CONFIG, "linux.seccomp.defaultErrnoRet: 65536", NULL);
  assert_plan_error ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                     "  {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\"},"
                     "  {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_TRACE\","
                     "   \"errnoRet\": 100000}]",
                     HAKO_ERROR_CONFIG, "linux.seccomp.syscalls[1].errnoRet: 100000", NULL);
  assert_plan_error ("\"defaultAction\": \"SCMP_ACT_ALLOW\","
                     "\"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\","
                     "            \"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]",
                     HAKO_ERROR_UNSUPPORTED, "linux.seccomp.flags[1]: ",
                     "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported by this libseccomp",
                     NULL);
  if (seccomp_arch_resolve_name ("loongarch64") == 0)
    assert_plan_error ("\"defaultAction\": \"SCMP_ACT_ALLOW\","
                       "\"architectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_LOONGARCH64\"]",
                       HAKO_ERROR_UNSUPPORTED,
                       "linux.seccomp.architectures[1]: SCMP_ARCH_LOONGARCH64 is not known", NULL);
}

static void
test_compile_skips (void)
{
  /* Names unknown here, and rules that would not change the default. */
  g_autoptr (HakoSeccompPlan) unknown
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                  "  {\"names\": [\"hako_no_such_syscall\"], \"action\": \"SCMP_ACT_ERRNO\"}]");
  g_autoptr (HakoSeccompPlan) same
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
                  "  {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ERRNO\"},"
                  "  {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1},"
                  "  {\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  g_autoptr (HakoSeccompPlan) allow_all
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                  "  {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]");
  g_autoptr (HakoSeccompPlan) bare = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\"");

  g_assert_cmpuint (hako_seccomp_plan_get_flags (unknown), ==, 0);
  /* The skipped names leave the same program as no rule at all. */
  g_assert_cmpuint (hako_seccomp_plan_get_length (unknown), ==,
                    hako_seccomp_plan_get_length (bare));
  g_assert_cmpuint (hako_seccomp_plan_get_length (allow_all), ==,
                    hako_seccomp_plan_get_length (bare));
  g_assert_cmpuint (hako_seccomp_plan_get_length (same), >,
                    hako_seccomp_plan_get_length (bare));
}

static void
test_architectures (void)
{
  /* The native one is in every filter already; listing it is fine. */
  g_autoptr (HakoSeccompPlan) plan
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\","
                  "\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", "
                  "                    \"SCMP_ARCH_X32\", \"SCMP_ARCH_AARCH64\"],"
                  "\"syscalls\": [{\"names\": [\"getppid\", \"socketcall\", \"waitpid\"],"
                  "               \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 61}]");
  int probes[MAX_PROBES];

  probe_filter (plan, probe_getppid, NULL, probes);
  g_assert_cmpint (probes[0], ==, 61);
  g_assert_cmpint (probes[1], ==, 0);
}

static void
test_describe_error (void)
{
  HakoChildError denied = { HAKO_CHILD_STAGE_SECCOMP, 0, EACCES };
  HakoChildError invalid = { HAKO_CHILD_STAGE_SECCOMP, 0, EINVAL };
  g_autofree char *denied_text = hako_seccomp_describe_error (&denied);
  g_autofree char *invalid_text = hako_seccomp_describe_error (&invalid);

  g_assert_nonnull (strstr (denied_text, "linux.seccomp"));
  g_assert_nonnull (strstr (denied_text, g_strerror (EACCES)));
  g_assert_nonnull (strstr (denied_text, "a seccomp filter needs process.noNewPrivileges or "
                                         "CAP_SYS_ADMIN"));
  g_assert_nonnull (strstr (invalid_text, g_strerror (EINVAL)));
}

/* ---- loading ---- */

static void
test_load_errno (void)
{
  g_autoptr (HakoSeccompPlan) plan
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                  "  {\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\","
                  "   \"errnoRet\": 38}]");
  g_autofree char *dir = g_dir_make_tmp ("hako-seccomp-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "made", NULL);
  int probes[MAX_PROBES];

  g_assert_nonnull (dir);
  probe_filter (plan, probe_mkdir, path, probes);
  g_assert_cmpint (probes[0], ==, ENOSYS);
  g_assert_cmpint (probes[1], ==, ENOSYS);
  g_assert_cmpint (probes[2], ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_no_errno (g_rmdir (dir));
}

static void
test_load_unknown_skipped (void)
{
  g_autoptr (HakoSeccompPlan) plan
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                  "  {\"names\": [\"hako_no_such_syscall\", \"getppid\"],"
                  "   \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 77}]");
  int probes[MAX_PROBES];

  probe_filter (plan, probe_getppid, NULL, probes);
  g_assert_cmpint (probes[0], ==, 77);
  g_assert_cmpint (probes[1], ==, 0);
}

/* A deny-by-default profile: only what the child needs to report is allowed. */
static void
test_load_default_errno (void)
{
  g_autoptr (HakoSeccompPlan) plan
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 95,"
                  "\"syscalls\": [{\"names\": [\"write\", \"exit_group\", \"getpid\","
                  /* what the sanitizers' exit path calls */
                  "                           \"sigaltstack\", \"gettid\", \"mmap\","
                  "                           \"munmap\"],"
                  "               \"action\": \"SCMP_ACT_ALLOW\"}]");
  int probes[MAX_PROBES];

  probe_filter (plan, probe_getppid, NULL, probes);
  g_assert_cmpint (probes[0], ==, EOPNOTSUPP);
  g_assert_cmpint (probes[1], ==, 0);
}

static void
test_load_arg_eq (void)
{
  g_autoptr (HakoSeccompPlan) plan
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                  "  {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ERRNO\","
                  "   \"args\": [{\"index\": 0, \"value\": 4294967295, \"op\": \"SCMP_CMP_EQ\"}]}]");
  int probes[MAX_PROBES];

  probe_filter (plan, probe_personality, NULL, probes);
  g_assert_cmpint (probes[0], ==, EPERM);
  g_assert_cmpint (probes[1], ==, 0);
}

static void
test_load_arg_masked_eq (void)
{
  /* (mask & 022) == 022 */
  g_autoptr (HakoSeccompPlan) plan
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                  "  {\"names\": [\"umask\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13,"
                  "   \"args\": [{\"index\": 0, \"value\": 18, \"valueTwo\": 18,"
                  "              \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]");
  int probes[MAX_PROBES];

  probe_filter (plan, probe_umask, NULL, probes);
  g_assert_cmpint (probes[0], ==, EACCES);
  g_assert_cmpint (probes[1], ==, 0);
  g_assert_cmpint (probes[2], ==, EACCES);
  g_assert_cmpint (probes[3], ==, 0);
}

/* Conditions on distinct arguments all have to hold; on one argument, any. */
static void
test_load_args_and_or (void)
{
  g_autoptr (HakoSeccompPlan) all
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                  "  {\"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\","
                  "   \"errnoRet\": 71,"
                  "   \"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"},"
                  "              {\"index\": 1, \"value\": 4242, \"op\": \"SCMP_CMP_EQ\"}]}]");
  g_autoptr (HakoSeccompPlan) any
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                  "  {\"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\","
                  "   \"errnoRet\": 71,"
                  "   \"args\": [{\"index\": 1, \"value\": 4242, \"op\": \"SCMP_CMP_EQ\"},"
                  "              {\"index\": 1, \"value\": 4243, \"op\": \"SCMP_CMP_EQ\"}]}]");
  int probes[MAX_PROBES];

  G_STATIC_ASSERT (PRIO_PROCESS == 0 && PRIO_WHO == 4242);
  probe_filter (all, probe_getpriority, NULL, probes);
  g_assert_cmpint (probes[0], ==, EPROTO);
  g_assert_cmpint (probes[1], !=, EPROTO);
  g_assert_cmpint (probes[2], !=, EPROTO);
  g_assert_cmpint (probes[3], ==, 0);

  probe_filter (any, probe_getpriority, NULL, probes);
  g_assert_cmpint (probes[0], ==, EPROTO);
  g_assert_cmpint (probes[1], ==, EPROTO);
  g_assert_cmpint (probes[2], ==, EPROTO);
  g_assert_cmpint (probes[3], ==, 0);
}

static void
test_load_kill_process (void)
{
  g_autoptr (HakoSeccompPlan) plan
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                  "  {\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"}]");
  ChildOutcome outcome;

  run_filtered (plan, CHILD_NO_NEW_PRIVS, probe_getppid, NULL, &outcome);
  g_assert_false (outcome.reported);
  g_assert_true (WIFSIGNALED (outcome.status));
  g_assert_cmpint (WTERMSIG (outcome.status), ==, SIGSYS);
}

static void
test_load_flags (void)
{
  g_autoptr (HakoSeccompPlan) plan
      = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\","
                  "\"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_LOG\"],"
                  "\"syscalls\": [{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_LOG\"},"
                  "  {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5}]");
  int probes[MAX_PROBES];

  g_assert_cmpuint (hako_seccomp_plan_get_flags (plan), ==,
                    SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG);
  probe_filter (plan, probe_getppid, NULL, probes);
  g_assert_cmpint (probes[0], ==, 0);
  g_assert_cmpint (probes[1], ==, EIO);

  if (hako_seccomp_flag_supported ("SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
    {
      g_autoptr (HakoSeccompPlan) ssb
          = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\","
                      "\"flags\": [\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]");
      g_assert_cmpuint (hako_seccomp_plan_get_flags (ssb), ==, SECCOMP_FILTER_FLAG_SPEC_ALLOW);
    }
}

/* Without no_new_privs and CAP_SYS_ADMIN the kernel refuses, and says so. */
static void
test_load_needs_privilege (void)
{
  g_autoptr (HakoSeccompPlan) plan = plan_for ("\"defaultAction\": \"SCMP_ACT_ALLOW\"");
  g_autofree char *message = NULL;
  ChildOutcome outcome;

  run_filtered (plan, CHILD_DROP_ROOT, probe_getppid, NULL, &outcome);
  g_assert_true (outcome.reported);
  g_assert_true (outcome.report.load_failed);
  g_assert_cmpint (outcome.report.error.stage, ==, HAKO_CHILD_STAGE_SECCOMP);
  g_assert_cmpint (outcome.report.error.saved_errno, ==, EACCES);
  message = hako_seccomp_describe_error (&outcome.report.error);
  g_assert_nonnull (strstr (message, "process.noNewPrivileges or CAP_SYS_ADMIN"));
}

static void
test_load_null_plan (void)
{
  HakoChildError error = { 0 };

  g_assert_cmpint (hako_seccomp_plan_load (NULL, &error), ==, 0);
  g_assert_cmpint (error.stage, ==, HAKO_CHILD_STAGE_NONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/seccomp/compile/notify", test_notify);
  g_test_add_func ("/seccomp/compile/default-profile", test_default_profile);
  g_test_add_func ("/seccomp/compile/errors", test_compile_errors);
  g_test_add_func ("/seccomp/compile/skips", test_compile_skips);
  g_test_add_func ("/seccomp/compile/describe-error", test_describe_error);
  g_test_add_func ("/seccomp/load/architectures", test_architectures);
  g_test_add_func ("/seccomp/load/errno", test_load_errno);
  g_test_add_func ("/seccomp/load/unknown-skipped", test_load_unknown_skipped);
  g_test_add_func ("/seccomp/load/default-errno", test_load_default_errno);
  g_test_add_func ("/seccomp/load/arg-eq", test_load_arg_eq);
  g_test_add_func ("/seccomp/load/arg-masked-eq", test_load_arg_masked_eq);
  g_test_add_func ("/seccomp/load/args-and-or", test_load_args_and_or);
  g_test_add_func ("/seccomp/load/kill-process", test_load_kill_process);
  g_test_add_func ("/seccomp/load/flags", test_load_flags);
  g_test_add_func ("/seccomp/load/needs-privilege", test_load_needs_privilege);
  g_test_add_func ("/seccomp/load/null-plan", test_load_null_plan);
  return g_test_run ();
}
