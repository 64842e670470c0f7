/* Name tables shared by the config.json parser, `hako features` and the
 * process setup: hook kinds, namespaces, capabilities and rlimits. */
#include "config.h"

#include <linux/capability.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>

#include "spec.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
/* Capabilities newer than some distributions' kernel headers (Linux 5.8, 5.9). */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef CAP_CHECKPOINT_RESTORE
#define CAP_CHECKPOINT_RESTORE 40
#endif

const char *const hako_hook_kind_names[HAKO_HOOK_N_KINDS] = {
  [HAKO_HOOK_PRESTART] = "prestart",
  [HAKO_HOOK_CREATE_RUNTIME] = "createRuntime",
  [HAKO_HOOK_CREATE_CONTAINER] = "createContainer",
  [HAKO_HOOK_START_CONTAINER] = "startContainer",
  [HAKO_HOOK_POSTSTART] = "poststart",
  [HAKO_HOOK_POSTSTOP] = "poststop",
};

static const struct
{
  const char *name;
  int clone_flag;
} namespace_kinds[HAKO_NS_N_KINDS] = {
  [HAKO_NS_MOUNT] = { "mount", CLONE_NEWNS },
  [HAKO_NS_PID] = { "pid", CLONE_NEWPID },
  [HAKO_NS_NETWORK] = { "network", CLONE_NEWNET },
  [HAKO_NS_UTS] = { "uts", CLONE_NEWUTS },
  [HAKO_NS_IPC] = { "ipc", CLONE_NEWIPC },
  [HAKO_NS_USER] = { "user", CLONE_NEWUSER },
  [HAKO_NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP },
  [HAKO_NS_TIME] = { "time", CLONE_NEWTIME },
};

const char *
hako_namespace_kind_name (HakoNamespaceKind kind)
{
  g_return_val_if_fail (kind < HAKO_NS_N_KINDS, NULL);
  return namespace_kinds[kind].name;
}

int
hako_namespace_kind_clone_flag (HakoNamespaceKind kind)
{
  g_return_val_if_fail (kind < HAKO_NS_N_KINDS, 0);
  return namespace_kinds[kind].clone_flag;
}

/* Indexed by capability number, so a gap would show up as a NULL entry. */
#define CAP(name) [CAP_##name] = "CAP_" #name
static const char *const capability_names[] = {
  CAP (CHOWN), CAP (DAC_OVERRIDE), CAP (DAC_READ_SEARCH), CAP (FOWNER), CAP (FSETID),
  CAP (KILL), CAP (SETGID), CAP (SETUID), CAP (SETPCAP), CAP (LINUX_IMMUTABLE),
  CAP (NET_BIND_SERVICE), CAP (NET_BROADCAST), CAP (NET_ADMIN), CAP (NET_RAW),
  CAP (IPC_LOCK), CAP (IPC_OWNER), CAP (SYS_MODULE), CAP (SYS_RAWIO), CAP (SYS_CHROOT),
  CAP (SYS_PTRACE), CAP (SYS_PACCT), CAP (SYS_ADMIN), CAP (SYS_BOOT), CAP (SYS_NICE),
  CAP (SYS_RESOURCE), CAP (SYS_TIME), CAP (SYS_TTY_CONFIG), CAP (MKNOD), CAP (LEASE),
  CAP (AUDIT_WRITE), CAP (AUDIT_CONTROL), CAP (SETFCAP), CAP (MAC_OVERRIDE),
  CAP (MAC_ADMIN), CAP (SYSLOG), CAP (WAKE_ALARM), CAP (BLOCK_SUSPEND), CAP (AUDIT_READ),
  CAP (PERFMON), CAP (BPF), CAP (CHECKPOINT_RESTORE),
};
#undef CAP
G_STATIC_ASSERT (G_N_ELEMENTS (capability_names) == CAP_CHECKPOINT_RESTORE + 1);

int
hako_capability_last (void)
{
  return G_N_ELEMENTS (capability_names) - 1;
}

const char *
hako_capability_name (int cap)
{
  if (cap < 0 || cap > hako_capability_last ())
    return NULL;
  return capability_names[cap];
}

int
hako_capability_from_name (const char *name)
{
  for (int cap = 0; cap <= hako_capability_last (); cap++)
    if (strcmp (capability_names[cap], name) == 0)
      return cap;
  return -1;
}

#define RLIMIT(name) { "RLIMIT_" #name, RLIMIT_##name }
static const struct
{
  const char *name;
  int resource;
} rlimits[] = {
  RLIMIT (AS), RLIMIT (CORE), RLIMIT (CPU), RLIMIT (DATA), RLIMIT (FSIZE), RLIMIT (LOCKS),
  RLIMIT (MEMLOCK), RLIMIT (MSGQUEUE), RLIMIT (NICE), RLIMIT (NOFILE), RLIMIT (NPROC),
  RLIMIT (RSS), RLIMIT (RTPRIO), RLIMIT (RTTIME), RLIMIT (SIGPENDING), RLIMIT (STACK),
};
#undef RLIMIT

int
hako_rlimit_from_name (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rlimits); i++)
    if (strcmp (rlimits[i].name, name) == 0)
      return rlimits[i].resource;
  return -1;
}
