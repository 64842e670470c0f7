#!/bin/bash
# run-in-vm.sh - run a command inside a throw-away Debian VM under KVM that has
# systemd as PID 1, a pure cgroup v2 hierarchy and a lingering unprivileged
# user (tuser, uid 1000) whose systemd user manager has delegated controllers.
#
# Usage:
#   run-in-vm.sh [options] -- COMMAND [ARG...]
#   run-in-vm.sh --console                 (interactive root shell on the serial console)
#
# Options:
#   --user          run COMMAND as the test user, inside a logind session
#                   (pam_systemd: session-N.scope in user-1000.slice; user@1000.service
#                   running; XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS set),
#                   as after an ssh login. Default: run as root.
#   --share DIR     make host directory DIR visible in the VM at the same path
#                   (9p, read-write; repeatable). Default: the current directory.
#   --env NAME=VAL  set an environment variable for COMMAND (repeatable).
#   --timeout SECS  power the VM off after SECS seconds, exit 124 (default 1800).
#   --console       boot with the serial console on this terminal (root is logged
#                   in; the shares are mounted). Quit with Ctrl-A x, or 'poweroff'.
#   --rebuild       rebuild the image first.
#   -v, --verbose   report boot and command timings on stderr.
#   --debug         verbose kernel, orderly shutdown, boot log printed on stderr.
#
# COMMAND runs in the current directory when that lies inside a share, else in
# the first share; it is exec'd directly (use 'sh -c' for shell syntax), with
# stdin from /dev/null. Its stdout and stderr are streamed to ours, and its
# exit status is ours. Exit 124: timeout; 125: the VM or the runner failed
# (the end of the boot log is printed).
#
# The image is built on first use by build-image.sh (next to this script) and
# cached in $VM_DIR/image. Every run boots it with a copy-on-write snapshot,
# so nothing written to the VM's disk survives a run; only the shares persist.
#
# Environment: VM_DIR (/var/tmp/hako-vm), VM_CPUS (2), VM_MEM (MiB, 2048),
# VM_TIMEOUT (1800), QEMU (qemu-system-x86_64), VM_APPEND (extra kernel
# arguments), VM_P9_CACHE (9p cache mode, mmap), VM_KEEP=1 (keep the per-run
# directory with boot log and outputs), VM_TIMING_FILE (append timings there),
# VM_FAST=0 (full boot with udev coldplug), VM_ACCEL (auto, kvm or tcg),
# VM_KERNEL/VM_INITRD (boot another kernel, e.g. a PVM guest kernel),
# VM_USER (tuser), and those of build-image.sh.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_DIR=${VM_DIR:-/var/tmp/hako-vm}
VM_CPUS=${VM_CPUS:-2}
VM_MEM=${VM_MEM:-2048}
VM_TIMEOUT=${VM_TIMEOUT:-1800}
VM_USER=${VM_USER:-tuser}
VM_P9_CACHE=${VM_P9_CACHE:-mmap}
QEMU=${QEMU:-qemu-system-x86_64}

me=run-in-vm
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit "${1:-0}"; }
die() { echo "$me: $*" >&2; exit 125; }

mode=root console=0 rebuild=0 verbose=0 debug=0 timeout=$VM_TIMEOUT
shares=() envs=()
while [ $# -gt 0 ]; do
	case $1 in
	--user) mode=user ;;
	--share) [ $# -ge 2 ] || usage 125; shares+=("$2"); shift ;;
	--share=*) shares+=("${1#*=}") ;;
	--env) [ $# -ge 2 ] || usage 125; envs+=("$2"); shift ;;
	--env=*) envs+=("${1#*=}") ;;
	--timeout) [ $# -ge 2 ] || usage 125; timeout=$2; shift ;;
	--timeout=*) timeout=${1#*=} ;;
	--console) console=1 ;;
	--rebuild) rebuild=1 ;;
	-v | --verbose) verbose=1 ;;
	--debug) verbose=1 debug=1 ;;
	-h | --help) usage 0 ;;
	--) shift; break ;;
	*) echo "$me: unknown option $1" >&2; usage 125 ;;
	esac
	shift
done
[ $# -gt 0 ] || [ "$console" = 1 ] || usage 125
for e in "${envs[@]}"; do
	[[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env wants NAME=VALUE, got '$e'"
done

command -v "$QEMU" >/dev/null || die "$QEMU not found (Debian: apt-get install qemu-system-x86)"

# --- the image ----------------------------------------------------------------
IMG=$VM_DIR/image
want=$(VM_DIR=$VM_DIR "$HERE/build-image.sh" --print-recipe)
have=$(cat "$IMG/recipe.sha" 2>/dev/null || true)
if [ "$rebuild" = 1 ] || [ "$want" != "$have" ] || [ ! -f "$IMG/rootfs.img" ]; then
	mkdir -p "$VM_DIR"
	# One build at a time; a second caller waits and then uses the result.
	exec 9>"$VM_DIR/.build.lock"
	flock 9
	have=$(cat "$IMG/recipe.sha" 2>/dev/null || true)
	if [ "$rebuild" = 1 ] || [ "$want" != "$have" ] || [ ! -f "$IMG/rootfs.img" ]; then
		echo "$me: building the VM image in $IMG (several minutes)..." >&2
		VM_DIR=$VM_DIR "$HERE/build-image.sh" >&2 || die "image build failed"
	fi
	exec 9>&-
fi

# --- shares -------------------------------------------------------------------
[ ${#shares[@]} -gt 0 ] || shares=("$PWD")
for i in "${!shares[@]}"; do
	d=$(cd "${shares[$i]}" 2>/dev/null && pwd -P) || die "no such directory: ${shares[$i]}"
	case $d in
	/ | /bin | /boot | /dev | /etc | /home | "/home/$VM_USER" | /lib | /lib64 | /proc | /root | /run | /sbin | /sys | /usr | /var | \
		/bin/* | /boot/* | /dev/* | /etc/* | /lib/* | /lib64/* | /proc/* | /run/* | /sbin/* | /sys/* | /usr/*)
		die "refusing to share $d: it would hide part of the guest system" ;;
	esac
	shares[i]=$d
done
workdir=${shares[0]}
cwd=$(pwd -P)
for d in "${shares[@]}"; do
	case $cwd/ in "$d"/*) workdir=$cwd; break ;; esac
done

# --- the per-run directory ----------------------------------------------------
RUN=$(mktemp -d "${TMPDIR:-/tmp}/run-in-vm.XXXXXX")
CTL=$RUN/ctl
mkdir -m 755 "$CTL"
chmod 755 "$RUN"
: >"$RUN/stdout"
: >"$RUN/stderr"
QPID='' TPIDS=()
# shellcheck disable=SC2317 # (called from the traps)
cleanup() {
	# Stop (and reap) what we started, by PID.
	if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
		kill "$QPID" 2>/dev/null || true
		wait "$QPID" 2>/dev/null || true
	fi
	for p in "${TPIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	if [ "${VM_KEEP:-0}" = 1 ]; then echo "$me: kept $RUN" >&2; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 9p: passthrough keeps host ownership as is when we are root; otherwise qemu
# cannot chown, and 'none' stores files as the calling user.
if [ "$(id -u)" = 0 ]; then sm=passthrough; else sm=none; fi
p9opts="trans=virtio,version=9p2000.L,msize=262144,cache=$VM_P9_CACHE"

{
	echo "MODE=$([ "$console" = 1 ] && echo console || echo "$mode")"
	echo "RUN_USER=$(printf %q "$VM_USER")"
	printf 'SHARES=('; printf ' %q' "${shares[@]}"; echo ' )'
	echo "P9_OPTS=$p9opts"
	echo "DEBUG=$debug"
} >"$CTL/request"
{
	echo '#!/bin/bash'
	if [ "$mode" = user ]; then
		echo 'export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}'
		echo 'export DBUS_SESSION_BUS_ADDRESS=${DBUS_SESSION_BUS_ADDRESS:-unix:path=$XDG_RUNTIME_DIR/bus}'
	fi
	for e in "${envs[@]}"; do printf 'export %s=%q\n' "${e%%=*}" "${e#*=}"; done
	printf 'cd -- %q || exit 125\n' "$workdir"
	printf 'exec'; printf ' %q' "$@"; echo
} >"$CTL/cmd"
cp "$HERE/guest-run.sh" "$CTL/guest-run.sh"
chmod 644 "$CTL"/*

# --- boot -----------------------------------------------------------------------
qesc() { printf '%s' "${1//,/,,}"; } # qemu option values: ',' -> ',,'
append="root=/dev/vda rw rootfstype=ext4 console=ttyS0,115200 panic=-1"
append+=" systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all eval.run=1"
[ "$debug" = 1 ] || append+=" quiet loglevel=3"
# Batch boots skip the serial getty and udev's coldplug of all devices (which
# mostly loads drivers for emulated hardware nobody uses: seconds under TCG).
# udevd still runs and handles new devices; static nodes such as /dev/fuse and
# /dev/net/tun get their modes. VM_FAST=0 boots the full system.
[ "$console" = 1 ] || append+=" systemd.mask=serial-getty@ttyS0.service"
[ "$console" = 1 ] || [ "${VM_FAST:-1}" = 0 ] || append+=" systemd.mask=systemd-udev-trigger.service"
append+=" ${VM_APPEND:-}"
# Acceleration. KVM needs a usable /dev/kvm backed by hardware virtualization
# (kvm_intel/kvm_amd). Some nested-virtualization hosts offer a /dev/kvm that
# is PVM ("pagetable-based VM", module kvm_pvm), which only runs specially
# built PVM guest kernels: a stock Debian kernel hangs there before printing
# anything, so "auto" uses TCG on such hosts unless VM_ACCEL=kvm is forced
# (e.g. together with a PVM guest kernel in VM_KERNEL).
VM_ACCEL=${VM_ACCEL:-auto}
if [ "$VM_ACCEL" = auto ]; then
	VM_ACCEL=kvm
	if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
		VM_ACCEL=tcg
		[ "$verbose" = 1 ] && echo "$me: /dev/kvm not usable: using TCG (slow)" >&2
	elif [ -d /sys/module/kvm_pvm ] && ! [ -d /sys/module/kvm_intel ] && ! [ -d /sys/module/kvm_amd ] && [ -z "${VM_KERNEL:-}" ]; then
		VM_ACCEL=tcg
		[ "$verbose" = 1 ] && echo "$me: /dev/kvm is PVM (kvm_pvm), which cannot boot the Debian kernel: using TCG (slow)" >&2
	fi
fi
case $VM_ACCEL in
kvm) accel=kvm cpu=host ;;
tcg) accel=tcg,thread=multi,tb-size=256 cpu=max ;;
*) die "VM_ACCEL must be auto, kvm or tcg" ;;
esac
# The uncompressed vmlinux (PVH entry) boots seconds faster than the bzImage under TCG.
KERNEL=${VM_KERNEL:-$IMG/vmlinux}
[ -n "${VM_KERNEL:-}" ] || [ -f "$KERNEL" ] || KERNEL=$IMG/vmlinuz
INITRD=${VM_INITRD-$IMG/initrd.img}
# shellcheck disable=SC2054 # commas are qemu's option syntax
args=(
	-machine q35 -accel "$accel" -cpu "$cpu" -smp "$VM_CPUS" -m "$VM_MEM"
	-nodefaults -no-user-config -display none -no-reboot
	-kernel "$KERNEL" ${INITRD:+-initrd "$INITRD"} -append "$append"
	# The image is never modified: writes go to a temporary snapshot.
	-drive "file=$(qesc "$IMG/rootfs.img"),format=raw,if=virtio,snapshot=on,cache=unsafe"
	-device virtio-rng-pci
	# Command output: two virtio serial ports, written to files we follow.
	-device virtio-serial-pci
	-chardev "file,id=evout,path=$(qesc "$RUN/stdout")" -device virtserialport,chardev=evout,name=eval.stdout
	-chardev "file,id=everr,path=$(qesc "$RUN/stderr")" -device virtserialport,chardev=everr,name=eval.stderr
	# Control directory (request, command, runner, exit status).
	-fsdev "local,id=fsctl,path=$(qesc "$CTL"),security_model=$sm"
	-device virtio-9p-pci,fsdev=fsctl,mount_tag=evalctl
)
for i in "${!shares[@]}"; do
	args+=(-fsdev "local,id=fs$i,path=$(qesc "${shares[$i]}"),security_model=$sm,multidevs=remap"
		-device "virtio-9p-pci,fsdev=fs$i,mount_tag=share$i")
done

if [ "$console" = 1 ]; then
	echo "$me: console mode; quit with Ctrl-A x or 'poweroff'" >&2
	"$QEMU" "${args[@]}" -serial mon:stdio
	exit $?
fi
args+=(-serial "file:$(qesc "$RUN/console.log")")

now() { date +%s.%N; }
t0=$(now)
"$QEMU" "${args[@]}" >"$RUN/qemu.log" 2>&1 </dev/null &
QPID=$!
# Stream the command's output as it arrives (tail exits when qemu does).
tail -c +1 -s 0.1 -f --pid="$QPID" "$RUN/stdout" &
TPIDS+=($!)
tail -c +1 -s 0.1 -f --pid="$QPID" "$RUN/stderr" >&2 &
TPIDS+=($!)

deadline=$(($(date +%s) + timeout)) timed_out=0
while kill -0 "$QPID" 2>/dev/null; do
	if [ "$(date +%s)" -ge "$deadline" ]; then
		timed_out=1
		kill "$QPID" 2>/dev/null || true
	fi
	sleep 0.2
done
wait "$QPID" 2>/dev/null && qrc=0 || qrc=$?
QPID=''
t2=$(now)
for p in "${TPIDS[@]}"; do wait "$p" 2>/dev/null || true; done
TPIDS=()

# --- result ---------------------------------------------------------------------
fmt() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
if [ -f "$CTL/started" ]; then
	t1=$(stat -c %.9Y "$CTL/started")
	timing="boot-to-command $(fmt "$t0" "$t1")s (guest uptime $(cat "$CTL/started")s), command+poweroff $(fmt "$t1" "$t2")s, total $(fmt "$t0" "$t2")s"
else
	timing="total $(fmt "$t0" "$t2")s, command never started"
fi
[ "$verbose" = 1 ] && echo "$me: $timing" >&2
[ -n "${VM_TIMING_FILE:-}" ] && echo "$(date -u +%FT%TZ) $timing" >>"$VM_TIMING_FILE"

if [ "$timed_out" = 1 ]; then
	echo "$me: timed out after ${timeout}s; end of the boot log:" >&2
	tail -n 30 "$RUN/console.log" >&2
	exit 124
fi
if [ ! -f "$CTL/rc" ]; then
	echo "$me: the VM stopped (qemu exit $qrc) before the command finished; qemu said:" >&2
	tail -n 10 "$RUN/qemu.log" >&2
	echo "$me: end of the boot log:" >&2
	tail -n 40 "$RUN/console.log" >&2
	exit 125
fi
[ "$debug" = 1 ] && { echo "$me: boot log:" >&2; sed 's/^/  | /' "$RUN/console.log" >&2; }
exit "$(cat "$CTL/rc")"
