/* The Features structure (features.md, features-linux.md) of this build. */
#pragma once

#include <glib.h>

/* Pretty-printed JSON of what this hako supports. */
char *hako_features_to_json (void);
