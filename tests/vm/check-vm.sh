#!/bin/bash
# check-vm.sh SRCDIR BUILDDIR: runs the systemd cgroup tests (systemd.t)
# in the test VM as its lingering unprivileged user, with the hako built
# in BUILDDIR; their TAP on stdout (`make check-vm` feeds it to automake's
# TAP driver). The VM image is built on first use (needs root).
set -euo pipefail
src=$1 build=$2
shares=(--share "$src")
case $build/ in "$src"/*) ;; *) shares+=(--share "$build") ;; esac
exec "$src/tests/vm/run-in-vm.sh" -v --user "${shares[@]}" --timeout "${VM_TEST_TIMEOUT:-900}" -- \
	env HAKO="$build/src/hako" HAKO_TESTS_SRCDIR="$src/tests" PYTHON3=/usr/bin/python3 \
	sh "$src/tests/vm/systemd.t"
