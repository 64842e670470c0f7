/* Prints the calling process's open fds, space-separated in order, but
 * the one it reads them with. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

int
main (void)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *entry;
  char seen[4096] = { 0 };

  if (dir == NULL)
    return 1;
  while ((entry = readdir (dir)) != NULL)
    {
      int fd = atoi (entry->d_name);
      if (entry->d_name[0] != '.' && fd != dirfd (dir) && fd < (int) sizeof seen)
        seen[fd] = 1;
    }
  for (int fd = 0; fd < (int) sizeof seen; fd++)
    if (seen[fd])
      printf ("%d ", fd);
  printf ("\n");
  return 0;
}
