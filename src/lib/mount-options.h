/* config.md's Linux mount options: each option string becomes mount(2)
 * flags, a propagation change, a recursive mount_setattr(2) attribute, or
 * filesystem data. */
#pragma once

#include <glib.h>

typedef enum
{
  HAKO_MOUNT_OPT_FLAG,        /* sets MS_* */
  HAKO_MOUNT_OPT_CLEAR,       /* clears MS_* */
  HAKO_MOUNT_OPT_PROPAGATION, /* MS_PRIVATE, MS_SHARED, ... (with MS_REC for r*) */
  HAKO_MOUNT_OPT_ATTR_SET,    /* MOUNT_ATTR_* set recursively */
  HAKO_MOUNT_OPT_ATTR_CLEAR,  /* MOUNT_ATTR_* cleared recursively */
  HAKO_MOUNT_OPT_EXTENSION,   /* handled by hako itself: idmap, ridmap, tmpcopyup */
} HakoMountOptionKind;

typedef struct
{
  const char *name;
  HakoMountOptionKind kind;
  unsigned long value;
} HakoMountOption;

typedef struct
{
  unsigned long flags;       /* for mount(2) */
  unsigned long propagation; /* 0 when unchanged */
  guint64 attr_set;          /* for mount_setattr(2), AT_RECURSIVE */
  guint64 attr_clear;
  gboolean idmap, recursive_idmap, tmpcopyup;
  char *data; /* the options mount(2) gets as filesystem data; NULL when none */
} HakoMountFlags;

const HakoMountOption *hako_mount_options_table (gsize *n);
void hako_mount_flags_parse (const char *const *options, HakoMountFlags *out);
void hako_mount_flags_clear (HakoMountFlags *flags);
/* Whether a mount of TYPE (may be NULL) with FLAGS is a bind mount: the
 * bind or rbind option, or the type "bind" or "rbind". */
gboolean hako_mount_flags_is_bind (const HakoMountFlags *flags, const char *type);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HakoMountFlags, hako_mount_flags_clear)
