#!/bin/bash
# build-image.sh - build the Debian VM image that run-in-vm.sh boots.
#
# Produces, under $VM_DIR/image/ (default /var/tmp/hako-vm/image):
#   rootfs.img   raw ext4 root filesystem (sparse, $VM_DISK_SIZE)
#   vmlinuz      Debian kernel (linux-image-amd64), booted with -kernel
#   initrd.img   its initramfs, booted with -initrd
#   image.info   package versions, sizes and the build time
#   recipe.sha   hash of this recipe; run-in-vm.sh rebuilds when it changes
#
# The guest is a plain Debian system with systemd as PID 1 on a pure cgroup v2
# hierarchy, and a user $VM_USER (uid $VM_UID) with subordinate id ranges and
# lingering enabled, so user@$VM_UID.service (a systemd user manager with
# delegated cpu/cpuset/io/memory/pids controllers) is started at boot.
#
# Needs: root, debootstrap, e2fsprogs >= 1.43 (mkfs.ext4 -d), a Debian mirror.
# No loop devices, no KVM, no network inside the guest are needed for the build.
#
# Environment (all optional):
#   VM_DIR              cache directory               (/var/tmp/hako-vm)
#   VM_SUITE            Debian suite                  (bookworm)
#   VM_MIRROR           Debian mirror                 (from the host's apt sources,
#                                                      else http://deb.debian.org/debian)
#   VM_SECURITY_MIRROR  security mirror               (VM_MIRROR with -security)
#   VM_USER / VM_UID    unprivileged user             (tuser / 1000)
#   VM_DISK_SIZE        size of rootfs.img            (4G, sparse)
#   VM_EXTRA_PACKAGES   more packages, space separated
#   VM_KEEP_ROOTFS=1    keep the unpacked root directory after the build
set -euo pipefail

VM_DIR=${VM_DIR:-/var/tmp/hako-vm}
VM_SUITE=${VM_SUITE:-bookworm}
VM_USER=${VM_USER:-tuser}
VM_UID=${VM_UID:-1000}
VM_DISK_SIZE=${VM_DISK_SIZE:-4G}
VM_EXTRA_PACKAGES=${VM_EXTRA_PACKAGES:-}

log() { printf 'build-image: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# First "URIs:" of the host's deb822 sources (or first "deb" line), so the
# build uses the same mirror (and proxy-free path) that apt on the host uses.
host_mirror() {
	local f u
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		u=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
		[ -n "$u" ] && { echo "$u"; return; }
	done
	if [ -r /etc/apt/sources.list ]; then
		u=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)
		[ -n "$u" ] && { echo "$u"; return; }
	fi
	echo http://deb.debian.org/debian
}
VM_MIRROR=${VM_MIRROR:-$(host_mirror)}
VM_SECURITY_MIRROR=${VM_SECURITY_MIRROR:-${VM_MIRROR%/}-security}

# Everything a rootless container runtime built on a bookworm host needs at run
# time, plus the reference runtimes and podman for comparisons.
PACKAGES=(
	# init, login sessions, user manager, session bus
	systemd systemd-sysv udev dbus dbus-user-session libpam-systemd
	# kernel and initramfs (booted directly by qemu, no boot loader)
	linux-image-amd64 initramfs-tools kmod
	# rootless containers
	uidmap fuse-overlayfs fuse3 slirp4netns crun runc podman conmon catatonit
	libslirp0 libseccomp2 libyajl2 libcap2 libprotobuf-c1 libsystemd0
	libjson-glib-1.0-0 libglib2.0-0 libarchive13
	# the sanitizer runtimes, so a host build configured with
	# --enable-sanitizers runs in the guest as it is
	libasan8 libubsan1
	# hako's test helpers edit config.json with python
	python3
	# tools used by tests
	iproute2 procps psmisc util-linux busybox-static strace jq less
)
# shellcheck disable=SC2206
[ -n "$VM_EXTRA_PACKAGES" ] && PACKAGES+=($VM_EXTRA_PACKAGES)

# The recipe hash: this file plus the settings that change the image.
recipe_sha() {
	{ cat "$0"; echo "$VM_SUITE $VM_USER $VM_UID $VM_DISK_SIZE ${PACKAGES[*]}"; } |
		sha256sum | cut -c1-16
}
if [ "${1:-}" = "--print-recipe" ]; then recipe_sha; exit 0; fi

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot)"
for t in debootstrap mkfs.ext4 chroot; do
	command -v "$t" >/dev/null || die "$t not found (apt-get install debootstrap e2fsprogs)"
done

mkdir -p "$VM_DIR"
BUILD=$(mktemp -d "$VM_DIR/build.XXXXXX")
R=$BUILD/rootfs
T0=$(date +%s)

# Unmount whatever we mounted in the chroot, whatever happens, and only then
# remove the build directory (never while the host's /dev is bound inside it).
cleanup() {
	local m busy=0
	for m in dev proc sys; do
		if mountpoint -q "$R/$m" 2>/dev/null; then
			umount -R "$R/$m" 2>/dev/null || umount -R -l "$R/$m" 2>/dev/null || true
		fi
		if mountpoint -q "$R/$m" 2>/dev/null; then busy=1; fi
	done
	if [ "$busy" = 1 ]; then
		log "warning: $R still has mounts; leaving $BUILD in place"
	elif [ "${KEEP_BUILD:-0}" != 1 ]; then
		rm -rf --one-file-system "$BUILD"
	fi
}
trap cleanup EXIT

log "debootstrap $VM_SUITE from $VM_MIRROR into $R"
# minbase first (fast, from the main suite only); everything else goes in with
# apt below, so that updates and security fixes are picked up as on the host.
debootstrap --variant=minbase --include=ca-certificates \
	"$VM_SUITE" "$R" "$VM_MIRROR" >"$BUILD/debootstrap.log" 2>&1 ||
	{ tail -n 30 "$BUILD/debootstrap.log" >&2; die "debootstrap failed"; }
log "debootstrap done after $(($(date +%s) - T0))s"

# --- configure apt in the chroot -------------------------------------------
cat >"$R/etc/apt/sources.list" <<EOF
deb $VM_MIRROR $VM_SUITE main
deb $VM_MIRROR $VM_SUITE-updates main
deb $VM_SECURITY_MIRROR $VM_SUITE-security main
EOF
cat >"$R/etc/apt/apt.conf.d/90eval-vm" <<'EOF'
// Test VM: no recommends; tolerate date-pinned (snapshot) mirrors.
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Check-Valid-Until "false";
Acquire::Languages "none";
EOF
# Leave out documentation, man pages and translations: smaller, faster.
cat >"$R/etc/dpkg/dpkg.cfg.d/90eval-vm-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
EOF
# No daemons may start inside the build chroot.
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
chmod 755 "$R/usr/sbin/policy-rc.d"
# A small initramfs: only what is needed to mount a virtio-blk ext4 root.
mkdir -p "$R/etc/initramfs-tools/conf.d"
echo 'MODULES=list' >"$R/etc/initramfs-tools/conf.d/eval-vm.conf"
cat >>"$R/etc/initramfs-tools/modules" <<'EOF'
virtio_pci
virtio_blk
ext4
crc32c_generic
EOF
# Name resolution for apt during the build (restored below).
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
cp "$R/etc/hosts" "$BUILD/hosts.orig" 2>/dev/null || true
cp /etc/hosts "$R/etc/hosts"

mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
mount --rbind /dev "$R/dev"
mount --make-rslave "$R/dev"

in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

log "apt-get install ${#PACKAGES[@]} packages"
{
	in_root apt-get update &&
		in_root apt-get -y dist-upgrade &&
		in_root apt-get -y install "${PACKAGES[@]}"
} >"$BUILD/apt.log" 2>&1 || { tail -n 40 "$BUILD/apt.log" >&2; die "apt-get failed"; }
log "packages installed after $(($(date +%s) - T0))s"

# --- system configuration --------------------------------------------------
echo evalvm >"$R/etc/hostname"
cat >"$R/etc/hosts" <<'EOF'
127.0.0.1	localhost
127.0.1.1	evalvm
::1		localhost ip6-localhost ip6-loopback
EOF
: >"$R/etc/resolv.conf"
# Root on the virtio disk; no fsck (the disk is a throw-away snapshot per run).
echo '/dev/vda / ext4 rw,noatime 0 0' >"$R/etc/fstab"
# A fixed machine id: not a "first boot", so nothing prompts on the console.
in_root systemd-machine-id-setup >/dev/null 2>&1 ||
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$R/etc/machine-id"
# 9p (shares) and virtio-console (output ports) early in boot.
printf '9p\n9pnet_virtio\nvirtio_console\n' >"$R/etc/modules-load.d/eval-vm.conf"
# Password-less root on the serial console (debug boots only; no network).
in_root passwd -d root >/dev/null
mkdir -p "$R/etc/systemd/system/serial-getty@ttyS0.service.d"
cat >"$R/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=-/sbin/agetty -o '-p -f -- \\u' --keep-baud --autologin root 115200,57600,38400,9600 - $TERM
EOF

# The unprivileged user, with subordinate ids and lingering, so that logind
# starts user@UID.service at boot (what 'loginctl enable-linger' does).
in_root useradd -m -u "$VM_UID" -s /bin/bash "$VM_USER"
grep -q "^$VM_USER:" "$R/etc/subuid" || echo "$VM_USER:100000:65536" >>"$R/etc/subuid"
grep -q "^$VM_USER:" "$R/etc/subgid" || echo "$VM_USER:100000:65536" >>"$R/etc/subgid"
mkdir -p "$R/var/lib/systemd/linger"
touch "$R/var/lib/systemd/linger/$VM_USER"

# Delegate all useful controllers to user managers (systemd's default for
# user@.service is only "pids memory" or "pids memory cpu", depending on version).
mkdir -p "$R/etc/systemd/system/user@.service.d"
cat >"$R/etc/systemd/system/user@.service.d/delegate.conf" <<'EOF'
[Service]
Delegate=cpu cpuset io memory pids
EOF

# The hook run-in-vm.sh uses: on boots with eval.run=1 on the kernel command
# line, mount the control share and hand over to the runner it contains. The
# runner is supplied by the host on every boot, so it can change without an
# image rebuild.
cat >"$R/usr/local/sbin/eval-boot" <<'EOF'
#!/bin/sh
# Started by eval-boot.service. See run-in-vm.sh on the host.
grep -qw 'eval.run=1' /proc/cmdline || exit 0
CTL=/run/evalctl
mkdir -p "$CTL"
i=0
until mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 evalctl "$CTL"; do
	i=$((i + 1))
	if [ "$i" -ge 100 ]; then
		echo "eval-boot: cannot mount the control share; powering off" >/dev/console
		systemctl poweroff --force
		exit 1
	fi
	sleep 0.1
done
exec /bin/bash "$CTL/guest-run.sh"
EOF
chmod 755 "$R/usr/local/sbin/eval-boot"
cat >"$R/etc/systemd/system/eval-boot.service" <<'EOF'
[Unit]
Description=Run the command handed in by run-in-vm.sh
After=local-fs.target systemd-modules-load.service systemd-logind.service dbus.service systemd-user-sessions.service
ConditionKernelCommandLine=eval.run=1

[Service]
Type=simple
ExecStart=/usr/local/sbin/eval-boot
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
EOF
in_root systemctl enable eval-boot.service >/dev/null 2>&1
# Nothing in this VM needs these; they only cost boot time (which matters a
# lot when the VM runs without KVM). A test can still 'systemctl unmask' one.
for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
	e2scrub_reap.service fstrim.timer getty@tty1.service systemd-pstore.service \
	modprobe@drm.service modprobe@efi_pstore.service \
	podman.service podman.socket podman-auto-update.service podman-auto-update.timer \
	podman-restart.service; do
	in_root systemctl mask "$u" >/dev/null 2>&1 || true
done
for u in gpg-agent.socket gpg-agent-browser.socket gpg-agent-extra.socket gpg-agent-ssh.socket \
	dirmngr.socket podman-auto-update.timer podman-restart.service; do
	in_root systemctl --global disable "$u" >/dev/null 2>&1 || true
done

# Drop kernel modules for hardware a qemu guest never has (about 60% of the
# 400 MB of modules): GPUs, sound, media, wireless, physical NICs, USB, ...
# Filesystems, netfilter, virtio, tun/veth/bridge etc. stay. VM_PRUNE_MODULES=0 keeps all.
if [ "${VM_PRUNE_MODULES:-1}" = 1 ]; then
	for KV in "$R"/lib/modules/*; do
		K=$KV/kernel
		rm -rf "$K"/sound "$K"/drivers/{gpu,media,infiniband,usb,iio,hwmon,staging,hid,comedi,mtd} \
			"$K"/drivers/{video,target,mmc,bluetooth,isdn,memstick,scsi,ata,firewire,thunderbolt,nfc} \
			"$K"/drivers/{leds,power,pcmcia,w1,rtc,spi,i2c,edac,watchdog,mfd,platform,regulator,pinctrl} \
			"$K"/drivers/net/{ethernet,wireless,usb,can,wwan,ieee802154,fddi,arcnet,hamradio,wan,plip} \
			"$K"/net/{bluetooth,wireless,mac80211,nfc,can,ieee802154,mac802154}
		in_root depmod -a "${KV##*/}"
	done
fi

# Tidy up and record what we built.
rm -f "$R/usr/sbin/policy-rc.d"
in_root apt-get clean
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/var/log/*.log
for m in dev proc sys; do umount -R "$R/$m"; done

OUT=$BUILD/image
mkdir -p "$OUT"
KVER=$(ls "$R/lib/modules" | sort -V | tail -n 1)

# --- kernel and initramfs for a fast direct boot ---------------------------
# The Debian kernel is an xz-compressed bzImage; decompressing it takes
# seconds without KVM. It is built with CONFIG_PVH, so qemu can also boot the
# uncompressed ELF vmlinux directly (PVH entry point). run-in-vm.sh uses
# vmlinux when it is there, else vmlinuz.
extract_vmlinux() { # bzImage output
	local off
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$1" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || return 1
	tail -c +"$((off + 1))" "$1" | xz -dc >"$2" 2>/dev/null
	[ "$(head -c 4 "$2" | od -An -c | tr -d ' ')" = '177ELF' ]
}
cp "$R/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
if grep -q '^CONFIG_PVH=y' "$R/boot/config-$KVER" && command -v xz >/dev/null &&
	extract_vmlinux "$OUT/vmlinuz" "$OUT/vmlinux"; then
	log "kernel $KVER: vmlinuz and uncompressed vmlinux (PVH boot)"
else
	rm -f "$OUT/vmlinux"
	log "kernel $KVER: vmlinuz only"
fi

# A tiny, uncompressed initramfs instead of initramfs-tools' (which spends
# seconds in udev without KVM): busybox, the modules needed to mount a
# virtio-blk ext4 root, and a short /init.
I=$R/tmp/initramfs
rm -rf "$I"
mkdir -p "$I/bin" "$I/dev" "$I/proc" "$I/sys" "$I/newroot"
cp "$R/bin/busybox" "$I/bin/busybox"
mknod -m 600 "$I/dev/console" c 5 1
for m in virtio_pci virtio_blk crc32c_generic ext4; do
	chroot "$R" /sbin/modprobe --show-depends -S "$KVER" "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' >"$I/modules.order"
while read -r ko; do
	mkdir -p "$I$(dirname "$ko")"
	cp "$R$ko" "$I$ko"
done <"$I/modules.order"
cat >"$I/init" <<'INIT'
#!/bin/busybox sh
# Minimal initramfs init (made by build-image.sh): load the modules for a
# virtio-blk ext4 root, mount root= (default /dev/vda) and start systemd.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
root=/dev/vda init=/sbin/init
for a in $(cat /proc/cmdline); do
	case $a in root=*) root=${a#root=} ;; init=*) init=${a#init=} ;; esac
done
while read -r m; do insmod "$m"; done </modules.order
i=0
while [ ! -b "$root" ] && [ "$i" -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
if ! mount -t ext4 -o rw "$root" /newroot; then
	echo "init: cannot mount $root; powering off" >/dev/console
	echo o >/proc/sysrq-trigger
fi
umount /sys /proc /dev
exec switch_root /newroot "$init"
INIT
chmod 755 "$I/init"
chroot "$R" /bin/sh -c 'cd /tmp/initramfs && find . | /bin/busybox cpio -o -H newc 2>/dev/null' >"$OUT/initrd.img"
rm -rf "$I"

log "mkfs.ext4 -d ($VM_DISK_SIZE)"
mkfs.ext4 -q -F -L evalroot -d "$R" "$OUT/rootfs.img" "$VM_DISK_SIZE" >/dev/null ||
	die "mkfs.ext4 -d failed (needs e2fsprogs >= 1.43)"

T1=$(date +%s)
{
	echo "built: $(date -u +%FT%TZ) in $((T1 - T0))s"
	echo "suite: $VM_SUITE mirror: $VM_MIRROR"
	echo "kernel: $KVER"
	echo "rootfs used: $(du -sh "$R" | cut -f1), rootfs.img on disk: $(du -h "$OUT/rootfs.img" | cut -f1)"
	echo "user: $VM_USER uid $VM_UID"
	echo "packages:"
	chroot "$R" dpkg-query -W -f '  ${Package} ${Version}\n' "${PACKAGES[@]}" 2>/dev/null
} >"$OUT/image.info"
recipe_sha >"$OUT/recipe.sha"
cp "$BUILD"/*.log "$OUT/" 2>/dev/null || true

if [ "${VM_KEEP_ROOTFS:-0}" = 1 ]; then
	rm -rf "$VM_DIR/rootfs"
	mv "$R" "$VM_DIR/rootfs"
fi
# Swap the new image in.
rm -rf "$VM_DIR/image.old"
[ -d "$VM_DIR/image" ] && mv "$VM_DIR/image" "$VM_DIR/image.old"
mv "$OUT" "$VM_DIR/image"
rm -rf "$VM_DIR/image.old"
log "done in $((T1 - T0))s: $VM_DIR/image ($(du -sh "$VM_DIR/image" | cut -f1) on disk)"
