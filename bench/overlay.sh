#!/bin/sh
# The overlay rootfs (issue 5). Start cost, rootless, ROUNDS rounds
# (default 50), a plain bundle and the same bundle through fuse-overlayfs
# alternately: create + start (to the payload's release), and the whole
# `run` of /bin/true; target: the overlay at most +3 ms (median);
# beside it, fuse-overlayfs's own exec and mount, which bounds it from below.
# File I/O (bench/overlay-io.sh: untar 10k files, stat the tree 5 times,
# write and read back MB MiB, default 256): in a container on the overlay,
# in a container on a plain writable bundle, in a plain host directory, and
# on kernel overlayfs in a user namespace (unshare -Urm, mount -t overlay).
. "$(dirname "$0")/common.sh"
ROUNDS=${ROUNDS:-50}
MB=${MB:-256}

if [ "${1:-}" != --inner ]; then
  work=$(mktemp -d /tmp/hako-bench.XXXXXX)
  chmod 755 "$work"
  chown "$BENCH_USER" "$work"
  in_bench_namespace sh "$0" --inner "$work" "$HAKO" "$ROUNDS" "$MB" "$(cd "$(dirname "$0")" && pwd)/overlay-io.sh"
  rm -rf "$work"
  exit 0
fi

work=$2 HAKO=$3 ROUNDS=$4 MB=$5 io=$6
export XDG_DATA_HOME="$work/data"
make_bundles "$work" >/dev/null
cp -a "$work/hako-ranges" "$work/overlay"
python3 - "$work/hako-ranges/config.json" "$work/overlay/config.json" <<'PY'
import json, sys
for path, rootfs in zip(sys.argv[1:], ("bind", "overlay")):
    c = json.load(open(path))
    c["annotations"]["org.hako.rootfs"] = rootfs
    json.dump(c, open(path, "w"))
PY

# ---- start cost ----
# Starting: create then start, until the payload is let go (its exec and
# the delete after it not counted); and the whole run of /bin/true.
for i in $(seq "$ROUNDS"); do
  for kind in hako-ranges overlay; do
    t0=$(date +%s%N)
    "$HAKO" --root "$work/state" create --bundle "$work/$kind" "c$i" >/dev/null 2>"$work/err" </dev/null \
      && "$HAKO" --root "$work/state" start "c$i" 2>>"$work/err" || { echo "$kind failed:"; cat "$work/err"; exit 1; }
    t1=$(date +%s%N)
    "$HAKO" --root "$work/state" delete --force "c$i"
    t2=$(date +%s%N)
    "$HAKO" --root "$work/state" run --bundle "$work/$kind" "s$i" >/dev/null 2>"$work/err" </dev/null \
      || { echo "$kind failed:"; cat "$work/err"; exit 1; }
    t3=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 )) >> "$work/$kind.start.us"
    echo $(( (t3 - t2) / 1000 )) >> "$work/$kind.us"
  done
done
for what in start run; do
  if [ $what = start ]; then suffix=.start.us; label="create + start"; else suffix=.us; label="run of /bin/true"; fi
  plain=$(median < "$work/hako-ranges$suffix")
  overlay=$(median < "$work/overlay$suffix")
  printf '%s, median (ms): plain %.2f, overlay %.2f, difference %+.2f (target <= +3)\n' "$label" \
    "$(echo "$plain / 1000" | bc -l)" "$(echo "$overlay / 1000" | bc -l)" "$(echo "($overlay - $plain) / 1000" | bc -l)"
done

# ---- the floor: fuse-overlayfs alone ----
# What no runtime mounting through fuse-overlayfs can go below: its exec,
# its start and its mount of the same lower dir, in a user namespace
# (bash's $EPOCHREALTIME: no clock process inside the interval).
mkdir -p "$work/floor/upper" "$work/floor/work" "$work/floor/merged"
unshare -Urm bash -c '
  for i in $(seq "$2"); do
    t0=$EPOCHREALTIME
    fuse-overlayfs -o "lowerdir=$1/overlay/rootfs,upperdir=$1/floor/upper,workdir=$1/floor/work" "$1/floor/merged" 2>/dev/null || exit 1
    t1=$EPOCHREALTIME
    umount "$1/floor/merged"
    echo $(( ${t1/./} - ${t0/./} ))
  done' sh "$work" "$ROUNDS" > "$work/floor.us"
floor=$(median < "$work/floor.us")
printf "fuse-overlayfs alone (exec to mounted, in a user namespace), median (ms): %.2f; the rest of the run's difference: %+.2f\n" \
  "$(echo "$floor / 1000" | bc -l)" "$(echo "($overlay - $plain - $floor) / 1000" | bc -l)"

# ---- file I/O ----
mkdir -p "$work/files"
for i in $(seq 10000); do echo "file $i" > "$work/files/f$i"; done
for kind in hako-ranges overlay; do
  busybox tar -cf "$work/$kind/rootfs/files.tar" -C "$work/files" .
  cp "$io" "$work/$kind/rootfs/io.sh"
  python3 - "$work/$kind/config.json" "$MB" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"]["readonly"] = False
c["process"]["args"] = ["/bin/sh", "/io.sh", "/work", "/files.tar", sys.argv[2]]
json.dump(c, open(sys.argv[1], "w"))
PY
done
"$HAKO" --root "$work/state" run --bundle "$work/overlay" io >"$work/io.overlay"
"$HAKO" --root "$work/state" run --bundle "$work/hako-ranges" io >"$work/io.bundle"
mkdir -p "$work/plain"
sh "$io" "$work/plain" "$work/overlay/rootfs/files.tar" "$MB" >"$work/io.plain"
mkdir -p "$work/kovl/lower" "$work/kovl/upper" "$work/kovl/work" "$work/kovl/merged"
cp "$work/overlay/rootfs/files.tar" "$work/kovl/lower/"
unshare -Urm sh -c 'mount -t overlay overlay -o "lowerdir=$1/lower,upperdir=$1/upper,workdir=$1/work" "$1/merged" && sh "$2" "$1/merged" "$1/merged/files.tar" "$3"' \
  sh "$work/kovl" "$io" "$MB" >"$work/io.kovl"
printf '%-8s %14s %14s %14s %14s %10s %10s\n' step "fuse-overlay" "plain bundle" "host dir" "kernel ovl" "fuse/dir" "fuse/kovl"
for step in untar stat5 write read; do
  f=$(awk -v s=$step '$1 == s { print $2 }' "$work/io.overlay")
  b=$(awk -v s=$step '$1 == s { print $2 }' "$work/io.bundle")
  p=$(awk -v s=$step '$1 == s { print $2 }' "$work/io.plain")
  k=$(awk -v s=$step '$1 == s { print $2 }' "$work/io.kovl")
  printf '%-8s %12.2fs %12.2fs %12.2fs %12.2fs %10.2f %10.2f\n' "$step" "$(echo "$f/100" | bc -l)" \
    "$(echo "$b/100" | bc -l)" "$(echo "$p/100" | bc -l)" "$(echo "$k/100" | bc -l)" \
    "$(echo "$f/($p+0.5)" | bc -l)" "$(echo "$f/($k+0.5)" | bc -l)"
done
