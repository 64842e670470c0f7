#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "seccomp-filter.h"
#include "slirp-sandbox.h"

/* What the loop, libslirp, GLib's allocator and an abort need. */
static const char *const allowed[] = {
  "accept", "accept4", "bind", "brk", "clock_gettime", "clock_nanosleep", "close", "connect",
  "exit", "exit_group", "fcntl", "fstat", "futex", "getdents64", "getpeername", "getpid",
  "getrandom", "getsockname", "getsockopt", "gettid", "gettimeofday", "listen", "lseek",
  "madvise", "mmap", "mprotect", "mremap", "munmap", "nanosleep", "newfstatat", "openat",
  "poll", "ppoll", "read", "readlink", "readv", "recvfrom", "recvmmsg", "recvmsg",
  "restart_syscall", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sched_yield", "sendmmsg",
  "sendmsg", "sendto", "setsockopt", "shutdown", "sigaltstack", "socket", "tgkill", "uname",
  "write", "writev", NULL,
};

static gboolean
write_file (const char *path, const char *text, GError **error)
{
  hako_autofd int fd = open (path, O_WRONLY | O_CLOEXEC);

  if (fd < 0 || write (fd, text, strlen (text)) < 0)
    return hako_error_set_errno (error, errno, "%s", path);
  return TRUE;
}

/* A mount namespace where nothing is writable (nor suid, nor a device). */
static gboolean
read_only_mounts (GError **error)
{
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV
                                         | MOUNT_ATTR_NOEXEC };
  uid_t uid = geteuid ();
  gid_t gid = getegid ();
  char map[64];

  if (uid != 0)
    {
      /* Unprivileged, a mount namespace needs a user namespace to own it. */
      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) < 0)
        return hako_error_set_errno (error, errno, "unshare");
      g_snprintf (map, sizeof map, "%u %u 1", uid, uid);
      if (!write_file ("/proc/self/setgroups", "deny", error) || !write_file ("/proc/self/uid_map", map, error))
        return FALSE;
      g_snprintf (map, sizeof map, "%u %u 1", gid, gid);
      if (!write_file ("/proc/self/gid_map", map, error))
        return FALSE;
    }
  else if (unshare (CLONE_NEWNS) < 0)
    return hako_error_set_errno (error, errno, "unshare");
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return hako_error_set_errno (error, errno, "mount MS_PRIVATE");
  if (syscall (SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof attr) < 0)
    return hako_error_set_errno (error, errno, "mount_setattr MOUNT_ATTR_RDONLY");
  return TRUE;
}

static gboolean
drop_capabilities (GError **error)
{
  HakoCapHost host;
  HakoCapPlan plan = { 0 };
  guint64 bind = G_GUINT64_CONSTANT (1) << CAP_NET_BIND_SERVICE;
  int failed;

  hako_cap_host_read (&host);
  plan = (HakoCapPlan){ .last_cap = host.last_cap, .bounding = bind, .permitted = bind,
                        .effective = geteuid () == 0 ? bind : 0 };
  if (hako_cap_drop_bounding (&plan, &failed) < 0 || hako_cap_set (&plan) < 0)
    return hako_error_set_errno (error, errno, "capabilities");
  return TRUE;
}

static gboolean
load_filter (GError **error)
{
  HakoSeccompArg fionread = { .index = 1, .value = FIONREAD, .op = (char *) "SCMP_CMP_EQ" };
  HakoSeccompRule rules[] = {
    { .names = (GStrv) allowed, .action = (char *) "SCMP_ACT_ALLOW" },
    /* libslirp asks how much a socket holds; no other ioctl. */
    { .names = (GStrv) (const char *const[]){ "ioctl", NULL }, .action = (char *) "SCMP_ACT_ALLOW",
      .args = &fionread, .n_args = 1 },
  };
  HakoSeccomp seccomp = { .default_action = (char *) "SCMP_ACT_ERRNO",
                          .default_errno_ret = { TRUE, EPERM }, .syscalls = rules,
                          .n_syscalls = G_N_ELEMENTS (rules) };
  g_autoptr (HakoSeccompPlan) plan = hako_seccomp_plan_new (&seccomp, error);
  HakoChildError err;

  if (plan == NULL)
    return FALSE;
  if (hako_seccomp_plan_load (plan, &err) < 0)
    {
      g_autofree char *message = hako_seccomp_describe_error (&err);
      g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_FAILED, message);
      return FALSE;
    }
  return TRUE;
}

gboolean
hako_slirp_sandbox_enter (GError **error)
{
  if (!read_only_mounts (error) || !drop_capabilities (error)
      || (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 && !hako_error_set_errno (error, errno, "no_new_privs"))
      || !load_filter (error))
    {
      g_prefix_error (error, _("network: cannot sandbox the helper: "));
      return FALSE;
    }
  return TRUE;
}
