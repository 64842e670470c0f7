#!/bin/sh
# Memory: (1) the peak memory of the whole runtime process tree during a
# rootless `run` of /bin/true, and (2) the smallest memory limit under
# which that container still starts, for hako and crun (issue 3 target:
# hako at most crun's on both). Uses a cgroup v1 memory controller as root
# (this host is hybrid); each measured run is moved into a fresh cgroup
# before it execs the runtime, so everything it forks is counted.
. "$(dirname "$0")/common.sh"
memcg=/sys/fs/cgroup/memory
[ -d "$memcg" ] || { echo "no cgroup v1 memory controller at $memcg" >&2; exit 1; }

if [ "${1:-}" != --inner ]; then
  work=$(mktemp -d /tmp/hako-bench.XXXXXX)
  chmod 755 "$work"
  chown "$BENCH_USER" "$work"
  runuser -u "$BENCH_USER" -- sh -c ". '$(dirname "$0")/common.sh'; HAKO='$HAKO' make_bundles '$work' >/dev/null"
  # The cgroups are root's; the run inside them drops to BENCH_USER.
  sh "$0" --inner "$work" "$HAKO"
  rm -rf "$work"
  exit 0
fi
work=$2 HAKO=$3

command_for () {
  case $1 in
    hako) echo "'$HAKO' --root '$work/state-hako' run --bundle '$work/hako'" ;;
    crun) echo "crun --root '$work/state-crun' run --bundle '$work/crun'" ;;
  esac
}

# run_in_cgroup RUNTIME ID LIMIT: exit status of one run in a new memory cgroup
# (LIMIT in bytes, 0 for none); leaves the peak in $work/peak.
run_in_cgroup () {
  local cg="$memcg/hako-bench-$$-$2" status
  mkdir "$cg"
  [ "$3" -gt 0 ] && { echo "$3" > "$cg/memory.limit_in_bytes"; echo "$3" > "$cg/memory.memsw.limit_in_bytes" 2>/dev/null || true; }
  set +e
  BENCH_CGROUP=$cg in_bench_namespace sh -c "exec $(command_for "$1") '$2'" >/dev/null 2>&1 &
  wait $!
  status=$?
  set -e
  cat "$cg/memory.max_usage_in_bytes" > "$work/peak"
  # A run cut short by the limit may leave processes behind: end them.
  for try in 1 2 3 4 5 6 7 8 9 10; do
    xargs -r kill -KILL < "$cg/cgroup.procs" 2>/dev/null || true
    rmdir "$cg" 2>/dev/null && break
    sleep 0.1
  done
  return $status
}

printf '%-6s %16s %22s\n' runtime "peak tree (KiB)" "smallest limit (KiB)"
for runtime in hako crun; do
  peaks=""
  for i in 1 2 3 4 5; do
    run_in_cgroup "$runtime" "p$i" 0 || { echo "$runtime failed to run" >&2; exit 1; }
    peaks="$peaks $(cat "$work/peak")"
  done
  peak=$(printf '%s\n' $peaks | median)
  # Bisect the limit between 1 MiB and 64 MiB, in 64 KiB steps.
  low=1024 high=65536
  while [ $((high - low)) -gt 64 ]; do
    mid=$(( (low + high) / 2 ))
    if run_in_cgroup "$runtime" "l$mid" $((mid * 1024)); then high=$mid; else low=$mid; fi
  done
  printf '%-6s %16d %22d\n' "$runtime" $((peak / 1024)) "$high"
done
