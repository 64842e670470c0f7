#!/bin/sh
# Start latency by cgroup manager, in the test VM (tests/vm) where a real
# systemd user manager delegates cgroups: rootless `run` of /bin/true,
# ROUNDS rounds (default 30), each variant once per round in a random
# order: hako with --cgroup-manager systemd (a transient scope over D-Bus),
# cgroupfs (a cgroup below its own, in a delegated scope made for the
# benchmark), disabled, next to crun --systemd-cgroup and crun without a
# cgroup, in the same boot. Prints medians in ms and the ratios. Target
# (issue 7): hako's systemd path within 1.2x of crun's.
#   bench/cgroup-vm.sh [HAKO]     (as root on the host; HAKO: a build
#                                  without sanitizers, default src/hako)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" != --guest ]; then
  src=$(dirname "$here")
  hako=${1:-$src/src/hako}
  hako=$(cd "$(dirname "$hako")" && pwd)/$(basename "$hako")
  build=$(dirname "$(dirname "$hako")")
  case $build/ in "$src"/*) set -- --share "$src" ;; *) set -- --share "$src" --share "$build" ;; esac
  exec "$here/../tests/vm/run-in-vm.sh" --user "$@" -- \
    systemd-run --user --scope --quiet -p Delegate=yes sh "$here/cgroup-vm.sh" --guest "$hako" "${ROUNDS:-30}"
fi
HAKO=$2 ROUNDS=$3
. "$here/common.sh"
work=$(mktemp -d)
make_bundles "$work" >/dev/null
state=$XDG_RUNTIME_DIR/bench
run_one () {
  case $1 in
    systemd | cgroupfs | disabled) "$HAKO" --root "$state-hako" --cgroup-manager "$1" run --bundle "$work/hako" "$1$2" ;;
    crun-systemd) crun --root "$state-crun" --systemd-cgroup run --bundle "$work/crun" "s$2" ;;
    crun-disabled) crun --root "$state-crun" --cgroup-manager=disabled run --bundle "$work/crun" "d$2" ;;
  esac
}
variants="systemd cgroupfs disabled crun-systemd crun-disabled"
bench_rounds "$work" "$ROUNDS" $variants
echo "rootless run of /bin/true in the VM ($ROUNDS rounds; $(nproc) cpus, $(systemd-detect-virt 2>/dev/null || echo unknown virtualization))"
printf '%-14s %12s\n' variant "median (ms)"
for v in $variants; do
  printf '%-14s %12s\n' "$v" "$(median < "$work/$v.us" | awk '{ printf "%.2f", $1 / 1000 }')"
  eval "m_$(echo "$v" | tr - _)=$(median < "$work/$v.us")"
done
ratio () { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "hako systemd/crun systemd   $(ratio "$m_systemd" "$m_crun_systemd") (target <= 1.2)"
echo "hako systemd/hako disabled  $(ratio "$m_systemd" "$m_disabled") (the cost of the scope)"
echo "hako cgroupfs/hako disabled $(ratio "$m_cgroupfs" "$m_disabled")"
echo "crun systemd/crun disabled  $(ratio "$m_crun_systemd" "$m_crun_disabled")"
rm -rf "$work"
