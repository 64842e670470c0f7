#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "userns.h"

GArray *
hako_subid_parse (const char *contents, const char *user, guint32 id)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (HakoIdRange));
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autofree char *id_string = g_strdup_printf ("%u", id);

  for (char **line = lines; *line; line++)
    {
      g_auto (GStrv) fields = g_strsplit (g_strstrip (*line), ":", -1);
      guint64 start, count;
      HakoIdRange range;

      if (g_strv_length (fields) != 3 || (*line)[0] == '#')
        continue;
      if (!(g_str_equal (fields[0], id_string) || (user && g_str_equal (fields[0], user))))
        continue;
      if (!g_ascii_string_to_unsigned (fields[1], 10, 0, G_MAXUINT32, &start, NULL)
          || !g_ascii_string_to_unsigned (fields[2], 10, 1, G_MAXUINT32, &count, NULL)
          || start + count - 1 > G_MAXUINT32)
        continue;
      range.start = start;
      range.count = count;
      g_array_append_val (ranges, range);
    }
  return ranges;
}

void
hako_userns_mappings_clear (HakoUsernsMappings *mappings)
{
  g_clear_pointer (&mappings->uids.items, g_free);
  g_clear_pointer (&mappings->gids.items, g_free);
  mappings->uids.n = mappings->gids.n = 0;
  g_clear_pointer (&mappings->notice, g_free);
}

static void
set_mappings (HakoIdMappings *out, guint32 own_id, const HakoIdRange *range)
{
  out->n = range ? 2 : 1;
  out->items = g_new0 (HakoIdMapping, out->n);
  out->items[0] = (HakoIdMapping){ .container_id = 0, .host_id = own_id, .size = 1 };
  if (range)
    out->items[1] = (HakoIdMapping){ .container_id = 1, .host_id = range->start,
                                     .size = MIN (range->count, G_MAXUINT32 - 1) };
}

/* The caller's first range in PATH, or NULL (a missing file is no range). */
static gboolean
first_range (const char *path, const char *user, guint32 id, HakoIdRange *out, gboolean *found,
             GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GArray) ranges = NULL;

  *found = FALSE;
  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  ranges = hako_subid_parse (contents, user, id);
  if (ranges->len > 0)
    {
      *out = g_array_index (ranges, HakoIdRange, 0);
      *found = TRUE;
    }
  return TRUE;
}

gboolean
hako_userns_is_initial (void)
{
  g_autofree char *map = NULL;
  unsigned int inside, outside, count;
  int consumed = 0;

  if (!g_file_get_contents ("/proc/self/uid_map", &map, NULL, NULL))
    return FALSE;
  /* The initial user namespace maps every id onto itself, in one line. */
  return sscanf (map, " %u %u %u %n", &inside, &outside, &count, &consumed) == 3
         && map[consumed] == '\0' && inside == 0 && outside == 0 && count == G_MAXUINT32;
}

gboolean
hako_userns_is_host_root (void)
{
  return geteuid () == 0 && hako_userns_is_initial ();
}

char *
hako_userns_data_path (const char *name)
{
  if (hako_userns_is_host_root ())
    return g_build_filename ("/var/lib/hako", name, NULL);
  return g_build_filename (g_get_user_data_dir (), "hako", name, NULL);
}

gboolean
hako_userns_is_root (void)
{
  return geteuid () == 0;
}

/* The identity of every id this process's user namespace has, from
 * MAP_FILE (/proc/self/uid_map): the initial one's whole range, or what
 * the engine that made a user namespace for the runtime mapped. */
static gboolean
own_identity (const char *map_file, HakoIdMappings *out, GError **error)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GArray *items = g_array_new (FALSE, FALSE, sizeof (HakoIdMapping));

  if (!g_file_get_contents (map_file, &text, NULL, error))
    {
      g_array_unref (items);
      return FALSE;
    }
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      unsigned int inside, outside, count;
      if (sscanf (*l, " %u %u %u", &inside, &outside, &count) == 3)
        g_array_append_val (items, ((HakoIdMapping){ .container_id = inside, .host_id = inside, .size = count }));
    }
  out->n = items->len;
  out->items = (HakoIdMapping *) (void *) g_array_free (items, FALSE);
  return TRUE;
}

gboolean
hako_userns_default_mappings (gboolean root, uid_t uid, gid_t gid, const char *user_name,
                              const char *subuid_path, const char *subgid_path,
                              HakoUsernsMappings *out, GError **error)
{
  HakoIdRange uid_range, gid_range;
  gboolean have_uids, have_gids;

  memset (out, 0, sizeof *out);
  if (root)
    return own_identity ("/proc/self/uid_map", &out->uids, error)
           && own_identity ("/proc/self/gid_map", &out->gids, error);
  if (!first_range (subuid_path, user_name, uid, &uid_range, &have_uids, error)
      || !first_range (subgid_path, user_name, gid, &gid_range, &have_gids, error))
    return FALSE;
  if (!have_uids || !have_gids)
    {
      out->notice = g_strdup_printf (
          _("%s has no range for user %s: mapping only container 0 to uid %u; for more ids add a line such as \"%s:100000:65536\""),
          !have_uids ? subuid_path : subgid_path, user_name ? user_name : "?",
          (guint) uid, user_name ? user_name : "USER");
      set_mappings (&out->uids, uid, NULL);
      set_mappings (&out->gids, gid, NULL);
      return TRUE;
    }
  set_mappings (&out->uids, uid, &uid_range);
  set_mappings (&out->gids, gid, &gid_range);
  return TRUE;
}

static char *
format_map (const HakoIdMappings *mappings)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < mappings->n; i++)
    g_string_append_printf (s, "%u %u %u\n", mappings->items[i].container_id,
                            mappings->items[i].host_id, mappings->items[i].size);
  return g_string_free (s, FALSE);
}

static gboolean
write_proc_file (pid_t pid, const char *name, const char *contents, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, name);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return hako_error_set_errno (error, errno, _("cannot open %s"), path);
  ok = hako_fd_write_all (fd, contents, strlen (contents), error);
  close (fd);
  if (!ok)
    g_prefix_error (error, _("cannot write %s: "), path);
  return ok;
}

static gboolean
is_own_id_only (const HakoIdMappings *mappings, guint32 own_id)
{
  return mappings->n == 1 && mappings->items[0].host_id == own_id && mappings->items[0].size == 1;
}

/* newuidmap or newgidmap PID C H S ..., started; its stderr explains a refusal. */
typedef struct
{
  const char *helper;
  GPid pid;
  int stderr_fd;
} MapHelper;

static gboolean
map_helper_start (MapHelper *h, const char *helper, pid_t pid, const HakoIdMappings *mappings,
                  GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_find_program_in_path (helper);
  g_autoptr (GError) local_error = NULL;

  h->helper = helper;
  h->pid = 0;
  h->stderr_fd = -1;
  if (path == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                   _("%s is not installed: install the package uidmap (apt-get install uidmap)"), helper);
      return FALSE;
    }
  g_ptr_array_add (argv, g_steal_pointer (&path));
  g_ptr_array_add (argv, g_strdup_printf ("%d", (int) pid));
  for (guint i = 0; i < mappings->n; i++)
    {
      g_ptr_array_add (argv, g_strdup_printf ("%u", mappings->items[i].container_id));
      g_ptr_array_add (argv, g_strdup_printf ("%u", mappings->items[i].host_id));
      g_ptr_array_add (argv, g_strdup_printf ("%u", mappings->items[i].size));
    }
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 &h->pid, NULL, NULL, &h->stderr_fd, &local_error))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("cannot run %s: %s"), helper,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Waits for a started helper (none when it did not start); FALSE with its reason. */
static gboolean
map_helper_finish (MapHelper *h, GError **error)
{
  char err[1024];
  gssize n = 0, got;
  int wait_status = 0;

  if (h->pid == 0)
    return TRUE;
  while (n < (gssize) sizeof err - 1
         && ((got = read (h->stderr_fd, err + n, sizeof err - 1 - n)) > 0 || (got < 0 && errno == EINTR)))
    n += MAX (got, 0);
  err[n] = '\0';
  close (h->stderr_fd);
  while (waitpid (h->pid, &wait_status, 0) < 0 && errno == EINTR)
    ;
  h->pid = 0;
  if (!g_spawn_check_wait_status (wait_status, NULL))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("%s refused the mapping: %s (check the ranges in /etc/subuid and /etc/subgid)"),
                   h->helper, g_strstrip (err));
      return FALSE;
    }
  return TRUE;
}

gboolean
hako_userns_write_maps (pid_t pid, const HakoIdMappings *uids, const HakoIdMappings *gids,
                        GError **error)
{
  gboolean root = hako_userns_is_root ();
  gboolean direct_gids = root || is_own_id_only (gids, getegid ());
  gboolean direct_uids = root || is_own_id_only (uids, geteuid ());
  g_autofree char *uid_map = format_map (uids);
  g_autofree char *gid_map = format_map (gids);
  MapHelper gid_helper = { 0 }, uid_helper = { 0 };
  gboolean ok;

  /* The two helpers are independent setuid programs: run them side by side. */
  ok = (direct_gids || map_helper_start (&gid_helper, "newgidmap", pid, gids, error))
       && (direct_uids || map_helper_start (&uid_helper, "newuidmap", pid, uids, error));
  ok = map_helper_finish (&gid_helper, ok ? error : NULL) && ok;
  ok = map_helper_finish (&uid_helper, ok ? error : NULL) && ok;
  if (!ok)
    return FALSE;
  if (direct_gids && !root && !write_proc_file (pid, "setgroups", "deny", error))
    return FALSE;
  if (direct_gids && !write_proc_file (pid, "gid_map", gid_map, error))
    return FALSE;
  return !direct_uids || write_proc_file (pid, "uid_map", uid_map, error);
}

static int
read_byte (int fd)
{
  char byte;
  ssize_t n;

  do
    n = read (fd, &byte, 1);
  while (n < 0 && errno == EINTR);
  return n == 1 ? 0 : -1;
}

/* The child of hako_userns_open_mapped: async-signal-safe only. */
static G_GNUC_NORETURN void
hold_user_namespace (int ready_fd, int hold_fd)
{
  if (unshare (CLONE_NEWUSER) < 0)
    _exit (1);
  (void) !write (ready_fd, "", 1);
  /* Until the runtime has the namespace open and closes its end, or dies. */
  read_byte (hold_fd);
  _exit (0);
}

int
hako_userns_open_mapped (const HakoIdMappings *uids, const HakoIdMappings *gids, GError **error)
{
  int ready[2], hold[2], fd = -1;
  pid_t pid;

  if (pipe2 (ready, O_CLOEXEC) < 0)
    {
      hako_error_set_errno (error, errno, "pipe");
      return -1;
    }
  if (pipe2 (hold, O_CLOEXEC) < 0)
    {
      hako_error_set_errno (error, errno, "pipe");
      close (ready[0]);
      close (ready[1]);
      return -1;
    }
  pid = fork ();
  if (pid == 0)
    {
      close (ready[0]);
      close (hold[1]);
      hold_user_namespace (ready[1], hold[0]);
    }
  close (ready[1]);
  close (hold[0]);
  if (pid < 0)
    hako_error_set_errno (error, errno, "fork");
  else if (read_byte (ready[0]) < 0)
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                 _("cannot create a user namespace for the id mapping (see the sysctl user.max_user_namespaces)"));
  else if (hako_userns_write_maps (pid, uids, gids, error))
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/ns/user", (int) pid);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        hako_error_set_errno (error, errno, _("cannot open %s"), path);
    }
  close (hold[1]);
  close (ready[0]);
  if (pid > 0)
    while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
      ;
  return fd;
}

int
hako_userns_open_subordinate (char **notice, GError **error)
{
  g_auto (HakoUsernsMappings) mappings = { 0 };
  struct passwd *pw = getpwuid (geteuid ());

  *notice = NULL;
  if (!hako_userns_default_mappings (FALSE, geteuid (), getegid (), pw ? pw->pw_name : NULL, "/etc/subuid",
                                     "/etc/subgid", &mappings, error))
    return -1;
  if (mappings.notice)
    {
      *notice = g_steal_pointer (&mappings.notice);
      return -1;
    }
  return hako_userns_open_mapped (&mappings.uids, &mappings.gids, error);
}

/* The child of hako_userns_run_in: async-signal-safe only. */
static G_GNUC_NORETURN void
exec_in (int userns_fd, const char *const *argv, const int *fds, guint n_fds)
{
  int high[HAKO_USERNS_RUN_MAX_FDS];

  /* The owner of a user namespace may join it, with every capability
   * there; exec keeps them for uid 0. */
  if (setns (userns_fd, CLONE_NEWUSER) < 0)
    _exit (127);
  /* Out of the way of 3.. first, then into place. */
  for (guint i = 0; i < n_fds; i++)
    if ((high[i] = fcntl (fds[i], F_DUPFD_CLOEXEC, 3 + HAKO_USERNS_RUN_MAX_FDS)) < 0)
      _exit (127);
  for (guint i = 0; i < n_fds; i++)
    if (dup2 (high[i], 3 + i) < 0)
      _exit (127);
  hako_fd_mark_cloexec_from (3 + n_fds);
  execve (argv[0], (char *const *) argv, environ);
  _exit (127);
}

gboolean
hako_userns_run_in (int userns_fd, const char *const *argv, const int *fds, guint n_fds, GError **error)
{
  pid_t pid;
  int status;

  g_return_val_if_fail (n_fds <= HAKO_USERNS_RUN_MAX_FDS, FALSE);
  pid = fork ();
  if (pid == 0)
    exec_in (userns_fd, argv, fds, n_fds);
  if (pid < 0)
    return hako_error_set_errno (error, errno, "fork");
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return hako_error_set_errno (error, errno, "waitpid");
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("%s failed in a user namespace of the subordinate ids"),
                   argv[0]);
      return FALSE;
    }
  return TRUE;
}

gboolean
hako_userns_run_as_subordinate_root (const char *const *argv, GError **error)
{
  g_autofree char *notice = NULL;
  hako_autofd int userns_fd = hako_userns_open_subordinate (&notice, error);

  if (notice)
    {
      g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND, notice);
      return FALSE;
    }
  return userns_fd >= 0 && hako_userns_run_in (userns_fd, argv, NULL, 0, error);
}

gboolean
hako_userns_remove_tree (const char *path, GError **error)
{
  g_autofree char *rm = NULL;
  struct stat st;

  hako_remove_tree (path);
  if (lstat (path, &st) < 0)
    return TRUE;
  /* Rootless, what belongs to subordinate ids (a container's users' files
   * in an upper dir, an image's files in the layer store) is not the
   * caller's to remove: root of a user namespace of those ids can. */
  if (!hako_userns_is_host_root ())
    {
      const char *argv[] = { NULL, "-rf", "--one-file-system", "--", path, NULL };

      if ((rm = g_find_program_in_path ("rm")) == NULL)
        {
          g_set_error_literal (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND, _("no rm in PATH"));
          return FALSE;
        }
      argv[0] = rm;
      if (!hako_userns_run_as_subordinate_root (argv, error))
        return FALSE;
      if (lstat (path, &st) < 0)
        return TRUE;
    }
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("%s could not be removed entirely"), path);
  return FALSE;
}
