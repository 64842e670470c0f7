#!/bin/bash
# check-vm.sh SRCDIR BUILDDIR: boots the test VM once and runs the systemd
# cgroup suites in it (guest-suites.sh) with the hako built in BUILDDIR:
# their TAP lands in BUILDDIR/tests/vm/NAME.tap, which `make check-vm`
# feeds to automake's TAP driver. The VM image is built on first use
# (needs root).
set -euo pipefail
src=$1 build=$2
out=$build/tests/vm
shares=(--share "$src")
case $build/ in "$src"/*) ;; *) shares+=(--share "$build") ;; esac
mkdir -p "$out"
rm -f "$out"/*.tap
exec "$src/tests/vm/run-in-vm.sh" -v "${shares[@]}" --timeout "${VM_TEST_TIMEOUT:-900}" -- \
	bash "$src/tests/vm/guest-suites.sh" "$src" "$build" "$out"
