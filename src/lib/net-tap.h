/* tap0 in the container's network namespace. The plan (every netlink
 * message, prebuilt) is made in the runtime; a forked child joins the
 * container's user and network namespaces and applies it with raw
 * syscalls only, then sends the tap fd back over SCM_RIGHTS. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "child-error.h"

#define HAKO_TAP_NAME "tap0"

typedef struct HakoTapPlan HakoTapPlan;

HakoTapPlan *hako_tap_plan_new (guint mtu);
void hako_tap_plan_free (HakoTapPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoTapPlan, hako_tap_plan_free)

/* In the child (async-signal-safe): the tap fd, or -1 with *ERR set. */
int hako_tap_plan_apply (HakoTapPlan *plan, int userns_fd, int netns_fd, HakoChildError *err);
char *hako_tap_plan_describe_error (const HakoTapPlan *plan, const HakoChildError *err);

/* Makes tap0 in the network namespace NETNS_FD, owned by the user
 * namespace USERNS_FD (either may be -1: not opened): its fd, or -1. */
int hako_tap_create (int userns_fd, int netns_fd, guint mtu, GError **error);
