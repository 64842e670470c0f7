#include "config.h"

#include <dlfcn.h>

#include "archive-loader.h"
#include "error.h"
#include "i18n.h"

/* The ABI hako is built against (libarchive 3.x has kept it since 2011). */
#define ARCHIVE_SONAME "libarchive.so.13"

const HakoArchiveApi *
hako_archive_api (GError **error)
{
  static HakoArchiveApi api;
  static gboolean loaded;
  void *handle;

  if (loaded)
    return &api;
  handle = dlopen (ARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL)
    {
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,
                   _("unpacking image layers needs %s, which cannot be loaded (%s): install it (Debian: apt install libarchive13)"),
                   ARCHIVE_SONAME, dlerror ());
      return NULL;
    }
#define HAKO_ARCHIVE_LOAD(name)                                                                    \
  if ((api.name = (__typeof__ (api.name)) dlsym (handle, #name)) == NULL)                          \
    {                                                                                              \
      g_set_error (error, HAKO_ERROR, HAKO_ERROR_FAILED,                                           \
                   _("%s has no %s: install libarchive 3.4 or later"), ARCHIVE_SONAME, #name);     \
      dlclose (handle);                                                                            \
      return NULL;                                                                                 \
    }
  HAKO_ARCHIVE_SYMBOLS (HAKO_ARCHIVE_LOAD)
#undef HAKO_ARCHIVE_LOAD
  loaded = TRUE;
  return &api;
}
