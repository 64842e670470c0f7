/* Which manifest of a multi-platform index this host runs: image-spec's
 * platform object (os, architecture, variant), with Go's names for them,
 * as the images' builders write them. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

typedef struct
{
  const char *os, *architecture, *variant; /* variant NULL: any */
} HakoImagePlatform;

/* The platform hako was built for (the one its containers' binaries must
 * be), e.g. linux/amd64 or linux/arm/v7; architecture NULL when unknown. */
const HakoImagePlatform *hako_image_host_platform (void);

/* Reads ENTRY's optional "platform" (at PATH): *described is "os/arch[/variant]",
 * or NULL when absent; *matches says whether HOST runs it (TRUE when absent
 * or when HOST's architecture is unknown). */
gboolean hako_image_platform_read (JsonObject *entry, const char *path, const HakoImagePlatform *host,
                                   char **described, gboolean *matches, GError **error);

char *hako_image_platform_describe (const HakoImagePlatform *platform);
