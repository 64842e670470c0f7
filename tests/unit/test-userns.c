/* Id ranges from /etc/subuid, the default mappings, and writing maps for a
 * real child in a new user namespace (through newuidmap when needed). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "userns.h"

static void
test_subid_parse (void)
{
  const char *contents = "# comment\nalice:100000:65536\n1001:300000:10\nbob:200000:65536\n"
                         "alice:bad:1\nalice:5:0\n\nalice:400000:1000\n";
  g_autoptr (GArray) alice = hako_subid_parse (contents, "alice", 1000);
  g_autoptr (GArray) by_uid = hako_subid_parse (contents, "carol", 1001);
  g_autoptr (GArray) nobody = hako_subid_parse (contents, "dave", 1002);

  g_assert_cmpuint (alice->len, ==, 2);
  g_assert_cmpuint (g_array_index (alice, HakoIdRange, 0).start, ==, 100000);
  g_assert_cmpuint (g_array_index (alice, HakoIdRange, 0).count, ==, 65536);
  g_assert_cmpuint (g_array_index (alice, HakoIdRange, 1).start, ==, 400000);
  g_assert_cmpuint (by_uid->len, ==, 1);
  g_assert_cmpuint (g_array_index (by_uid, HakoIdRange, 0).start, ==, 300000);
  g_assert_cmpuint (nobody->len, ==, 0);
}

static char *
write_temp (const char *dir, const char *name, const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  return path;
}

static void
test_default_mappings (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hako-userns-XXXXXX", &error);
  g_autofree char *subuid = write_temp (dir, "subuid", "alice:100000:65536\n");
  g_autofree char *subgid = write_temp (dir, "subgid", "alice:200000:1000\n");
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_auto (HakoUsernsMappings) with_ranges = { 0 };
  g_auto (HakoUsernsMappings) without = { 0 };
  g_auto (HakoUsernsMappings) root = { 0 };

  g_assert_true (hako_userns_default_mappings (FALSE, 1000, 1000, "alice", subuid, subgid, &with_ranges, &error));
  g_assert_null (with_ranges.notice);
  g_assert_cmpuint (with_ranges.uids.n, ==, 2);
  g_assert_cmpuint (with_ranges.uids.items[0].host_id, ==, 1000);
  g_assert_cmpuint (with_ranges.uids.items[1].container_id, ==, 1);
  g_assert_cmpuint (with_ranges.uids.items[1].host_id, ==, 100000);
  g_assert_cmpuint (with_ranges.uids.items[1].size, ==, 65536);
  g_assert_cmpuint (with_ranges.gids.items[1].host_id, ==, 200000);
  g_assert_cmpuint (with_ranges.gids.items[1].size, ==, 1000);

  g_assert_true (hako_userns_default_mappings (FALSE, 1001, 1001, "bob", subuid, missing, &without, &error));
  g_assert_nonnull (strstr (without.notice, "bob:100000:65536"));
  g_assert_cmpuint (without.uids.n, ==, 1);
  g_assert_cmpuint (without.uids.items[0].host_id, ==, 1001);

  g_assert_true (hako_userns_default_mappings (TRUE, 0, 0, "root", missing, missing, &root, &error));
  g_assert_cmpuint (root.uids.n, ==, 1);
  g_assert_cmpuint (root.uids.items[0].size, ==, G_MAXUINT32);

  g_unlink (subuid);
  g_unlink (subgid);
  g_rmdir (dir);
}

/* A child that enters a new user namespace and waits; returns its pid. */
static pid_t
spawn_userns_child (int *release_fd)
{
  int ready[2], release[2];
  pid_t pid;
  char c;

  g_assert_cmpint (pipe (ready), ==, 0);
  g_assert_cmpint (pipe (release), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      char byte = unshare (CLONE_NEWUSER) == 0 ? 'y' : 'n';
      close (release[1]);
      close (ready[0]);
      if (write (ready[1], &byte, 1) != 1 || read (release[0], &byte, 1) < 0)
        _exit (2);
      _exit (0);
    }
  close (ready[1]);
  close (release[0]);
  g_assert_cmpint (read (ready[0], &c, 1), ==, 1);
  close (ready[0]);
  if (c != 'y')
    {
      close (release[1]);
      waitpid (pid, NULL, 0);
      return -1;
    }
  *release_fd = release[1];
  return pid;
}

static void
assert_written_map (pid_t pid, const char *name, const HakoIdMappings *expected)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, name);
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, expected->n);
  for (guint i = 0; i < expected->n; i++)
    {
      guint c, h, s;
      g_assert_cmpint (sscanf (lines[i], "%u %u %u", &c, &h, &s), ==, 3);
      g_assert_cmpuint (c, ==, expected->items[i].container_id);
      g_assert_cmpuint (h, ==, expected->items[i].host_id);
      g_assert_cmpuint (s, ==, expected->items[i].size);
    }
}

static void
write_and_check (const HakoIdMappings *uids, const HakoIdMappings *gids)
{
  g_autoptr (GError) error = NULL;
  int release_fd;
  int status;
  pid_t pid = spawn_userns_child (&release_fd);

  if (pid < 0)
    {
      g_test_skip ("unprivileged user namespaces are not allowed here");
      return;
    }
  g_assert_true (hako_userns_write_maps (pid, uids, gids, &error));
  g_assert_no_error (error);
  assert_written_map (pid, "uid_map", uids);
  assert_written_map (pid, "gid_map", gids);
  close (release_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}

static void
test_write_own_id (void)
{
  HakoIdMapping uid = { 0, geteuid (), 1 }, gid = { 0, getegid (), 1 };
  HakoIdMappings uids = { &uid, 1 }, gids = { &gid, 1 };

  write_and_check (&uids, &gids);
}

/* The mappings create uses by default: as the CI test user this runs the
 * real newuidmap/newgidmap against the real /etc/subuid and /etc/subgid. */
static void
test_write_default (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (HakoUsernsMappings) mappings = { 0 };
  struct passwd *pw = getpwuid (geteuid ());

  g_assert_true (hako_userns_default_mappings (hako_userns_is_host_root (), geteuid (), getegid (), pw ? pw->pw_name : NULL,
                                               "/etc/subuid", "/etc/subgid", &mappings, &error));
  if (mappings.notice)
    g_test_message ("%s", mappings.notice);
  write_and_check (&mappings.uids, &mappings.gids);
}

static void
test_write_refused (void)
{
  /* Mapping an id we do not own (and that no subuid range grants) must be
   * refused with newuidmap's reason, not silently half-written. */
  HakoIdMapping uid = { 0, 4000000000u, 1 }, gid = { 0, getegid (), 1 };
  HakoIdMappings uids = { &uid, 1 }, gids = { &gid, 1 };
  g_autoptr (GError) error = NULL;
  int release_fd;
  pid_t pid;

  if (geteuid () == 0)
    {
      g_test_skip ("root may map any id");
      return;
    }
  pid = spawn_userns_child (&release_fd);
  if (pid < 0)
    {
      g_test_skip ("unprivileged user namespaces are not allowed here");
      return;
    }
  g_assert_false (hako_userns_write_maps (pid, &uids, &gids, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "newuidmap"));
  close (release_fd);
  waitpid (pid, NULL, 0);
}

/* NAME (uid_map, gid_map) as a process in the user namespace USERNS_FD sees it. */
static char *
map_seen_in (int userns_fd, const char *name)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/%s", name);
  char buf[4096];
  gssize n, len = 0;
  int out[2];
  pid_t pid;

  g_assert_cmpint (pipe (out), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int fd;
      close (out[0]);
      if (setns (userns_fd, CLONE_NEWUSER) < 0 || (fd = open (path, O_RDONLY)) < 0)
        _exit (1);
      while ((n = read (fd, buf, sizeof buf)) > 0)
        if (write (out[1], buf, n) != n)
          _exit (1);
      _exit (0);
    }
  close (out[1]);
  while ((n = read (out[0], buf + len, sizeof buf - 1 - len)) > 0)
    len += n;
  close (out[0]);
  buf[len] = '\0';
  waitpid (pid, NULL, 0);
  return g_strdup (buf);
}

static char *
format_expected (const HakoIdMappings *mappings)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < mappings->n; i++)
    g_string_append_printf (s, "%10u %10u %10u\n", mappings->items[i].container_id,
                            mappings->items[i].host_id, mappings->items[i].size);
  return g_string_free (s, FALSE);
}

/* The user namespace an idmapped mount gets: the default mappings (through
 * newuidmap as the CI test user), nothing left running once it is open. */
static void
test_open_mapped (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (HakoUsernsMappings) mappings = { 0 };
  struct passwd *pw = getpwuid (geteuid ());
  g_autofree char *uid_map = NULL, *gid_map = NULL, *expected_uids = NULL, *expected_gids = NULL;
  int fd;

  g_assert_true (hako_userns_default_mappings (hako_userns_is_host_root (), geteuid (), getegid (), pw ? pw->pw_name : NULL,
                                               "/etc/subuid", "/etc/subgid", &mappings, &error));
  fd = hako_userns_open_mapped (&mappings.uids, &mappings.gids, &error);
  if (fd < 0 && g_error_matches (error, HAKO_ERROR, HAKO_ERROR_FAILED)
      && strstr (error->message, "user.max_user_namespaces"))
    {
      g_test_skip ("unprivileged user namespaces are not allowed here");
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
  uid_map = map_seen_in (fd, "uid_map");
  gid_map = map_seen_in (fd, "gid_map");
  expected_uids = format_expected (&mappings.uids);
  expected_gids = format_expected (&mappings.gids);
  g_assert_cmpstr (uid_map, ==, expected_uids);
  g_assert_cmpstr (gid_map, ==, expected_gids);
  close (fd);
}

static void
test_open_mapped_refused (void)
{
  HakoIdMapping uid = { 0, 4000000000u, 1 }, gid = { 0, getegid (), 1 };
  HakoIdMappings uids = { &uid, 1 }, gids = { &gid, 1 };
  g_autoptr (GError) error = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root may map any id");
      return;
    }
  g_assert_cmpint (hako_userns_open_mapped (&uids, &gids, &error), ==, -1);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "newuidmap"));
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
}

/* The user namespace of the caller's subordinate ids, or -1 with the test
 * skipped (root, or a caller without ranges). */
static int
open_subordinate_or_skip (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *notice = NULL;
  int fd;

  if (hako_userns_is_root ())
    {
      g_test_skip ("root needs no subordinate ids");
      return -1;
    }
  fd = hako_userns_open_subordinate (&notice, &error);
  if (notice)
    g_test_skip (notice);
  else
    g_assert_no_error (error);
  return fd;
}

/* A program as root of the namespace, with the fds it is given as 3, ...:
 * what the layer unpacker runs as. */
static void
test_run_in (void)
{
  const char *argv[] = { "/bin/sh", "-c", "id -u >&3; echo ok >&4", NULL };
  int userns_fd = open_subordinate_or_skip ();
  hako_autofd int first = -1, second = -1;
  g_autofree char *first_text = NULL, *second_text = NULL;
  g_autofree char *first_path = g_build_filename (g_get_tmp_dir (), "hako-run-in-XXXXXX", NULL);
  g_autofree char *second_path = g_build_filename (g_get_tmp_dir (), "hako-run-in-XXXXXX", NULL);

  if (userns_fd < 0)
    return;
  /* Out of order on purpose: each must land where the program expects it. */
  second = g_mkstemp (second_path);
  first = g_mkstemp (first_path);
  g_assert_true (hako_userns_run_in (userns_fd, argv, (const int[]){ first, second }, 2, NULL));
  g_assert_true (g_file_get_contents (first_path, &first_text, NULL, NULL));
  g_assert_true (g_file_get_contents (second_path, &second_text, NULL, NULL));
  g_assert_cmpstr (first_text, ==, "0\n");
  g_assert_cmpstr (second_text, ==, "ok\n");
  g_unlink (first_path);
  g_unlink (second_path);
  close (userns_fd);
}

/* Files of a subordinate id in a read-only directory of another: the
 * caller alone cannot remove them, the helper does. */
static void
test_remove_tree (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hako-remove-XXXXXX", NULL);
  g_autofree char *script = g_strdup_printf ("mkdir %s/sub && touch %s/sub/file && chown -R 1:1 %s/sub && chmod 555 %s/sub",
                                             dir, dir, dir, dir);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr (GError) error = NULL;
  int userns_fd = open_subordinate_or_skip ();

  if (userns_fd < 0)
    {
      g_assert_true (hako_userns_remove_tree (dir, NULL));
      return;
    }
  g_assert_true (hako_userns_run_in (userns_fd, argv, NULL, 0, NULL));
  close (userns_fd);
  g_assert_true (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_true (hako_userns_remove_tree (dir, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/userns/subid-parse", test_subid_parse);
  g_test_add_func ("/userns/default-mappings", test_default_mappings);
  g_test_add_func ("/userns/write-own-id", test_write_own_id);
  g_test_add_func ("/userns/write-default", test_write_default);
  g_test_add_func ("/userns/write-refused", test_write_refused);
  g_test_add_func ("/userns/open-mapped", test_open_mapped);
  g_test_add_func ("/userns/open-mapped-refused", test_open_mapped_refused);
  g_test_add_func ("/userns/run-in", test_run_in);
  g_test_add_func ("/userns/remove-tree", test_remove_tree);
  return g_test_run ();
}
