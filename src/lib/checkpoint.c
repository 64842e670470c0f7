#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "checkpoint.h"
#include "container.h"
#include "error.h"
#include "fd-util.h"
#include "foreground.h"
#include "i18n.h"
#include "mount-options.h"
#include "spec.h"
#include "state.h"
#include "userns.h"

/* What the image directory keeps besides CRIU's images: one
 * "DESTINATION\tSOURCE" line per external mount, and one "FD\tRESOURCE"
 * line per stdio descriptor of the container's init, by CRIU's name. */
#define EXTERNAL_MOUNTS "hako-mounts"
#define EXTERNAL_STDIO "hako-stdio"

/* CRIU needs the capabilities of the initial user namespace, and criu
 * (BINARY, or from $PATH). */
static char *
find_criu (const char *command, const char *binary, GError **error)
{
  char *criu;

  if (!hako_userns_is_host_root ())
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("%s needs root: CRIU dumps and restores processes only with CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the initial user namespace, which an unprivileged user (and a rootless engine's root) lacks: run hako %s as root"),
                   command, command);
      return NULL;
    }
  criu = g_find_program_in_path (binary ? binary : "criu");
  if (criu == NULL && binary)
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                 _("%s: --criu %s is not an executable program: give criu's path"), command, binary);
  else if (criu == NULL)
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                 _("%s needs CRIU, which is not installed: install it (apt-get install criu)"), command);
  return criu;
}

/* The lines of criu's LOG that say what failed, or NULL. */
static char *
criu_log_errors (const char *log)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) errors = g_ptr_array_new ();

  if (!g_file_get_contents (log, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      char *e = strstr (*l, "Error (");
      if (e)
        g_ptr_array_add (errors, e);
    }
  /* The first ones are the cause; the rest follow from them. */
  if (errors->len > 3)
    g_ptr_array_set_size (errors, 3);
  g_ptr_array_add (errors, NULL);
  return errors->len > 1 ? g_strjoinv ("; ", (char **) errors->pdata) : NULL;
}

/* A criu config file of --cgroup-root lines for the cgroups of process
 * PID, as /proc/PID/cgroup names them: criu restores the tree, and the
 * cgroup namespace of its init, there instead of the dumped container's
 * cgroups. A v2 hierarchy (no controller name) takes the default root. */
static gboolean
write_cgroup_roots (const char *path, pid_t pid, GError **error)
{
  g_autofree char *cgroup_path = g_strdup_printf ("/proc/%d/cgroup", (int) pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) config = g_string_new (NULL);

  if (!g_file_get_contents (cgroup_path, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_auto (GStrv) fields = g_strsplit (*l, ":", 3);
      if (g_strv_length (fields) != 3)
        continue;
      if (*fields[1] == '\0')
        g_string_append_printf (config, "cgroup-root \"%s\"\n", fields[2]);
      else
        g_string_append_printf (config, "cgroup-root \"%s:%s\"\n", fields[1], fields[2]);
    }
  return g_file_set_contents (path, config->str, -1, error);
}

/* Runs criu ARGV (its log in WORK/LOG_NAME), inside CGROUP when not NULL:
 * the child waits until it is placed there, and its cgroups are the roots
 * it restores into (a config file, as criu's command line is fixed by
 * then). */
static gboolean
run_criu (GPtrArray *argv, const char *work, const char *log_name, HakoCgroup *cgroup,
          GError **error)
{
  g_autofree char *log = g_build_filename (work, log_name, NULL);
  g_autofree char *cgroup_config = g_build_filename (work, "hako-cgroups.conf", NULL);
  g_autofree char *errors = NULL;
  int control[2], status;
  gboolean ok = TRUE;
  pid_t pid;
  char byte;

  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (log));
  if (cgroup)
    {
      g_ptr_array_add (argv, g_strdup ("--config"));
      g_ptr_array_add (argv, g_strdup (cgroup_config));
    }
  g_ptr_array_add (argv, NULL);
  if (pipe2 (control, O_CLOEXEC) < 0)
    return hako_error_set_errno (error, errno, "pipe");
  pid = fork ();
  if (pid == 0)
    {
      /* criu keeps hako's stdio: a restore gives it to the restored init
       * (--inherit-fd); criu itself writes only to its log. */
      if (read (control[0], &byte, 1) != 1)
        _exit (127);
      execv ((const char *) argv->pdata[0], (char **) argv->pdata);
      _exit (127);
    }
  close (control[0]);
  if (pid < 0)
    ok = hako_error_set_errno (error, errno, "fork");
  ok = ok && (cgroup == NULL || (hako_cgroup_place (cgroup, pid, error)
                                  && write_cgroup_roots (cgroup_config, pid, error)))
       && hako_fd_write_all (control[1], "", 1, error);
  close (control[1]);
  if (pid < 0)
    return FALSE;
  if (!ok)
    kill (pid, SIGKILL);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (!ok)
    return FALSE;
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return TRUE;
  errors = criu_log_errors (log);
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("criu %s failed: %s (its log: %s)"),
               (const char *) argv->pdata[1],
               errors ? errors : (WIFEXITED (status) ? _("no error in its log") : _("it was killed")), log);
  return FALSE;
}

/* criu's arguments for COMMAND ("dump", which makes IMAGE, or "restore")
 * with OPTIONS; WORK made. */
static GPtrArray *
criu_argv (const char *criu, const char *command, const HakoCriuOptions *options, char **image,
           char **work, GError **error)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  const char *image_path = options->image_path ? options->image_path : "checkpoint";

  *image = g_canonicalize_filename (image_path, NULL);
  *work = g_canonicalize_filename (options->work_path ? options->work_path : image_path, NULL);
  /* A restore's image directory must be there already (it is checked then). */
  if ((g_str_equal (command, "dump") && g_mkdir_with_parents (*image, 0700) < 0)
      || (!g_str_equal (*work, *image) && g_mkdir_with_parents (*work, 0700) < 0))
    {
      hako_error_set_errno (error, errno, _("cannot make the image directory %s or the work directory %s"),
                            *image, *work);
      g_ptr_array_unref (argv);
      return NULL;
    }
  g_ptr_array_add (argv, g_strdup (criu));
  g_ptr_array_add (argv, g_strdup (command));
  g_ptr_array_add (argv, g_strdup ("--images-dir"));
  g_ptr_array_add (argv, g_strdup (*image));
  g_ptr_array_add (argv, g_strdup ("--work-dir"));
  g_ptr_array_add (argv, g_strdup (*work));
  g_ptr_array_add (argv, g_strdup ("-v4"));
  /* hako makes the cgroups; criu places the tree in them (see
   * write_cgroup_roots) and makes the init's cgroup namespace. */
  g_ptr_array_add (argv, g_strdup ("--manage-cgroups=soft"));
  if (options->tcp_established)
    g_ptr_array_add (argv, g_strdup ("--tcp-established"));
  if (options->ext_unix_sk)
    g_ptr_array_add (argv, g_strdup ("--ext-unix-sk"));
  if (options->shell_job)
    g_ptr_array_add (argv, g_strdup ("--shell-job"));
  if (options->file_locks)
    g_ptr_array_add (argv, g_strdup ("--file-locks"));
  return argv;
}

/* config.json's bind mounts, and the host's device nodes bound in (the
 * devtmpfs mounts of the container process PID), as "DEST\tSOURCE". */
static char *
external_mounts (const HakoSpec *spec, const char *bundle, pid_t pid)
{
  g_autofree char *mountinfo_path = g_strdup_printf ("/proc/%d/mountinfo", (int) pid);
  g_autofree char *mountinfo = NULL;
  g_auto (GStrv) lines = NULL;
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < spec->n_mounts; i++)
    {
      const HakoMount *m = &spec->mounts[i];
      g_auto (HakoMountFlags) flags = { 0 };
      g_autofree char *source = NULL;

      hako_mount_flags_parse ((const char *const *) m->options, &flags);
      if (m->source == NULL || !hako_mount_flags_is_bind (&flags, m->type))
        continue;
      source = g_path_is_absolute (m->source) ? g_strdup (m->source) : g_build_filename (bundle, m->source, NULL);
      g_string_append_printf (out, "%s\t%s\n", m->destination, source);
    }
  if (g_file_get_contents (mountinfo_path, &mountinfo, NULL, NULL))
    lines = g_strsplit (mountinfo, "\n", -1);
  for (char **l = lines; l && *l; l++)
    {
      g_auto (GStrv) fields = g_strsplit (*l, " ", -1);
      const char *const *after = NULL;

      for (guint i = 0; fields[i]; i++)
        if (g_str_equal (fields[i], "-"))
          after = (const char *const *) &fields[i + 1];
      if (after && g_strcmp0 (after[0], "devtmpfs") == 0 && g_strv_length (fields) > 4)
        g_string_append_printf (out, "%s\t/dev%s\n", fields[4], g_str_equal (fields[3], "/") ? "" : fields[3]);
    }
  return g_string_free (out, FALSE);
}

/* fds 0, 1 and 2 of the container process PID as "FD\tRESOURCE", by
 * the names CRIU gives them: a pipe or socket by its /proc link, anything
 * else (a file of the host's, which CRIU cannot reach from the container)
 * as an external file[MNT_ID:INODE]. */
static char *
external_stdio (pid_t pid)
{
  GString *out = g_string_new (NULL);

  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    {
      g_autofree char *link_path = g_strdup_printf ("/proc/%d/fd/%d", (int) pid, fd);
      g_autofree char *info_path = g_strdup_printf ("/proc/%d/fdinfo/%d", (int) pid, fd);
      g_autofree char *target = g_file_read_link (link_path, NULL);
      g_autofree char *info = NULL;
      const char *mnt_id;
      struct stat st;

      if (target == NULL)
        continue;
      if (g_str_has_prefix (target, "pipe:") || g_str_has_prefix (target, "socket:"))
        g_string_append_printf (out, "%d\t%s\n", fd, target);
      else if (stat (link_path, &st) == 0 && g_file_get_contents (info_path, &info, NULL, NULL)
               && (mnt_id = strstr (info, "mnt_id:")) != NULL)
        g_string_append_printf (out, "%d\tfile[%x:%" G_GINT64_MODIFIER "x]\n", fd,
                                (unsigned) strtoul (mnt_id + strlen ("mnt_id:"), NULL, 10), (guint64) st.st_ino);
    }
  return g_string_free (out, FALSE);
}

/* The arguments for one "KEY\tVALUE" line of the image's hako-* files. */
typedef void (*PairArgs) (GPtrArray *argv, const char *key, const char *value, gboolean restore);

/* An external mount: the destination as key on dump, its source on restore. */
static void
mount_args (GPtrArray *argv, const char *destination, const char *source, gboolean restore)
{
  g_ptr_array_add (argv, g_strdup ("--external"));
  g_ptr_array_add (argv, g_strdup_printf ("mnt[%s]:%s", destination, restore ? source : destination));
}

/* A stdio descriptor: an external file on dump; on restore hako's own fd
 * of that number takes its place, as runc gives the restored container
 * the caller's stdio. */
static void
stdio_args (GPtrArray *argv, const char *fd, const char *resource, gboolean restore)
{
  if (restore)
    {
      g_ptr_array_add (argv, g_strdup ("--inherit-fd"));
      g_ptr_array_add (argv, g_strdup_printf ("fd[%s]:%s", fd, resource));
    }
  else if (g_str_has_prefix (resource, "file["))
    {
      g_ptr_array_add (argv, g_strdup ("--external"));
      g_ptr_array_add (argv, g_strdup (resource));
    }
}

static void
add_pair_args (GPtrArray *argv, const char *pairs, PairArgs args, gboolean restore)
{
  g_auto (GStrv) lines = g_strsplit (pairs, "\n", -1);

  for (char **l = lines; *l; l++)
    {
      g_auto (GStrv) pair = g_strsplit (*l, "\t", 2);
      if (g_strv_length (pair) == 2)
        args (argv, pair[0], pair[1], restore);
    }
}

/* The namespaces must be the ones hako made, which CRIU dumps with the
 * processes (one joined by path belongs to someone else), and no helper
 * process of hako's may serve the container: CRIU can dump neither the
 * fuse-overlayfs rootfs nor the network helper's side. */
static gboolean
check_supported (const HakoSpec *spec, const char *id, GError **error)
{
  static const char *const helpers[][2] = { { "org.hako.rootfs", "overlay" }, { "org.hako.network", NULL } };

  for (guint i = 0; spec->annotations && i < G_N_ELEMENTS (helpers); i++)
    {
      const char *value = g_hash_table_lookup (spec->annotations, helpers[i][0]);
      if (value && (helpers[i][1] == NULL || g_str_equal (value, helpers[i][1])))
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                       _("container \"%s\" has the annotation %s=%s, whose helper process CRIU cannot checkpoint: create it without (org.hako.rootfs=bind, no org.hako.network)"),
                       id, helpers[i][0], value);
          return FALSE;
        }
    }
  for (int kind = 0; spec->linux_ && kind < HAKO_NS_N_KINDS; kind++)
    if (spec->linux_->namespaces[kind].path)
      {
        g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                     _("container \"%s\" joined the namespace %s (linux.namespaces), which hako cannot checkpoint: CRIU would have to leave it out and give it back on restore; create the container with a namespace of its own"),
                     id, spec->linux_->namespaces[kind].path);
        return FALSE;
      }
  return TRUE;
}

static gboolean
checkpoint_locked (const HakoCheckpointOptions *options, const char *criu, GError **error)
{
  g_autoptr (HakoState) state = hako_state_load (options->root, options->id, error);
  g_autoptr (HakoSpec) spec = NULL;
  g_autoptr (GPtrArray) argv = NULL;
  g_autofree char *dir = NULL, *config = NULL, *image = NULL, *work = NULL, *mounts = NULL;
  g_autofree char *mounts_path = NULL, *stdio = NULL, *stdio_path = NULL, *pid_text = NULL;
  HakoStatus status;

  if (state == NULL)
    {
      hako_state_forget_missing (options->root, options->id, error ? *error : NULL);
      return FALSE;
    }
  status = hako_state_status (state);
  if (status != HAKO_STATUS_RUNNING)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("container \"%s\" is %s: checkpoint needs a running container"), options->id,
                   hako_status_name (status));
      return FALSE;
    }
  dir = hako_state_dir (options->root, options->id);
  config = g_build_filename (dir, "config.json", NULL);
  if ((spec = hako_spec_load_file (config, error)) == NULL || !check_supported (spec, options->id, error)
      || (argv = criu_argv (criu, "dump", &options->criu, &image, &work, error)) == NULL)
    return FALSE;
  mounts = external_mounts (spec, state->bundle, state->pid);
  stdio = external_stdio (state->pid);
  mounts_path = g_build_filename (image, EXTERNAL_MOUNTS, NULL);
  stdio_path = g_build_filename (image, EXTERNAL_STDIO, NULL);
  if (!g_file_set_contents (mounts_path, mounts, -1, error) || !g_file_set_contents (stdio_path, stdio, -1, error))
    return FALSE;
  add_pair_args (argv, mounts, mount_args, FALSE);
  add_pair_args (argv, stdio, stdio_args, FALSE);
  pid_text = g_strdup_printf ("%d", (int) state->pid);
  g_ptr_array_add (argv, g_strdup ("--tree"));
  g_ptr_array_add (argv, g_strdup (pid_text));
  if (options->leave_running)
    g_ptr_array_add (argv, g_strdup ("--leave-running"));
  return run_criu (argv, work, "dump.log", NULL, error);
}

gboolean
hako_container_checkpoint (const HakoCheckpointOptions *options, GError **error)
{
  g_autofree char *criu = NULL;
  gboolean ok;
  int lock_fd;

  if (!hako_container_id_check (options->id, error) || (criu = find_criu ("checkpoint", options->criu.binary, error)) == NULL
      || (lock_fd = hako_state_lock (options->root, options->id, error)) < 0)
    return FALSE;
  ok = checkpoint_locked (options, criu, error);
  close (lock_fd);
  if (!ok)
    {
      g_prefix_error (error, "checkpoint %s: ", options->id);
      return FALSE;
    }
  /* The processes are gone: so is the container, as with runc. */
  return options->leave_running || hako_container_delete (options->root, options->id, TRUE, error);
}

/* The new container's state, cgroup and saved config, as create makes them. */
static HakoState *
restore_prepare (const HakoRestoreOptions *options, const HakoSpec *spec, const char *bundle,
                 const char *config, HakoCgroup **cgroup, GError **error)
{
  g_autoptr (HakoState) state = g_new0 (HakoState, 1);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *dir = hako_state_dir (options->root, options->id);
  g_autofree char *saved_config = g_build_filename (dir, "config.json", NULL);
  g_autofree char *why_none = NULL;
  HakoCgroupManager manager;

  state->id = g_strdup (options->id);
  state->bundle = g_strdup (bundle);
  state->rootfs = g_canonicalize_filename (spec->root->path, bundle);
  state->recorded = HAKO_STATUS_CREATING;
  state->created = g_date_time_format_iso8601 (now);
  state->owner = geteuid ();
  if (spec->annotations)
    state->annotations = g_hash_table_ref (spec->annotations);
  if (!hako_cgroup_manager_choose (NULL, spec->linux_ ? spec->linux_->cgroups_path : NULL,
                                   &manager, &why_none, error)
      || !hako_state_make_dir (options->root, options->id, error)
      || !hako_file_create_new (saved_config, config, -1, 0600, error))
    return NULL;
  if (manager != HAKO_CGROUP_MANAGER_NONE)
    {
      *cgroup = hako_cgroup_new (manager, options->id, spec->linux_ ? spec->linux_->cgroups_path : NULL, error);
      if (*cgroup == NULL || !hako_cgroup_create (*cgroup, error))
        return NULL;
      hako_cgroup_record (*cgroup, state);
    }
  return g_steal_pointer (&state);
}

/* criu restore into ROOT_DIR, the rootfs bound onto a mount point of its
 * own (CRIU's --root must be one); the restored init's pid, or 0. */
static pid_t
restore_run (GPtrArray *argv, const char *rootfs, const char *root_dir, const char *work,
             HakoCgroup *cgroup, GError **error)
{
  g_autofree char *pid_path = g_build_filename (work, "restore.pid", NULL);
  g_autofree char *pid_text = NULL;
  gboolean ok;
  guint64 pid;

  if (g_mkdir_with_parents (root_dir, 0700) < 0 || mount (rootfs, root_dir, NULL, MS_BIND | MS_REC, NULL) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot bind the rootfs %s to %s for criu"), rootfs, root_dir);
      return 0;
    }
  g_ptr_array_add (argv, g_strdup ("--root"));
  g_ptr_array_add (argv, g_strdup (root_dir));
  /* The restored init becomes hako's child, for a foreground restore to wait for. */
  g_ptr_array_add (argv, g_strdup ("--restore-detached"));
  g_ptr_array_add (argv, g_strdup ("--restore-sibling"));
  g_ptr_array_add (argv, g_strdup ("--pidfile"));
  g_ptr_array_add (argv, g_strdup (pid_path));
  unlink (pid_path);
  ok = run_criu (argv, work, "restore.log", cgroup, error)
       && g_file_get_contents (pid_path, &pid_text, NULL, error);
  umount2 (root_dir, MNT_DETACH);
  rmdir (root_dir);
  if (ok && !g_ascii_string_to_unsigned (g_strstrip (pid_text), 10, 1, G_MAXINT, &pid, error))
    ok = FALSE;
  return ok ? (pid_t) pid : 0;
}

static pid_t
restore_locked (const HakoRestoreOptions *options, const char *criu, const HakoSpec *spec,
                const char *bundle, const char *config, GError **error)
{
  g_autoptr (HakoState) state = NULL;
  g_autoptr (HakoCgroup) cgroup = NULL;
  g_autoptr (GPtrArray) argv = NULL;
  g_autoptr (GError) missing = NULL;
  g_autofree char *image = NULL, *work = NULL, *mounts = NULL, *mounts_path = NULL;
  g_autofree char *stdio = NULL, *stdio_path = NULL, *inventory = NULL, *dir = hako_state_dir (options->root, options->id);
  g_autofree char *root_dir = g_build_filename (dir, "criu-root", NULL);
  g_autofree char *pid_text = NULL;
  pid_t pid = 0;

  if ((state = hako_state_load (options->root, options->id, &missing)) != NULL
      || !g_error_matches (missing, HAKO_ERROR, HAKO_ERROR_NOT_FOUND))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_EXISTS,
                   _("a container \"%s\" exists already: delete it, or restore under another id"), options->id);
      return 0;
    }
  /* From here on, what is left under the id is this restore's. */
  if ((argv = criu_argv (criu, "restore", &options->criu, &image, &work, error)) == NULL)
    goto failed;
  inventory = g_build_filename (image, "inventory.img", NULL);
  mounts_path = g_build_filename (image, EXTERNAL_MOUNTS, NULL);
  stdio_path = g_build_filename (image, EXTERNAL_STDIO, NULL);
  if (!g_file_test (inventory, G_FILE_TEST_EXISTS) || !g_file_get_contents (mounts_path, &mounts, NULL, NULL)
      || !g_file_get_contents (stdio_path, &stdio, NULL, NULL))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                   _("%s holds no checkpoint of hako's: give the --image-path that hako checkpoint wrote"), image);
      goto failed;
    }
  add_pair_args (argv, mounts, mount_args, TRUE);
  add_pair_args (argv, stdio, stdio_args, TRUE);
  if ((state = restore_prepare (options, spec, bundle, config, &cgroup, error)) != NULL
      && (pid = restore_run (argv, state->rootfs, root_dir, work, cgroup, error)) > 0)
    {
      state->pid = pid;
      state->pid_start = hako_process_start_time (pid);
      state->recorded = HAKO_STATUS_RUNNING;
      if (cgroup)
        hako_cgroup_record (cgroup, state);
      pid_text = g_strdup_printf ("%d", (int) pid);
      if (!hako_state_save (options->root, state, error)
          || (options->pid_file && !hako_file_replace (options->pid_file, pid_text, -1, 0644, error)))
        {
          kill (pid, SIGKILL);
          pid = 0;
        }
    }
  if (pid > 0)
    return pid;
  if (cgroup)
    hako_cgroup_destroy (cgroup, NULL);
failed:
  hako_state_remove (options->root, options->id);
  return 0;
}

int
hako_container_restore (const HakoRestoreOptions *options, GError **error)
{
  g_autofree char *criu = NULL, *config = NULL;
  g_autofree char *bundle = g_canonicalize_filename (options->bundle ? options->bundle : ".", NULL);
  g_autofree char *config_path = g_build_filename (bundle, "config.json", NULL);
  g_autoptr (HakoSpec) spec = NULL;
  int lock_fd, status;
  pid_t pid;

  if (!hako_container_id_check (options->id, error) || (criu = find_criu ("restore", options->criu.binary, error)) == NULL)
    return -1;
  if (!g_file_get_contents (config_path, &config, NULL, error)
      || (spec = hako_spec_load_file (config_path, error)) == NULL
      || !check_supported (spec, options->id, error))
    goto failed;
  if (spec->process && spec->process->terminal)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("config.json: process.terminal is true: hako restores a container without a terminal only (a --console-socket would need CRIU to hand the new pty over)"));
      goto failed;
    }
  if (options->console_socket)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                   _("--console-socket is for a container with a terminal: set process.terminal to true in config.json, or drop the option"));
      goto failed;
    }
  /* A foreground restore waits for the restored init, its child. */
  if (!options->detach && prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
    {
      hako_error_set_errno (error, errno, "PR_SET_CHILD_SUBREAPER");
      goto failed;
    }
  if ((lock_fd = hako_state_lock (options->root, options->id, error)) < 0)
    goto failed;
  pid = restore_locked (options, criu, spec, bundle, config, error);
  close (lock_fd);
  if (pid == 0)
    goto failed;
  if (options->detach)
    return 0;
  status = hako_foreground_wait (pid, -1, 0, error);
  if (!hako_container_delete (options->root, options->id, TRUE, status < 0 ? NULL : error))
    return -1;
  return status;

failed:
  g_prefix_error (error, "restore %s: ", options->id);
  return -1;
}
