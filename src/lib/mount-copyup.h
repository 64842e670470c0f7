/* The tmpcopyup mount extension (runc's, which Podman asks for with
 * --tmpfs and --read-only): a tmpfs over a directory starts with a copy of
 * what the directory held. */
#pragma once

/* In the setup child (async-signal-safe): copies the tree below directory
 * SRC_FD into directory DST_FD: directories, regular files, symlinks and
 * other nodes with their modes and owners; directories deeper than
 * HAKO_COPYUP_MAX_DEPTH are refused (ELOOP). 0, or -1 with errno. */
#define HAKO_COPYUP_MAX_DEPTH 64
int hako_mount_copy_tree (int src_fd, int dst_fd);
