/* Security-module labels in the config (process.apparmorProfile,
 * process.selinuxLabel, linux.mountLabel). hako cannot apply a label on a
 * host without that module, and says so instead of running unconfined. */
#pragma once

#include <glib.h>

#include "spec.h"

/* FALSE with an error naming the field when the config asks for a label the
 * host cannot apply. SYSFS is normally "/sys". */
gboolean hako_lsm_check (const HakoSpec *spec, const char *sysfs, GError **error);
