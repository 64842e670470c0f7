/* Connects to the abstract unix socket NAME (no leading NUL given):
 * prints "connected" or the error. Usage: abstract-connect NAME */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int
main (int argc, char **argv)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  size_t length;
  int fd;

  if (argc != 2 || (length = strlen (argv[1])) + 1 > sizeof address.sun_path)
    return 2;
  memcpy (address.sun_path + 1, argv[1], length);
  fd = socket (AF_UNIX, SOCK_STREAM, 0);
  if (fd >= 0
      && connect (fd, (struct sockaddr *) &address, offsetof (struct sockaddr_un, sun_path) + 1 + length) == 0)
    printf ("connected\n");
  else
    printf ("%s\n", strerror (errno));
  return 0;
}
