/* The OCI runtime configuration (config.json, runtime-spec v1.3.0, Linux)
 * as plain C structs. hako_spec_load_* parse and validate in one pass;
 * every error names the JSON path of the value at fault. Pointers and
 * arrays are NULL when the property is absent. */
#pragma once

#include <glib.h>
#include <sys/types.h>

#include "json-read.h"

#define HAKO_OCI_VERSION "1.3.0"
#define HAKO_OCI_VERSION_MIN "1.0.0"

typedef struct
{
  guint32 container_id;
  guint32 host_id;
  guint32 size;
} HakoIdMapping;

typedef struct
{
  HakoIdMapping *items;
  guint n;
} HakoIdMappings;

/* ---- process ---- */

typedef struct
{
  char *type;  /* "RLIMIT_NOFILE" */
  int resource; /* the RLIMIT_* value for setrlimit */
  guint64 soft;
  guint64 hard;
} HakoRlimit;

typedef struct
{
  guint32 uid;
  guint32 gid;
  HakoOptUint umask;
  guint32 *additional_gids;
  guint n_additional_gids;
  char *username;
} HakoUser;

/* Each set is a bit mask of CAP_* numbers; has_* says the list was given. */
typedef struct
{
  gboolean has_bounding, has_effective, has_inheritable, has_permitted, has_ambient;
  guint64 bounding, effective, inheritable, permitted, ambient;
  /* Well-formed names hako does not know ("CAP_FOO"), as "PATH: NAME": not
   * in the masks; config.md asks for a warning, not a failure. */
  GPtrArray *unknown;
} HakoCapabilities;

typedef struct
{
  char *policy; /* "SCHED_OTHER" ... */
  int policy_value;
  HakoOptInt nice;
  HakoOptInt priority;
  GStrv flags;
  guint64 flags_value; /* SCHED_FLAG_* bits */
  HakoOptUint runtime, deadline, period;
} HakoScheduler;

typedef struct
{
  char *class_name; /* "IOPRIO_CLASS_BE" */
  int class_value;
  gint32 priority;
} HakoIoPriority;

typedef struct
{
  gboolean terminal;
  gboolean has_console_size;
  guint64 console_height, console_width;
  char *cwd;
  GStrv env;
  GStrv args;
  char *command_line;
  HakoUser user;
  HakoCapabilities *capabilities;
  HakoRlimit *rlimits;
  guint n_rlimits;
  char *apparmor_profile;
  HakoOptInt oom_score_adj;
  char *selinux_label;
  gboolean no_new_privileges;
  HakoScheduler *scheduler;
  HakoIoPriority *io_priority;
  char *exec_cpu_affinity_initial;
  char *exec_cpu_affinity_final;
} HakoProcess;

/* ---- root, mounts, hooks ---- */

typedef struct
{
  char *path;
  gboolean readonly;
} HakoRoot;

typedef struct
{
  char *destination;
  char *source;
  char *type;
  GStrv options;
  HakoIdMappings uid_mappings;
  HakoIdMappings gid_mappings;
} HakoMount;

typedef struct
{
  char *path;
  GStrv args;
  GStrv env;
  HakoOptInt timeout; /* seconds, > 0 */
} HakoHook;

typedef enum
{
  HAKO_HOOK_PRESTART,
  HAKO_HOOK_CREATE_RUNTIME,
  HAKO_HOOK_CREATE_CONTAINER,
  HAKO_HOOK_START_CONTAINER,
  HAKO_HOOK_POSTSTART,
  HAKO_HOOK_POSTSTOP,
  HAKO_HOOK_N_KINDS
} HakoHookKind;

extern const char *const hako_hook_kind_names[HAKO_HOOK_N_KINDS];

/* ---- linux ---- */

typedef enum
{
  HAKO_NS_MOUNT,
  HAKO_NS_PID,
  HAKO_NS_NETWORK,
  HAKO_NS_UTS,
  HAKO_NS_IPC,
  HAKO_NS_USER,
  HAKO_NS_CGROUP,
  HAKO_NS_TIME,
  HAKO_NS_N_KINDS
} HakoNamespaceKind;

typedef struct
{
  gboolean present;
  char *path; /* join this namespace; NULL to create a new one */
} HakoNamespace;

/* The OCI "type" string ("network") and the clone flag of each kind. */
const char *hako_namespace_kind_name (HakoNamespaceKind kind);
int hako_namespace_kind_clone_flag (HakoNamespaceKind kind);

typedef struct
{
  char type; /* 'c', 'b', 'u' or 'p' */
  char *path;
  gint64 major, minor;
  HakoOptUint file_mode;
  HakoOptUint uid, gid;
} HakoDevice;

typedef struct
{
  char *host_name; /* the key of linux.netDevices */
  char *name;      /* the name inside the container; NULL keeps host_name */
} HakoNetDevice;

typedef struct
{
  gboolean allow;
  char type;   /* 'a', 'c' or 'b'; 'a' when absent */
  HakoOptInt major, minor; /* absent means any */
  char *access; /* subset of "rwm"; NULL means all */
} HakoDeviceRule;

typedef struct
{
  HakoOptInt limit, reservation, swap, kernel, kernel_tcp;
  HakoOptUint swappiness;
  HakoOptBool disable_oom_killer, use_hierarchy, check_before_update;
} HakoMemory;

typedef struct
{
  HakoOptUint shares, period, burst, realtime_period;
  HakoOptInt quota, realtime_runtime, idle;
  char *cpus, *mems;
} HakoCpu;

typedef struct
{
  gint64 major, minor;
  HakoOptUint weight, leaf_weight;
} HakoBlockIoWeightDevice;

typedef struct
{
  gint64 major, minor;
  guint64 rate;
} HakoBlockIoThrottle;

typedef enum
{
  HAKO_THROTTLE_READ_BPS,
  HAKO_THROTTLE_WRITE_BPS,
  HAKO_THROTTLE_READ_IOPS,
  HAKO_THROTTLE_WRITE_IOPS,
  HAKO_THROTTLE_N_KINDS
} HakoThrottleKind;

/* Their members in linux.resources.blockIO ("throttleReadBpsDevice"). */
extern const char *const hako_throttle_member_names[HAKO_THROTTLE_N_KINDS];

typedef struct
{
  HakoOptUint weight, leaf_weight;
  HakoBlockIoWeightDevice *weight_devices;
  guint n_weight_devices;
  HakoBlockIoThrottle *throttles[HAKO_THROTTLE_N_KINDS];
  guint n_throttles[HAKO_THROTTLE_N_KINDS];
} HakoBlockIo;

typedef struct
{
  char *page_size; /* "2MB" */
  guint64 limit;
} HakoHugepageLimit;

typedef struct
{
  char *name;
  guint32 priority;
} HakoNetPriority;

typedef struct
{
  char *device;
  HakoOptUint hca_handles, hca_objects;
} HakoRdmaLimit;

typedef struct
{
  HakoDeviceRule *devices;
  guint n_devices;
  HakoMemory *memory;
  HakoCpu *cpu;
  HakoOptInt pids_limit;
  HakoBlockIo *block_io;
  HakoHugepageLimit *hugepage_limits;
  guint n_hugepage_limits;
  HakoOptUint net_class_id;
  HakoNetPriority *net_priorities;
  guint n_net_priorities;
  HakoRdmaLimit *rdma;
  guint n_rdma;
  GHashTable *unified; /* "memory.high" -> "1G" */
} HakoResources;

typedef struct
{
  guint32 index;
  guint64 value;
  guint64 value_two;
  char *op; /* "SCMP_CMP_EQ" */
} HakoSeccompArg;

typedef struct
{
  GStrv names;
  char *action;
  HakoOptUint errno_ret;
  HakoSeccompArg *args;
  guint n_args;
} HakoSeccompRule;

typedef struct
{
  char *default_action;
  HakoOptUint default_errno_ret;
  GStrv architectures;
  GStrv flags;
  char *listener_path;
  char *listener_metadata;
  HakoSeccompRule *syscalls;
  guint n_syscalls;
} HakoSeccomp;

void hako_seccomp_free (HakoSeccomp *seccomp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoSeccomp, hako_seccomp_free)

typedef struct
{
  char *clos_id;
  GStrv schemata;
  char *l3_cache_schema;
  char *mem_bw_schema;
  gboolean enable_monitoring;
} HakoIntelRdt;

typedef struct
{
  char *mode; /* "MPOL_BIND" */
  int mode_value;
  char *nodes;
  GStrv flags;
  int flags_value;
} HakoMemoryPolicy;

typedef struct
{
  char *domain; /* "LINUX" or "LINUX32" */
  GStrv flags;
} HakoPersonality;

typedef struct
{
  gboolean set;
  gint64 secs;
  guint32 nanosecs;
} HakoTimeOffset;

typedef struct
{
  HakoNamespace namespaces[HAKO_NS_N_KINDS];
  HakoIdMappings uid_mappings;
  HakoIdMappings gid_mappings;
  HakoTimeOffset time_offset_boottime;
  HakoTimeOffset time_offset_monotonic;
  HakoDevice *devices;
  guint n_devices;
  HakoNetDevice *net_devices;
  guint n_net_devices;
  char *cgroups_path;
  HakoResources *resources;
  HakoIntelRdt *intel_rdt;
  HakoMemoryPolicy *memory_policy;
  GHashTable *sysctl;
  HakoSeccomp *seccomp;
  char *rootfs_propagation; /* "private", "shared", "slave", "unbindable" */
  GStrv masked_paths;
  GStrv readonly_paths;
  char *mount_label;
  HakoPersonality *personality;
} HakoLinux;

typedef struct
{
  char *oci_version;
  HakoRoot *root;
  HakoMount *mounts;
  guint n_mounts;
  HakoProcess *process;
  char *hostname;
  char *domainname;
  HakoHook *hooks[HAKO_HOOK_N_KINDS];
  guint n_hooks[HAKO_HOOK_N_KINDS];
  GHashTable *annotations;
  HakoLinux *linux_;
} HakoSpec;

HakoSpec *hako_spec_load_data (const char *data, gssize length, GError **error);
HakoSpec *hako_spec_load_file (const char *path, GError **error);
void hako_spec_free (HakoSpec *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoSpec, hako_spec_free)

/* Replaces SPEC's process with the process object in the file at PATH
 * (`exec --process`), parsed and checked as config.json's process is. */
gboolean hako_spec_load_process_file (HakoSpec *spec, const char *path, GError **error);

/* The checks that only apply when a container is created from the config
 * (process present, root present). */
gboolean hako_spec_validate_for_create (const HakoSpec *spec, GError **error);

/* Tables shared with `hako features` and the process setup. */
int hako_capability_from_name (const char *name); /* -1 when unknown */
const char *hako_capability_name (int cap);       /* NULL when unknown */
int hako_capability_last (void);
int hako_rlimit_from_name (const char *name);     /* -1 when unknown */
