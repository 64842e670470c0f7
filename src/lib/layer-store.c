#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "layer-owners.h"
#include "layer-store.h"
#include "log.h"
#include "userns.h"

#define DIGEST_PREFIX "sha256:"
/* The name of the users file's symlink in a container's state directory. */
#define USERS_LINK "layers"

struct HakoLayerStore
{
  char *path;
  int lock_fd;
  HakoLayerUnpacker *unpacker; /* made by the first unpack */
};

static char *
sub_path (const HakoLayerStore *store, const char *first, const char *second)
{
  return g_build_filename (store->path, first, second, NULL);
}

const char *
hako_layer_store_get_path (const HakoLayerStore *store)
{
  return store->path;
}

void
hako_layer_store_close (HakoLayerStore *store)
{
  if (store == NULL)
    return;
  if (store->lock_fd >= 0)
    close (store->lock_fd);
  hako_layer_unpacker_free (store->unpacker);
  g_free (store->path);
  g_free (store);
}

HakoLayerStore *
hako_layer_store_open (GError **error)
{
  g_autoptr (HakoLayerStore) store = g_new0 (HakoLayerStore, 1);
  static const char *const dirs[] = { "sha256", "tmp", "users" };
  g_autofree char *lock = NULL, *tmp = NULL;

  store->path = hako_userns_data_path ("layers");
  store->lock_fd = -1;
  /* 0755 as root: the container's fuse-overlayfs may run as any id. */
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = sub_path (store, dirs[i], NULL);
      if (g_mkdir_with_parents (dir, hako_userns_is_host_root () ? 0755 : 0700) < 0)
        {
          hako_error_set_errno (error, errno,
                                _("cannot create the layer store %s: make it writable, or point XDG_DATA_HOME (rootless) elsewhere"),
                                dir);
          return NULL;
        }
    }
  lock = sub_path (store, "lock", NULL);
  store->lock_fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (store->lock_fd < 0 || flock (store->lock_fd, LOCK_EX) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot lock %s"), lock);
      return NULL;
    }
  /* Under the lock nobody is unpacking: what is in tmp/ a killed runtime left. */
  tmp = sub_path (store, "tmp", NULL);
  if (!hako_userns_remove_tree (tmp, error))
    {
      g_prefix_error (error, _("cannot empty the layer store's %s: "), tmp);
      return NULL;
    }
  if (mkdir (tmp, 0700) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot create %s"), tmp);
      return NULL;
    }
  return g_steal_pointer (&store);
}

static const char *
digest_hex (const char *digest)
{
  return digest + strlen (DIGEST_PREFIX);
}

/* A half-unpacked layer goes, with whatever subordinate ids it holds. */
static void
remove_temp (const char *temp)
{
  g_autoptr (GError) error = NULL;

  if (!hako_userns_remove_tree (temp, &error))
    hako_log_warning (_("cannot remove the unfinished layer %s: %s"), temp, error->message);
}

char *
hako_layer_store_ensure (HakoLayerStore *store, const HakoImage *image, const HakoImageDescriptor *layer,
                         const char *diff_id, GError **error)
{
  g_autofree char *final = sub_path (store, "sha256", digest_hex (layer->digest));
  g_autofree char *temp = NULL;
  hako_autofd int blob_fd = -1, dir_fd = -1;

  if (g_file_test (final, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&final);
  if (store->unpacker == NULL && (store->unpacker = hako_layer_unpacker_new (error)) == NULL)
    return NULL;
  temp = g_build_filename (store->path, "tmp", "layer-XXXXXX", NULL);
  if ((blob_fd = hako_image_open_blob (image, layer, error)) < 0)
    return NULL;
  /* 0755 unless the tar has an entry for "." : the merged root is the
   * topmost layer's, and every container user must walk through it. */
  if (g_mkdtemp_full (temp, 0755) == NULL || (dir_fd = open (temp, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot create %s"), temp);
      return NULL;
    }
  if (!hako_layer_unpacker_run (store->unpacker, layer, diff_id, blob_fd, dir_fd, error))
    {
      remove_temp (temp);
      return NULL;
    }
  if (rename (temp, final) < 0)
    {
      hako_error_set_errno (error, errno, _("cannot move layer %s into %s"), layer->digest, final);
      remove_temp (temp);
      return NULL;
    }
  return g_steal_pointer (&final);
}

static char *
users_link (const char *state_dir)
{
  return g_build_filename (state_dir, USERS_LINK, NULL);
}

gboolean
hako_layer_store_pin (HakoLayerStore *store, const char *state_dir, const char *const *digests,
                      GError **error)
{
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, state_dir, -1);
  g_autofree char *path = sub_path (store, "users", name);
  g_autofree char *link = users_link (state_dir);
  g_autoptr (GString) text = g_string_new (state_dir);

  for (const char *const *d = digests; *d; d++)
    g_string_append_printf (text, "\n%s", *d);
  g_string_append_c (text, '\n');
  /* The link first: removing the state then removes the file, whatever
   * moment a killed runtime stopped at. */
  if (symlink (path, link) < 0)
    return hako_error_set_errno (error, errno, _("cannot create %s"), link);
  return hako_file_replace (path, text->str, text->len, 0600, error);
}

void
hako_layer_store_unpin (const char *state_dir)
{
  g_autofree char *link = users_link (state_dir);
  g_autofree char *path = g_file_read_link (link, NULL);

  if (path)
    unlink (path);
}

void
hako_layer_info_free (HakoLayerInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->digest);
  g_free (info);
}

static guint64
tree_size (const char *path)
{
  struct stat st;
  g_autoptr (GDir) dir = NULL;
  const char *name;
  guint64 total = 0;

  if (lstat (path, &st) < 0)
    return 0;
  if (!S_ISDIR (st.st_mode))
    return st.st_size;
  dir = g_dir_open (path, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      total += tree_size (child);
    }
  return total;
}

/* Digest -> number of live containers using it; stale users files are
 * removed when REMOVE_STALE. */
static GHashTable *
count_users (HakoLayerStore *store, gboolean remove_stale)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *dir_path = sub_path (store, "users", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *text = NULL;
      g_auto (GStrv) lines = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      lines = g_strsplit (text, "\n", -1);
      if (lines[0] == NULL || !g_file_test (lines[0], G_FILE_TEST_IS_DIR))
        {
          if (remove_stale)
            unlink (path);
          continue;
        }
      for (char **d = lines + 1; *d; d++)
        if (**d)
          g_hash_table_insert (counts, g_strdup (*d),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, *d)) + 1));
    }
  return counts;
}

static GPtrArray *
list_layers (HakoLayerStore *store, gboolean remove_stale, GError **error)
{
  g_autoptr (GPtrArray) layers = g_ptr_array_new_with_free_func ((GDestroyNotify) hako_layer_info_free);
  g_autoptr (GHashTable) counts = count_users (store, remove_stale);
  g_autofree char *dir_path = sub_path (store, "sha256", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, error);
  const char *name;

  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      HakoLayerInfo *info = g_new0 (HakoLayerInfo, 1);

      info->digest = g_strconcat (DIGEST_PREFIX, name, NULL);
      info->size = tree_size (path);
      info->users = GPOINTER_TO_UINT (g_hash_table_lookup (counts, info->digest));
      g_ptr_array_add (layers, info);
    }
  return g_steal_pointer (&layers);
}

GPtrArray *
hako_layer_store_list (HakoLayerStore *store, GError **error)
{
  return list_layers (store, FALSE, error);
}

static gboolean
remove_layer (HakoLayerStore *store, const HakoLayerInfo *info, GError **error)
{
  g_autofree char *path = sub_path (store, "sha256", digest_hex (info->digest));
  g_autofree char *temp = g_build_filename (store->path, "tmp", digest_hex (info->digest), NULL);

  /* Out of sha256/ at once, so that no half-removed layer is ever used. */
  if (rename (path, temp) < 0)
    return hako_error_set_errno (error, errno, _("cannot remove layer %s"), info->digest);
  if (!hako_userns_remove_tree (temp, error))
    {
      g_prefix_error (error, _("cannot remove layer %s: "), info->digest);
      return FALSE;
    }
  return TRUE;
}

gboolean
hako_layer_store_remove (HakoLayerStore *store, const char *digest, GError **error)
{
  g_autoptr (GPtrArray) layers = list_layers (store, TRUE, error);
  const char *hex = g_str_has_prefix (digest, DIGEST_PREFIX) ? digest_hex (digest) : digest;
  HakoLayerInfo *match = NULL;

  if (layers == NULL)
    return FALSE;
  for (guint i = 0; i < layers->len && *hex; i++)
    {
      HakoLayerInfo *info = layers->pdata[i];
      if (!g_str_has_prefix (digest_hex (info->digest), hex))
        continue;
      if (match)
        {
          g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE,
                       _("\"%s\" names more than one layer (%s, %s): give more of the digest"), digest,
                       match->digest, info->digest);
          return FALSE;
        }
      match = info;
    }
  if (match == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_NOT_FOUND,
                   _("no layer %s in %s: 'hako images' lists them"), digest, store->path);
      return FALSE;
    }
  if (match->users > 0)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_EXISTS,
                   _("layer %s is in use by %u containers: delete them first ('hako list' shows them)"),
                   match->digest, match->users);
      return FALSE;
    }
  return remove_layer (store, match, error);
}

gboolean
hako_layer_store_prune (HakoLayerStore *store, guint *removed, GError **error)
{
  g_autoptr (GPtrArray) layers = list_layers (store, TRUE, error);

  *removed = 0;
  if (layers == NULL)
    return FALSE;
  for (guint i = 0; i < layers->len; i++)
    {
      HakoLayerInfo *info = layers->pdata[i];
      if (info->users > 0)
        continue;
      if (!remove_layer (store, info, error))
        return FALSE;
      (*removed)++;
    }
  return TRUE;
}
