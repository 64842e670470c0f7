/* What a cgroup manager implements, and the object the callers hold. */
#pragma once

#include "cgroup.h"

typedef struct
{
  const char *name; /* as the state records it */
  gboolean (*create) (HakoCgroup *cgroup, GError **error);
  gboolean (*place) (HakoCgroup *cgroup, pid_t pid, GError **error);
  gboolean (*apply) (HakoCgroup *cgroup, const HakoResources *resources, GError **error);
  void (*signal_all) (HakoCgroup *cgroup, int signal_number);
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
  GPtrArray *created; /* directories create made, parents first */
  /* NULL-terminated views of dirs and created, for the state */
  GPtrArray *path_view;
  GPtrArray *created_view;
};

extern const HakoCgroupOps hako_cgroup_fs_ops;

/* Adds a directory (v1 with CONTROLLERS, v2 with NULL). */
void hako_cgroup_add_dir (HakoCgroup *cgroup, const char *dir, const char *const *controllers);
/* The directory holding CONTROLLER ("memory"), or NULL. On cgroup v2,
 * the single directory holds every controller. */
const char *hako_cgroup_controller_dir (const HakoCgroup *cgroup, const char *controller);

/* Writes VALUE to DIR/FILE; 0, or the errno. */
int hako_cgroup_write_file (const char *dir, const char *file, const char *value);

/* Resolving the container's directories with the cgroupfs manager. */
gboolean hako_cgroup_fs_resolve (HakoCgroup *cgroup, const char *id, const char *cgroups_path,
                                 GError **error);

/* The limit writers of each version (cgroup-fs-v1.c, cgroup-fs-v2.c). */
gboolean hako_cgroup_fs_apply_v1 (HakoCgroup *cgroup, const HakoResources *resources,
                                  GError **error);

/* A mounted cgroup v1 hierarchy. */
typedef struct
{
  GStrv controllers; /* "cpu", "cpuacct", or "name=systemd" */
  char *mountpoint;
  char *own_dir;     /* the runtime's own cgroup in it */
} HakoCgroupHierarchy;

/* The v1 hierarchies from the text of /proc/self/cgroup and
 * /proc/self/mountinfo: every line of the first with controllers that
 * the second mounts. */
GPtrArray *hako_cgroup_fs_v1_hierarchies (const char *self_cgroup, const char *mountinfo);
