#!/bin/bash
# guest-suites.sh SRCDIR BUILDDIR OUTDIR: in the VM, as root (run by
# check-vm.sh): systemd-root.t as root, then systemd.t as the lingering
# user in a login session (user@UID.service and its bus up), as after an
# ssh login; the TAP of each in OUTDIR/NAME.tap. One boot for both.
set -u
src=$1 build=$2 out=$3
user=${VM_USER:-tuser}
uid=$(id -u "$user")
env=(HAKO="$build/src/hako" HAKO_TESTS_SRCDIR="$src/tests" PYTHON3=/usr/bin/python3)

(cd /tmp && env "${env[@]}" sh "$src/tests/vm/systemd-root.t") >"$out/systemd-root.tap" 2>&1
timeout 120 systemctl start "user@$uid.service" || { echo "user@$uid.service did not start" >&2; exit 125; }
for _ in $(seq 100); do [ -S "/run/user/$uid/bus" ] && break; sleep 0.1; done
runuser -l "$user" -c "export XDG_RUNTIME_DIR=/run/user/$uid DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$uid/bus;
  cd /tmp && exec env $(printf '%q ' "${env[@]}") sh $(printf %q "$src/tests/vm/systemd.t")" \
  </dev/null >"$out/systemd.tap" 2>&1
exit 0
