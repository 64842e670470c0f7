/* process.capabilities: the five capability sets the container's process
 * ends up with. The runtime reduces the configured sets to what this host
 * can grant (and says what it left out); the setup child then applies them
 * with async-signal-safe calls only. */
#pragma once

#include <glib.h>

#include "spec.h"

/* What the runtime can pass on to a container: the kernel's highest
 * capability (/proc/sys/kernel/cap_last_cap) and the runtime's own bounding
 * set. A new user namespace grants every capability inside it, but the
 * bounding set is inherited, so a capability outside it is lost at execve. */
typedef struct
{
  int last_cap;
  guint64 bounding;
} HakoCapHost;

/* Reads the running kernel's and process's values. */
void hako_cap_host_read (HakoCapHost *host);

/* The sets as bit masks of CAP_* numbers, every bit <= last_cap. */
typedef struct
{
  int last_cap; /* the kernel's, for dropping the bounding set */
  guint64 bounding, effective, permitted, inheritable, ambient;
} HakoCapPlan;

/* Fills PLAN from CAPS (NULL, like an absent set, means no capabilities, as
 * in runc). A capability the kernel does not know, or HOST cannot grant, is
 * left out with a message appended to WARNINGS (config.md: "logged as a
 * warning", "SHOULD NOT fail"); so is an ambient one that is not both
 * permitted and inheritable, which the kernel would refuse. */
void hako_cap_plan_init (HakoCapPlan *plan, const HakoCapabilities *caps, const HakoCapHost *host,
                         GPtrArray *warnings);

/* In the setup child: async-signal-safe. Each returns 0, or -1 with errno
 * set and, where it names one, the capability at fault in *failed_cap. */

/* Drops from the bounding set every capability not in plan->bounding. */
int hako_cap_drop_bounding (const HakoCapPlan *plan, int *failed_cap);
/* capset(2) of the effective, permitted and inheritable sets. */
int hako_cap_set (const HakoCapPlan *plan);
/* Clears the ambient set and raises plan->ambient; *failed_cap is -1 when
 * the clear failed. */
int hako_cap_set_ambient (const HakoCapPlan *plan, int *failed_cap);

/* Async-signal-safe: CAP (which the process has) stays effective across
 * the next execve even for a uid other than 0 (an ambient capability). */
int hako_cap_keep_over_exec (int cap);
