/* `hako check`: what the host offers for rootless use, piece by piece,
 * each ok or what is wrong with the exact fix. Read-only: it probes
 * (opens devices, calls system calls with harmless arguments, forks a child
 * that makes a user namespace) and changes nothing. */
#pragma once

#include <glib.h>

typedef enum
{
  HAKO_CHECK_OK,
  HAKO_CHECK_WARNING, /* a feature that needs it is off (e.g. --net), the rest works */
  HAKO_CHECK_ERROR,   /* required: hako cannot run containers as this user */
} HakoCheckStatus;

typedef struct
{
  const char *name; /* a stable key: "newuidmap", "subuid", "userns", ... */
  HakoCheckStatus status;
  char *detail;     /* what was found */
  char *fix;        /* the command or setting that fixes it; NULL when ok */
} HakoCheckItem;

/* Every check, in a fixed order, for the calling user. */
GArray *hako_host_check_run (void);
/* FALSE when some item is HAKO_CHECK_ERROR. */
gboolean hako_host_check_passed (const GArray *items);
char *hako_host_check_format_text (const GArray *items);
char *hako_host_check_format_json (const GArray *items);
