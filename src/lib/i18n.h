/* gettext wrappers shared by the CLI and libhako. */
#pragma once

#include <glib/gi18n-lib.h>
