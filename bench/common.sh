# Shared by the benchmarks: bundles for each runtime from the host's
# busybox-static, and the private mount namespace crun needs on this host.
# Needs root (to set that namespace up) and an unprivileged BENCH_USER with
# /etc/subuid ranges; the runtimes run rootless as that user.
set -eu
BENCH_USER=${BENCH_USER:-hakotest}
HAKO=${HAKO:-$(cd "$(dirname "$0")/.." && pwd)/src/hako}

busybox_rootfs () {
  mkdir -p "$1/rootfs/bin" "$1/rootfs/proc" "$1/rootfs/dev" "$1/rootfs/sys" "$1/rootfs/tmp"
  cp /bin/busybox "$1/rootfs/bin/busybox"
  for tool in sh true; do ln -sf busybox "$1/rootfs/bin/$tool"; done
}

# make_bundles DIR: DIR/{hako,hako-ranges,crun,runc} bundles running /bin/true.
make_bundles () {
  local dir=$1 runtime
  for runtime in hako hako-ranges crun runc; do
    busybox_rootfs "$dir/$runtime"
  done
  # Like crun's and runc's `spec --rootless`: only the caller's own ids
  # mapped, and no seccomp filter (theirs have none).
  "$HAKO" spec --rootless --seccomp none --bundle "$dir/hako"
  # hako's default: the caller's subordinate ranges too, through newuidmap/newgidmap.
  "$HAKO" spec --seccomp none --bundle "$dir/hako-ranges"
  (cd "$dir/crun" && crun spec --rootless)
  (cd "$dir/runc" && runc spec --rootless)
  for runtime in hako hako-ranges crun runc; do
    python3 - "$dir/$runtime/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["/bin/true"]
c["process"]["terminal"] = False
# crun's and runc's specs give no network: neither does hako's here (the
# slirp helper's start is bench/net.sh's business).
c.setdefault("annotations", {})["org.hako.network"] = "none"
# Nor an overlay rootfs (bench/overlay.sh measures that).
c["annotations"]["org.hako.rootfs"] = "bind"
json.dump(c, open(sys.argv[1], "w"))
PY
  done
}

# in_bench_namespace COMMAND...: as BENCH_USER, in a mount namespace where
# /sys/fs/cgroup/unified/cgroup.controllers reads empty (crun 1.8.1 refuses
# every container on a hybrid host otherwise; the others do not care), and
# where $XDG_RUNTIME_DIR is a tmpfs of the user's, as systemd-logind makes it
# for a session (this host has no logind: there it is a plain directory).
# Every runtime keeps its state there.
in_bench_namespace () {
  [ "$(id -u)" = 0 ] || { echo "run the benchmarks as root (they drop to $BENCH_USER)" >&2; exit 1; }
  id "$BENCH_USER" >/dev/null 2>&1 || { echo "no user $BENCH_USER: create it with a subuid range" >&2; exit 1; }
  local uid gid; uid=$(id -u "$BENCH_USER"); gid=$(id -g "$BENCH_USER")
  install -d -m 0700 -o "$BENCH_USER" -g "$BENCH_USER" "/run/user/$uid"
  BENCH_UID=$uid BENCH_GID=$gid unshare -m sh -c '
    # BENCH_CGROUP: a cgroup v1 directory to run everything in.
    [ -n "${BENCH_CGROUP:-}" ] && echo $$ > "$BENCH_CGROUP/cgroup.procs"
    f=/sys/fs/cgroup/unified/cgroup.controllers
    [ -e "$f" ] && mount --bind /dev/null "$f"
    mount --make-rprivate / &&
      mount -t tmpfs -o "mode=0700,uid=$BENCH_UID,gid=$BENCH_GID,size=64m" tmpfs "/run/user/$BENCH_UID" || exit 1
    exec "$@"' sh runuser -u "$BENCH_USER" -- env XDG_RUNTIME_DIR="/run/user/$uid" HOME=/tmp "$@"
}

# bench_rounds WORK ROUNDS VARIANT...: ROUNDS rounds of `run_one VARIANT
# ROUND` (the caller's), each variant once per round in a random order;
# each run's microseconds are appended to WORK/VARIANT.us.
bench_rounds () {
  local work=$1 rounds=$2 i v start end
  shift 2
  for i in $(seq "$rounds"); do
    for v in $(printf '%s\n' "$@" | shuf); do
      start=$(date +%s%N)
      run_one "$v" "$i" >"$work/$v.out" 2>"$work/$v.err" </dev/null || { echo "$v failed:"; cat "$work/$v.err"; exit 1; }
      end=$(date +%s%N)
      echo $(( (end - start) / 1000 )) >> "$work/$v.us"
    done
  done
}

median () { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# run_inner SCRIPT ARGS...: SCRIPT --inner WORK ARGS... in the benchmark
# namespace, WORK a fresh directory of BENCH_USER's, removed afterwards.
run_inner () {
  local script=$1 work
  shift
  work=$(mktemp -d /tmp/hako-bench.XXXXXX)
  chmod 755 "$work"
  chown "$BENCH_USER" "$work"
  in_bench_namespace sh "$script" --inner "$work" "$@"
  rm -rf "$work"
}
