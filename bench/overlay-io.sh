# The file I/O workload of bench/overlay.sh, run by busybox sh in DIR (the
# container's / or a host directory): TAR (10k small files) untarred, the
# tree stat'ed, a large file written and read back. Prints "STEP
# CENTISECONDS" lines; /proc/uptime is the clock busybox has everywhere.
dir=$1 tar=$2 mb=${3:-256}
bb=/bin/busybox
now () { read -r up _ </proc/uptime; echo "${up%.*}${up#*.}"; }
step () {
  local name=$1 t0 t1; shift
  t0=$(now); "$@" || exit 1; $bb sync; t1=$(now)
  echo "$name $((t1 - t0))"
}
stat_tree () { for i in 1 2 3 4 5; do $bb ls -lR "$dir/tree" >/dev/null || return 1; done; }
$bb mkdir -p "$dir/tree"
step untar $bb tar -xf "$tar" -C "$dir/tree"
step stat5 stat_tree
step write $bb dd if=/dev/zero of="$dir/big" bs=1M count="$mb" 2>/dev/null
# Dropping the page cache needs root: the read is from cache, what a
# container rereading its own writes sees, and where FUSE's cost shows most.
step read $bb dd if="$dir/big" of=/dev/null bs=1M 2>/dev/null
