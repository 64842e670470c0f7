/* The OCI config of `hako sandbox`: the host's own / as a read-only image
 * (through fuse-overlayfs, writes thrown away, unless no_overlay), fresh
 * /proc, /dev, /tmp and /run, the current directory shared, $HOME hidden,
 * the caller's own ids inside; built in memory from the command line. */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* root.path with no_overlay: an empty directory in the bundle. */
#define HAKO_SANDBOX_ROOTFS "rootfs"

typedef struct
{
  char **argv;          /* the command, NULL-terminated */
  char *cwd;            /* the current directory, bound at the same path */
  gboolean ro_cwd;      /* --ro-cwd */
  char *home;           /* $HOME, hidden by an empty tmpfs unless share_home */
  gboolean share_home;  /* --share-home */
  gboolean root;        /* --root: the caller is 0 (and subuids 1..N where the host has them) */
  uid_t uid;            /* the caller's ids, inside as outside without --root */
  gid_t gid;
  gboolean no_overlay;  /* --no-overlay: / bound read-only, nothing written anywhere */
  gboolean net;         /* --net: libslirp; else a network namespace with lo only */
  char *hostname;       /* --hostname, or NULL for "sandbox" */
  char **binds;         /* --bind SRC[:DST] */
  char **ro_binds;      /* --ro-bind SRC[:DST] */
  char **tmpfs;         /* --tmpfs DST */
  char **env;           /* --env K=V, over the caller's environment */
  gboolean clearenv;    /* --clearenv: none of the caller's environment */
  gboolean terminal;    /* stdin is a terminal */
  char *seccomp;        /* --seccomp default|none|FILE; NULL: none */
  char *memory;         /* --memory SIZE[k|m|g] */
  char *cpus;           /* --cpus N (a decimal) */
  gint64 pids;          /* --pids N; 0: none */
  /* Host directories covered by an empty tmpfs inside: the overlay's
   * storage, which lowerdir / would otherwise lead back into. */
  char **hidden;
} HakoSandboxConfig;

void hako_sandbox_config_clear (HakoSandboxConfig *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoSandboxConfig, hako_sandbox_config_clear)

/* Whether CONFIG asks for resource limits (which need a cgroup). */
gboolean hako_sandbox_config_has_limits (const HakoSandboxConfig *config);

/* The config.json text, or NULL with ERROR naming the option at fault
 * (a bind source that does not exist, a malformed size, ...). */
char *hako_sandbox_config_generate (const HakoSandboxConfig *config, GError **error);

