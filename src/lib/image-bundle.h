/* The config.json of a container run from an image, as `oci-image-tool
 * create` and umoci make it: a base config (a bundle's, or what `hako
 * spec` writes) whose process comes from the image's config: Entrypoint
 * and Cmd (or ARGS instead of Cmd) as args, Env over the base's, WorkingDir
 * as cwd, User resolved through the image's /etc/passwd and /etc/group,
 * and Labels as annotations (except org.hako.*: an image does not choose
 * the runtime's features). ExposedPorts, Volumes and the rest are ignored.
 * root.path is the top layer; the overlay stacks them all. */
#pragma once

#include <glib.h>

#include "image.h"

/* LAYER_DIRS: the unpacked layers, bottom first. BASE: NULL for the default. */
char *hako_image_bundle_config (const HakoImage *image, const char *base, gsize base_length,
                                const char *const *layer_dirs, const char *const *args,
                                GError **error);

/* USER (an image's config.User: NAME, UID, NAME:GROUP, UID:GID...) as ids,
 * names looked up in PASSWD and GROUP (the files' text, may be NULL). */
gboolean hako_image_resolve_user (const char *user, const char *passwd, const char *group,
                                  guint32 *uid, guint32 *gid, GError **error);
