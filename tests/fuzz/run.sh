#!/bin/sh
# Builds the config.json fuzzer with clang's libFuzzer (+ASan, UBSan) and
# runs it for SECONDS (default 600) on a corpus seeded from the test fixtures
# and the spec's examples. Needs: apt-get install clang.
# Usage: tests/fuzz/run.sh [SECONDS]
set -eu
seconds=${1:-600}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_OUT:-$top/tests/fuzz}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

# config.h comes from a configured build tree (HAKO_BUILDDIR, default: the source tree).
build_tree=${HAKO_BUILDDIR:-$top}
[ -f "$build_tree/config.h" ] || { echo "no config.h in $build_tree: run ./autogen.sh first" >&2; exit 1; }
glib-compile-resources --sourcedir="$top/data" --generate-source --c-name hako \
  --target="$build/hako-resources.c" "$top/data/hako.gresource.xml"
flags=$(pkg-config --cflags --libs glib-2.0 gio-2.0 json-glib-1.0 libseccomp slirp)
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -DGETTEXT_PACKAGE='"hako"' -DLOCALEDIR='"/usr/share/locale"' -I"$build_tree" -I"$top/src/lib" \
  -o "$out/fuzz-spec" "$top/tests/fuzz/fuzz-spec.c" "$build/hako-resources.c" \
  $(ls "$top"/src/lib/*.c) $flags

corpus="$out/corpus"
mkdir -p "$corpus"
cp "$top"/tests/data/config/*/*.json "$corpus/" 2>/dev/null || true
cp "$top"/../shared/oci-runtime-spec/schema/test/config/*/*.json "$corpus/" 2>/dev/null || true
"$out/fuzz-spec" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -artifact_prefix="$out/" "$corpus"
