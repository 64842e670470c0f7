/* hako's default seccomp profile (data/seccomp-default.json, embedded):
 * what `hako spec` writes as linux.seccomp, and what other parts of hako
 * (the sandbox) can load. Our own allow-list of what mainstream container
 * engines allow a container with the default capabilities: everything
 * else fails with ENOSYS (as for a syscall the kernel lacks, so programs
 * fall back), and the privileged calls a container's root must not reach
 * with EPERM. */
#pragma once

#include <json-glib/json-glib.h>

#include "spec.h"

/* The profile as JSON, a linux.seccomp object. */
JsonNode *hako_seccomp_default_profile_json (GError **error);
/* The profile parsed, ready for hako_seccomp_plan_new. */
HakoSeccomp *hako_seccomp_default_profile (GError **error);
