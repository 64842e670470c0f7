#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "cgroup.h"
#include "host-check.h"
#include "i18n.h"
#include "overlay.h"
#include "userns.h"

#define UIDMAP_PACKAGE "uidmap"
#define CGROUP_ROOT "/sys/fs/cgroup"

typedef struct
{
  GArray *items;
  gboolean rootless; /* not the host's root: newuidmap, subuids and delegation matter */
  uid_t uid;
  char *user;        /* the caller's name, or its uid */
} Check;

static void
item_clear (gpointer data)
{
  HakoCheckItem *item = data;

  g_free (item->detail);
  g_free (item->fix);
}

/* Takes DETAIL and FIX. */
static void
add (Check *c, const char *name, HakoCheckStatus status, char *detail, char *fix)
{
  HakoCheckItem item = { .name = name, .status = status, .detail = detail, .fix = fix };

  g_array_append_val (c->items, item);
}

static void
check_id_map_helper (Check *c, const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);
  struct stat st;

  if (path == NULL)
    {
      add (c, name, c->rootless ? HAKO_CHECK_ERROR : HAKO_CHECK_OK,
           g_strdup_printf (_("%s is not installed (needed to map subordinate ids without root)"), name),
           c->rootless ? g_strdup_printf ("apt install %s", UIDMAP_PACKAGE) : NULL);
      return;
    }
  if (stat (path, &st) == 0 && (st.st_mode & S_ISUID) && st.st_uid == 0)
    add (c, name, HAKO_CHECK_OK, g_strdup_printf (_("%s is setuid root"), path), NULL);
  else if (getxattr (path, "security.capability", NULL, 0) > 0)
    add (c, name, HAKO_CHECK_OK, g_strdup_printf (_("%s has file capabilities"), path), NULL);
  else
    add (c, name, c->rootless ? HAKO_CHECK_ERROR : HAKO_CHECK_WARNING,
         g_strdup_printf (_("%s is neither setuid root nor has file capabilities, so it cannot write id maps"), path),
         g_strdup_printf ("chmod u+s %s   # or: setcap cap_%s+ep %s", path,
                          g_str_equal (name, "newuidmap") ? "setuid" : "setgid", path));
}

static void
check_subid_file (Check *c, const char *name, const char *path, const char *option)
{
  g_autofree char *contents = NULL;
  g_autoptr (GArray) ranges = NULL;

  if (!c->rootless)
    {
      add (c, name, HAKO_CHECK_OK, g_strdup (_("not needed as root: the whole id range is mapped")), NULL);
      return;
    }
  if (g_file_get_contents (path, &contents, NULL, NULL))
    ranges = hako_subid_parse (contents, c->user, c->uid);
  if (ranges && ranges->len > 0)
    {
      HakoIdRange *r = &g_array_index (ranges, HakoIdRange, 0);
      add (c, name, HAKO_CHECK_OK,
           g_strdup_printf (_("%s gives %s %u ids from %u"), path, c->user, r->count, r->start),
           NULL);
      return;
    }
  /* Not an error: a container then maps only its root, to the caller. */
  add (c, name, HAKO_CHECK_WARNING,
       g_strdup_printf (_("%s has no range for %s: containers get only one id (their root)"), path, c->user),
       g_strdup_printf ("sudo usermod %s 100000-165535 %s", option, c->user));
}

static gboolean
read_sysctl (const char *path, gint64 *value)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  *value = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

/* Whether a child can make a user namespace: the ground truth, whatever
 * the reason when it cannot. */
static gboolean
probe_userns (void)
{
  int status;
  pid_t pid = fork ();

  if (pid == 0)
    _exit (unshare (CLONE_NEWUSER) == 0 ? 0 : 1);
  return pid > 0 && waitpid (pid, &status, 0) == pid && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
check_userns (Check *c)
{
  gint64 value;

  if (read_sysctl ("/proc/sys/kernel/unprivileged_userns_clone", &value) && value == 0 && c->rootless)
    add (c, "userns", HAKO_CHECK_ERROR,
         g_strdup (_("kernel.unprivileged_userns_clone is 0: user namespaces are for root only")),
         g_strdup ("sudo sysctl -w kernel.unprivileged_userns_clone=1   # and in /etc/sysctl.d/ to keep it"));
  else if (read_sysctl ("/proc/sys/user/max_user_namespaces", &value) && value == 0)
    add (c, "userns", HAKO_CHECK_ERROR, g_strdup (_("user.max_user_namespaces is 0: no user namespaces at all")),
         g_strdup ("sudo sysctl -w user.max_user_namespaces=28633   # and in /etc/sysctl.d/ to keep it"));
  else if (read_sysctl ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", &value) && value == 1
           && c->rootless && !probe_userns ())
    {
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
      add (c, "userns", HAKO_CHECK_ERROR,
           g_strdup (_("AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)")),
           g_strdup_printf (_("give %s an AppArmor profile that allows \"userns,\" (in /etc/apparmor.d/), or sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"),
                            self ? self : "hako"));
    }
  else if (!probe_userns ())
    add (c, "userns", HAKO_CHECK_ERROR,
         g_strdup_printf (_("cannot create a user namespace: %s"), g_strerror (EPERM)),
         g_strdup (_("check the kernel's CONFIG_USER_NS and any security module restricting it (see dmesg)")));
  else
    add (c, "userns", HAKO_CHECK_OK, g_strdup (_("user namespaces can be created")), NULL);
}

/* A device that opens read-write for the caller. */
static void
check_device (Check *c, const char *name, const char *path, HakoCheckStatus missing,
              const char *needed_for, const char *fix)
{
  int fd = open (path, O_RDWR | O_CLOEXEC);

  if (fd >= 0)
    {
      close (fd);
      add (c, name, HAKO_CHECK_OK, g_strdup_printf (_("%s is usable"), path), NULL);
      return;
    }
  add (c, name, missing, g_strdup_printf (_("cannot open %s (%s), needed for %s"), path, g_strerror (errno), needed_for),
       g_strdup (fix));
}

static void
check_fuse_overlayfs (Check *c)
{
  g_autofree char *path = g_find_program_in_path ("fuse-overlayfs");

  if (path)
    add (c, "fuse-overlayfs", HAKO_CHECK_OK, g_strdup_printf (_("%s is installed"), path), NULL);
  else
    add (c, "fuse-overlayfs", HAKO_CHECK_ERROR,
         g_strdup (_("fuse-overlayfs is not installed, needed for the overlay rootfs (hako spec's default, hako sandbox)")),
         g_strdup_printf ("apt install %s", HAKO_OVERLAY_PACKAGE));
}

/* On cgroup v2, the controllers the user's systemd got delegated. */
static char *
delegated_controllers (uid_t uid)
{
  g_autofree char *path = g_strdup_printf (CGROUP_ROOT "/user.slice/user-%u.slice/user@%u.service/cgroup.controllers",
                                           (guint) uid, (guint) uid);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return g_strdup (g_strstrip (text));
}

static void
check_cgroup (Check *c)
{
  HakoCgroupManager manager;
  g_autofree char *why_none = NULL, *controllers = NULL;
  struct statfs fs;
  gboolean v2 = statfs (CGROUP_ROOT, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
  const char *version = v2 ? "v2" : "v1";

  if (!hako_cgroup_manager_choose (NULL, NULL, &manager, &why_none, NULL))
    manager = HAKO_CGROUP_MANAGER_NONE;
  if (v2 && c->rootless && (controllers = delegated_controllers (c->uid)) != NULL)
    {
      gboolean all = strstr (controllers, "memory") && strstr (controllers, "pids") && strstr (controllers, "cpu");
      add (c, "cgroup", all ? HAKO_CHECK_OK : HAKO_CHECK_WARNING,
           g_strdup_printf (_("cgroup v2; the user's systemd is delegated: %s"), *controllers ? controllers : _("nothing")),
           all ? NULL : g_strdup ("sudo mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' | sudo tee /etc/systemd/system/user@.service.d/delegate.conf && sudo systemctl daemon-reload"));
      return;
    }
  if (manager != HAKO_CGROUP_MANAGER_NONE)
    add (c, "cgroup", HAKO_CHECK_OK, g_strdup_printf (_("cgroup %s: limits are enforced through cgroupfs"), version), NULL);
  else
    add (c, "cgroup", HAKO_CHECK_WARNING,
         g_strdup_printf (_("cgroup %s: resource limits cannot be enforced here: %s"), version, why_none),
         g_strdup (v2 ? _("log in through systemd-logind (a user session delegates a cgroup), or run hako under systemd-run --user --scope -p Delegate=yes")
                      : _("boot with systemd.unified_cgroup_hierarchy=1 (cgroup v2) so that systemd can delegate a cgroup to the user")));
}

static void
check_dbus (Check *c)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  g_autofree char *socket = runtime_dir ? g_build_filename (runtime_dir, "bus", NULL) : NULL;

  if ((address && *address) || (socket && g_file_test (socket, G_FILE_TEST_EXISTS)))
    add (c, "dbus", HAKO_CHECK_OK,
         g_strdup_printf (_("a D-Bus session bus is at %s"), address && *address ? address : socket), NULL);
  else
    add (c, "dbus", HAKO_CHECK_WARNING,
         g_strdup (_("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset, no $XDG_RUNTIME_DIR/bus): --cgroup-manager systemd cannot work")),
         g_strdup_printf (_("log in through systemd-logind, or: sudo loginctl enable-linger %s"), c->user));
}

static void
check_runtime_dir (Check *c)
{
  const char *dir = g_getenv ("XDG_RUNTIME_DIR");

  if (!c->rootless)
    add (c, "runtime-dir", HAKO_CHECK_OK, g_strdup (_("as root, the state is kept in /run/hako")), NULL);
  else if (dir && g_file_test (dir, G_FILE_TEST_IS_DIR) && access (dir, W_OK) == 0)
    add (c, "runtime-dir", HAKO_CHECK_OK, g_strdup_printf (_("XDG_RUNTIME_DIR %s is writable"), dir), NULL);
  else
    add (c, "runtime-dir", HAKO_CHECK_ERROR,
         dir ? g_strdup_printf (_("XDG_RUNTIME_DIR %s is not a writable directory"), dir)
             : g_strdup (_("XDG_RUNTIME_DIR is not set: hako keeps its state there")),
         g_strdup (_("log in through a session that sets it (systemd-logind does), or pass --root DIR to every hako command")));
}

/* ENOSYS is the only answer that means the kernel lacks the call. */
static void
check_syscall (Check *c, const char *name, long ret, HakoCheckStatus missing, const char *used_for)
{
  if (ret >= 0)
    close ((int) ret);
  if (ret < 0 && errno == ENOSYS)
    add (c, name, missing, g_strdup_printf (_("the kernel lacks %s, which hako uses for %s"), name, used_for),
         g_strdup (_("run a newer kernel (5.12 or later has every call hako uses)")));
  else
    add (c, name, HAKO_CHECK_OK, g_strdup_printf (_("the kernel has %s"), name), NULL);
}

static void
check_kernel (Check *c)
{
  struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };

  check_syscall (c, "openat2", syscall (SYS_openat2, AT_FDCWD, "/", &how, sizeof how), HAKO_CHECK_ERROR,
                 _("mounts resolved safely inside the rootfs"));
  check_syscall (c, "pidfd_open", syscall (SYS_pidfd_open, getpid (), 0), HAKO_CHECK_ERROR,
                 _("signalling containers without pid reuse races"));
  /* Invalid on purpose: an answer other than ENOSYS shows the call exists. */
  check_syscall (c, "mount_setattr", syscall (SYS_mount_setattr, -1, "", 0, NULL, 0), HAKO_CHECK_WARNING,
                 _("idmapped and recursively read-only mounts"));
  if (g_file_test ("/proc/self/ns/time", G_FILE_TEST_EXISTS))
    add (c, "time-namespace", HAKO_CHECK_OK, g_strdup (_("the kernel has time namespaces")), NULL);
  else
    add (c, "time-namespace", HAKO_CHECK_WARNING,
         g_strdup (_("the kernel lacks time namespaces (linux.timeOffsets)")),
         g_strdup (_("run a kernel built with CONFIG_TIME_NS (5.6 or later)")));
}

GArray *
hako_host_check_run (void)
{
  struct passwd *pw = getpwuid (geteuid ());
  Check c = { .items = g_array_new (FALSE, TRUE, sizeof (HakoCheckItem)),
              .rootless = !hako_userns_is_host_root (), .uid = geteuid () };

  g_array_set_clear_func (c.items, item_clear);
  c.user = pw ? g_strdup (pw->pw_name) : g_strdup_printf ("%u", (guint) c.uid);
  check_id_map_helper (&c, "newuidmap");
  check_id_map_helper (&c, "newgidmap");
  check_subid_file (&c, "subuid", "/etc/subuid", "--add-subuids");
  check_subid_file (&c, "subgid", "/etc/subgid", "--add-subgids");
  check_userns (&c);
  check_runtime_dir (&c);
  check_device (&c, "fuse", "/dev/fuse", HAKO_CHECK_ERROR, _("the overlay rootfs"),
                "sudo modprobe fuse && sudo chmod 0666 /dev/fuse");
  check_fuse_overlayfs (&c);
  check_device (&c, "tun", "/dev/net/tun", HAKO_CHECK_WARNING, _("networking (--network slirp, sandbox --net)"),
                "sudo modprobe tun && sudo chmod 0666 /dev/net/tun");
  check_cgroup (&c);
  check_dbus (&c);
  check_kernel (&c);
  g_free (c.user);
  return c.items;
}

gboolean
hako_host_check_passed (const GArray *items)
{
  for (guint i = 0; i < items->len; i++)
    if (g_array_index (items, HakoCheckItem, i).status == HAKO_CHECK_ERROR)
      return FALSE;
  return TRUE;
}

static const char *
status_name (HakoCheckStatus status)
{
  return status == HAKO_CHECK_OK ? "ok" : status == HAKO_CHECK_WARNING ? "warning" : "error";
}

char *
hako_host_check_format_text (const GArray *items)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const HakoCheckItem *item = &g_array_index (items, HakoCheckItem, i);
      g_string_append_printf (out, "%-8s %-15s %s\n", status_name (item->status), item->name, item->detail);
      if (item->fix)
        g_string_append_printf (out, "%-8s %-15s %s %s\n", "", "", _("fix:"), item->fix);
    }
  g_string_append (out, hako_host_check_passed (items)
                            ? _("hako can run rootless containers here.\n")
                            : _("Something hako needs is missing: see the errors above.\n"));
  return g_string_free (out, FALSE);
}

char *
hako_host_check_format_json (const GArray *items)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      const HakoCheckItem *item = &g_array_index (items, HakoCheckItem, i);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, item->name);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status_name (item->status));
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, item->detail);
      if (item->fix)
        {
          json_builder_set_member_name (builder, "fix");
          json_builder_add_string_value (builder, item->fix);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
