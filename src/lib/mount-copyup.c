#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mount-copyup.h"

/* The kernel's struct linux_dirent64 (getdents64 has no libc wrapper on
 * every libc, and readdir allocates). */
struct dirent64_raw
{
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

static int
keep_errno_close (int fd, int r)
{
  int saved_errno = errno;

  close (fd);
  errno = saved_errno;
  return r;
}

static int
write_all (int fd, const char *buf, ssize_t n)
{
  while (n > 0)
    {
      ssize_t w = write (fd, buf, n);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return -1;
      buf += w;
      n -= w;
    }
  return 0;
}

static int
copy_file (int src_dir, int dst_dir, const char *name, const struct stat *st)
{
  char buf[8192];
  ssize_t n;
  int r = 0;
  int in = openat (src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  int out;

  if (in < 0)
    return -1;
  out = openat (dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 07777);
  if (out < 0)
    return keep_errno_close (in, -1);
  while (r == 0 && (n = read (in, buf, sizeof buf)) != 0)
    if (n < 0 ? errno != EINTR : write_all (out, buf, n) < 0)
      r = -1;
  keep_errno_close (in, 0);
  return keep_errno_close (out, r);
}

static int copy_dir (int src_fd, int dst_fd, int depth);

static int
copy_entry (int src_dir, int dst_dir, const char *name, int depth)
{
  struct stat st;
  char target[4096];
  ssize_t len;
  int r = 0;

  if (fstatat (src_dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return -1;
  if (S_ISDIR (st.st_mode))
    {
      int in, out;
      if (mkdirat (dst_dir, name, st.st_mode & 07777) < 0)
        return -1;
      if ((in = openat (src_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return -1;
      if ((out = openat (dst_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return keep_errno_close (in, -1);
      r = copy_dir (in, out, depth + 1);
      keep_errno_close (in, 0);
      keep_errno_close (out, 0);
    }
  else if (S_ISREG (st.st_mode))
    r = copy_file (src_dir, dst_dir, name, &st);
  else if (S_ISLNK (st.st_mode))
    {
      if ((len = readlinkat (src_dir, name, target, sizeof target - 1)) < 0)
        return -1;
      target[len] = '\0';
      r = symlinkat (target, dst_dir, name);
    }
  else
    r = mknodat (dst_dir, name, st.st_mode, st.st_rdev);
  if (r < 0)
    return -1;
  /* The owner as it was; a user namespace may lack the ids, which the copy
   * then keeps as the setup's own, as a plain copy would. */
  (void) fchownat (dst_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
  if (!S_ISLNK (st.st_mode))
    (void) fchmodat (dst_dir, name, st.st_mode & 07777, 0);
  return 0;
}

static int
copy_dir (int src_fd, int dst_fd, int depth)
{
  char buf[4096] __attribute__ ((aligned (8)));
  long n;

  if (depth > HAKO_COPYUP_MAX_DEPTH)
    {
      errno = ELOOP;
      return -1;
    }
  while ((n = syscall (SYS_getdents64, src_fd, buf, sizeof buf)) > 0)
    for (long off = 0; off < n;)
      {
        const struct dirent64_raw *d = (const struct dirent64_raw *) (void *) (buf + off);
        off += d->d_reclen;
        if (strcmp (d->d_name, ".") == 0 || strcmp (d->d_name, "..") == 0)
          continue;
        if (copy_entry (src_fd, dst_fd, d->d_name, depth) < 0)
          return -1;
      }
  return n < 0 ? -1 : 0;
}

int
hako_mount_copy_tree (int src_fd, int dst_fd)
{
  return copy_dir (src_fd, dst_fd, 0);
}
