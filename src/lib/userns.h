/* The container's user namespace: which ids it maps (from the config, or
 * the caller plus its /etc/subuid and /etc/subgid ranges), and writing
 * those maps for a child, directly for the caller's own id and through
 * newuidmap/newgidmap for anything else. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "spec.h"

typedef struct
{
  guint32 start;
  guint32 count;
} HakoIdRange;

/* The ranges /etc/subuid-style CONTENTS grant to USER (by name or uid), in file order. */
GArray *hako_subid_parse (const char *contents, const char *user, guint32 id);

typedef struct
{
  HakoIdMappings uids;
  HakoIdMappings gids;
  /* Set when the caller has no subordinate ranges and only its own id is mapped. */
  char *notice;
} HakoUsernsMappings;

void hako_userns_mappings_clear (HakoUsernsMappings *mappings);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoUsernsMappings, hako_userns_mappings_clear)

/* Whether this process is in the initial user namespace. */
gboolean hako_userns_is_initial (void);
/* Whether this process is root of the initial user namespace: real root,
 * not uid 0 of some user namespace. */
gboolean hako_userns_is_host_root (void);
/* Where hako keeps the caller's data NAME (overlay storage, image layers):
 * rootless under $XDG_DATA_HOME (not the tmpfs runtime directory: it can
 * grow large), as root of the host under /var/lib. */
char *hako_userns_data_path (const char *name);

/* Whether this process is uid 0 of its user namespace: the host's root, or
 * root of a user namespace a rootless engine (Podman) runs the runtime in.
 * It has every capability over the namespaces its own one owns: it joins
 * those before it makes the container's user namespace, and writes maps
 * of the ids it has directly. */
gboolean hako_userns_is_root (void);

/* The mappings hako uses when the config has none: for root (ROOT, see
 * hako_userns_is_root) the identity of every id its user namespace has,
 * the whole range for the host's root; otherwise container 0 ->
 * the caller and 1..N -> the caller's first subuid/subgid range.
 * SUBUID_PATH/SUBGID_PATH are normally /etc/subuid and /etc/subgid. */
gboolean hako_userns_default_mappings (gboolean root, uid_t uid, gid_t gid, const char *user_name,
                                       const char *subuid_path, const char *subgid_path,
                                       HakoUsernsMappings *out, GError **error);

/* Writes PID's uid_map and gid_map. A single mapping of the caller's own id
 * is written directly (with setgroups denied, as the kernel requires for an
 * unprivileged gid_map); every other map goes through newuidmap/newgidmap,
 * which check /etc/subuid and /etc/subgid. As root (hako_userns_is_root),
 * maps are written directly. */
gboolean hako_userns_write_maps (pid_t pid, const HakoIdMappings *uids, const HakoIdMappings *gids,
                                 GError **error);

/* A new user namespace with the maps UIDS and GIDS (written as
 * hako_userns_write_maps does), for MOUNT_ATTR_IDMAP: an fd of it, which
 * alone keeps it alive (the child that made it is gone), or -1. */
int hako_userns_open_mapped (const HakoIdMappings *uids, const HakoIdMappings *gids, GError **error);

/* A new user namespace of hako's default rootless mapping (0 -> the
 * caller, 1..N -> its first /etc/subuid and /etc/subgid ranges), as an
 * fd; -1 with ERROR, or -1 with *NOTICE (what to add to /etc/subuid) when
 * the caller has no ranges. */
int hako_userns_open_subordinate (char **notice, GError **error);

#define HAKO_USERNS_RUN_MAX_FDS 4
/* Runs ARGV (ARGV[0] an absolute path, the environment the caller's) to
 * its end as root of USERNS_FD, a user namespace the caller owns, with
 * FDS as its fds 3, 4, ... FALSE when it cannot start or fails. */
gboolean hako_userns_run_in (int userns_fd, const char *const *argv, const int *fds, guint n_fds,
                             GError **error);

/* Runs ARGV to its end as root of a new user namespace where 0 is the
 * caller and 1..N its subordinate ids, for what the caller cannot do as
 * itself to files of those ids (remove them). FALSE when the caller has
 * no subordinate ids or ARGV fails. */
gboolean hako_userns_run_as_subordinate_root (const char *const *argv, GError **error);

/* Removes PATH and everything below it (hako_remove_tree), rootless also
 * what belongs to the caller's subordinate ids; FALSE when something of
 * it stays. */
gboolean hako_userns_remove_tree (const char *path, GError **error);
