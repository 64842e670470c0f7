#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"
#include "fd-util.h"
#include "i18n.h"
#include "layer-owners.h"
#include "layer-unpack.h"
#include "log.h"
#include "userns.h"

struct HakoLayerUnpacker
{
  int userns_fd;              /* rootless with ranges: the hidden command runs there; else -1 */
  HakoLayerUnpackFlags flags; /* in the runtime */
};

HakoLayerUnpacker *
hako_layer_unpacker_new (GError **error)
{
  g_autoptr (HakoLayerUnpacker) unpacker = g_new0 (HakoLayerUnpacker, 1);
  g_autofree char *notice = NULL;

  unpacker->userns_fd = -1;
  if (hako_userns_is_root ())
    {
      unpacker->flags = HAKO_LAYER_UNPACK_OWNERS | (hako_userns_is_host_root () ? HAKO_LAYER_UNPACK_DEVICES : 0);
      return g_steal_pointer (&unpacker);
    }
  unpacker->userns_fd = hako_userns_open_subordinate (&notice, error);
  if (notice)
    hako_log_warning (_("image layers are unpacked without their files' owners, every file the container's root's: %s"),
                      notice);
  else if (unpacker->userns_fd < 0)
    {
      g_prefix_error (error, _("cannot unpack image layers with their files' owners: "));
      return NULL;
    }
  return g_steal_pointer (&unpacker);
}

void
hako_layer_unpacker_free (HakoLayerUnpacker *unpacker)
{
  if (unpacker == NULL)
    return;
  if (unpacker->userns_fd >= 0)
    close (unpacker->userns_fd);
  g_free (unpacker);
}

static gboolean
unknown_media_type (const HakoImageDescriptor *layer, GError **error)
{
  g_set_error (error, HAKO_ERROR, HAKO_ERROR_CONFIG, _("layer %s: unknown media type \"%s\""), layer->digest,
               layer->media_type);
  return FALSE;
}

/* What the hidden command wrote to REPORT_FD (a memfd, at its end). */
static char *
read_report (int report_fd)
{
  GString *report = g_string_new (NULL);
  char buffer[4096];
  ssize_t n;

  if (lseek (report_fd, 0, SEEK_SET) == 0)
    while ((n = read (report_fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
      g_string_append_len (report, buffer, MAX (n, 0));
  return g_string_free (report, FALSE);
}

static gboolean
run_helper (HakoLayerUnpacker *unpacker, const HakoImageDescriptor *layer, const char *diff_id, int blob_fd,
            int dir_fd, guint *skipped, GError **error)
{
  /* By the magic link: hako may run from a sealed memfd copy (self-exe.h). */
  const char *argv[] = { "/proc/self/exe", HAKO_LAYER_UNPACK_COMMAND, layer->media_type, layer->digest, diff_id, NULL };
  /* Not a pipe: the runtime reads it after the helper's end, however long its message. */
  hako_autofd int report_fd = memfd_create ("hako-unpack-report", MFD_CLOEXEC);
  g_autoptr (GError) run_error = NULL;
  g_autofree char *report = NULL;
  const char *message;
  gboolean ran;

  if (report_fd < 0)
    return hako_error_set_errno (error, errno, "memfd_create");
  ran = hako_userns_run_in (unpacker->userns_fd, argv, (const int[]){ blob_fd, dir_fd, report_fd }, 3, &run_error);
  report = read_report (report_fd);
  if (ran && report[0] == 'S')
    {
      *skipped = atoi (report + 1);
      return TRUE;
    }
  if (report[0] == 'E' && (message = strchr (report, ':')) != NULL)
    g_set_error_literal (error, HAKO_ERROR, atoi (report + 1), message + 1);
  else if (!ran)
    g_propagate_prefixed_error (error, g_steal_pointer (&run_error), _("layer %s: "), layer->digest);
  else
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED, _("layer %s: the unpacker reported nothing"), layer->digest);
  return FALSE;
}

gboolean
hako_layer_unpacker_run (HakoLayerUnpacker *unpacker, const HakoImageDescriptor *layer, const char *diff_id,
                         int blob_fd, int dir_fd, GError **error)
{
  HakoLayerCompression compression;
  guint skipped = 0;
  gboolean ok;

  if (!hako_image_layer_compression (layer->media_type, &compression))
    return unknown_media_type (layer, error);
  if (unpacker->userns_fd >= 0)
    ok = run_helper (unpacker, layer, diff_id, blob_fd, dir_fd, &skipped, error);
  else
    ok = hako_layer_unpack (blob_fd, compression, dir_fd, layer->digest, diff_id, unpacker->flags, &skipped, error);
  if (ok && skipped > 0)
    hako_log_warning (_("layer %s: %u device nodes skipped: an unprivileged user cannot create them (the container's /dev comes from the config)"),
                      layer->digest, skipped);
  return ok;
}

gboolean
hako_layer_unpack_helper (const char *media_type, const char *name, const char *diff_id)
{
  const HakoImageDescriptor layer = { .media_type = (char *) media_type, .digest = (char *) name };
  g_autoptr (GError) error = NULL;
  g_autofree char *report = NULL;
  HakoLayerCompression compression;
  guint skipped = 0;
  gboolean ok;

  ok = hako_image_layer_compression (media_type, &compression) || unknown_media_type (&layer, &error);
  ok = ok && hako_layer_unpack (HAKO_LAYER_UNPACK_BLOB_FD, compression, HAKO_LAYER_UNPACK_DIR_FD, name, diff_id,
                                HAKO_LAYER_UNPACK_OWNERS, &skipped, &error);
  report = ok ? g_strdup_printf ("S%u", skipped) : g_strdup_printf ("E%d:%s", error->code, error->message);
  return hako_fd_write_all (HAKO_LAYER_UNPACK_REPORT_FD, report, strlen (report), NULL) && ok;
}
