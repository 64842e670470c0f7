/* mkdir(PATH) through another entry point of an x86-64 kernel, with no
 * libc wrapper: "i386" (int $0x80, the 32-bit table, mkdir = 39) or "x32"
 * (syscall with bit 30 set, mkdir = 83). Prints the raw result: 0 or
 * -errno. A filter that knows only the 64-bit table must not let either
 * through. Built static at test time: gcc -static compat-mkdir.c.
 * Usage: compat-mkdir i386|x32 PATH */
#include <stdio.h>
#include <string.h>

static long
mkdir_i386 (const char *path)
{
  long result;
  /* int $0x80 takes 32-bit arguments: PATH must be below 4 GiB (static, non-PIE data). */
  __asm__ volatile ("int $0x80" : "=a"(result) : "0"(39L), "b"(path), "c"(0755L) : "memory");
  return result;
}

static long
mkdir_x32 (const char *path)
{
  long result;
  __asm__ volatile ("syscall"
                    : "=a"(result)
                    : "0"(0x40000000L | 83L), "D"(path), "S"(0755L)
                    : "rcx", "r11", "memory");
  return result;
}

static char path_buffer[4096];

int
main (int argc, char **argv)
{
  long result;

  if (argc != 3 || strlen (argv[2]) >= sizeof path_buffer)
    return 2;
  strcpy (path_buffer, argv[2]);
  result = strcmp (argv[1], "i386") == 0 ? mkdir_i386 (path_buffer) : mkdir_x32 (path_buffer);
  printf ("%ld\n", result);
  return 0;
}
