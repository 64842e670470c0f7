/* hako _unpack-layer MEDIA_TYPE DIGEST DIFF_ID: an image layer unpacked
 * as root of a user namespace of the caller's subordinate ids, started by
 * the runtime (see layer-owners.h); not for people, so not in the command
 * list. It reports on its fd, not on stderr: the runtime quotes it. */
#include "config.h"

#include "commands.h"
#include "error.h"
#include "layer-owners.h"

gboolean
hako_cmd_unpack_layer (HakoGlobalOptions *global, int argc, char **argv, GError **error)
{
  if (argc != 4)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_USAGE, "usage: hako %s MEDIA_TYPE DIGEST DIFF_ID",
                   HAKO_LAYER_UNPACK_COMMAND);
      return FALSE;
    }
  global->exit_status = hako_layer_unpack_helper (argv[1], argv[2], argv[3]) ? 0 : 1;
  return TRUE;
}
