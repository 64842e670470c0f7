/* Prints the effective uid and the capability sets and no_new_privs of
 * the calling process, from /proc/self/status, on one line:
 * "euid=0 CapInh=... CapPrm=... CapEff=... CapBnd=... CapAmb=... NoNewPrivs=1".
 * Installed setuid-root in a container, it shows what a setuid binary gains. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main (void)
{
  static const char *const fields[] = { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs" };
  char line[256];
  FILE *status = fopen ("/proc/self/status", "r");

  if (status == NULL)
    return 1;
  printf ("euid=%d", (int) geteuid ());
  while (fgets (line, sizeof line, status))
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
      {
        size_t n = strlen (fields[i]);
        char value[64];
        if (strncmp (line, fields[i], n) == 0 && line[n] == ':' && sscanf (line + n + 1, "%63s", value) == 1)
          printf (" %s=%s", fields[i], value);
      }
  printf ("\n");
  return 0;
}
