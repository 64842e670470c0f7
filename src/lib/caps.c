/* process.capabilities: reducing the configured sets to what the host can
 * grant (in the runtime), and applying them (in the setup child, where only
 * async-signal-safe calls are allowed: prctl and the raw capset syscall). */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "i18n.h"

#define CAP_BIT(cap) (G_GUINT64_CONSTANT (1) << (cap))
#define CAP_MAX 63 /* the masks are 64 bits wide */

/* ---- in the runtime ---- */

void
hako_cap_host_read (HakoCapHost *host)
{
  g_autofree char *text = NULL;
  guint64 last;

  host->last_cap = hako_capability_last ();
  if (g_file_get_contents ("/proc/sys/kernel/cap_last_cap", &text, NULL, NULL)
      && g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, CAP_MAX, &last, NULL))
    host->last_cap = last;
  host->bounding = 0;
  for (int cap = 0; cap <= host->last_cap; cap++)
    if (prctl (PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
      host->bounding |= CAP_BIT (cap);
}

typedef enum
{
  IGNORED_UNKNOWN_TO_KERNEL,
  IGNORED_NOT_IN_HOST_BOUNDING,
  IGNORED_INHERITABLE_NOT_BOUNDING,
  IGNORED_AMBIENT_NOT_GRANTED,
} IgnoredReason;

static char *
describe_ignored (int cap, IgnoredReason reason, const HakoCapHost *host)
{
  const char *name = hako_capability_name (cap);

  switch (reason)
    {
    case IGNORED_UNKNOWN_TO_KERNEL:
      return g_strdup_printf (_("process.capabilities: %s is not known to this kernel (its last "
                                "capability is number %d); ignoring it"),
                              name, host->last_cap);
    case IGNORED_NOT_IN_HOST_BOUNDING:
      return g_strdup_printf (_("process.capabilities: %s cannot be granted: it is not in hako's "
                                "own bounding set; ignoring it"),
                              name);
    case IGNORED_INHERITABLE_NOT_BOUNDING:
      return g_strdup_printf (_("process.capabilities.inheritable: %s cannot be granted: it is "
                                "not in process.capabilities.bounding; ignoring it"),
                              name);
    case IGNORED_AMBIENT_NOT_GRANTED:
    default:
      return g_strdup_printf (_("process.capabilities.ambient: %s cannot be granted: an ambient "
                                "capability must also be permitted and inheritable; ignoring it"),
                              name);
    }
}

/* Clears from each of SETS the capabilities outside ALLOWED, with one
 * warning per capability. */
static void
ignore_caps (guint64 *const *sets, guint n_sets, guint64 allowed, IgnoredReason reason,
             const HakoCapHost *host, GPtrArray *warnings)
{
  guint64 requested = 0;

  for (guint i = 0; i < n_sets; i++)
    requested |= *sets[i];
  for (int cap = 0; cap <= CAP_MAX; cap++)
    if ((requested & ~allowed) & CAP_BIT (cap))
      g_ptr_array_add (warnings, describe_ignored (cap, reason, host));
  for (guint i = 0; i < n_sets; i++)
    *sets[i] &= allowed;
}

void
hako_cap_plan_init (HakoCapPlan *plan, const HakoCapabilities *caps, const HakoCapHost *host,
                    GPtrArray *warnings)
{
  guint64 *const all[] = { &plan->bounding, &plan->effective, &plan->permitted,
                           &plan->inheritable, &plan->ambient };
  guint64 *const inheritable[] = { &plan->inheritable };
  guint64 *const ambient[] = { &plan->ambient };
  guint64 kernel_caps = host->last_cap >= CAP_MAX ? G_MAXUINT64 : CAP_BIT (host->last_cap + 1) - 1;

  *plan = (HakoCapPlan){ .last_cap = MIN (host->last_cap, CAP_MAX) };
  if (caps != NULL)
    {
      plan->bounding = caps->bounding;
      plan->effective = caps->effective;
      plan->permitted = caps->permitted;
      plan->inheritable = caps->inheritable;
      plan->ambient = caps->ambient;
    }
  ignore_caps (all, G_N_ELEMENTS (all), kernel_caps, IGNORED_UNKNOWN_TO_KERNEL, host, warnings);
  ignore_caps (all, G_N_ELEMENTS (all), host->bounding, IGNORED_NOT_IN_HOST_BOUNDING, host,
               warnings);
  /* capset(2): the new inheritable set must be within the bounding set. */
  ignore_caps (inheritable, 1, plan->bounding, IGNORED_INHERITABLE_NOT_BOUNDING, host, warnings);
  ignore_caps (ambient, 1, plan->permitted & plan->inheritable, IGNORED_AMBIENT_NOT_GRANTED, host,
               warnings);
}

/* ---- in the setup child: async-signal-safe only ---- */

int
hako_cap_drop_bounding (const HakoCapPlan *plan, int *failed_cap)
{
  for (int cap = 0; cap <= plan->last_cap; cap++)
    {
      if (plan->bounding & CAP_BIT (cap))
        continue;
      /* EINVAL: a capability this kernel does not have. */
      if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
        {
          *failed_cap = cap;
          return -1;
        }
    }
  return 0;
}

int
hako_cap_set (const HakoCapPlan *plan)
{
  struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
  struct __user_cap_data_struct data[2] = {
    { .effective = (guint32) plan->effective, .permitted = (guint32) plan->permitted,
      .inheritable = (guint32) plan->inheritable },
    { .effective = (guint32) (plan->effective >> 32),
      .permitted = (guint32) (plan->permitted >> 32),
      .inheritable = (guint32) (plan->inheritable >> 32) },
  };

  return syscall (SYS_capset, &header, data) < 0 ? -1 : 0;
}

int
hako_cap_set_ambient (const HakoCapPlan *plan, int *failed_cap)
{
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    {
      /* EINVAL: a kernel without ambient capabilities, which is fine unless some are asked. */
      if (errno == EINVAL && plan->ambient == 0)
        return 0;
      *failed_cap = -1;
      return -1;
    }
  for (int cap = 0; cap <= plan->last_cap; cap++)
    if ((plan->ambient & CAP_BIT (cap))
        && prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
      {
        *failed_cap = cap;
        return -1;
      }
  return 0;
}

int
hako_cap_keep_over_exec (int cap)
{
  struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
  struct __user_cap_data_struct data[2];

  if (syscall (SYS_capget, &header, data) < 0)
    return -1;
  data[cap / 32].inheritable |= 1U << (cap % 32);
  if (syscall (SYS_capset, &header, data) < 0)
    return -1;
  return prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 ? -1 : 0;
}
