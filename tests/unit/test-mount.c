/* The mount plan: what hako_mount_plan_new prepares from a config, and a
 * real hako_mount_plan_apply in a new user, mount and pid namespace over a
 * small busybox rootfs, checked from inside the container. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/magic.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "mount-idmap.h"
#include "mount.h"

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif
#define EXIT_NO_USERNS 77

/* ---- fixtures ---- */

typedef struct
{
  char *dir;      /* the bundle */
  char *rootfs;   /* dir/rootfs */
  char *hostdata; /* a host directory with "hello" */
  char *hostfile; /* a host file */
  char *outside;  /* a host directory that must stay empty */
} Fixture;

static char *
path_in (const char *dir, const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_file (const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = path_in (dir, name);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
}

static void
make_dirs (const char *root, const char *const *names)
{
  for (; *names; names++)
    {
      g_autofree char *path = path_in (root, *names);
      g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
    }
}

static void
copy_busybox (const char *rootfs)
{
  g_autofree char *target = path_in (rootfs, "bin/busybox");
  g_autofree char *sh = path_in (rootfs, "bin/sh");
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents ("/bin/busybox", &contents, &length, NULL))
    return; /* the checks below do not run it; it only makes the rootfs real */
  g_assert_true (g_file_set_contents (target, contents, (gssize) length, NULL));
  g_assert_cmpint (g_chmod (target, 0755), ==, 0);
  g_assert_cmpint (symlink ("busybox", sh), ==, 0);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static const char *const dirs[] = { "bin", "proc", "dev", "sys", "tmp", "etc/secret", NULL };
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("hako-mount-XXXXXX", &error);
  g_assert_no_error (error);
  f->rootfs = path_in (f->dir, "rootfs");
  f->hostdata = path_in (f->dir, "hostdata");
  f->hostfile = path_in (f->dir, "hostfile");
  f->outside = path_in (f->dir, "outside");
  make_dirs (f->rootfs, dirs);
  copy_busybox (f->rootfs);
  write_file (f->rootfs, "etc/secret/key", "s3cret");
  write_file (f->rootfs, "etc/shadow", "root:x");
  g_assert_cmpint (g_mkdir (f->hostdata, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (f->outside, 0755), ==, 0);
  write_file (f->hostdata, "hello", "world");
  write_file (f->dir, "hostfile", "filecontent");
  /* Readable and searchable by the container's root, whoever runs this. */
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_cmpint (system (command), ==, 0);
  g_free (f->dir);
  g_free (f->rootfs);
  g_free (f->hostdata);
  g_free (f->hostfile);
  g_free (f->outside);
}

static HakoSpec *
load_spec (const char *json)
{
  g_autoptr (GError) error = NULL;
  HakoSpec *spec = hako_spec_load_data (json, -1, &error);

  g_assert_no_error (error);
  return spec;
}

static HakoMountPlan *
build_plan (const Fixture *f, const char *json, const HakoMountPlanOptions *options)
{
  g_autoptr (HakoSpec) spec = load_spec (json);
  g_autoptr (GError) error = NULL;
  HakoMountPlan *plan = hako_mount_plan_new (spec, f->dir, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  return plan;
}

static const HakoMountStep *
find_step (const HakoMountPlan *plan, const char *label, int *index)
{
  for (guint i = 0; i < plan->n_steps; i++)
    if (g_str_equal (plan->steps[i].label, label))
      {
        if (index)
          *index = (int) i;
        return &plan->steps[i];
      }
  g_error ("no step %s", label);
}

static const HakoMountStep *
find_step_at (const HakoMountPlan *plan, const char *path)
{
  for (guint i = 0; i < plan->n_steps; i++)
    if (g_strcmp0 (plan->steps[i].path, path) == 0)
      return &plan->steps[i];
  g_error ("no step for %s", path);
}

/* ---- (a) plan building ---- */

static char *
plan_config (const Fixture *f)
{
  return g_strdup_printf (
      "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
      " \"mounts\": ["
      "  {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
      "  {\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\","
      "   \"options\": [\"nosuid\", \"nodev\", \"mode=1777\", \"size=65536k\"]},"
      "  {\"destination\": \"etc/hostfile\", \"source\": \"hostfile\", \"options\": [\"bind\", \"ro\"]},"
      "  {\"destination\": \"/data\", \"source\": \"%s\", \"type\": \"bind\","
      "   \"options\": [\"rbind\", \"rprivate\", \"rro\", \"nosuid\"]},"
      "  {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\","
      "   \"options\": [\"mode=0620\", \"gid=5\"]},"
      "  {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\", \"options\": [\"ro\"]},"
      "  {\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\"},"
      "  {\"destination\": \"../../x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}],"
      " \"linux\": {\"rootfsPropagation\": \"shared\","
      "  \"devices\": [{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10, \"minor\": 229,"
      "               \"fileMode\": 438, \"uid\": 0, \"gid\": 0}],"
      "  \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc/sys\"]}}",
      f->hostdata);
}

static void
test_plan_steps (Fixture *f, gconstpointer data)
{
  g_autofree char *json = plan_config (f);
  HakoMountPlanOptions options = { .rootless = FALSE, .new_netns = FALSE, .new_cgroupns = TRUE };
  g_autoptr (HakoMountPlan) plan = build_plan (f, json, &options);
  const HakoMountStep *step;

  g_assert_cmpstr (plan->rootfs, ==, f->rootfs);
  g_assert_cmpint (plan->steps[0].kind, ==, HAKO_MOUNT_STEP_ROOT_PREPARE);
  g_assert_cmpuint (plan->steps[0].propagation, ==, MS_PRIVATE | MS_REC);
  g_assert_cmpint (plan->steps[1].kind, ==, HAKO_MOUNT_STEP_ROOTFS_BIND);
  g_assert_cmpstr (plan->steps[1].source, ==, f->rootfs);

  step = find_step (plan, "mounts[0]", NULL);
  g_assert_cmpint (step->kind, ==, HAKO_MOUNT_STEP_FILESYSTEM);
  g_assert_cmpstr (step->fstype, ==, "proc");
  g_assert_cmpstr (step->destination, ==, "proc");

  step = find_step (plan, "mounts[1]", NULL);
  g_assert_cmpuint (step->flags, ==, MS_NOSUID | MS_NODEV);
  g_assert_cmpstr (step->data, ==, "mode=1777,size=65536k");
  g_assert_false (step->dest_is_file);

  /* A relative destination is relative to "/"; a file source makes a file. */
  step = find_step (plan, "mounts[2]", NULL);
  g_assert_cmpint (step->kind, ==, HAKO_MOUNT_STEP_BIND);
  g_assert_cmpstr (step->path, ==, "/etc/hostfile");
  g_assert_cmpstr (step->destination, ==, "etc/hostfile");
  g_assert_cmpstr (step->source, ==, f->hostfile);
  g_assert_true (step->dest_is_file);
  g_assert_cmpuint (step->flags, ==, MS_BIND);
  g_assert_cmpuint (step->remount_flags, ==, MS_RDONLY);

  step = find_step (plan, "mounts[3]", NULL);
  g_assert_false (step->dest_is_file);
  g_assert_cmpuint (step->flags, ==, MS_BIND | MS_REC);
  g_assert_cmpuint (step->remount_flags, ==, MS_NOSUID);
  g_assert_cmpuint (step->propagation, ==, MS_PRIVATE | MS_REC);
  g_assert_cmpuint (step->attr_set, ==, MOUNT_ATTR_RDONLY);

  step = find_step (plan, "mounts[4]", NULL);
  g_assert_cmpstr (step->data, ==, "mode=0620,gid=5,newinstance,ptmxmode=0666");
  g_assert_cmpstr (step->retry_data, ==, "mode=0620,newinstance,ptmxmode=0666");

  /* No network namespace of its own: the host's /sys, bound. */
  step = find_step (plan, "mounts[5]", NULL);
  g_assert_cmpint (step->kind, ==, HAKO_MOUNT_STEP_BIND);
  g_assert_cmpstr (step->source, ==, "/sys");
  g_assert_cmpuint (step->flags, ==, MS_BIND | MS_REC);
  g_assert_cmpuint (step->remount_flags, ==, MS_RDONLY);

  step = find_step (plan, "mounts[6]", NULL);
  g_assert_cmpint (step->kind, ==, HAKO_MOUNT_STEP_FILESYSTEM);
  g_assert_cmpstr (step->fstype, ==, "cgroup2");
  g_assert_cmpstr (step->fallback_source, ==, "/sys/fs/cgroup");

  step = find_step (plan, "mounts[7]", NULL);
  g_assert_cmpstr (step->path, ==, "/x");
  g_assert_cmpstr (step->destination, ==, "x");

  /* As real root, devices are made with mknod. */
  step = find_step_at (plan, "/dev/null");
  g_assert_cmpint (step->kind, ==, HAKO_MOUNT_STEP_DEVICE_MKNOD);
  g_assert_cmpuint (step->mode, ==, S_IFCHR | 0666);
  g_assert_cmpuint (step->rdev, ==, makedev (1, 3));
  g_assert_cmpstr (step->parent, ==, "dev");
  g_assert_cmpstr (step->name, ==, "null");
  step = find_step (plan, "linux.devices[0]", NULL);
  g_assert_cmpuint (step->mode, ==, S_IFCHR | 0666);
  g_assert_cmpuint (step->rdev, ==, makedev (10, 229));
  g_assert_true (step->set_owner);
  step = find_step_at (plan, "/dev/ptmx");
  g_assert_cmpint (step->kind, ==, HAKO_MOUNT_STEP_SYMLINK);
  g_assert_cmpstr (step->target, ==, "pts/ptmx");
  g_assert_cmpstr (find_step_at (plan, "/dev/fd")->target, ==, "/proc/self/fd");

  g_assert_cmpint (find_step (plan, "maskedPaths[0] /proc/kcore", NULL)->kind, ==, HAKO_MOUNT_STEP_MASK);
  g_assert_cmpint (find_step (plan, "readonlyPaths[0] /proc/sys", NULL)->kind, ==, HAKO_MOUNT_STEP_READONLY);
  g_assert_cmpint (plan->steps[plan->n_steps - 3].kind, ==, HAKO_MOUNT_STEP_PIVOT);
  g_assert_cmpint (plan->steps[plan->n_steps - 2].kind, ==, HAKO_MOUNT_STEP_ROOT_READONLY);
  g_assert_cmpint (plan->steps[plan->n_steps - 1].kind, ==, HAKO_MOUNT_STEP_ROOT_PROPAGATION);
  g_assert_cmpuint (plan->steps[plan->n_steps - 1].propagation, ==, MS_SHARED | MS_REC);
}

static void
test_plan_rootless (Fixture *f, gconstpointer data)
{
  g_autofree char *json = plan_config (f);
  HakoMountPlanOptions options = { .rootless = TRUE, .new_netns = TRUE, .no_pivot = TRUE };
  g_autoptr (HakoMountPlan) plan = build_plan (f, json, &options);
  const HakoMountStep *step = find_step_at (plan, "/dev/null");

  g_assert_cmpint (step->kind, ==, HAKO_MOUNT_STEP_DEVICE_BIND);
  g_assert_cmpstr (step->source, ==, "/dev/null");
  g_assert_true (step->dest_is_file);
  step = find_step (plan, "mounts[5]", NULL);
  g_assert_cmpint (step->kind, ==, HAKO_MOUNT_STEP_FILESYSTEM);
  g_assert_cmpstr (step->fstype, ==, "sysfs");
  g_assert_cmpuint (step->flags, ==, MS_RDONLY);
  /* No cgroup namespace: the host's hierarchy, bound. */
  step = find_step (plan, "mounts[6]", NULL);
  g_assert_cmpint (step->kind, ==, HAKO_MOUNT_STEP_BIND);
  g_assert_cmpstr (step->source, ==, "/sys/fs/cgroup");
  g_assert_cmpint (plan->steps[plan->n_steps - 3].kind, ==, HAKO_MOUNT_STEP_PIVOT);
  g_assert_cmpuint (plan->steps[plan->n_steps - 3].flags, ==, MS_MOVE);
}

static void
test_plan_host_dev (Fixture *f, gconstpointer data)
{
  const char *json = "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"},"
                     " \"mounts\": [{\"destination\": \"/dev\", \"source\": \"/dev\","
                     " \"options\": [\"rbind\"]}]}";
  HakoMountPlanOptions options = { .rootless = TRUE };
  g_autoptr (HakoMountPlan) plan = build_plan (f, json, &options);

  /* The host's /dev brings its own nodes and links. */
  for (guint i = 0; i < plan->n_steps; i++)
    {
      g_assert_cmpint (plan->steps[i].kind, !=, HAKO_MOUNT_STEP_DEVICE_BIND);
      g_assert_cmpint (plan->steps[i].kind, !=, HAKO_MOUNT_STEP_SYMLINK);
    }
  g_assert_cmpint (plan->steps[plan->n_steps - 1].kind, ==, HAKO_MOUNT_STEP_PIVOT);
}

static void
assert_plan_error (const Fixture *f, const char *json, int code, const char *message)
{
  g_autoptr (HakoSpec) spec = load_spec (json);
  g_autoptr (GError) error = NULL;
  HakoMountPlanOptions options = { .rootless = TRUE };
  g_autoptr (HakoMountPlan) plan = hako_mount_plan_new (spec, f->dir, &options, &error);

  g_assert_null (plan);
  g_assert_error (error, HAKO_ERROR, code);
  g_assert_nonnull (strstr (error->message, message));
}

static void
test_plan_errors (Fixture *f, gconstpointer data)
{
  assert_plan_error (f,
                     "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}, \"mounts\": ["
                     "{\"destination\": \"/a\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
                     "{\"destination\": \"/b\", \"source\": \"missing\", \"options\": [\"bind\"]}]}",
                     HAKO_ERROR_NOT_FOUND, "mounts[1]: cannot use the bind source ");
  assert_plan_error (f,
                     "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}, \"mounts\": ["
                     "{\"destination\": \"/b\", \"type\": \"sysfs\", \"source\": \"sysfs\", \"options\": [\"tmpcopyup\"]}]}",
                     HAKO_ERROR_CONFIG, "mounts[0]: the mount option \"tmpcopyup\" is for a tmpfs, not type \"sysfs\"");
  assert_plan_error (f, "{\"ociVersion\": \"1.3.0\"}", HAKO_ERROR_CONFIG, "root.path");
}

/* idmap, ridmap and mappings alone (read as idmap) mark the bind for the
 * runtime, with the mount's own mappings copied; an ordinary user of the
 * initial user namespace is refused before anything is made. */
static char *
idmap_config (const Fixture *f)
{
  return g_strdup_printf (
      "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}, \"mounts\": ["
      "{\"destination\": \"/own\", \"source\": \"%s\", \"options\": [\"bind\", \"idmap\"],"
      " \"uidMappings\": [{\"containerID\": 1234, \"hostID\": 0, \"size\": 1}],"
      " \"gidMappings\": [{\"containerID\": 1234, \"hostID\": 0, \"size\": 1}]},"
      "{\"destination\": \"/container\", \"source\": \"%s\", \"options\": [\"rbind\", \"ridmap\"]},"
      "{\"destination\": \"/implied\", \"source\": \"%s\", \"options\": [\"bind\"],"
      " \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1234, \"size\": 2}],"
      " \"gidMappings\": [{\"containerID\": 0, \"hostID\": 1234, \"size\": 1}]},"
      "{\"destination\": \"/plain\", \"source\": \"%s\", \"options\": [\"bind\"]}]}",
      f->hostdata, f->hostdata, f->hostdata, f->hostdata);
}

static void
test_plan_idmap (Fixture *f, gconstpointer data)
{
  g_autofree char *json = idmap_config (f);
  HakoMountPlanOptions options = { .rootless = TRUE };
  g_autoptr (HakoMountPlan) plan = build_plan (f, json, &options);
  g_autoptr (HakoSpec) spec = load_spec (json);
  g_autoptr (GError) error = NULL;
  const HakoMountStep *own = find_step (plan, "mounts[0]", NULL);
  const HakoMountStep *container = find_step (plan, "mounts[1]", NULL);
  const HakoMountStep *implied = find_step (plan, "mounts[2]", NULL);
  const HakoMountStep *plain = find_step (plan, "mounts[3]", NULL);

  g_assert_true (own->idmap && !own->recursive_idmap);
  g_assert_cmpuint (own->idmap_uids.n, ==, 1);
  g_assert_cmpuint (own->idmap_uids.items[0].container_id, ==, 1234);
  g_assert_cmpuint (own->idmap_gids.items[0].host_id, ==, 0);
  g_assert_cmpint (own->mount_fd, ==, -1);
  g_assert_true (container->idmap && container->recursive_idmap);
  g_assert_cmpuint (container->idmap_uids.n, ==, 0);
  g_assert_cmpuint (container->flags, ==, MS_BIND | MS_REC);
  g_assert_true (implied->idmap && !implied->recursive_idmap);
  g_assert_cmpuint (implied->idmap_uids.items[0].size, ==, 2);
  g_assert_false (plain->idmap);

  options.unprivileged = TRUE;
  g_assert_null (hako_mount_plan_new (spec, f->dir, &options, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "mounts[0]: idmapped mounts of host files need root: only a process with "
                   "CAP_SYS_ADMIN in the initial user namespace may idmap them; run hako as root, "
                   "or drop idmap and ridmap and chown the source to ids the container maps");
}

static char *
describe (const HakoMountPlan *plan, int index, HakoMountOp op, int saved_errno)
{
  HakoChildError err = { HAKO_CHILD_STAGE_MOUNT, HAKO_MOUNT_ERROR_STEP (index, op), saved_errno };

  return hako_mount_plan_describe_error (plan, &err);
}

static void
test_describe_error (Fixture *f, gconstpointer data)
{
  g_autofree char *json = plan_config (f);
  HakoMountPlanOptions options = { .rootless = TRUE, .new_netns = TRUE };
  g_autoptr (HakoMountPlan) plan = build_plan (f, json, &options);
  g_autofree char *expected_root = g_strdup_printf ("root.path %s: cannot pivot_root into it: Invalid argument", f->rootfs);
  int shm, proc, kcore;
  g_autofree char *m1 = NULL, *m2 = NULL, *m3 = NULL, *m4 = NULL, *m5 = NULL;

  find_step (plan, "mounts[1]", &shm);
  find_step (plan, "mounts[0]", &proc);
  find_step (plan, "maskedPaths[0] /proc/kcore", &kcore);
  m1 = describe (plan, shm, HAKO_MOUNT_OP_MOUNT, EPERM);
  g_assert_cmpstr (m1, ==, "mounts[1]: cannot mount tmpfs on /dev/shm: Operation not permitted");
  m2 = describe (plan, proc, HAKO_MOUNT_OP_MOUNT, EPERM);
  g_assert_nonnull (strstr (m2, "mounts[0]: cannot mount proc on /proc: Operation not permitted (a container "));
  g_assert_nonnull (strstr (m2, "{\"type\": \"pid\"}"));
  m3 = describe (plan, kcore, HAKO_MOUNT_OP_RESOLVE, ENOSYS);
  g_assert_nonnull (strstr (m3, "maskedPaths[0] /proc/kcore: cannot open it inside the rootfs: "));
  g_assert_nonnull (strstr (m3, "Linux 5.6"));
  m4 = describe (plan, (int) plan->n_steps - 3, HAKO_MOUNT_OP_MOUNT, EINVAL);
  g_assert_cmpstr (m4, ==, expected_root);
  m5 = describe (plan, 1000, HAKO_MOUNT_OP_MOUNT, EIO);
  g_assert_nonnull (strstr (m5, "Input/output error"));
}

/* ---- (b) a real apply ---- */

typedef void (*CheckFunc) (GString *report, const Fixture *f);

static void
report_line (GString *report, const char *key, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
report_line (GString *report, const char *key, const char *format, ...)
{
  va_list args;

  g_string_append_printf (report, "%s=", key);
  va_start (args, format);
  g_string_append_vprintf (report, format, args);
  va_end (args);
  g_string_append_c (report, '\n');
}

static int
write_all (int fd, const void *data, size_t size)
{
  const char *p = data;

  while (size)
    {
      ssize_t n = write (fd, p, size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      p += n;
      size -= (size_t) n;
    }
  return 0;
}

static int
write_proc_self (const char *name, const char *contents)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/%s", name);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  int r;

  if (fd < 0)
    return -1;
  r = write_all (fd, contents, strlen (contents));
  close (fd);
  return r;
}

/* In a new user namespace that maps our own ids to 0 (written by the
 * process itself), and new mount, network and ipc namespaces. */
static gboolean
enter_user_namespace (void)
{
  g_autofree char *uid_map = g_strdup_printf ("0 %u 1", (unsigned) getuid ());
  g_autofree char *gid_map = g_strdup_printf ("0 %u 1", (unsigned) getgid ());

  if (unshare (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC) < 0)
    return FALSE;
  return write_proc_self ("setgroups", "deny") == 0 && write_proc_self ("uid_map", uid_map) == 0
         && write_proc_self ("gid_map", gid_map) == 0;
}

/* pid 1 of the new pid namespace: apply, check, report. */
static G_GNUC_NORETURN void
container_init (const HakoMountPlan *plan, CheckFunc check, const Fixture *f, int err_fd, int report_fd)
{
  HakoChildError err = { 0 };
  g_autoptr (GString) report = g_string_new (NULL);

  if (hako_mount_plan_apply (plan, NULL, NULL, &err) == 0 && check)
    check (report, f);
  if (write_all (err_fd, &err, sizeof err) < 0 || write_all (report_fd, report->str, report->len) < 0)
    _exit (2);
  _exit (0);
}

static G_GNUC_NORETURN void
container_parent (const HakoMountPlan *plan, CheckFunc check, const Fixture *f, int err_fd, int report_fd)
{
  pid_t pid;
  int status;

  if (!enter_user_namespace ())
    _exit (EXIT_NO_USERNS);
  if (unshare (CLONE_NEWPID) < 0)
    _exit (3);
  pid = fork ();
  if (pid < 0)
    _exit (4);
  if (pid == 0)
    container_init (plan, check, f, err_fd, report_fd);
  if (waitpid (pid, &status, 0) != pid || !WIFEXITED (status))
    _exit (5);
  _exit (WEXITSTATUS (status));
}

static char *
read_all (int fd)
{
  g_autoptr (GString) out = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  while ((n = read (fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (out, buf, n);
  return g_strdup (out->str);
}

/* Runs PLAN in new namespaces; FALSE (test skipped) when user namespaces
 * are not available. *ERR is the apply result, *REPORT what CHECK saw. */
static gboolean
run_container (const HakoMountPlan *plan, CheckFunc check, const Fixture *f, HakoChildError *err,
               GHashTable **report)
{
  int err_pipe[2], report_pipe[2], status;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  pid_t pid;

  g_assert_cmpint (pipe2 (err_pipe, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (report_pipe, O_CLOEXEC), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (err_pipe[0]);
      close (report_pipe[0]);
      container_parent (plan, check, f, err_pipe[1], report_pipe[1]);
    }
  close (err_pipe[1]);
  close (report_pipe[1]);
  memset (err, 0, sizeof *err);
  text = read_all (report_pipe[0]);
  g_assert_cmpint (read (err_pipe[0], err, sizeof *err), >=, 0);
  close (err_pipe[0]);
  close (report_pipe[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) == EXIT_NO_USERNS)
    {
      g_test_skip ("user namespaces are not available here");
      return FALSE;
    }
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  *report = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (text, "\n", -1);
  for (char **line = lines; *line && **line; line++)
    {
      char *eq = strchr (*line, '=');
      g_assert_nonnull (eq);
      g_hash_table_insert (*report, g_strndup (*line, eq - *line), g_strdup (eq + 1));
    }
  return TRUE;
}

static void
assert_applied (const HakoMountPlan *plan, const HakoChildError *err)
{
  g_autofree char *message = NULL;

  if (err->stage == HAKO_CHILD_STAGE_NONE)
    return;
  message = hako_mount_plan_describe_error (plan, err);
  g_error ("apply failed: %s", message);
}

static void
assert_report (GHashTable *report, const char *key, const char *expected)
{
  const char *value = g_hash_table_lookup (report, key);

  if (g_strcmp0 (value, expected) != 0)
    g_error ("%s: got \"%s\", expected \"%s\"", key, value ? value : "(missing)", expected);
}

static const char *
bool_str (gboolean value)
{
  return value ? "yes" : "no";
}

static unsigned long
fs_type (const char *path)
{
  struct statfs st;

  return statfs (path, &st) == 0 ? (unsigned long) st.f_type : 0;
}

static gboolean
has_vfs_flag (const char *path, unsigned long flag)
{
  struct statvfs st;

  return statvfs (path, &st) == 0 && (st.f_flag & flag);
}

static char *
link_of (const char *path)
{
  char *target = g_file_read_link (path, NULL);

  return target ? target : g_strdup ("(none)");
}

static char *
contents_of (const char *path)
{
  char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) ? contents : g_strdup ("(unreadable)");
}

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);

  return dir && g_dir_read_name (dir) == NULL;
}

static gboolean
fails_with (int r, int expected_errno)
{
  return r < 0 && errno == expected_errno;
}

static gboolean
is_char_device (const char *path, unsigned int major_nr, unsigned int minor_nr)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISCHR (st.st_mode) && st.st_rdev == makedev (major_nr, minor_nr);
}

static void
check_filesystems (GString *r, const Fixture *f)
{
  g_autofree char *self = link_of ("/proc/self");
  g_autofree char *cwd = g_get_current_dir ();

  report_line (r, "cwd", "%s", cwd);
  report_line (r, "bin", "%s", bool_str (access ("/bin", F_OK) == 0));
  report_line (r, "host-invisible", "%s", bool_str (access (f->dir, F_OK) < 0));
  report_line (r, "proc", "%s", bool_str (fs_type ("/proc") == PROC_SUPER_MAGIC));
  report_line (r, "proc-self", "%s", self);
  report_line (r, "tmp", "%s", bool_str (fs_type ("/tmp") == TMPFS_MAGIC));
  report_line (r, "tmp-writable", "%s", bool_str (g_file_set_contents ("/tmp/t", "x", -1, NULL)));
  report_line (r, "sys", "%s", bool_str (fs_type ("/sys") == SYSFS_MAGIC));
  report_line (r, "devpts", "%s", bool_str (fs_type ("/dev/pts") == DEVPTS_SUPER_MAGIC));
  report_line (r, "mqueue", "%s", bool_str (fs_type ("/dev/mqueue") == MQUEUE_MAGIC));
}

static void
check_binds (GString *r, const Fixture *f)
{
  g_autofree char *hello = contents_of ("/data/hello");
  g_autofree char *hostfile = contents_of ("/etc/hostfile");

  report_line (r, "data", "%s", hello);
  report_line (r, "data-ro", "%s", bool_str (has_vfs_flag ("/data", ST_RDONLY)));
  report_line (r, "data-write", "%s", bool_str (fails_with (open ("/data/new", O_CREAT | O_WRONLY, 0644), EROFS)));
  report_line (r, "hostfile", "%s", hostfile);
  report_line (r, "hostfile-nosuid", "%s", bool_str (has_vfs_flag ("/etc/hostfile", ST_NOSUID)));
}

static void
check_devices (GString *r, const Fixture *f)
{
  g_autofree char *fd_link = link_of ("/dev/fd");
  g_autofree char *ptmx = link_of ("/dev/ptmx");
  int null_fd = open ("/dev/null", O_WRONLY);

  report_line (r, "null", "%s", bool_str (is_char_device ("/dev/null", 1, 3)));
  report_line (r, "null-write", "%s", bool_str (null_fd >= 0 && write (null_fd, "x", 1) == 1));
  report_line (r, "urandom", "%s", bool_str (is_char_device ("/dev/urandom", 1, 9)));
  report_line (r, "tty", "%s", bool_str (is_char_device ("/dev/tty", 5, 0)));
  report_line (r, "dev-fd", "%s", fd_link);
  report_line (r, "dev-ptmx", "%s", ptmx);
  if (null_fd >= 0)
    close (null_fd);
}

static void
check_protections (GString *r, const Fixture *f)
{
  struct stat st;

  report_line (r, "kcore", "%s", bool_str (stat ("/proc/kcore", &st) < 0 || is_char_device ("/proc/kcore", 1, 3)));
  report_line (r, "shadow-masked", "%s", bool_str (is_char_device ("/etc/shadow", 1, 3)));
  report_line (r, "secret-empty", "%s", bool_str (dir_is_empty ("/etc/secret")));
  report_line (r, "secret-ro", "%s", bool_str (has_vfs_flag ("/etc/secret", ST_RDONLY)));
  report_line (r, "proc-sys-ro", "%s", bool_str (has_vfs_flag ("/proc/sys", ST_RDONLY)));
  report_line (r, "proc-rw", "%s", bool_str (!has_vfs_flag ("/proc", ST_RDONLY)));
  report_line (r, "root-ro", "%s", bool_str (has_vfs_flag ("/", ST_RDONLY)));
  report_line (r, "root-mkdir", "%s", bool_str (fails_with (mkdir ("/newdir", 0755), EROFS)));
}

static void
check_container (GString *r, const Fixture *f)
{
  check_filesystems (r, f);
  check_binds (r, f);
  check_devices (r, f);
  check_protections (r, f);
}

static char *
container_config (const Fixture *f)
{
  return g_strdup_printf (
      "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
      " \"mounts\": ["
      "  {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\","
      "   \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},"
      "  {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
      "   \"options\": [\"nosuid\", \"nodev\", \"mode=1777\"]},"
      "  {\"destination\": \"/data\", \"source\": \"%s\", \"options\": [\"bind\", \"ro\"]},"
      "  {\"destination\": \"etc/hostfile\", \"source\": \"hostfile\", \"options\": [\"rbind\", \"nosuid\"]},"
      "  {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\","
      "   \"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\", \"gid=5\"]},"
      "  {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\","
      "   \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},"
      "  {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\","
      "   \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]}],"
      " \"linux\": {\"maskedPaths\": [\"/proc/kcore\", \"/etc/shadow\", \"/etc/secret\", \"/nonexistent/file\"],"
      "  \"readonlyPaths\": [\"/proc/sys\", \"/nonexistent\"]}}",
      f->hostdata);
}

static void
assert_host_side (const Fixture *f)
{
  g_autofree char *hostfile_point = path_in (f->rootfs, "etc/hostfile");
  g_autofree char *null_point = path_in (f->rootfs, "dev/null");
  g_autofree char *mountinfo = NULL;
  struct stat st;

  /* Mount points were created in the rootfs: a file for a file bind. */
  g_assert_cmpint (stat (hostfile_point, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_size, ==, 0);
  g_assert_cmpint (lstat (null_point, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  /* Nothing leaked into the host's mount namespace. */
  g_assert_true (g_file_get_contents ("/proc/self/mountinfo", &mountinfo, NULL, NULL));
  g_assert_null (strstr (mountinfo, f->rootfs));
}

static void
test_apply (Fixture *f, gconstpointer data)
{
  g_autofree char *json = container_config (f);
  HakoMountPlanOptions options = { .rootless = TRUE, .new_netns = TRUE };
  g_autoptr (HakoMountPlan) plan = build_plan (f, json, &options);
  g_autoptr (GHashTable) report = NULL;
  HakoChildError err;

  if (!run_container (plan, check_container, f, &err, &report))
    return;
  assert_applied (plan, &err);
  assert_report (report, "cwd", "/");
  assert_report (report, "bin", "yes");
  assert_report (report, "host-invisible", "yes");
  assert_report (report, "proc", "yes");
  assert_report (report, "proc-self", "1");
  assert_report (report, "tmp", "yes");
  assert_report (report, "tmp-writable", "yes");
  assert_report (report, "sys", "yes");
  assert_report (report, "devpts", "yes");
  assert_report (report, "mqueue", "yes");
  assert_report (report, "data", "world");
  assert_report (report, "data-ro", "yes");
  assert_report (report, "data-write", "yes");
  assert_report (report, "hostfile", "filecontent");
  assert_report (report, "hostfile-nosuid", "yes");
  assert_report (report, "null", "yes");
  assert_report (report, "null-write", "yes");
  assert_report (report, "urandom", "yes");
  assert_report (report, "tty", "yes");
  assert_report (report, "dev-fd", "/proc/self/fd");
  assert_report (report, "dev-ptmx", "pts/ptmx");
  assert_report (report, "kcore", "yes");
  assert_report (report, "shadow-masked", "yes");
  assert_report (report, "secret-empty", "yes");
  assert_report (report, "secret-ro", "yes");
  assert_report (report, "proc-sys-ro", "yes");
  assert_report (report, "proc-rw", "yes");
  assert_report (report, "root-ro", "yes");
  assert_report (report, "root-mkdir", "yes");
  assert_host_side (f);
}

/* ---- symlinks and ".." never lead out of the rootfs ---- */

static char *
escape_config (const Fixture *f)
{
  return g_strdup_printf (
      "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}, \"mounts\": ["
      "  {\"destination\": \"/etc/evil/x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
      "  {\"destination\": \"../../x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
      "  {\"destination\": \"/etc/up/y\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
      "  {\"destination\": \"/etc/evilfile\", \"source\": \"%s\", \"options\": [\"bind\"]}]}",
      f->hostfile);
}

static void
check_escape (GString *r, const Fixture *f)
{
  g_autofree char *evilfile = contents_of ("/etc/evilfile");

  report_line (r, "evil-x", "%s", bool_str (fs_type ("/etc/evil/x") == TMPFS_MAGIC));
  report_line (r, "x", "%s", bool_str (fs_type ("/x") == TMPFS_MAGIC));
  report_line (r, "up-y", "%s", bool_str (fs_type ("/etc/up/y") == TMPFS_MAGIC));
  report_line (r, "y", "%s", bool_str (fs_type ("/y") == TMPFS_MAGIC));
  report_line (r, "evilfile", "%s", evilfile);
}

static void
make_escape_links (const Fixture *f)
{
  g_autofree char *evil = path_in (f->rootfs, "etc/evil");
  g_autofree char *up = path_in (f->rootfs, "etc/up");
  g_autofree char *evilfile = path_in (f->rootfs, "etc/evilfile");
  g_autofree char *outside_file = path_in (f->outside, "file");

  g_assert_cmpint (symlink (f->outside, evil), ==, 0);
  g_assert_cmpint (symlink ("../../../../../../..", up), ==, 0);
  g_assert_cmpint (symlink (outside_file, evilfile), ==, 0);
}

static void
assert_inside_rootfs (const Fixture *f, const char *relative, gboolean is_dir)
{
  g_autofree char *path = g_build_filename (f->rootfs, relative, NULL);

  g_assert_true (g_file_test (path, is_dir ? G_FILE_TEST_IS_DIR : G_FILE_TEST_IS_REGULAR));
}

static void
test_symlink_escape (Fixture *f, gconstpointer data)
{
  g_autofree char *json = escape_config (f);
  HakoMountPlanOptions options = { .rootless = TRUE };
  g_autoptr (HakoMountPlan) plan = NULL;
  g_autoptr (GHashTable) report = NULL;
  g_autofree char *outside_x = g_build_filename (f->outside, "x", NULL);
  g_autofree char *outside_file = g_build_filename (f->outside, "file", NULL);
  HakoChildError err;

  make_escape_links (f);
  plan = build_plan (f, json, &options);
  if (!run_container (plan, check_escape, f, &err, &report))
    return;
  assert_applied (plan, &err);
  assert_report (report, "evil-x", "yes");
  assert_report (report, "x", "yes");
  assert_report (report, "up-y", "yes");
  assert_report (report, "y", "yes");
  assert_report (report, "evilfile", "filecontent");
  /* The host directory the absolute symlink names stays untouched... */
  g_assert_true (dir_is_empty (f->outside));
  g_assert_false (g_file_test (outside_x, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (outside_file, G_FILE_TEST_EXISTS));
  /* ...and what it names was made inside the rootfs instead. */
  assert_inside_rootfs (f, outside_x, TRUE);
  assert_inside_rootfs (f, outside_file, FALSE);
  assert_inside_rootfs (f, "x", TRUE);
  assert_inside_rootfs (f, "y", TRUE);
}

/* ---- a failure names the config entry ---- */

static void
test_apply_error (Fixture *f, gconstpointer data)
{
  g_autofree char *json = g_strdup_printf (
      "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}, \"mounts\": ["
      "  {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},"
      "  {\"destination\": \"/data\", \"source\": \"%s\", \"options\": [\"bind\"]}]}",
      f->hostdata);
  HakoMountPlanOptions options = { .rootless = TRUE };
  g_autoptr (HakoMountPlan) plan = build_plan (f, json, &options);
  g_autoptr (GHashTable) report = NULL;
  g_autofree char *message = NULL;
  g_autofree char *hello = path_in (f->hostdata, "hello");
  g_autofree char *expected = g_strdup_printf ("mounts[1]: cannot bind-mount %s on /data: No such file or directory", f->hostdata);
  HakoChildError err;

  /* The source disappears between planning and applying. */
  g_assert_cmpint (g_unlink (hello), ==, 0);
  g_assert_cmpint (g_rmdir (f->hostdata), ==, 0);
  if (!run_container (plan, NULL, f, &err, &report))
    return;
  g_assert_cmpint (err.stage, ==, HAKO_CHILD_STAGE_MOUNT);
  g_assert_cmpint (err.saved_errno, ==, ENOENT);
  message = hako_mount_plan_describe_error (plan, &err);
  g_assert_true (g_str_has_prefix (message, expected));
  g_assert_nonnull (strstr (message, "exists on the host"));
  g_assert_cmpint (g_mkdir (f->hostdata, 0755), ==, 0);
}

static char *
owner_of (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 ? g_strdup_printf ("%u:%u", (guint) st.st_uid, (guint) st.st_gid)
                               : g_strdup (g_strerror (errno));
}

static void
check_idmapped (GString *r, const Fixture *f)
{
  g_autofree char *own = owner_of ("/own/hello");
  g_autofree char *container = owner_of ("/container/hello");
  g_autofree char *plain = owner_of ("/plain/hello");

  report_line (r, "own", "%s", own);
  report_line (r, "container", "%s", container);
  report_line (r, "plain", "%s", plain);
  report_line (r, "own-write", "%s", bool_str (g_file_set_contents ("/own/new", "x", -1, NULL)));
}

/* The runtime's detached idmapped mounts, moved into place by the setup:
 * host files of uid 1234 are the container's root's through mounts[0]'s own
 * mapping and through the container's (here the same), not through a plain
 * bind; what the container's root writes there is 1234's on the host. */
static void
test_idmap_apply (Fixture *f, gconstpointer data)
{
  g_autofree char *json = idmap_config (f);
  g_autofree char *hello = path_in (f->hostdata, "hello");
  g_autofree char *written = path_in (f->hostdata, "new");
  HakoMountPlanOptions options = { .rootless = TRUE };
  g_autoptr (HakoMountPlan) plan = build_plan (f, json, &options);
  HakoIdMapping mapping = { 1234, 0, 1 };
  HakoIdMappings container = { &mapping, 1 };
  g_autoptr (GHashTable) report = NULL;
  g_autoptr (GError) error = NULL;
  HakoChildError err;
  struct stat st;

  if (geteuid () != 0)
    {
      g_test_skip ("idmapped mounts of host files need root");
      return;
    }
  g_assert_cmpint (chown (f->hostdata, 1234, 1234), ==, 0);
  g_assert_cmpint (chown (hello, 1234, 1234), ==, 0);
  if (!hako_mount_plan_open_idmapped (plan, -1, &container, &container, &error)
      && strstr (error->message, "does not support idmapped mounts"))
    {
      g_test_skip ("the filesystem of the test directory does not support idmapped mounts");
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (find_step (plan, "mounts[0]", NULL)->mount_fd, >=, 0);
  if (!run_container (plan, check_idmapped, f, &err, &report))
    return;
  assert_applied (plan, &err);
  assert_report (report, "own", "0:0");
  assert_report (report, "container", "0:0");
  assert_report (report, "plain", "65534:65534");
  assert_report (report, "own-write", "yes");
  g_assert_cmpint (stat (written, &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, 1234);
  g_assert_cmpuint (st.st_gid, ==, 1234);
  hako_mount_plan_close_idmapped (plan);
  g_assert_cmpint (find_step (plan, "mounts[0]", NULL)->mount_fd, ==, -1);
}

/* What the kernel refuses, with the reason: an ordinary user may not even
 * clone a host mount; proc cannot be idmapped by anyone. */
static void
test_idmap_refused (Fixture *f, gconstpointer data)
{
  gboolean root = geteuid () == 0;
  g_autofree char *json = g_strdup_printf (
      "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}, \"mounts\": ["
      "{\"destination\": \"/d\", \"source\": \"%s\", \"options\": [\"bind\", \"idmap\"]}]}",
      root ? "/proc" : f->hostdata);
  HakoMountPlanOptions options = { .rootless = TRUE };
  g_autoptr (HakoMountPlan) plan = build_plan (f, json, &options);
  HakoIdMapping mapping = { 0, geteuid (), 1 }, group = { 0, getegid (), 1 };
  HakoIdMappings uids = { &mapping, 1 }, gids = { &group, 1 };
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = g_strdup_printf (
      root ? "mounts[0]: cannot idmap the bind source /proc: Invalid argument (the source's "
             "filesystem, or one mounted below it, does not support idmapped mounts)"
           : "mounts[0]: cannot idmap the bind source %s: Operation not permitted (idmapping needs "
             "CAP_SYS_ADMIN in the user namespace that owns the source's filesystem: for host "
             "files, run hako as root)",
      f->hostdata);

  g_assert_false (hako_mount_plan_open_idmapped (plan, -1, &uids, &gids, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (find_step (plan, "mounts[0]", NULL)->mount_fd, ==, -1);
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
}

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/mount/plan/steps", test_plan_steps);
  ADD ("/mount/plan/rootless", test_plan_rootless);
  ADD ("/mount/plan/host-dev", test_plan_host_dev);
  ADD ("/mount/plan/errors", test_plan_errors);
  ADD ("/mount/plan/idmap", test_plan_idmap);
  ADD ("/mount/plan/describe-error", test_describe_error);
  ADD ("/mount/apply/container", test_apply);
  ADD ("/mount/apply/symlink-escape", test_symlink_escape);
  ADD ("/mount/apply/error", test_apply_error);
  ADD ("/mount/idmap/apply", test_idmap_apply);
  ADD ("/mount/idmap/refused", test_idmap_refused);
  return g_test_run ();
}
