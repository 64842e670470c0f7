/* The config.json that `hako spec` writes: the template embedded from
 * data/config.json.template, fitted to the calling user. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sys/types.h>

typedef enum
{
  /* No id mappings: at create, hako maps container 0 to the caller and
   * 1..N to the caller's /etc/subuid and /etc/subgid ranges. */
  HAKO_SPEC_DEFAULT_AUTO_MAPPINGS,
  /* runc's --rootless: only the caller's own uid and gid, mapped to 0. */
  HAKO_SPEC_DEFAULT_SINGLE_ID,
} HakoSpecDefaultMode;

/* With SECCOMP, linux.seccomp is hako's default profile (seccomp-default.h). */
char *hako_spec_default_generate (HakoSpecDefaultMode mode, gboolean seccomp, uid_t uid, gid_t gid,
                                  GError **error);
/* Writes BUNDLE/config.json; refuses to replace an existing file. */
gboolean hako_spec_default_write (const char *bundle, HakoSpecDefaultMode mode, gboolean seccomp,
                                  GError **error);
/* linux.uidMappings (or gidMappings) with one entry: CONTAINER_ID is HOST_ID, size 1. */
JsonNode *hako_spec_default_id_mapping (guint32 container_id, guint32 host_id);
