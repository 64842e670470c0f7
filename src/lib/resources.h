/* Files from data/ compiled into the binary (glib-compile-resources). */
#pragma once

#include <gio/gio.h>

GResource *hako_get_resource (void);
