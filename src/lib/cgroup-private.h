/* What a cgroup manager implements, and the object the callers hold. */
#pragma once

#include <gio/gio.h>

#include "cgroup.h"

typedef struct
{
  const char *name; /* as the state records it */
  gboolean (*create) (HakoCgroup *cgroup, GError **error);
  gboolean (*place) (HakoCgroup *cgroup, pid_t pid, GError **error);
  gboolean (*apply) (HakoCgroup *cgroup, const HakoResources *resources, GError **error);
  void (*signal_all) (HakoCgroup *cgroup, int signal_number);
  GArray *(*pids) (HakoCgroup *cgroup, GError **error);
  gboolean (*freeze) (HakoCgroup *cgroup, gboolean frozen, GError **error);
  gboolean (*destroy) (HakoCgroup *cgroup, GError **error);
} HakoCgroupOps;

/* A hierarchy the container has a directory in. */
typedef struct
{
  char *dir;          /* the container's cgroup directory in it */
  GStrv controllers;  /* v1: its controllers ("cpu", "name=systemd"); v2: NULL */
} HakoCgroupDir;

struct HakoCgroup
{
  const HakoCgroupOps *ops;
  GArray *dirs;       /* of HakoCgroupDir */
  GPtrArray *created; /* directories create made, parents first; systemd: the unit, once started */
  char *unit;         /* systemd: the container's scope */
  char *sub;          /* exec --cgroup: the sub-cgroup joined below the container's, or NULL */
  char *slice;        /* systemd: the slice of the unit, or NULL for the manager's default */
  char *description;  /* systemd: the unit's Description */
  GDBusConnection *bus; /* systemd: the manager's bus, once connected */
  /* NULL-terminated views of dirs and created, for the state */
  GPtrArray *path_view;
  GPtrArray *created_view;
};

extern const HakoCgroupOps hako_cgroup_fs_ops;
extern const HakoCgroupOps hako_cgroup_systemd_ops;

/* Whether /sys/fs/cgroup is the cgroup v2 hierarchy alone. */
gboolean hako_cgroup_unified_host (void);
/* The systemd unit and slice of container ID for linux.cgroupsPath
 * CGROUPS_PATH (see systemd.md of runc). */
gboolean hako_cgroup_systemd_resolve (HakoCgroup *cgroup, const char *id, const char *cgroups_path,
                                      GError **error);

/* Adds a directory (v1 with CONTROLLERS, v2 with NULL). */
void hako_cgroup_add_dir (HakoCgroup *cgroup, const char *dir, const char *const *controllers);
/* The directory holding CONTROLLER ("memory"), or NULL. On cgroup v2,
 * the single directory holds every controller. */
const char *hako_cgroup_controller_dir (const HakoCgroup *cgroup, const char *controller);
gboolean hako_cgroup_is_v2 (const HakoCgroup *cgroup);

/* Writes VALUE to DIR/FILE; 0, or the errno. */
int hako_cgroup_write_file (const char *dir, const char *file, const char *value);

/* Writes VALUE to FILE of CONTROLLER in the container's cgroup; an error
 * names JSON_PATH, the setting it comes from, and what the host lacks. */
gboolean hako_cgroup_fs_set (const HakoCgroup *cgroup, const char *controller, const char *file,
                             const char *value, const char *json_path, GError **error);
gboolean hako_cgroup_fs_set_int (const HakoCgroup *cgroup, const char *controller,
                                 const char *file, gint64 value, const char *json_path,
                                 GError **error);
/* Sets an optional number OPT, when set (in a function with CGROUP and ERROR). */
#define HAKO_CGROUP_SET_OPT(opt, controller, file, path) \
  (!(opt).set || hako_cgroup_fs_set_int (cgroup, controller, file, (gint64) (opt).value, path, error))

/* linux.resources.devices, then the default devices (allowed whatever the
 * rules say, as runc does): after a "deny all", in this order. Borrowed. */
GPtrArray *hako_cgroup_device_rules (const HakoResources *resources);
/* The eBPF program (struct bpf_insn) for RULES on cgroup v2. */
GArray *hako_cgroup_device_program (const GPtrArray *rules);
/* Loads it for linux.resources.devices and attaches it to DIR. */
gboolean hako_cgroup_fs_apply_v2_devices (const char *dir, const HakoResources *resources,
                                          GError **error);
gboolean hako_cgroup_fs_apply_hugetlb (const HakoCgroup *cgroup, const HakoResources *resources,
                                       const char *suffix, GError **error);
gboolean hako_cgroup_fs_apply_rdma (const HakoCgroup *cgroup, const HakoResources *resources,
                                    GError **error);

/* The cgroupfs operations the systemd manager shares, on the scope's
 * cgroup v2 directory. */
GArray *hako_cgroup_fs_pids (HakoCgroup *cgroup, GError **error);
void hako_cgroup_fs_signal_all (HakoCgroup *cgroup, int signal_number);
gboolean hako_cgroup_fs_freeze (HakoCgroup *cgroup, gboolean frozen, GError **error);
/* linux.resources as systemd unit properties (a(sv), maybe empty). */
GVariant *hako_cgroup_systemd_properties (const HakoResources *resources);

/* The container's directories again, from the paths its state recorded,
 * each with the controllers of the hierarchy it lies in. */
void hako_cgroup_fs_restore (HakoCgroup *cgroup, const char *const *paths);

/* Resolving the container's directories with the cgroupfs manager. */
gboolean hako_cgroup_fs_resolve (HakoCgroup *cgroup, const char *id, const char *cgroups_path,
                                 GError **error);

/* The limit writers of each version (cgroup-fs-v1.c, cgroup-fs-v2.c). */
gboolean hako_cgroup_fs_apply_v1 (HakoCgroup *cgroup, const HakoResources *resources,
                                  GError **error);
gboolean hako_cgroup_fs_apply_v2 (HakoCgroup *cgroup, const HakoResources *resources,
                                  GError **error);
/* cgroup v2's weights from v1's, as runc converts them: cpu.shares
 * [2, 262144] to cpu.weight [1, 10000] and blkio.weight [10, 1000] to
 * io.weight [1, 10000], both linearly. */
guint64 hako_cgroup_cpu_shares_to_weight (guint64 shares);
guint64 hako_cgroup_blkio_weight_to_io_weight (guint64 weight);

/* A mounted cgroup hierarchy. */
typedef struct
{
  GStrv controllers; /* v1: "cpu", "cpuacct", or "name=systemd"; v2: NULL */
  char *mountpoint;
  char *own_dir;     /* the runtime's own cgroup in it */
} HakoCgroupHierarchy;

/* The hierarchies from the text of /proc/self/cgroup and
 * /proc/self/mountinfo: without UNIFIED, every v1 line of the first with
 * controllers that the second mounts; with it, the v2 line, for the
 * cgroup2 filesystem at /sys/fs/cgroup. */
GPtrArray *hako_cgroup_fs_hierarchies (const char *self_cgroup, const char *mountinfo,
                                       gboolean unified);
