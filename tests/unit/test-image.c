/* The image layout's documents: index.json (choosing a manifest by
 * ref.name), manifests (media types, digests), configs, and the User
 * lookup through the image's passwd and group. */
#include "config.h"

#include <string.h>

#include "error.h"
#include "image-bundle.h"
#include "image.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"
#define D4 "sha256:4444444444444444444444444444444444444444444444444444444444444444"
#define MANIFEST_TYPE "application/vnd.oci.image.manifest.v1+json"

static void
assert_index_error (const char *json, const char *ref, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_auto (HakoImageDescriptor) d = { 0 };

  g_assert_false (hako_image_parse_index (json, strlen (json), "index.json", ref, hako_image_host_platform (), &d, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  if (strstr (error->message, expected) == NULL)
    g_error ("\"%s\" lacks \"%s\"", error->message, expected);
}

static void
test_index (void)
{
  static const char two[] = "{\"schemaVersion\": 2, \"manifests\": ["
    "{\"mediaType\": \"" MANIFEST_TYPE "\", \"digest\": \"" D1 "\", \"size\": 10,"
    " \"annotations\": {\"org.opencontainers.image.ref.name\": \"latest\"}},"
    "{\"mediaType\": \"" MANIFEST_TYPE "\", \"digest\": \"" D2 "\", \"size\": 20,"
    " \"annotations\": {\"org.opencontainers.image.ref.name\": \"v2\"}}]}";
  static const char one[] = "{\"schemaVersion\": 2, \"manifests\": ["
    "{\"mediaType\": \"" MANIFEST_TYPE "\", \"digest\": \"" D2 "\", \"size\": 20}]}";
  g_auto (HakoImageDescriptor) d = { 0 };

  g_assert_true (hako_image_parse_index (two, strlen (two), "index.json", NULL, hako_image_host_platform (), &d, NULL));
  g_assert_cmpstr (d.digest, ==, D1);
  g_assert_cmpuint (d.size, ==, 10);
  g_assert_true (hako_image_parse_index (two, strlen (two), "index.json", "v2", hako_image_host_platform (), &d, NULL));
  g_assert_cmpstr (d.digest, ==, D2);
  g_assert_cmpstr (d.media_type, ==, MANIFEST_TYPE);
  g_assert_false (hako_image_is_index (&d));
  /* One manifest is the default, named or not. */
  g_assert_true (hako_image_parse_index (one, strlen (one), "index.json", NULL, hako_image_host_platform (), &d, NULL));
  g_assert_cmpstr (d.digest, ==, D2);

  assert_index_error (two, "v3", "index.json: manifests: no manifest is called \"v3\"");
  assert_index_error (two, "v3", "latest, v2");
  assert_index_error ("{\"schemaVersion\": 2, \"manifests\": []}", NULL, "the image has no manifest");
  assert_index_error ("{\"schemaVersion\": 1, \"manifests\": []}", NULL, "schemaVersion: 1 is not supported");
  assert_index_error ("{\"schemaVersion\": 2}", NULL, "manifests");
  assert_index_error ("[]", NULL, "index.json");
  assert_index_error ("{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"text/plain\", \"digest\": \"" D1 "\", \"size\": 1}]}",
                      NULL, "manifests[0].mediaType: unknown media type \"text/plain\"");
  assert_index_error ("{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"" MANIFEST_TYPE "\", \"digest\": \"sha512:00\", \"size\": 1}]}",
                      NULL, "manifests[0].digest: \"sha512:00\": only sha256 digests are supported");
  assert_index_error ("{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"" MANIFEST_TYPE "\", \"digest\": \"sha256:../../etc/passwd\", \"size\": 1}]}",
                      NULL, "is not a sha256 digest");
  assert_index_error ("{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": \"" MANIFEST_TYPE "\", \"digest\": \"" D1 "\", \"size\": -1}]}",
                      NULL, "manifests[0].size");
}

static void
assert_manifest_error (const char *json, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_auto (HakoImageDescriptor) config = { 0 };
  g_autoptr (GPtrArray) layers = NULL;

  g_assert_false (hako_image_parse_manifest (json, strlen (json), "manifest", &config, &layers, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  if (strstr (error->message, expected) == NULL)
    g_error ("\"%s\" lacks \"%s\"", error->message, expected);
}

#define CONFIG_DESC "\"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": \"" D1 "\", \"size\": 5}"

static void
test_manifest (void)
{
  static const char json[] = "{\"schemaVersion\": 2, \"mediaType\": \"" MANIFEST_TYPE "\", " CONFIG_DESC ", \"layers\": ["
    "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\", \"digest\": \"" D1 "\", \"size\": 7},"
    "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar\", \"digest\": \"" D2 "\", \"size\": 8},"
    "{\"mediaType\": \"application/vnd.docker.image.rootfs.diff.tar.gzip\", \"digest\": \"" D2 "\", \"size\": 9}]}";
  g_auto (HakoImageDescriptor) config = { 0 };
  g_autoptr (GPtrArray) layers = NULL;
  HakoLayerCompression compression;

  g_assert_true (hako_image_parse_manifest (json, strlen (json), "manifest", &config, &layers, NULL));
  g_assert_cmpstr (config.digest, ==, D1);
  g_assert_cmpuint (layers->len, ==, 3);
  g_assert_cmpstr (((HakoImageDescriptor *) layers->pdata[1])->digest, ==, D2);
  g_assert_true (hako_image_layer_compression (((HakoImageDescriptor *) layers->pdata[0])->media_type, &compression));
  g_assert_cmpint (compression, ==, HAKO_LAYER_GZIP);
  g_assert_true (hako_image_layer_compression ("application/vnd.oci.image.layer.v1.tar+zstd", &compression));
  g_assert_cmpint (compression, ==, HAKO_LAYER_ZSTD);
  g_assert_false (hako_image_layer_compression ("application/vnd.oci.image.layer.v1.tar+bzip2", &compression));

  assert_manifest_error ("{\"schemaVersion\": 2, " CONFIG_DESC ", \"layers\": [{\"mediaType\": \"application/x-rar\", \"digest\": \"" D1 "\", \"size\": 1}]}",
                         "manifest: layers[0].mediaType: unknown layer media type \"application/x-rar\"");
  assert_manifest_error ("{\"schemaVersion\": 2, \"config\": {\"mediaType\": \"text/plain\", \"digest\": \"" D1 "\", \"size\": 1}, \"layers\": []}",
                         "config.mediaType: unknown media type \"text/plain\"");
  assert_manifest_error ("{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.index.v1+json\", " CONFIG_DESC ", \"layers\": []}",
                         "mediaType: unknown media type");
  assert_manifest_error ("{\"schemaVersion\": 2, \"layers\": []}", "config");
  assert_manifest_error ("{\"schemaVersion\": 2, " CONFIG_DESC "}", "layers");
}

#define ROOTFS "\"rootfs\": {\"type\": \"layers\", \"diff_ids\": [\"" D1 "\"]}"

static void
assert_config_error (const char *json, guint n_layers, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_auto (HakoImageConfig) config = { 0 };

  g_assert_false (hako_image_parse_config (json, strlen (json), "config", n_layers, &config, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  if (strstr (error->message, expected) == NULL)
    g_error ("\"%s\" lacks \"%s\"", error->message, expected);
}

static void
test_config (void)
{
  static const char json[] = "{\"os\": \"linux\", \"config\": {\"Entrypoint\": [\"/bin/sh\", \"-c\"], \"Cmd\": null,"
    " \"Env\": [\"A=1\"], \"WorkingDir\": \"/srv\", \"User\": \"\", \"Labels\": {\"x\": \"y\"}}, " ROOTFS "}";
  static const char bare[] = "{" ROOTFS "}";
  g_auto (HakoImageConfig) config = { 0 };
  g_auto (HakoImageConfig) empty = { 0 };

  g_assert_true (hako_image_parse_config (json, strlen (json), "config", 1, &config, NULL));
  g_assert_cmpstr (config.entrypoint[1], ==, "-c");
  g_assert_null (config.cmd);
  g_assert_null (config.user);
  g_assert_cmpstr (config.working_dir, ==, "/srv");
  g_assert_cmpstr (config.env[0], ==, "A=1");
  g_assert_cmpstr (g_hash_table_lookup (config.labels, "x"), ==, "y");
  g_assert_true (hako_image_parse_config (bare, strlen (bare), "config", 1, &empty, NULL));
  g_assert_null (empty.entrypoint);
  assert_config_error ("{\"os\": \"windows\", " ROOTFS "}", 1, "linux images only");
  assert_config_error ("{\"config\": {\"Cmd\": \"sh\"}, " ROOTFS "}", 1, "config.Cmd");
}

static void
test_diff_ids (void)
{
  static const char two[] = "{\"rootfs\": {\"type\": \"layers\", \"diff_ids\": [\"" D1 "\", \"" D2 "\"]}}";
  g_auto (HakoImageConfig) config = { 0 };

  g_assert_true (hako_image_parse_config (two, strlen (two), "config", 2, &config, NULL));
  g_assert_cmpuint (g_strv_length (config.diff_ids), ==, 2);
  g_assert_cmpstr (config.diff_ids[1], ==, D2);
  assert_config_error ("{}", 0, "config: rootfs");
  assert_config_error ("{\"rootfs\": {\"type\": \"layers\"}}", 0, "rootfs.diff_ids");
  assert_config_error ("{\"rootfs\": {\"diff_ids\": []}}", 0, "rootfs.type");
  assert_config_error ("{\"rootfs\": {\"type\": \"tarballs\", \"diff_ids\": []}}", 0,
                       "rootfs.type: \"tarballs\" is not supported (\"layers\" is)");
  assert_config_error (two, 3, "rootfs.diff_ids: 2 diff_ids for the manifest's 3 layers");
  assert_config_error (two, 1, "2 diff_ids for the manifest's 1 layers");
  assert_config_error ("{\"rootfs\": {\"type\": \"layers\", \"diff_ids\": [\"sha512:00\"]}}", 1,
                       "rootfs.diff_ids[0]: \"sha512:00\": only sha256 digests are supported");
  assert_config_error ("{\"rootfs\": {\"type\": \"layers\", \"diff_ids\": [\"" D1 "\", \"sha256:ABC\"]}}", 2,
                       "rootfs.diff_ids[1]: \"sha256:ABC\" is not a sha256 digest");
  assert_config_error ("{\"rootfs\": {\"type\": \"layers\", \"diff_ids\": [7]}}", 1, "rootfs.diff_ids");
}

static void
test_user (void)
{
  static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\nwww:x:33:34:www:/var/www:/bin/false\n";
  static const char group[] = "root:x:0:\nwww-data:x:34:\nstaff:x:50:\n";
  g_autoptr (GError) error = NULL;
  guint32 uid, gid;

  g_assert_true (hako_image_resolve_user ("www", passwd, group, &uid, &gid, NULL));
  g_assert_cmpuint (uid, ==, 33);
  g_assert_cmpuint (gid, ==, 34);
  g_assert_true (hako_image_resolve_user ("33", passwd, group, &uid, &gid, NULL));
  g_assert_cmpuint (gid, ==, 34);
  g_assert_true (hako_image_resolve_user ("www:staff", passwd, group, &uid, &gid, NULL));
  g_assert_cmpuint (gid, ==, 50);
  g_assert_true (hako_image_resolve_user ("1000:1001", NULL, NULL, &uid, &gid, NULL));
  g_assert_cmpuint (uid, ==, 1000);
  g_assert_cmpuint (gid, ==, 1001);
  g_assert_true (hako_image_resolve_user ("1000", NULL, NULL, &uid, &gid, NULL));
  g_assert_cmpuint (gid, ==, 0);
  g_assert_false (hako_image_resolve_user ("nobody", passwd, group, &uid, &gid, &error));
  g_assert_nonnull (strstr (error->message, "no \"nobody\" in the image's /etc/passwd"));
  g_clear_error (&error);
  g_assert_false (hako_image_resolve_user ("www:", passwd, group, &uid, &gid, &error));
  g_assert_nonnull (strstr (error->message, "is not USER, UID"));
}

/* A multi-platform index: the host's manifest, whatever the order. */
static void
test_index_platform (void)
{
#define ENTRY(digest, platform) "{\"mediaType\": \"" MANIFEST_TYPE "\", \"digest\": \"" digest "\", \"size\": 5, \"platform\": " platform "}"
  static const char index[] = "{\"schemaVersion\": 2, \"manifests\": ["
    ENTRY (D1, "{\"os\": \"linux\", \"architecture\": \"s390x\"}") ","
    ENTRY (D2, "{\"os\": \"linux\", \"architecture\": \"arm64\", \"variant\": \"v8\"}") ","
    ENTRY (D3, "{\"os\": \"linux\", \"architecture\": \"arm\", \"variant\": \"v7\"}") ","
    ENTRY (D4, "{\"os\": \"windows\", \"architecture\": \"amd64\"}") "]}";
  static const char no_architecture[] = "{\"schemaVersion\": 2, \"manifests\": [" ENTRY (D1, "{\"os\": \"linux\"}") "]}";
  static const HakoImagePlatform s390x = { "linux", "s390x", NULL };
  static const HakoImagePlatform arm64 = { "linux", "arm64", NULL };
  static const HakoImagePlatform armv7 = { "linux", "arm", "v7" };
  static const HakoImagePlatform armv6 = { "linux", "arm", "v6" };
  static const HakoImagePlatform unknown = { "linux", NULL, NULL };
  g_auto (HakoImageDescriptor) d = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (hako_image_parse_index (index, strlen (index), "index.json", NULL, &s390x, &d, NULL));
  g_assert_cmpstr (d.digest, ==, D1);
  g_assert_true (hako_image_parse_index (index, strlen (index), "index.json", NULL, &arm64, &d, NULL));
  g_assert_cmpstr (d.digest, ==, D2);
  g_assert_true (hako_image_parse_index (index, strlen (index), "index.json", NULL, &armv7, &d, NULL));
  g_assert_cmpstr (d.digest, ==, D3);
  g_assert_false (hako_image_parse_index (index, strlen (index), "index.json", NULL, &armv6, &d, &error));
  g_assert_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "no manifest for this host's platform linux/arm/v6 (the image has linux/s390x, linux/arm64/v8, linux/arm/v7, windows/amd64)"));
  g_clear_error (&error);
  /* Not knowing its own architecture, hako cannot choose: all four are candidates. */
  g_assert_false (hako_image_parse_index (index, strlen (index), "index.json", NULL, &unknown, &d, &error));
  g_assert_nonnull (strstr (error->message, "4 manifests and none called \"latest\""));
  g_clear_error (&error);
  g_assert_false (hako_image_parse_index (no_architecture, strlen (no_architecture), "index.json", NULL, &s390x, &d, &error));
  g_assert_nonnull (strstr (error->message, "manifests[0].platform.architecture"));
  g_assert_nonnull (hako_image_host_platform ()->os);
#undef ENTRY
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/image/index", test_index);
  g_test_add_func ("/image/index-platform", test_index_platform);
  g_test_add_func ("/image/manifest", test_manifest);
  g_test_add_func ("/image/config", test_config);
  g_test_add_func ("/image/diff-ids", test_diff_ids);
  g_test_add_func ("/image/user", test_user);
  return g_test_run ();
}
