/* The container's namespaces other than the user namespace, prepared in
 * the runtime (paths opened, flags and time offsets computed) and entered
 * by the setup child with setns/unshare only. */
#pragma once

#include <glib.h>

#include "child-error.h"
#include "spec.h"

typedef struct
{
  int join_fds[HAKO_NS_N_KINDS]; /* -1, or an fd of the namespace to join */
  int unshare_flags;             /* CLONE_NEW* of the namespaces to create (never CLONE_NEWUSER) */
  char *timens_offsets;          /* for /proc/self/timens_offsets, or NULL */
  gsize timens_offsets_len;
  /* No user namespace of its own: the config asks for none and the runtime
   * already runs as root of one that a rootless engine made for it (as
   * runc, the container stays in it: a nested one would have no right over
   * the network namespace and the sysctls the engine gives it). */
  gboolean keep_user;
} HakoNamespacePlan;

gboolean hako_namespace_plan_init (HakoNamespacePlan *plan, const HakoLinux *linux_, GError **error);
void hako_namespace_plan_clear (HakoNamespacePlan *plan);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoNamespacePlan, hako_namespace_plan_clear)

/* Whether the container gets a user namespace of its own (not one joined
 * by path, nor kept). */
gboolean hako_namespace_plan_new_user (const HakoNamespacePlan *plan);

/* In the child: joins the namespaces given by path (but the user one), then
 * creates the new ones (with the time offsets). Joins come after the user
 * namespace for an unprivileged caller, whose own user namespaces own what
 * it joins; before it for real root, since what the host made belongs to
 * the initial user namespace. Async-signal-safe. */
int hako_namespace_plan_join (const HakoNamespacePlan *plan, HakoChildError *err);
int hako_namespace_plan_create (const HakoNamespacePlan *plan, HakoChildError *err);
/* The usual case takes one clone(2): a new user namespace with the others,
 * which the kernel creates after the user one and owned by it. The flags
 * for it, or 0 when the plan needs the step-by-step sequence (a namespace
 * joined by path, a time namespace, no new user namespace). The cgroup
 * namespace is left out: it must start at the container's cgroup, so the
 * cloned child unshares it with hako_namespace_plan_create_after_clone
 * once the runtime has placed it. */
int hako_namespace_plan_clone_flags (const HakoNamespacePlan *plan);
int hako_namespace_plan_create_after_clone (const HakoNamespacePlan *plan, HakoChildError *err);
/* Joins the user namespace given by path, if any. Async-signal-safe. */
int hako_namespace_plan_join_user (const HakoNamespacePlan *plan, HakoChildError *err);

char *hako_namespace_plan_describe_error (const HakoNamespacePlan *plan, const HakoChildError *err);
