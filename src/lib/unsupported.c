#include "config.h"

#include "error.h"
#include "i18n.h"
#include "log.h"
#include "unsupported.h"

/* The first resource limit the config sets, as its JSON path, or NULL.
 * Device rules are not limits: the container only sees the device nodes
 * hako binds into it, whatever the rules say. */
static const char *
first_limit (const HakoResources *r)
{
  if (r->memory)
    return "linux.resources.memory";
  if (r->cpu)
    return "linux.resources.cpu";
  if (r->pids_limit.set)
    return "linux.resources.pids";
  if (r->block_io)
    return "linux.resources.blockIO";
  if (r->n_hugepage_limits > 0)
    return "linux.resources.hugepageLimits";
  if (r->net_class_id.set || r->n_net_priorities > 0)
    return "linux.resources.network";
  if (r->n_rdma > 0)
    return "linux.resources.rdma";
  if (r->unified && g_hash_table_size (r->unified) > 0)
    return "linux.resources.unified";
  return NULL;
}

gboolean
hako_unsupported_check (const HakoSpec *spec, const char *why_no_cgroup, GError **error)
{
  const HakoLinux *linux_ = spec->linux_;
  const char *limit = linux_ && linux_->resources ? first_limit (linux_->resources) : NULL;
  const char *accepted = spec->annotations
                             ? g_hash_table_lookup (spec->annotations, HAKO_ANNOTATION_UNENFORCED_LIMITS)
                             : NULL;

  if (limit && g_strcmp0 (accepted, "accept") != 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("config.json: %s: no cgroup can enforce this limit here (%s): remove the limit, or accept it unenforced with the annotation %s=accept"),
                   limit, why_no_cgroup, HAKO_ANNOTATION_UNENFORCED_LIMITS);
      return FALSE;
    }
  if (limit)
    hako_log_warning (_("config.json: %s is not enforced (accepted by %s)"), limit,
                      HAKO_ANNOTATION_UNENFORCED_LIMITS);
  return TRUE;
}
