/* create --image: the image opened and checked, its layers in the store,
 * the container's config.json built from it, and the layers recorded as
 * the container's once its state directory exists. */
#pragma once

#include <glib.h>

#include "layer-store.h"

typedef struct
{
  char *config;       /* the container's config.json */
  char **layer_dirs;  /* bottom first */
  char **digests;     /* of the layers, bottom first */
  HakoLayerStore *store; /* locked until the layers are pinned */
} HakoContainerImage;

void hako_container_image_clear (HakoContainerImage *image);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoContainerImage, hako_container_image_clear)

/* SPEC: DIR[:REF]. BASE: a bundle's config.json (NULL: hako spec's).
 * ARGS (may be NULL or empty): the command instead of the image's Cmd. */
gboolean hako_container_image_prepare (const char *spec, const char *base, gsize base_length,
                                       const char *const *args, HakoContainerImage *out,
                                       GError **error);
/* Records the layers as used by the container of STATE_DIR, and unlocks the store. */
gboolean hako_container_image_pin (HakoContainerImage *image, const char *state_dir,
                                   GError **error);
