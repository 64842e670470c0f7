#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "archive-loader.h"
#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "layer-unpack.h"
#include "log.h"
#include "userns.h"

typedef struct
{
  int root_fd;
  const char *name;    /* the layer, for messages */
  gboolean keep_owner; /* real root: chown as the tar says */
  guint skipped_nodes;
  GArray *dirs;        /* DirMeta, applied last: a read-only directory still gets its entries */
} Unpack;

typedef struct
{
  char *path;
  mode_t mode;
  uid_t uid;
  gid_t gid;
  struct timespec mtime;
} DirMeta;

/* libarchive's functions, loaded by the first unpack (archive-loader.h). */
static const HakoArchiveApi *la;

static void
dir_meta_clear (gpointer data)
{
  g_free (((DirMeta *) data)->path);
}

static gboolean
entry_error (const Unpack *u, const char *entry, GError **error, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

static gboolean
entry_error (const Unpack *u, const char *entry, GError **error, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
               _("layer %s: entry \"%s\": %s; the image is corrupt or hostile, and nothing of it was kept"),
               u->name, entry, reason);
  return FALSE;
}

static gboolean
entry_errno (const Unpack *u, const char *entry, int saved_errno, GError **error)
{
  if (saved_errno == EXDEV || saved_errno == ELOOP)
    return entry_error (u, entry, error, _("its path leads out of the layer through a symlink"));
  return entry_error (u, entry, error, "%s", g_strerror (saved_errno));
}

/* ENTRY's path relative to the layer, without "." or empty components;
 * NULL (with ERROR) for "..", an absolute path or an empty one. */
static char *
clean_path (const Unpack *u, const char *entry, GError **error)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GPtrArray) kept = g_ptr_array_new ();

  if (entry == NULL || *entry == '\0')
    return entry_error (u, "", error, _("it has no name")), NULL;
  if (*entry == '/')
    return entry_error (u, entry, error, _("absolute paths are not allowed in a layer")), NULL;
  parts = g_strsplit (entry, "/", -1);
  for (char **p = parts; *p; p++)
    {
      if (g_str_equal (*p, ".."))
        return entry_error (u, entry, error, _("\"..\" is not allowed in a layer's paths")), NULL;
      if (**p != '\0' && !g_str_equal (*p, "."))
        g_ptr_array_add (kept, *p);
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("/", (char **) kept->pdata);
}

static int
open_beneath (const Unpack *u, const char *path, int flags, guint64 resolve)
{
  struct open_how how = { .flags = flags | O_CLOEXEC,
                          .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | resolve };

  return syscall (SYS_openat2, u->root_fd, *path ? path : ".", &how, sizeof how);
}

/* The directory PATH (relative; "" is the layer's root), made with its
 * parents as tar does for entries whose directories it did not list. */
static int
open_dir (const Unpack *u, const char *path)
{
  g_autofree char *parent = NULL;
  hako_autofd int parent_fd = -1;
  const char *base;
  int fd = open_beneath (u, path, O_PATH | O_DIRECTORY, 0);

  if (fd >= 0 || errno != ENOENT || *path == '\0')
    return fd;
  base = strrchr (path, '/');
  parent = base ? g_strndup (path, base - path) : g_strdup ("");
  base = base ? base + 1 : path;
  parent_fd = open_dir (u, parent);
  if (parent_fd < 0 || (mkdirat (parent_fd, base, 0755) < 0 && errno != EEXIST))
    return -1;
  return open_beneath (u, path, O_PATH | O_DIRECTORY, 0);
}

/* Splits PATH into its parent (opened) and last component. */
static int
open_parent (const Unpack *u, const char *path, const char **base)
{
  g_autofree char *parent = NULL;
  const char *slash = strrchr (path, '/');

  *base = slash ? slash + 1 : path;
  parent = slash ? g_strndup (path, slash - path) : g_strdup ("");
  return open_dir (u, parent);
}

/* A later entry replaces an earlier one of the same name (not a directory
 * by a directory: that one stays, with the later metadata). */
static int
remove_existing (int parent_fd, const char *base, gboolean keep_dir)
{
  struct stat st;

  if (fstatat (parent_fd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return errno == ENOENT ? 0 : -1;
  if (S_ISDIR (st.st_mode))
    return keep_dir ? 0 : unlinkat (parent_fd, base, AT_REMOVEDIR);
  return unlinkat (parent_fd, base, 0);
}

static void
set_xattrs (int fd, struct archive_entry *entry)
{
  const char *name;
  const void *value;
  size_t size;

  la->archive_entry_xattr_reset (entry);
  /* Best effort: security.* and trusted.* are not for an unprivileged
   * caller, and not every filesystem stores user.* attributes. */
  while (la->archive_entry_xattr_next (entry, &name, &value, &size) == ARCHIVE_OK)
    fsetxattr (fd, name, value, size, 0);
}

static gboolean
write_data (const Unpack *u, struct archive *archive, const char *entry, int fd, GError **error)
{
  const void *buffer;
  size_t size;
  la_int64_t offset;
  int r;

  while ((r = la->archive_read_data_block (archive, &buffer, &size, &offset)) == ARCHIVE_OK)
    {
      const char *p = buffer;
      while (size > 0)
        {
          ssize_t n = pwrite (fd, p, size, offset);
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            return entry_errno (u, entry, errno, error);
          p += n;
          size -= n;
          offset += n;
        }
    }
  if (r != ARCHIVE_EOF)
    return entry_error (u, entry, error, "%s", la->archive_error_string (archive));
  return TRUE;
}

static gboolean
make_regular (Unpack *u, struct archive *archive, struct archive_entry *entry, const char *path,
              int parent_fd, const char *base, GError **error)
{
  const struct timespec times[2] = {
    { .tv_nsec = UTIME_OMIT },
    { .tv_sec = la->archive_entry_mtime (entry), .tv_nsec = la->archive_entry_mtime_nsec (entry) },
  };
  hako_autofd int fd = openat (parent_fd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

  if (fd < 0)
    return entry_errno (u, path, errno, error);
  if (!write_data (u, archive, path, fd, error))
    return FALSE;
  /* A sparse file may end with a hole: its size is the entry's. */
  if (ftruncate (fd, la->archive_entry_size (entry)) < 0)
    return entry_errno (u, path, errno, error);
  set_xattrs (fd, entry);
  if ((u->keep_owner && fchown (fd, la->archive_entry_uid (entry), la->archive_entry_gid (entry)) < 0)
      || fchmod (fd, la->archive_entry_perm (entry) & 07777) < 0 || futimens (fd, times) < 0)
    return entry_errno (u, path, errno, error);
  return TRUE;
}

static gboolean
make_directory (Unpack *u, struct archive_entry *entry, const char *path, int parent_fd,
                const char *base, GError **error)
{
  DirMeta meta = { .path = g_strdup (path), .mode = la->archive_entry_perm (entry) & 07777,
                   .uid = la->archive_entry_uid (entry), .gid = la->archive_entry_gid (entry),
                   .mtime = { la->archive_entry_mtime (entry), la->archive_entry_mtime_nsec (entry) } };
  hako_autofd int fd = -1;

  if (*path && (remove_existing (parent_fd, base, TRUE) < 0 || (mkdirat (parent_fd, base, 0700) < 0 && errno != EEXIST)))
    {
      g_free (meta.path);
      return entry_errno (u, path, errno, error);
    }
  g_array_append_val (u->dirs, meta);
  fd = open_beneath (u, path, O_RDONLY | O_DIRECTORY, RESOLVE_NO_SYMLINKS);
  if (fd < 0)
    return entry_errno (u, path, errno, error);
  set_xattrs (fd, entry);
  return TRUE;
}

static gboolean
make_hardlink (Unpack *u, const char *target_entry, const char *path, int parent_fd,
               const char *base, GError **error)
{
  g_autofree char *target = clean_path (u, target_entry, error);
  hako_autofd int target_parent = -1;
  const char *target_base;

  if (target == NULL)
    return FALSE;
  target_parent = open_parent (u, target, &target_base);
  /* Without AT_SYMLINK_FOLLOW a symlink is linked as itself: nothing outside is reached. */
  if (target_parent < 0 || linkat (target_parent, target_base, parent_fd, base, 0) < 0)
    return entry_errno (u, path, errno, error);
  return TRUE;
}

/* Ownership and times of what is not opened (symlinks, nodes). */
static gboolean
set_link_metadata (const Unpack *u, struct archive_entry *entry, const char *path, int parent_fd,
                   const char *base, GError **error)
{
  const struct timespec times[2] = {
    { .tv_nsec = UTIME_OMIT },
    { .tv_sec = la->archive_entry_mtime (entry), .tv_nsec = la->archive_entry_mtime_nsec (entry) },
  };

  if ((u->keep_owner
       && fchownat (parent_fd, base, la->archive_entry_uid (entry), la->archive_entry_gid (entry), AT_SYMLINK_NOFOLLOW) < 0)
      || utimensat (parent_fd, base, times, AT_SYMLINK_NOFOLLOW) < 0)
    return entry_errno (u, path, errno, error);
  return TRUE;
}

static gboolean
make_node (Unpack *u, struct archive_entry *entry, const char *path, int parent_fd,
           const char *base, GError **error)
{
  mode_t type = la->archive_entry_filetype (entry);
  mode_t perm = la->archive_entry_perm (entry) & 07777;

  if (type == AE_IFIFO)
    {
      if (mkfifoat (parent_fd, base, perm) < 0)
        return entry_errno (u, path, errno, error);
    }
  else if (type == AE_IFCHR || type == AE_IFBLK)
    {
      /* mknod needs CAP_MKNOD in the initial user namespace. */
      if (!u->keep_owner)
        {
          u->skipped_nodes++;
          return TRUE;
        }
      if (mknodat (parent_fd, base, type | perm, la->archive_entry_rdev (entry)) < 0)
        return entry_errno (u, path, errno, error);
    }
  else
    return entry_error (u, path, error, _("unsupported file type 0%o"), (unsigned) type);
  return set_link_metadata (u, entry, path, parent_fd, base, error);
}

static gboolean
unpack_entry (Unpack *u, struct archive *archive, struct archive_entry *entry, GError **error)
{
  g_autofree char *path = clean_path (u, la->archive_entry_pathname (entry), error);
  const char *hardlink = la->archive_entry_hardlink (entry);
  mode_t type = la->archive_entry_filetype (entry);
  hako_autofd int parent_fd = -1;
  const char *base;

  if (path == NULL)
    return FALSE;
  if (*path == '\0' && type != AE_IFDIR)
    return entry_error (u, la->archive_entry_pathname (entry), error, _("only a directory can be the layer's root"));
  parent_fd = open_parent (u, path, &base);
  if (parent_fd < 0)
    return entry_errno (u, path, errno, error);
  if (type == AE_IFDIR && hardlink == NULL)
    return make_directory (u, entry, path, parent_fd, base, error);
  if (remove_existing (parent_fd, base, FALSE) < 0)
    return entry_errno (u, path, errno, error);
  if (hardlink)
    return make_hardlink (u, hardlink, path, parent_fd, base, error);
  switch (type)
    {
    case AE_IFREG:
      return make_regular (u, archive, entry, path, parent_fd, base, error);
    case AE_IFLNK:
      /* The target is the container's business: it is never followed here. */
      if (symlinkat (la->archive_entry_symlink (entry), parent_fd, base) < 0)
        return entry_errno (u, path, errno, error);
      return set_link_metadata (u, entry, path, parent_fd, base, error);
    default:
      return make_node (u, entry, path, parent_fd, base, error);
    }
}

/* Deepest first, so that a directory's time is set after its entries. */
static gboolean
finish_dirs (Unpack *u, GError **error)
{
  for (guint i = u->dirs->len; i-- > 0;)
    {
      DirMeta *meta = &g_array_index (u->dirs, DirMeta, i);
      const struct timespec times[2] = { { .tv_nsec = UTIME_OMIT }, meta->mtime };
      hako_autofd int fd = open_beneath (u, meta->path, O_RDONLY | O_DIRECTORY, RESOLVE_NO_SYMLINKS);

      if (fd < 0 || (u->keep_owner && fchown (fd, meta->uid, meta->gid) < 0)
          || fchmod (fd, meta->mode) < 0 || futimens (fd, times) < 0)
        return entry_errno (u, meta->path, errno, error);
    }
  return TRUE;
}

static gboolean
open_archive (struct archive *archive, int blob_fd, HakoLayerCompression compression,
              const char *name, GError **error)
{
  int r = ARCHIVE_OK;

  if (compression == HAKO_LAYER_GZIP)
    r = la->archive_read_support_filter_gzip (archive);
  else if (compression == HAKO_LAYER_ZSTD)
    r = la->archive_read_support_filter_zstd (archive);
  if (r != ARCHIVE_OK)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("layer %s: this build of libarchive cannot decompress it: %s"), name,
                   la->archive_error_string (archive));
      return FALSE;
    }
  if (la->archive_read_support_format_tar (archive) != ARCHIVE_OK
      || la->archive_read_open_fd (archive, blob_fd, 65536) != ARCHIVE_OK)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("layer %s is not a tar archive of its media type: %s"),
                   name, la->archive_error_string (archive));
      return FALSE;
    }
  return TRUE;
}

gboolean
hako_layer_unpack (int blob_fd, HakoLayerCompression compression, int dir_fd, const char *name,
                   GError **error)
{
  struct archive *archive;
  g_autoptr (GArray) dirs = g_array_new (FALSE, FALSE, sizeof (DirMeta));
  Unpack u = { .root_fd = dir_fd, .name = name, .keep_owner = hako_userns_is_host_root (), .dirs = dirs };
  struct archive_entry *entry;
  gboolean ok;
  int r = ARCHIVE_OK;

  if ((la = hako_archive_api (error)) == NULL)
    return FALSE;
  archive = la->archive_read_new ();
  g_array_set_clear_func (dirs, dir_meta_clear);
  ok = open_archive (archive, blob_fd, compression, name, error);
  while (ok && (r = la->archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    ok = unpack_entry (&u, archive, entry, error);
  if (ok && r != ARCHIVE_EOF)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("layer %s is not a valid tar archive: %s"), name,
                   la->archive_error_string (archive));
      ok = FALSE;
    }
  la->archive_read_free (archive);
  ok = ok && finish_dirs (&u, error);
  if (ok && u.skipped_nodes > 0)
    hako_log_warning (_("layer %s: %u device nodes skipped: an unprivileged user cannot create them (the container's /dev comes from the config)"),
                      name, u.skipped_nodes);
  return ok;
}
