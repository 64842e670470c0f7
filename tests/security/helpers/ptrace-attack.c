/* From inside a container, try to take over PID: PTRACE_ATTACH, and its
 * memory and fds through /proc. Prints one line per way: "attach:
 * ok|ERR", "mem: ok|ERR", "fd: ok|ERR" (its fd 0). Usage: ptrace-attack PID */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>

static void
report (const char *what, int ok)
{
  printf ("%s: %s\n", what, ok ? "ok" : strerror (errno));
}

int
main (int argc, char **argv)
{
  pid_t pid;
  char path[64];
  int fd;

  if (argc != 2)
    return 2;
  pid = atoi (argv[1]);
  report ("attach", ptrace (PTRACE_ATTACH, pid, NULL, NULL) == 0);
  snprintf (path, sizeof path, "/proc/%d/mem", (int) pid);
  fd = open (path, O_RDWR);
  report ("mem", fd >= 0);
  snprintf (path, sizeof path, "/proc/%d/fd/0", (int) pid);
  report ("fd", open (path, O_RDONLY) >= 0);
  return 0;
}
