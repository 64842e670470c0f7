/* linux.seccomp (config-linux.md, "Seccomp"): the filter compiled by
 * libseccomp in the runtime, loaded by the setup child just before exec.
 *
 * hako_seccomp_plan_new runs in the runtime (GLib allowed): it builds the
 * filter with libseccomp, as runc and crun do, and keeps the resulting BPF
 * program in memory together with the flags for seccomp(2).
 * hako_seccomp_plan_load runs in the child between clone and exec: one
 * system call on the plan's memory, async-signal-safe (no malloc, no
 * stdio, no GLib). A failure is reported as a HakoChildError of stage
 * HAKO_CHILD_STAGE_SECCOMP, worded by hako_seccomp_describe_error.
 *
 * When to load. The kernel attaches a filter only to a process that has
 * no_new_privs set or CAP_SYS_ADMIN in its current user namespace
 * (EACCES otherwise). As runc does:
 *   - process.noNewPrivileges true: load it as late as possible, after
 *     no_new_privs is set and just before execve, so the payload's
 *     profile need not allow the setup's own system calls;
 *   - process.noNewPrivileges false: load it while the container's root
 *     still holds CAP_SYS_ADMIN in the container's user namespace, that
 *     is before the identity step (setuid, capset) drops it. Every system
 *     call the setup makes afterwards goes through the filter.
 * The filter is inherited across fork and execve and cannot be removed.
 *
 * SCMP_ACT_NOTIFY (listenerPath, the seccomp agent): the plan then asks
 * the kernel for a listener fd (SECCOMP_FILTER_FLAG_NEW_LISTENER), which
 * the child sends to the runtime; the runtime hands it to the agent with
 * hako_seccomp_notify_send (seccomp-notify.h). */
#pragma once

#include <glib.h>

#include "child-error.h"
#include "spec.h"

typedef struct HakoSeccompPlan HakoSeccompPlan;

/* Compiles SECCOMP (already validated by the spec parser). Errors name the
 * config field: `linux.seccomp.syscalls[3]: cannot add a rule for "openat":
 * Invalid argument`. Syscall names this libseccomp does not know on this
 * architecture are skipped, as runc does; a rule whose action is the
 * default action is dropped (it would change nothing). */
HakoSeccompPlan *hako_seccomp_plan_new (const HakoSeccomp *seccomp, GError **error);
void hako_seccomp_plan_free (HakoSeccompPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoSeccompPlan, hako_seccomp_plan_free)

/* The flags passed to seccomp(2) (SECCOMP_FILTER_FLAG_*). */
guint hako_seccomp_plan_get_flags (const HakoSeccompPlan *plan);
/* Whether loading PLAN (may be NULL) yields a listener fd (SCMP_ACT_NOTIFY). */
gboolean hako_seccomp_plan_has_listener (const HakoSeccompPlan *plan);
/* The number of BPF instructions of the compiled filter. */
guint hako_seccomp_plan_get_length (const HakoSeccompPlan *plan);

/* The user-facing message for a failed hako_seccomp_plan_load. */
char *hako_seccomp_describe_error (const HakoChildError *err);

/* ---- in the setup child: async-signal-safe ---- */

/* Attaches the filter to the calling thread (all threads with
 * SECCOMP_FILTER_FLAG_TSYNC): seccomp(SECCOMP_SET_MODE_FILTER), or
 * prctl(PR_SET_SECCOMP) on kernels without seccomp(2) when no flag is
 * asked. A NULL plan loads nothing. 0 (or, when the plan has a listener,
 * the listener fd, which is above 2 while stdio is open), or -1 with *err
 * filled. */
int hako_seccomp_plan_load (const HakoSeccompPlan *plan, HakoChildError *err);

/* The setup's two chances, one of which loads the filter. _early, before
 * the identity step: when NO_NEW_PRIVS is false (the kernel then needs
 * CAP_SYS_ADMIN, which the identity drops) or the plan has a listener,
 * whose fd is sent over SOCKET_FD and closed, and HAKO_REPORT_SECCOMP_LISTENER
 * reported on REPORT_FD: the runtime then passes it on (hako_seccomp_notify_forward)
 * and the agent answers what the setup does next.
 * _late, last before execve: otherwise, so the profile need not allow the
 * setup's own system calls. 0, or -1 with *err filled. */
int hako_seccomp_plan_load_early (const HakoSeccompPlan *plan, gboolean no_new_privs, int socket_fd,
                                  int report_fd, HakoChildError *err);
int hako_seccomp_plan_load_late (const HakoSeccompPlan *plan, gboolean no_new_privs,
                                 HakoChildError *err);
