#include "config.h"

#include <string.h>

#include "image-platform.h"
#include "json-read.h"

const HakoImagePlatform *
hako_image_host_platform (void)
{
  static const HakoImagePlatform host = {
    .os = "linux",
#if defined(__x86_64__)
    .architecture = "amd64",
#elif defined(__aarch64__)
    .architecture = "arm64",
#elif defined(__arm__) && __ARM_ARCH >= 7
    .architecture = "arm", .variant = "v7",
#elif defined(__arm__) && __ARM_ARCH == 6
    .architecture = "arm", .variant = "v6",
#elif defined(__i386__)
    .architecture = "386",
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    .architecture = "ppc64le",
#elif defined(__s390x__)
    .architecture = "s390x",
#elif defined(__riscv) && __riscv_xlen == 64
    .architecture = "riscv64",
#elif defined(__loongarch64)
    .architecture = "loong64",
#endif
  };
  return &host;
}

char *
hako_image_platform_describe (const HakoImagePlatform *platform)
{
  return g_strjoin ("/", platform->os, platform->architecture ? platform->architecture : "?",
                    platform->variant, NULL);
}

/* arm64's only variant is v8: a manifest may say it or not. */
static gboolean
variant_matches (const HakoImagePlatform *host, const char *architecture, const char *variant)
{
  if (variant == NULL || host->variant == NULL)
    return variant == NULL || (g_str_equal (architecture, "arm64") && g_str_equal (variant, "v8"));
  return g_str_equal (variant, host->variant);
}

gboolean
hako_image_platform_read (JsonObject *entry, const char *path, const HakoImagePlatform *host,
                          char **described, gboolean *matches, GError **error)
{
  g_autofree char *platform_path = NULL, *os = NULL, *architecture = NULL, *variant = NULL;
  JsonObject *platform = NULL;

  *described = NULL;
  *matches = TRUE;
  if (!hako_json_member_object (entry, path, "platform", HAKO_JSON_OPTIONAL, &platform, &platform_path, error))
    return FALSE;
  if (platform == NULL)
    return TRUE;
  if (!hako_json_member_string (platform, platform_path, "os", HAKO_JSON_REQUIRED, &os, error)
      || !hako_json_member_string (platform, platform_path, "architecture", HAKO_JSON_REQUIRED, &architecture, error)
      || !hako_json_member_string (platform, platform_path, "variant", HAKO_JSON_OPTIONAL, &variant, error))
    return FALSE;
  *described = hako_image_platform_describe (&(HakoImagePlatform){ os, architecture, variant });
  if (host->architecture)
    *matches = g_str_equal (os, host->os) && g_str_equal (architecture, host->architecture)
               && variant_matches (host, architecture, variant);
  return TRUE;
}
