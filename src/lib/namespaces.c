#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "namespaces.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Steps of the namespace plan, for error reports. */
enum
{
  STEP_JOIN = 0,      /* + kind */
  STEP_UNSHARE = 100,
  STEP_TIME_OFFSETS = 101,
};

gboolean
hako_namespace_plan_init (HakoNamespacePlan *plan, const HakoLinux *linux_, GError **error)
{
  memset (plan, 0, sizeof *plan);
  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    plan->join_fds[kind] = -1;
  if (linux_ == NULL)
    return TRUE;
  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    {
      const HakoNamespace *ns = &linux_->namespaces[kind];
      if (!ns->present)
        continue;
      if (ns->path == NULL)
        {
          if (kind != HAKO_NS_USER)
            plan->unshare_flags |= hako_namespace_kind_clone_flag (kind);
          continue;
        }
      plan->join_fds[kind] = open (ns->path, O_RDONLY | O_CLOEXEC);
      if (plan->join_fds[kind] < 0)
        {
          hako_error_set_errno (error, errno, _("linux.namespaces: cannot open the %s namespace %s"),
                                hako_namespace_kind_name (kind), ns->path);
          hako_namespace_plan_clear (plan);
          return FALSE;
        }
    }
  if (linux_->time_offset_boottime.set || linux_->time_offset_monotonic.set)
    {
      plan->timens_offsets = g_strdup_printf (
          "monotonic %" G_GINT64_FORMAT " %u\nboottime %" G_GINT64_FORMAT " %u\n",
          linux_->time_offset_monotonic.secs, linux_->time_offset_monotonic.nanosecs,
          linux_->time_offset_boottime.secs, linux_->time_offset_boottime.nanosecs);
      plan->timens_offsets_len = strlen (plan->timens_offsets);
    }
  return TRUE;
}

void
hako_namespace_plan_clear (HakoNamespacePlan *plan)
{
  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    if (plan->join_fds[kind] >= 0)
      {
        close (plan->join_fds[kind]);
        plan->join_fds[kind] = -1;
      }
  g_clear_pointer (&plan->timens_offsets, g_free);
}

gboolean
hako_namespace_plan_new_user (const HakoNamespacePlan *plan)
{
  return plan->join_fds[HAKO_NS_USER] < 0 && !plan->keep_user;
}

int
hako_namespace_plan_clone_flags (const HakoNamespacePlan *plan)
{
  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    if (plan->join_fds[kind] >= 0)
      return 0;
  /* CLONE_NEWTIME shares its bit with clone's exit signal. */
  if ((plan->unshare_flags & CLONE_NEWTIME) || plan->keep_user)
    return 0;
  return CLONE_NEWUSER | (plan->unshare_flags & ~CLONE_NEWCGROUP);
}

int
hako_namespace_plan_create_after_clone (const HakoNamespacePlan *plan, HakoChildError *err)
{
  if ((plan->unshare_flags & CLONE_NEWCGROUP) && unshare (CLONE_NEWCGROUP) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_NAMESPACES, STEP_UNSHARE, errno);
  return 0;
}

int
hako_namespace_plan_join_user (const HakoNamespacePlan *plan, HakoChildError *err)
{
  if (plan->join_fds[HAKO_NS_USER] >= 0 && setns (plan->join_fds[HAKO_NS_USER], CLONE_NEWUSER) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_NAMESPACES, STEP_JOIN + HAKO_NS_USER, errno);
  return 0;
}

int
hako_namespace_plan_join (const HakoNamespacePlan *plan, HakoChildError *err)
{
  for (int kind = 0; kind < HAKO_NS_N_KINDS; kind++)
    if (kind != HAKO_NS_USER && plan->join_fds[kind] >= 0
        && setns (plan->join_fds[kind], hako_namespace_kind_clone_flag (kind)) < 0)
      return hako_child_fail (err, HAKO_CHILD_STAGE_NAMESPACES, STEP_JOIN + kind, errno);
  return 0;
}

int
hako_namespace_plan_create (const HakoNamespacePlan *plan, HakoChildError *err)
{
  if (plan->unshare_flags && unshare (plan->unshare_flags) < 0)
    return hako_child_fail (err, HAKO_CHILD_STAGE_NAMESPACES, STEP_UNSHARE, errno);
  if (plan->timens_offsets)
    {
      int fd = open ("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
      if (fd < 0 || write (fd, plan->timens_offsets, plan->timens_offsets_len) < 0)
        {
          int saved_errno = errno;
          if (fd >= 0)
            close (fd);
          return hako_child_fail (err, HAKO_CHILD_STAGE_NAMESPACES, STEP_TIME_OFFSETS, saved_errno);
        }
      close (fd);
    }
  return 0;
}

char *
hako_namespace_plan_describe_error (const HakoNamespacePlan *plan, const HakoChildError *err)
{
  const char *reason = g_strerror (err->saved_errno);

  if (err->step == STEP_UNSHARE && err->saved_errno == ENOSPC)
    return g_strdup_printf (_("linux.namespaces: cannot create the namespaces: %s (a limit in /proc/sys/user/max_*_namespaces is reached: raise it, or end other containers)"),
                            reason);
  if (err->step == STEP_UNSHARE)
    return g_strdup_printf (_("linux.namespaces: cannot create the namespaces: %s"), reason);
  if (err->step == STEP_TIME_OFFSETS)
    return g_strdup_printf (_("linux.timeOffsets: cannot set the clock offsets: %s"), reason);
  return g_strdup_printf (_("linux.namespaces: cannot join the %s namespace: %s"),
                          hako_namespace_kind_name (err->step - STEP_JOIN), reason);
}
