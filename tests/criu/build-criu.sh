#!/bin/sh
# Builds CRIU 4.1.1 (Debian trixie's source) into PREFIX (default
# /opt/criu) for the checkpoint tests: bookworm's criu 3.17 refuses newer
# kernels ("vdso: Unexpected rt vDSO area bounds") and trixie's binary needs
# a newer libc. Only the criu binary is built (no docs, no libcriu, no
# crit). Does nothing when PREFIX/sbin/criu is that version already.
# Needs bookworm's build dependencies (see .ci/run): protobuf-c-compiler
# libprotobuf-c-dev libprotobuf-dev libnl-3-dev libnet1-dev libcap-dev
# libbsd-dev libnftables-dev pkg-config xz-utils curl.
set -eu

version=4.1.1
orig=criu_$version.orig.tar.xz
# From trixie's Sources index (dists/trixie/main/source/Sources.xz,
# Checksums-Sha256 of criu 4.1.1-1).
orig_sha256=f80a66cb3726bb2116266d4759ce3bcbfab7abdb6b6d430bf20dd41911717afe
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
prefix=${1:-/opt/criu}

if "$prefix/sbin/criu" --version 2>/dev/null | grep -qx "Version: $version"; then
  echo "criu $version is built in $prefix already"
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/criu-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
curl -fsSL -o "$orig" "$mirror/pool/main/c/criu/$orig"
echo "$orig_sha256  $orig" | sha256sum -c --quiet -
tar xf "$orig"
cd "criu-$version"
make -j2 criu >build.log 2>&1 || { tail -n 40 build.log; exit 1; }
install -D -m 0755 criu/criu "$prefix/sbin/criu"
"$prefix/sbin/criu" --version
