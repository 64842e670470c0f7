/* A container's record in the state root: ROOT/ID/state.json, written
 * atomically, plus the per-container lock that serialises commands on
 * one id. The live status is derived from the recorded one and from
 * whether the container process (pid plus its start time, so a reused
 * pid is not mistaken for it) still exists. */
#pragma once

#include <glib.h>
#include <sys/types.h>

typedef enum
{
  HAKO_STATUS_CREATING,
  HAKO_STATUS_CREATED,
  HAKO_STATUS_RUNNING,
  HAKO_STATUS_STOPPED,
  /* Not in runtime.md's states (nor state-schema.json), but what runc's
   * state and list show for a frozen container, and its clients expect. */
  HAKO_STATUS_PAUSED,
} HakoStatus;

const char *hako_status_name (HakoStatus status);

/* In the state dir: where the created container process waits for `start`.
 * `start` removes it and records nothing more: a created container without
 * it is running (runc does the same with its exec.fifo). */
#define HAKO_EXEC_SOCKET "exec.sock"

typedef struct
{
  char *id;
  char *bundle;      /* absolute */
  char *rootfs;      /* absolute */
  pid_t pid;         /* 0 until the container process exists */
  guint64 pid_start; /* field 22 of /proc/PID/stat */
  HakoStatus recorded; /* what the last command recorded */
  char *created;     /* RFC 3339 */
  uid_t owner;       /* the creator, as runc: whoever owns the state dir */
  GHashTable *annotations; /* may be NULL */
  char *cgroup_manager; /* NULL without a cgroup */
  GStrv cgroup_paths;   /* the container's cgroup directories */
  GStrv cgroup_created; /* the directories create made, parents first; systemd: its unit */
} HakoState;

void hako_state_free (HakoState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoState, hako_state_free)

/* runc's rule: letters, digits, '_', '+', '-', '.', not "." or "..", at most 1024 bytes. */
gboolean hako_container_id_check (const char *id, GError **error);

/* --root when given, else /run/hako for root and $XDG_RUNTIME_DIR/hako otherwise. */
char *hako_state_root_resolve (const char *root_option, GError **error);

char *hako_state_dir (const char *root, const char *id);

/* Takes ROOT/ID.lock with flock; returns the fd (close it to release) or -1. */
int hako_state_lock (const char *root, const char *id, GError **error);

/* ROOT/ID, for what create keeps there before the first state is saved. */
gboolean hako_state_make_dir (const char *root, const char *id, GError **error);
gboolean hako_state_save (const char *root, const HakoState *state, GError **error);
/* Parses the LENGTH bytes of a state.json read from ORIGIN (named in
 * errors): NULL with HAKO_ERROR_CONFIG when they are not a valid record. */
HakoState *hako_state_load_data (const char *data, gsize length, const char *origin,
                                 GError **error);
/* NULL with HAKO_ERROR_NOT_FOUND when there is no such container. */
HakoState *hako_state_load (const char *root, const char *id, GError **error);
/* After hako_state_load failed with ERROR under the lock: when there is no
 * such container, the lock file that taking the lock made goes too. */
void hako_state_forget_missing (const char *root, const char *id, const GError *error);
/* Removes ROOT/ID with everything in it, and its lock file. */
void hako_state_remove (const char *root, const char *id);
/* The ids under ROOT, sorted. */
GPtrArray *hako_state_list_ids (const char *root, GError **error);

/* The start time of PID, 0 when it does not exist (or is a zombie). */
guint64 hako_process_start_time (pid_t pid);
/* Waits, at most TIMEOUT_MS, until PID has run up to its first wait
 * (sleeping, stopped) or its end: a payload just exec'd has then begun. */
void hako_process_wait_settled (pid_t pid, guint timeout_ms);
HakoStatus hako_state_status (const HakoState *state);
/* The owner's user name, or the uid as a number when it has none. */
char *hako_state_owner_name (const HakoState *state);

/* The state JSON of runtime.md (plus runc's rootfs, created and owner's name). */
char *hako_state_to_json (const HakoState *state, gboolean pretty);
/* The same for a hook, without the owner: the status the lifecycle step
 * records, not a live one (a poststart hook of a short-lived process still
 * sees "running"). */
char *hako_state_to_hook_json (const HakoState *state);
