#include "config.h"

#include "error.h"
#include "i18n.h"
#include "log.h"
#include "lsm.h"

static gboolean
apparmor_enabled (const char *sysfs)
{
  g_autofree char *path = g_build_filename (sysfs, "module/apparmor/parameters/enabled", NULL);
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && contents[0] == 'Y';
}

static gboolean
selinux_enabled (const char *sysfs)
{
  g_autofree char *path = g_build_filename (sysfs, "fs/selinux/enforce", NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* hako applies no labels itself, so a label is refused either way; the
 * message says which part is missing. */
static gboolean
refuse (const char *field, const char *label, const char *module, gboolean enabled,
        GError **error)
{
  if (enabled)
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                 _("config.json: %s: hako cannot apply %s labels such as \"%s\": remove %s from config.json"),
                 field, module, label, field);
  else
    g_set_error (error, HAKO_ERROR, HAKO_ERROR_UNSUPPORTED,
                 _("config.json: %s: \"%s\" needs %s, which this host does not have enabled: remove %s from config.json"),
                 field, label, module, field);
  return FALSE;
}

static gboolean
is_set (const char *label)
{
  return label != NULL && *label != '\0';
}

gboolean
hako_lsm_check (const HakoSpec *spec, const char *sysfs, GError **error)
{
  const HakoProcess *process = spec->process;
  const char *mount_label = spec->linux_ ? spec->linux_->mount_label : NULL;

  if (process && is_set (process->apparmor_profile))
    return refuse ("process.apparmorProfile", process->apparmor_profile, "AppArmor",
                   apparmor_enabled (sysfs), error);
  if (process && is_set (process->selinux_label))
    return refuse ("process.selinuxLabel", process->selinux_label, "SELinux",
                   selinux_enabled (sysfs), error);
  /* A mount label only names an SELinux context: without SELinux there is
   * nothing it could confine, so it is dropped (as runc and crun do), with a
   * warning; process labels confine, and are never dropped. */
  if (is_set (mount_label) && selinux_enabled (sysfs))
    return refuse ("linux.mountLabel", mount_label, "SELinux", TRUE, error);
  if (is_set (mount_label))
    hako_log_warning (_("config.json: linux.mountLabel \"%s\" is ignored: SELinux is not enabled on this host"),
                      mount_label);
  return TRUE;
}
