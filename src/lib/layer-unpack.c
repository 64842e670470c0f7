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

typedef struct
{
  int root_fd;
  const char *name;    /* the layer, for messages */
  HakoLayerUnpackFlags flags;
  guint skipped_nodes;
  GArray *dirs;        /* DirMeta, applied last: a read-only directory still gets its entries */
} Unpack;

typedef struct
{
  char *path;
  mode_t mode;
  gint64 uid, gid; /* as the tar says */
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

/* PATH's owner as the tar says (UID, GID), when owners are kept: through
 * BASE under FD as fchownat takes them. An id the user namespace does
 * not map is the caller's lack of subordinate ids, not the image's fault:
 * refused, as Podman does ("potentially insufficient UIDs or GIDs"), rather
 * than shown as the overflow id, which would quietly give the file to
 * nobody (and a setuid program to the wrong user). */
static gboolean
set_owner (const Unpack *u, const char *path, int fd, const char *base, int flags, gint64 uid, gint64 gid,
           GError **error)
{
  /* (uid_t) -1 would leave the owner as it is. */
  gboolean ids = uid >= 0 && uid < G_MAXUINT32 && gid >= 0 && gid < G_MAXUINT32;

  if (!(u->flags & HAKO_LAYER_UNPACK_OWNERS) || (ids && fchownat (fd, base, (uid_t) uid, (gid_t) gid, flags) == 0))
    return TRUE;
  if (ids && errno != EINVAL)
    return entry_errno (u, path, errno, error);
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
               _("layer %s: entry \"%s\" belongs to %lld:%lld, which the user namespace the layers are unpacked in does not map (potentially insufficient UIDs or GIDs: it has the caller as 0 and the first /etc/subuid and /etc/subgid ranges as 1 and up): give the user ranges of at least %lld ids in /etc/subuid and /etc/subgid"),
               u->name, path, (long long) uid, (long long) gid, (long long) MAX (uid, gid));
  return FALSE;
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
  if (!set_owner (u, path, fd, "", AT_EMPTY_PATH, la->archive_entry_uid (entry), la->archive_entry_gid (entry), error))
    return FALSE;
  if (fchmod (fd, la->archive_entry_perm (entry) & 07777) < 0 || futimens (fd, times) < 0)
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

  if (!set_owner (u, path, parent_fd, base, AT_SYMLINK_NOFOLLOW, la->archive_entry_uid (entry),
                  la->archive_entry_gid (entry), error))
    return FALSE;
  if (utimensat (parent_fd, base, times, AT_SYMLINK_NOFOLLOW) < 0)
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
      if (!(u->flags & HAKO_LAYER_UNPACK_DEVICES))
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

      if (fd < 0)
        return entry_errno (u, meta->path, errno, error);
      /* The layer's root keeps the store's owner (layer-unpack.h). */
      if (*meta->path && !set_owner (u, meta->path, fd, "", AT_EMPTY_PATH, meta->uid, meta->gid, error))
        return FALSE;
      if (fchmod (fd, meta->mode) < 0 || futimens (fd, times) < 0)
        return entry_errno (u, meta->path, errno, error);
    }
  return TRUE;
}

/* The blob decompressed, read by the tar reader through read_stream,
 * which digests every byte on the way: the diff_id is of exactly what
 * was unpacked. */
typedef struct
{
  struct archive *raw; /* the blob through its filter, as one "raw" entry */
  GChecksum *sum;
} Stream;

static la_ssize_t
read_stream (struct archive *tar, void *data, const void **buffer)
{
  Stream *stream = data;
  size_t size = 0;
  la_int64_t offset;
  int r;

  do
    r = la->archive_read_data_block (stream->raw, buffer, &size, &offset);
  while (r == ARCHIVE_OK && size == 0);
  if (r == ARCHIVE_EOF)
    return 0;
  if (r != ARCHIVE_OK)
    {
      la->archive_set_error (tar, EIO, "%s", la->archive_error_string (stream->raw));
      return -1;
    }
  g_checksum_update (stream->sum, *buffer, size);
  return size;
}

static gboolean
open_archive (struct archive *tar, Stream *stream, int blob_fd, HakoLayerCompression compression,
              const char *name, GError **error)
{
  struct archive_entry *entry;
  int r = ARCHIVE_OK;

  if (compression == HAKO_LAYER_GZIP)
    r = la->archive_read_support_filter_gzip (stream->raw);
  else if (compression == HAKO_LAYER_ZSTD)
    r = la->archive_read_support_filter_zstd (stream->raw);
  if (r != ARCHIVE_OK)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                   _("layer %s: this build of libarchive cannot decompress it: %s"), name,
                   la->archive_error_string (stream->raw));
      return FALSE;
    }
  if (la->archive_read_support_format_raw (stream->raw) != ARCHIVE_OK
      || la->archive_read_open_fd (stream->raw, blob_fd, 65536) != ARCHIVE_OK
      || la->archive_read_next_header (stream->raw, &entry) != ARCHIVE_OK)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("layer %s is not a tar archive of its media type: %s"),
                   name, la->archive_error_string (stream->raw));
      return FALSE;
    }
  if (la->archive_read_support_format_tar (tar) != ARCHIVE_OK
      || la->archive_read_open (tar, stream, NULL, read_stream, NULL) != ARCHIVE_OK)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("layer %s is not a tar archive of its media type: %s"),
                   name, la->archive_error_string (tar));
      return FALSE;
    }
  return TRUE;
}

/* The rest of the stream (the tar's padding after its end) digested, and
 * the digest compared with DIFF_ID. */
static gboolean
check_diff_id (struct archive *tar, Stream *stream, const char *name, const char *diff_id,
               GError **error)
{
  const void *buffer;
  la_ssize_t n;
  g_autofree char *actual = NULL;

  while ((n = read_stream (tar, stream, &buffer)) > 0)
    ;
  if (n < 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("layer %s is not a valid tar archive: %s"), name,
                   la->archive_error_string (tar));
      return FALSE;
    }
  actual = g_strconcat ("sha256:", g_checksum_get_string (stream->sum), NULL);
  if (g_str_equal (actual, diff_id))
    return TRUE;
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
               _("layer %s: its uncompressed content has the digest %s, but the image's config gives %s as its diff_id (rootfs.diff_ids): the image is corrupt, copy it again"),
               name, actual, diff_id);
  return FALSE;
}

gboolean
hako_layer_unpack (int blob_fd, HakoLayerCompression compression, int dir_fd, const char *name,
                   const char *diff_id, HakoLayerUnpackFlags flags, guint *skipped_nodes, GError **error)
{
  struct archive *tar;
  g_autoptr (GArray) dirs = g_array_new (FALSE, FALSE, sizeof (DirMeta));
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  Unpack u = { .root_fd = dir_fd, .name = name, .flags = flags, .dirs = dirs };
  Stream stream = { .sum = sum };
  struct archive_entry *entry;
  gboolean ok;
  int r = ARCHIVE_OK;

  *skipped_nodes = 0;
  if ((la = hako_archive_api (error)) == NULL)
    return FALSE;
  tar = la->archive_read_new ();
  stream.raw = la->archive_read_new ();
  g_array_set_clear_func (dirs, dir_meta_clear);
  ok = open_archive (tar, &stream, blob_fd, compression, name, error);
  while (ok && (r = la->archive_read_next_header (tar, &entry)) == ARCHIVE_OK)
    ok = unpack_entry (&u, tar, entry, error);
  if (ok && r != ARCHIVE_EOF)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("layer %s is not a valid tar archive: %s"), name,
                   la->archive_error_string (tar));
      ok = FALSE;
    }
  ok = ok && check_diff_id (tar, &stream, name, diff_id, error);
  la->archive_read_free (tar);
  la->archive_read_free (stream.raw);
  ok = ok && finish_dirs (&u, error);
  *skipped_nodes = u.skipped_nodes;
  return ok;
}
