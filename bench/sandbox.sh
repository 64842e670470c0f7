#!/bin/sh
# hako sandbox against bubblewrap (issue 9), rootless as BENCH_USER.
#
# 1. Start overhead: ROUNDS rounds (default 50), each variant once per round
#    in a random order, of `true` under: bwrap with the isolation hako's
#    sandbox has without its extras (every namespace, / read-only, a new
#    /proc, a minimal /dev, tmpfs /tmp /run $HOME, the current directory
#    bound, dying with its parent); `hako sandbox --no-overlay` (the same);
#    then hako with each feature added alone: the overlay (its default),
#    --net, --seccomp with a profile of some 60 rules. Target: the
#    --no-overlay sandbox at most 1.5x bwrap.
# 2. A real build: GNU bash (Debian's source package, a few hundred C
#    files; fetched with apt-get source from a private sources list, so
#    the host's apt configuration is left alone) configured and built with
#    make -j2 outside, then inside `hako sandbox` (the overlay: the compiler,
#    headers and libraries read through fuse-overlayfs; the tree in the
#    shared current directory), then inside `hako sandbox --no-overlay`,
#    BUILDS times each (default 1), interleaved. Prints the medians and the
#    sandbox's overhead in %. SKIP_BUILD=1 skips it.
. "$(dirname "$0")/common.sh"
ROUNDS=${ROUNDS:-50}
BUILDS=${BUILDS:-1}
BUILD_PACKAGE=${BUILD_PACKAGE:-bash}

if [ "${1:-}" != --inner ]; then
  command -v bwrap >/dev/null || { echo "bench/sandbox.sh needs bubblewrap: apt-get install bubblewrap" >&2; exit 1; }
  src=
  if [ -z "${SKIP_BUILD:-}" ]; then
    src=$(mktemp -d /tmp/hako-bench-src.XXXXXX)
    lists=$src/.apt
    mkdir -p "$lists/lists/partial" "$lists/sources.list.d"
    echo "deb-src http://deb.debian.org/debian bookworm main" > "$lists/sources.list"
    apt_private="-o Dir::Etc::SourceList=$lists/sources.list -o Dir::Etc::SourceParts=$lists/sources.list.d -o Dir::State::Lists=$lists/lists"
    # shellcheck disable=SC2086
    apt-get -q $apt_private update >/dev/null &&
      (cd "$src" && apt-get -q $apt_private source --download-only "$BUILD_PACKAGE" >/dev/null) ||
      { echo "cannot fetch the source of $BUILD_PACKAGE from Debian's archive" >&2; exit 1; }
    chmod -R a+rX "$src"
  fi
  run_inner "$0" "$HAKO" "$ROUNDS" "$BUILDS" "$src"
  [ -n "$src" ] && rm -rf "$src"
  exit 0
fi

work=$2 HAKO=$3 ROUNDS=$4 BUILDS=$5 src=$6
cd "$work"
root=$XDG_RUNTIME_DIR/state-sandbox
# Some 60 rules, the shape of a container default: the call-by-call
# denials of kernel-facing calls a build never makes.
"${PYTHON3:-python3}" - > "$work/seccomp.json" <<'PY'
import json
names = """acct add_key bpf clock_adjtime clock_settime create_module delete_module
finit_module get_kernel_syms get_mempolicy init_module ioperm iopl kcmp kexec_file_load
kexec_load keyctl lookup_dcookie mbind move_pages nfsservctl open_by_handle_at
perf_event_open personality pivot_root process_vm_readv process_vm_writev ptrace
query_module quotactl reboot request_key set_mempolicy setns settimeofday stime swapon
swapoff sysfs _sysctl umount umount2 unshare uselib userfaultfd ustat vm86 vm86old
fanotify_init fsconfig fsmount fsopen fspick move_mount open_tree mount_setattr
name_to_handle_at syslog vhangup lookup_dcookie""".split()
print(json.dumps({"defaultAction": "SCMP_ACT_ALLOW",
                  "syscalls": [{"names": [n], "action": "SCMP_ACT_ERRNO"} for n in sorted(set(names))]}))
PY
run_one () {
  case $1 in
    bwrap) bwrap --unshare-all --die-with-parent --ro-bind / / --proc /proc --dev /dev \
             --tmpfs /tmp --tmpfs /run --tmpfs "$HOME" --bind "$work" "$work" --ro-bind /sys /sys true ;;
    hako) "$HAKO" --root "$root" sandbox --no-overlay -- true ;;
    hako-overlay) "$HAKO" --root "$root" sandbox -- true ;;
    hako-net) "$HAKO" --root "$root" sandbox --no-overlay --net -- true ;;
    hako-seccomp) "$HAKO" --root "$root" sandbox --no-overlay --seccomp "$work/seccomp.json" -- true ;;
  esac
}
variants="bwrap hako hako-overlay hako-net hako-seccomp"
for i in $(seq "$ROUNDS"); do
  for v in $(printf '%s\n' $variants | shuf); do
    start=$(date +%s%N)
    run_one "$v" >"$work/$v.out" 2>"$work/$v.err" </dev/null || { echo "$v failed:"; cat "$work/$v.err"; exit 1; }
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 )) >> "$work/$v.us"
  done
done
printf '%-14s %12s %14s\n' variant "median (ms)" "vs bwrap"
m_bwrap=$(median < "$work/bwrap.us")
for v in $variants; do
  m=$(median < "$work/$v.us")
  eval "m_$(echo "$v" | tr - _)=$m"
  printf '%-14s %12.2f %13.2fx\n' "$v" "$(echo "$m / 1000" | bc -l)" "$(echo "$m / $m_bwrap" | bc -l)"
done
printf 'hako --no-overlay / bwrap %.2f (target <= 1.5)\n' "$(echo "$m_hako / $m_bwrap" | bc -l)"
for v in overlay net seccomp; do
  eval "m=\$m_hako_$v"
  printf 'cost of %-8s %+.2f ms\n' "$v" "$(echo "($m - $m_hako) / 1000" | bc -l)"
done

[ -n "$src" ] || exit 0
# Inside, /tmp is private: the source goes where the sandbox shares it.
cp -r "$src" "$work/src"
# The same script outside and inside: unpack, configure, make -j2, in $1.
build='rm -rf "$1" && mkdir "$1" && cd "$1" && dpkg-source -x --no-check "$2"/*.dsc tree >/dev/null 2>&1 &&
  cd tree && ./configure --without-bash-malloc >/dev/null 2>&1 && make -j2 >/dev/null 2>&1'
files=
for i in $(seq "$BUILDS"); do
  for where in outside inside inside-no-overlay; do
    start=$(date +%s%N)
    case $where in
      outside) sh -c "$build" sh "$work/build-$where" "$work/src" ;;
      inside) "$HAKO" --root "$root" sandbox -- sh -c "$build" sh "$work/build-$where" "$work/src" ;;
      inside-no-overlay) "$HAKO" --root "$root" sandbox --no-overlay -- sh -c "$build" sh "$work/build-$where" "$work/src" ;;
    esac </dev/null || { echo "the $where build failed"; exit 1; }
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 )) >> "$work/build-$where.ms"
  done
  [ -n "$files" ] || files=$(find "$work/build-outside/tree" -name '*.c' | wc -l)
done
b_out=$(median < "$work/build-outside.ms")
printf 'build of %s (%s C files, configure + make -j2): outside %.1f s\n' "$BUILD_PACKAGE" "$files" "$(echo "$b_out / 1000" | bc -l)"
for where in inside inside-no-overlay; do
  b=$(median < "$work/build-$where.ms")
  printf '  %-18s %.1f s, overhead %+.1f%%\n' "$where" "$(echo "$b / 1000" | bc -l)" "$(echo "($b - $b_out) * 100 / $b_out" | bc -l)"
done
