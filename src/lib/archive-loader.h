/* libarchive, loaded when the first image layer is unpacked rather than
 * at every start of hako: with what it links (libxml2, ICU, libstdc++)
 * it costs about 3 ms per exec, and hako execs itself on every create,
 * run and exec. */
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>

#define HAKO_ARCHIVE_SYMBOLS(X)                                                                    \
  X (archive_read_new)                                                                             \
  X (archive_read_free)                                                                            \
  X (archive_read_support_filter_gzip)                                                             \
  X (archive_read_support_filter_zstd)                                                             \
  X (archive_read_support_format_tar)                                                              \
  X (archive_read_support_format_raw)                                                              \
  X (archive_read_open_fd)                                                                         \
  X (archive_read_open)                                                                            \
  X (archive_read_next_header)                                                                     \
  X (archive_read_data_block)                                                                      \
  X (archive_error_string)                                                                         \
  X (archive_set_error)                                                                            \
  X (archive_entry_pathname)                                                                       \
  X (archive_entry_hardlink)                                                                       \
  X (archive_entry_symlink)                                                                        \
  X (archive_entry_filetype)                                                                       \
  X (archive_entry_perm)                                                                           \
  X (archive_entry_uid)                                                                            \
  X (archive_entry_gid)                                                                            \
  X (archive_entry_size)                                                                           \
  X (archive_entry_rdev)                                                                           \
  X (archive_entry_mtime)                                                                          \
  X (archive_entry_mtime_nsec)                                                                     \
  X (archive_entry_xattr_reset)                                                                    \
  X (archive_entry_xattr_next)

typedef struct
{
#define HAKO_ARCHIVE_POINTER(name) __typeof__ (&name) name;
  HAKO_ARCHIVE_SYMBOLS (HAKO_ARCHIVE_POINTER)
#undef HAKO_ARCHIVE_POINTER
} HakoArchiveApi;

/* The library's functions, loaded once; NULL and ERROR set when it is
 * missing. */
const HakoArchiveApi *hako_archive_api (GError **error);
