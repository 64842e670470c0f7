/* Parts of a valid config that this hako cannot honour here. Running as if
 * they were not there would be a silent lie (limits not enforced), so they
 * are refused with what to do. Only called without a cgroup manager. */
#pragma once

#include <glib.h>

#include "spec.h"

/* The annotation with which a user accepts limits that nothing enforces. */
#define HAKO_ANNOTATION_UNENFORCED_LIMITS "org.hako.cgroup.unenforced"

/* WHY_NO_CGROUP: why the container has no cgroup, and how it could. */
gboolean hako_unsupported_check (const HakoSpec *spec, const char *why_no_cgroup, GError **error);
