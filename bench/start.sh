#!/bin/sh
# Start overhead: rootless `run` of /bin/true in a busybox bundle, ROUNDS
# rounds (default 100), each runtime once per round in a random order:
# hako, crun, runc (all three with their `spec --rootless` mapping of the
# caller's own ids), `bwrap --unshare-all`, `unshare -Urpf true` (the
# floor), and hako-ranges (hako's default mapping of the subordinate ranges,
# which costs newuidmap and newgidmap). Prints medians in ms and hako's
# ratios. Every runtime keeps its state in $XDG_RUNTIME_DIR, a tmpfs as in a
# logind session (see in_bench_namespace). Targets (issue 3): hako at most
# 0.8x crun and 3x the floor.
. "$(dirname "$0")/common.sh"
ROUNDS=${ROUNDS:-100}

if [ "${1:-}" != --inner ]; then
  run_inner "$0" "$HAKO" "$ROUNDS"
  exit 0
fi

work=$2 HAKO=$3 ROUNDS=$4
# The bundles are made by the user that runs them: rootless specs map its ids.
make_bundles "$work" >/dev/null
run_one () {
  case $1 in
    hako) "$HAKO" --root "$XDG_RUNTIME_DIR/state-hako" run --bundle "$work/hako" "b$2" ;;
    hako-ranges) "$HAKO" --root "$XDG_RUNTIME_DIR/state-hako" run --bundle "$work/hako-ranges" "r$2" ;;
    crun) crun --root "$XDG_RUNTIME_DIR/state-crun" run --bundle "$work/crun" "b$2" ;;
    runc) runc --root "$XDG_RUNTIME_DIR/state-runc" run --bundle "$work/runc" "b$2" ;;
    bwrap) bwrap --unshare-all --ro-bind "$work/hako/rootfs" / --proc /proc --dev /dev /bin/true ;;
    floor) unshare -Urpf true ;;
  esac
}
bench_rounds "$work" "$ROUNDS" hako hako-ranges crun runc bwrap floor
printf '%-12s %12s\n' runtime "median (ms)"
for runtime in hako hako-ranges crun runc bwrap floor; do
  m=$(median < "$work/$runtime.us")
  eval "m_$(echo "$runtime" | tr - _)=$m"
  printf '%-12s %12.2f\n' "$runtime" "$(echo "$m / 1000" | bc -l)"
done
printf 'hako/crun  %.2f (target <= 0.8)\n' "$(echo "$m_hako / $m_crun" | bc -l)"
printf 'hako/runc  %.2f\n' "$(echo "$m_hako / $m_runc" | bc -l)"
printf 'hako/bwrap %.2f\n' "$(echo "$m_hako / $m_bwrap" | bc -l)"
printf 'hako/floor %.2f (target <= 3)\n' "$(echo "$m_hako / $m_floor" | bc -l)"
printf 'hako-ranges/crun %.2f (the cost of mapping the subordinate ranges)\n' "$(echo "$m_hako_ranges / $m_crun" | bc -l)"
