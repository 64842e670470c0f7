/* OCI image layouts (image-spec's image-layout.md): index.json, then the
 * manifest and config blobs, each checked against its descriptor's media
 * type, size and sha256 digest before its bytes are believed. The parsers
 * take the bytes alone, so that unit tests and the fuzzer reach them. */
#pragma once

#include <glib.h>

#include "image-platform.h"

typedef struct
{
  char *media_type;
  char *digest; /* "sha256:" and 64 lowercase hex digits */
  guint64 size;
} HakoImageDescriptor;

typedef enum
{
  HAKO_LAYER_TAR,
  HAKO_LAYER_GZIP,
  HAKO_LAYER_ZSTD,
} HakoLayerCompression;

/* What a container takes from the image's config (config.config), and
 * the layers' diff_ids (rootfs). */
typedef struct
{
  char **entrypoint, **cmd, **env; /* NULL when absent */
  char *working_dir, *user;        /* NULL when absent or empty */
  GHashTable *labels;              /* NULL when absent */
  char **diff_ids;                 /* rootfs.diff_ids: the sha256 of each layer's uncompressed tar */
} HakoImageConfig;

typedef struct
{
  char *dir;                     /* the layout directory */
  HakoImageDescriptor manifest;
  HakoImageDescriptor config_blob;
  GPtrArray *layers;             /* of HakoImageDescriptor, bottom first */
  HakoImageConfig config;
} HakoImage;

void hako_image_descriptor_clear (HakoImageDescriptor *descriptor);
void hako_image_descriptor_free (HakoImageDescriptor *descriptor);
void hako_image_config_clear (HakoImageConfig *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoImageDescriptor, hako_image_descriptor_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoImageDescriptor, hako_image_descriptor_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoImageConfig, hako_image_config_clear)

/* From an index's bytes: of the manifests PLATFORM runs (platform absent:
 * any), the one REF names (annotation org.opencontainers.image.ref.name),
 * or with REF NULL the only one, or the one called "latest". A nested
 * index is returned as it is: its media type says so (hako_image_is_index). */
gboolean hako_image_parse_index (const char *data, gsize length, const char *document,
                                 const char *ref, const HakoImagePlatform *platform,
                                 HakoImageDescriptor *out, GError **error);
gboolean hako_image_is_index (const HakoImageDescriptor *descriptor);
/* From a manifest's bytes: its config descriptor and layers (bottom first). */
gboolean hako_image_parse_manifest (const char *data, gsize length, const char *document,
                                    HakoImageDescriptor *config, GPtrArray **layers,
                                    GError **error);
/* N_LAYERS: how many the manifest has, as many as rootfs.diff_ids must list. */
gboolean hako_image_parse_config (const char *data, gsize length, const char *document,
                                  guint n_layers, HakoImageConfig *out, GError **error);
/* The compression a layer media type names; FALSE for an unknown type. */
gboolean hako_image_layer_compression (const char *media_type, HakoLayerCompression *out);

/* SPEC is DIR[:REF]. Reads and checks everything but the layers' bytes. */
HakoImage *hako_image_open (const char *spec, GError **error);
void hako_image_free (HakoImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HakoImage, hako_image_free)

/* The blob DESCRIPTOR names in IMAGE's layout, opened and checked against
 * its size and digest (read once to the end); the fd is at its start. */
int hako_image_open_blob (const HakoImage *image, const HakoImageDescriptor *descriptor,
                          GError **error);
