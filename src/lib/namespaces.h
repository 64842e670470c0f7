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
} HakoNamespacePlan;

gboolean hako_namespace_plan_init (HakoNamespacePlan *plan, const HakoLinux *linux_, GError **error);
void hako_namespace_plan_clear (HakoNamespacePlan *plan);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoNamespacePlan, hako_namespace_plan_clear)

/* Whether the container gets a user namespace of its own (not one joined by path). */
gboolean hako_namespace_plan_new_user (const HakoNamespacePlan *plan);

/* In the child, already in the container's user namespace: joins and
 * creates the other namespaces. Async-signal-safe. */
int hako_namespace_plan_apply (const HakoNamespacePlan *plan, HakoChildError *err);
/* Joins the user namespace given by path, if any. Async-signal-safe. */
int hako_namespace_plan_join_user (const HakoNamespacePlan *plan, HakoChildError *err);

char *hako_namespace_plan_describe_error (const HakoNamespacePlan *plan, const HakoChildError *err);
