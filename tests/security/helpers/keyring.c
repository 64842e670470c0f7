/* Prints the serial of the calling process's session keyring (0 and the
 * error when it has none or keyrings are not there). */
#include <errno.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (void)
{
  long id = syscall (SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);

  if (id < 0)
    printf ("0 %s\n", strerror (errno));
  else
    printf ("%ld\n", id);
  return 0;
}
