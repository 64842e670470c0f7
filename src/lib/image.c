#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "image.h"
#include "image-platform.h"
#include "json-read.h"

#define MEDIA_OCI "application/vnd.oci.image."
#define MEDIA_DOCKER "application/vnd.docker."
#define REF_ANNOTATION "org.opencontainers.image.ref.name"
#define DIGEST_PREFIX "sha256:"
#define DIGEST_HEX_LEN 64
/* index.json, manifests and configs are small; a larger one is hostile. */
#define JSON_BLOB_MAX (4 * 1024 * 1024)

static const char *const index_types[] = {
  MEDIA_OCI "index.v1+json",
  MEDIA_DOCKER "distribution.manifest.list.v2+json",
  NULL,
};
static const char *const manifest_types[] = {
  MEDIA_OCI "manifest.v1+json",
  MEDIA_DOCKER "distribution.manifest.v2+json",
  NULL,
};
static const char *const config_types[] = {
  MEDIA_OCI "config.v1+json",
  MEDIA_DOCKER "container.image.v1+json",
  NULL,
};
static const struct
{
  const char *media_type;
  HakoLayerCompression compression;
} layer_types[] = {
  { MEDIA_OCI "layer.v1.tar", HAKO_LAYER_TAR },
  { MEDIA_OCI "layer.v1.tar+gzip", HAKO_LAYER_GZIP },
  { MEDIA_OCI "layer.v1.tar+zstd", HAKO_LAYER_ZSTD },
  { MEDIA_OCI "layer.nondistributable.v1.tar", HAKO_LAYER_TAR },
  { MEDIA_OCI "layer.nondistributable.v1.tar+gzip", HAKO_LAYER_GZIP },
  { MEDIA_OCI "layer.nondistributable.v1.tar+zstd", HAKO_LAYER_ZSTD },
  { MEDIA_DOCKER "image.rootfs.diff.tar.gzip", HAKO_LAYER_GZIP },
};

void
hako_image_descriptor_clear (HakoImageDescriptor *descriptor)
{
  g_clear_pointer (&descriptor->media_type, g_free);
  g_clear_pointer (&descriptor->digest, g_free);
  descriptor->size = 0;
}

void
hako_image_descriptor_free (HakoImageDescriptor *descriptor)
{
  if (descriptor == NULL)
    return;
  hako_image_descriptor_clear (descriptor);
  g_free (descriptor);
}

void
hako_image_config_clear (HakoImageConfig *config)
{
  g_clear_pointer (&config->entrypoint, g_strfreev);
  g_clear_pointer (&config->cmd, g_strfreev);
  g_clear_pointer (&config->env, g_strfreev);
  g_clear_pointer (&config->working_dir, g_free);
  g_clear_pointer (&config->user, g_free);
  g_clear_pointer (&config->labels, g_hash_table_unref);
  g_clear_pointer (&config->diff_ids, g_strfreev);
}

gboolean
hako_image_is_index (const HakoImageDescriptor *descriptor)
{
  return g_strv_contains (index_types, descriptor->media_type);
}

gboolean
hako_image_layer_compression (const char *media_type, HakoLayerCompression *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (layer_types); i++)
    if (g_str_equal (layer_types[i].media_type, media_type))
      {
        *out = layer_types[i].compression;
        return TRUE;
      }
  return FALSE;
}

static gboolean
check_digest (const char *digest, const char *path, GError **error)
{
  const char *hex = digest + strlen (DIGEST_PREFIX);

  if (!g_str_has_prefix (digest, DIGEST_PREFIX))
    return hako_json_invalid (error, path, _("\"%s\": only sha256 digests are supported"), digest);
  if (strlen (hex) != DIGEST_HEX_LEN || strspn (hex, "0123456789abcdef") != DIGEST_HEX_LEN)
    return hako_json_invalid (error, path, _("\"%s\" is not a sha256 digest (sha256: and 64 lowercase hex digits)"),
                              digest);
  return TRUE;
}

/* A member that is absent or JSON null (as Docker writes "Cmd": null). */
static gboolean
member_given (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

/* A descriptor at PATH whose media type must be one of TYPES (NULL: any). */
static gboolean
read_descriptor (JsonObject *object, const char *path, const char *const *types,
                 HakoImageDescriptor *out, GError **error)
{
  g_autofree char *digest_path = hako_json_path_member (path, "digest");
  g_autofree char *type_path = hako_json_path_member (path, "mediaType");
  HakoOptUint size = { 0 };

  if (!hako_json_member_string (object, path, "mediaType", HAKO_JSON_REQUIRED, &out->media_type, error)
      || !hako_json_member_string (object, path, "digest", HAKO_JSON_REQUIRED, &out->digest, error)
      || !hako_json_member_uint (object, path, "size", HAKO_JSON_REQUIRED, G_MAXINT64, &size, error)
      || !check_digest (out->digest, digest_path, error))
    return FALSE;
  out->size = size.value;
  if (types && !g_strv_contains (types, out->media_type))
    return hako_json_invalid (error, type_path, _("unknown media type \"%s\" (expected %s)"),
                              out->media_type, types[0]);
  return TRUE;
}

/* DOCUMENT's top object, with schemaVersion 2 and, when it says, a
 * media type of TYPES. */
static gboolean
read_document (const char *data, gsize length, const char *document, const char *const *types,
               JsonNode **root, JsonObject **object, GError **error)
{
  HakoOptInt version = { 0 };
  g_autofree char *media_type = NULL;

  if (!hako_json_parse_document (data, length, document, root, error)
      || !hako_json_node_object (*root, "", object, error)
      || !hako_json_member_int (*object, "", "schemaVersion", HAKO_JSON_REQUIRED, 0, G_MAXINT, &version, error)
      || !hako_json_member_string (*object, "", "mediaType", HAKO_JSON_OPTIONAL, &media_type, error))
    return FALSE;
  if (version.value != 2)
    return hako_json_invalid (error, "schemaVersion", _("%d is not supported (2 is)"), (int) version.value);
  if (media_type && !g_strv_contains (types, media_type))
    return hako_json_invalid (error, "mediaType", _("unknown media type \"%s\" (expected %s)"),
                              media_type, types[0]);
  return TRUE;
}

static gboolean
prefixed (gboolean ok, const char *document, GError **error)
{
  if (!ok)
    g_prefix_error (error, "%s: ", document);
  return ok;
}

/* The entries REF names (or all, with REF NULL) that PLATFORM runs. */
static gboolean
parse_index (const char *data, gsize length, const char *ref, const HakoImagePlatform *platform,
             HakoImageDescriptor *out, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *manifests = NULL;
  g_autofree char *manifests_path = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) foreign = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) hako_image_descriptor_free);
  g_autoptr (GPtrArray) candidate_names = g_ptr_array_new_with_free_func (g_free);
  HakoImageDescriptor *chosen = NULL;
  guint n;

  if (!read_document (data, length, "index", index_types, &root, &object, error)
      || !hako_json_member_array (object, "", "manifests", HAKO_JSON_REQUIRED, &manifests, &manifests_path, error))
    return FALSE;
  n = json_array_get_length (manifests);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = NULL, *described = NULL;
      g_autoptr (GHashTable) annotations = NULL;
      g_autoptr (HakoImageDescriptor) d = g_new0 (HakoImageDescriptor, 1);
      gboolean runs;
      const char *name;
      JsonObject *entry;

      if (!hako_json_array_object (manifests, manifests_path, i, &entry, &path, error)
          || !hako_json_member_string_map (entry, path, "annotations", &annotations, error)
          || !hako_image_platform_read (entry, path, platform, &described, &runs, error))
        return FALSE;
      name = annotations ? g_hash_table_lookup (annotations, REF_ANNOTATION) : NULL;
      g_ptr_array_add (names, g_strdup (name ? name : described ? described : "-"));
      if (ref && (name == NULL || !g_str_equal (name, ref)))
        continue;
      if (!runs)
        {
          g_ptr_array_add (foreign, g_steal_pointer (&described));
          continue;
        }
      if (!read_descriptor (entry, path, NULL, d, error))
        return FALSE;
      if (!g_strv_contains (manifest_types, d->media_type) && !hako_image_is_index (d))
        {
          g_autofree char *type_path = hako_json_path_member (path, "mediaType");
          return hako_json_invalid (error, type_path, _("unknown media type \"%s\" (expected %s)"),
                                    d->media_type, manifest_types[0]);
        }
      g_ptr_array_add (candidate_names, g_strdup (name));
      g_ptr_array_add (candidates, g_steal_pointer (&d));
    }
  /* One that runs here is the default, named or not; of several, the one
   * called latest, as tools that tag nothing else mean. */
  for (guint i = 0; i < candidates->len; i++)
    if (candidates->len == 1 || ref || g_strcmp0 (candidate_names->pdata[i], "latest") == 0)
      {
        if (chosen)
          return hako_json_invalid (error, manifests_path, _("more than one manifest is called \"%s\""),
                                    ref ? ref : "latest");
        chosen = candidates->pdata[i];
      }
  if (chosen)
    {
      hako_image_descriptor_clear (out);
      *out = *chosen;
      *chosen = (HakoImageDescriptor){ 0 };
      return TRUE;
    }
  if (n == 0)
    return hako_json_invalid (error, manifests_path, _("the image has no manifest"));
  g_ptr_array_add (names, NULL);
  if (candidates->len == 0 && foreign->len > 0)
    {
      g_ptr_array_add (foreign, NULL);
      g_autofree char *host = hako_image_platform_describe (platform);
      g_autofree char *list = g_strjoinv (", ", (char **) foreign->pdata);
      return hako_json_invalid (error, manifests_path, _("no manifest for this host's platform %s (the image has %s): use an image built for %s"),
                                host, list, host);
    }
  {
    g_autofree char *list = g_strjoinv (", ", (char **) names->pdata);
    if (ref)
      return hako_json_invalid (error, manifests_path, _("no manifest is called \"%s\" (%s: %s): name one of these after the directory, as DIR:REF"),
                                ref, REF_ANNOTATION, list);
    return hako_json_invalid (error, manifests_path, _("%u manifests and none called \"latest\" (%s: %s): name one after the directory, as DIR:REF"),
                              candidates->len, REF_ANNOTATION, list);
  }
}

gboolean
hako_image_parse_index (const char *data, gsize length, const char *document, const char *ref,
                        const HakoImagePlatform *platform, HakoImageDescriptor *out, GError **error)
{
  return prefixed (parse_index (data, length, ref, platform, out, error), document, error);
}

static gboolean
parse_manifest (const char *data, gsize length, HakoImageDescriptor *config, GPtrArray **layers_out,
                GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) layers = g_ptr_array_new_with_free_func ((GDestroyNotify) hako_image_descriptor_free);
  g_autofree char *config_path = NULL, *layers_path = NULL;
  JsonObject *object, *config_object;
  JsonArray *array = NULL;

  if (!read_document (data, length, "manifest", manifest_types, &root, &object, error)
      || !hako_json_member_object (object, "", "config", HAKO_JSON_REQUIRED, &config_object, &config_path, error)
      || !read_descriptor (config_object, config_path, config_types, config, error)
      || !hako_json_member_array (object, "", "layers", HAKO_JSON_REQUIRED, &array, &layers_path, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = NULL, *type_path = NULL;
      HakoImageDescriptor *layer = g_new0 (HakoImageDescriptor, 1);
      HakoLayerCompression compression;
      JsonObject *entry;

      g_ptr_array_add (layers, layer);
      if (!hako_json_array_object (array, layers_path, i, &entry, &path, error)
          || !read_descriptor (entry, path, NULL, layer, error))
        return FALSE;
      type_path = hako_json_path_member (path, "mediaType");
      if (!hako_image_layer_compression (layer->media_type, &compression))
        return hako_json_invalid (error, type_path, _("unknown layer media type \"%s\" (hako unpacks %s, +gzip and +zstd)"),
                                  layer->media_type, layer_types[0].media_type);
    }
  *layers_out = g_steal_pointer (&layers);
  return TRUE;
}

gboolean
hako_image_parse_manifest (const char *data, gsize length, const char *document,
                           HakoImageDescriptor *config, GPtrArray **layers, GError **error)
{
  return prefixed (parse_manifest (data, length, config, layers, error), document, error);
}

/* A string member that may be absent, null or empty: all mean "not set". */
static gboolean
optional_string (JsonObject *object, const char *member, char **out, GError **error)
{
  if (!member_given (object, member))
    return TRUE;
  if (!hako_json_member_string (object, "config", member, HAKO_JSON_OPTIONAL, out, error))
    return FALSE;
  if (**out == '\0')
    g_clear_pointer (out, g_free);
  return TRUE;
}

static gboolean
optional_strv (JsonObject *object, const char *member, GStrv *out, GError **error)
{
  return !member_given (object, member)
         || hako_json_member_strv (object, "config", member, HAKO_JSON_OPTIONAL, out, error);
}

/* rootfs: the diff_ids, one per layer of the manifest (N_LAYERS). */
static gboolean
parse_rootfs (JsonObject *object, guint n_layers, GStrv *out, GError **error)
{
  JsonObject *rootfs;
  g_autofree char *rootfs_path = NULL, *type = NULL;
  g_auto (GStrv) diff_ids = NULL;

  if (!hako_json_member_object (object, "", "rootfs", HAKO_JSON_REQUIRED, &rootfs, &rootfs_path, error)
      || !hako_json_member_string (rootfs, rootfs_path, "type", HAKO_JSON_REQUIRED, &type, error)
      || !hako_json_member_strv (rootfs, rootfs_path, "diff_ids", HAKO_JSON_REQUIRED, &diff_ids, error))
    return FALSE;
  if (!g_str_equal (type, "layers"))
    return hako_json_invalid (error, "rootfs.type", _("\"%s\" is not supported (\"layers\" is)"), type);
  if (g_strv_length (diff_ids) != n_layers)
    return hako_json_invalid (error, "rootfs.diff_ids", _("%u diff_ids for the manifest's %u layers: the image is corrupt, copy it again"),
                              g_strv_length (diff_ids), n_layers);
  for (guint i = 0; i < n_layers; i++)
    {
      g_autofree char *path = hako_json_path_index ("rootfs.diff_ids", i);
      if (!check_digest (diff_ids[i], path, error))
        return FALSE;
    }
  *out = g_steal_pointer (&diff_ids);
  return TRUE;
}

static gboolean
parse_config (const char *data, gsize length, guint n_layers, HakoImageConfig *out, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object, *config = NULL;
  g_autofree char *config_path = NULL, *os = NULL;

  if (!hako_json_parse_document (data, length, "config", &root, error)
      || !hako_json_node_object (root, "", &object, error)
      || !hako_json_member_string (object, "", "os", HAKO_JSON_OPTIONAL, &os, error)
      || !parse_rootfs (object, n_layers, &out->diff_ids, error))
    return FALSE;
  if (os && !g_str_equal (os, "linux"))
    return hako_json_invalid (error, "os", _("\"%s\": hako runs linux images only"), os);
  if (!member_given (object, "config"))
    return TRUE;
  if (!hako_json_member_object (object, "", "config", HAKO_JSON_OPTIONAL, &config, &config_path, error))
    return FALSE;
  return optional_strv (config, "Entrypoint", &out->entrypoint, error)
         && optional_strv (config, "Cmd", &out->cmd, error)
         && optional_strv (config, "Env", &out->env, error)
         && optional_string (config, "WorkingDir", &out->working_dir, error)
         && optional_string (config, "User", &out->user, error)
         && (!member_given (config, "Labels")
             || hako_json_member_string_map (config, "config", "Labels", &out->labels, error));
}

gboolean
hako_image_parse_config (const char *data, gsize length, const char *document, guint n_layers,
                         HakoImageConfig *out, GError **error)
{
  return prefixed (parse_config (data, length, n_layers, out, error), document, error);
}

/* ---- the layout on disk ---- */

void
hako_image_free (HakoImage *image)
{
  if (image == NULL)
    return;
  g_free (image->dir);
  hako_image_descriptor_clear (&image->manifest);
  hako_image_descriptor_clear (&image->config_blob);
  g_clear_pointer (&image->layers, g_ptr_array_unref);
  hako_image_config_clear (&image->config);
  g_free (image);
}

/* PATH under DIR, never through a symlink leading out of it. */
static int
open_beneath (const char *dir, const char *path, GError **error)
{
  struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY,
                          .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
  hako_autofd int dir_fd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  int fd;
  struct stat st;

  fd = dir_fd < 0 ? -1 : syscall (SYS_openat2, dir_fd, path, &how, sizeof how);
  if (fd < 0)
    {
      hako_error_set_errno (error, errno, _("image %s: %s"), dir, path);
      return -1;
    }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("image %s: %s is not a regular file"), dir, path);
      close (fd);
      return -1;
    }
  return fd;
}

static gboolean
blob_mismatch (const HakoImage *image, const HakoImageDescriptor *d, const char *what,
               GError **error)
{
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG,
               _("image %s: blob %s (%s) does not match its descriptor: %s; the layout is corrupt, copy the image again"),
               image->dir, d->digest, d->media_type, what);
  return FALSE;
}

/* Reads FD to its end, checking that it has D's size and digest. */
static gboolean
verify_blob (const HakoImage *image, const HakoImageDescriptor *d, int fd, GByteArray *keep,
             GError **error)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *buffer = g_malloc (65536);
  guint64 total = 0;
  ssize_t n;

  while ((n = read (fd, buffer, 65536)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return hako_error_set_errno (error, errno, _("image %s: blob %s"), image->dir, d->digest);
      total += n;
      if (total > d->size)
        return blob_mismatch (image, d, _("larger than its size"), error);
      g_checksum_update (sum, (const guchar *) buffer, n);
      if (keep)
        g_byte_array_append (keep, (const guint8 *) buffer, n);
    }
  if (total != d->size)
    return blob_mismatch (image, d, _("smaller than its size"), error);
  if (!g_str_equal (g_checksum_get_string (sum), d->digest + strlen (DIGEST_PREFIX)))
    return blob_mismatch (image, d, _("wrong sha256 digest"), error);
  return TRUE;
}

static int
open_blob (const HakoImage *image, const HakoImageDescriptor *d, GByteArray *keep, GError **error)
{
  g_autofree char *path = g_strconcat ("blobs/sha256/", d->digest + strlen (DIGEST_PREFIX), NULL);
  int fd = open_beneath (image->dir, path, error);

  if (fd < 0)
    return -1;
  if (!verify_blob (image, d, fd, keep, error) || lseek (fd, 0, SEEK_SET) < 0)
    {
      if (error && *error == NULL)
        hako_error_set_errno (error, errno, "lseek");
      close (fd);
      return -1;
    }
  return fd;
}

int
hako_image_open_blob (const HakoImage *image, const HakoImageDescriptor *descriptor, GError **error)
{
  return open_blob (image, descriptor, NULL, error);
}

/* A JSON blob's checked bytes. */
static GBytes *
read_json_blob (const HakoImage *image, const HakoImageDescriptor *d, GError **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  hako_autofd int fd = -1;

  if (d->size > JSON_BLOB_MAX)
    {
      blob_mismatch (image, d, _("too large for a JSON document"), error);
      return NULL;
    }
  fd = open_blob (image, d, bytes, error);
  if (fd < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* DIR[:REF]: the last colon starts REF unless the whole is a directory. */
static void
split_spec (const char *spec, char **dir, char **ref)
{
  const char *colon = strrchr (spec, ':');

  if (colon == NULL || strchr (colon, '/') || g_file_test (spec, G_FILE_TEST_IS_DIR))
    {
      *dir = g_canonicalize_filename (spec, NULL);
      *ref = NULL;
      return;
    }
  {
    g_autofree char *head = g_strndup (spec, colon - spec);
    *dir = g_canonicalize_filename (head, NULL);
  }
  *ref = colon[1] ? g_strdup (colon + 1) : NULL;
}

/* index.json, then nested indexes (a few levels at most), to a manifest. */
static gboolean
find_manifest (HakoImage *image, const char *ref, GError **error)
{
  g_autofree char *document = g_build_filename (image->dir, "index.json", NULL);
  g_autofree char *index = g_malloc (JSON_BLOB_MAX);
  hako_autofd int fd = open_beneath (image->dir, "index.json", error);
  gsize length = 0;
  ssize_t n = 0;

  if (fd < 0)
    {
      g_prefix_error (error, _("not an OCI image layout (as skopeo copy ... oci:DIR:TAG or umoci make them): "));
      return FALSE;
    }
  while (length < JSON_BLOB_MAX && ((n = read (fd, index + length, JSON_BLOB_MAX - length)) > 0
                                    || (n < 0 && errno == EINTR)))
    length += MAX (n, 0);
  if (n < 0)
    return hako_error_set_errno (error, errno, "%s", document);
  if (!hako_image_parse_index (index, length, document, ref, hako_image_host_platform (), &image->manifest, error))
    return FALSE;
  for (int depth = 0; hako_image_is_index (&image->manifest); depth++)
    {
      g_autoptr (GBytes) nested = NULL;
      g_auto (HakoImageDescriptor) next = { 0 };
      g_autofree char *name = g_strdup_printf ("index %s", image->manifest.digest);

      if (depth == 4)
        return blob_mismatch (image, &image->manifest, _("indexes nested too deep"), error);
      if ((nested = read_json_blob (image, &image->manifest, error)) == NULL
          || !hako_image_parse_index (g_bytes_get_data (nested, NULL), g_bytes_get_size (nested), name,
                                      NULL, hako_image_host_platform (), &next, error))
        return FALSE;
      hako_image_descriptor_clear (&image->manifest);
      image->manifest = next;
      next = (HakoImageDescriptor){ 0 };
    }
  return TRUE;
}

HakoImage *
hako_image_open (const char *spec, GError **error)
{
  g_autoptr (HakoImage) image = g_new0 (HakoImage, 1);
  g_autofree char *ref = NULL, *name = NULL;
  g_autoptr (GBytes) manifest = NULL, config = NULL;

  split_spec (spec, &image->dir, &ref);
  if (!find_manifest (image, ref, error)
      || (manifest = read_json_blob (image, &image->manifest, error)) == NULL)
    return NULL;
  name = g_strdup_printf ("manifest %s", image->manifest.digest);
  if (!hako_image_parse_manifest (g_bytes_get_data (manifest, NULL), g_bytes_get_size (manifest), name,
                                  &image->config_blob, &image->layers, error)
      || (config = read_json_blob (image, &image->config_blob, error)) == NULL)
    return NULL;
  g_free (name);
  name = g_strdup_printf ("config %s", image->config_blob.digest);
  if (!hako_image_parse_config (g_bytes_get_data (config, NULL), g_bytes_get_size (config), name,
                                image->layers->len, &image->config, error))
    return NULL;
  return g_steal_pointer (&image);
}
