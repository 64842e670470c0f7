/* The names linux.seccomp uses (defs-linux.json), shared by the config
 * validation and `hako features`. Each list is NULL-terminated. */
#pragma once

#include <glib.h>

extern const char *const hako_seccomp_action_names[];
extern const char *const hako_seccomp_operator_names[];
extern const char *const hako_seccomp_arch_names[];
extern const char *const hako_seccomp_flag_names[];

/* libseccomp's own token for an OCI arch name ("SCMP_ARCH_X86_64" -> "x86_64"). */
char *hako_seccomp_arch_token (const char *oci_name);
/* Whether the running kernel and libseccomp can apply a filter flag. */
gboolean hako_seccomp_flag_supported (const char *oci_name);
