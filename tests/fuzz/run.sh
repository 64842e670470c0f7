#!/bin/sh
# Builds a fuzzer with clang's libFuzzer (+ASan, UBSan) and runs it for
# SECONDS (default 600): FUZZ_TARGET=spec (the default), config.json, on a
# corpus seeded from the test fixtures and the spec's examples; or
# FUZZ_TARGET=image, the image layout's index, manifest and config parsers,
# seeded from tests/fuzz/image-seeds. Needs: apt-get install clang.
# Usage: [FUZZ_TARGET=spec|image] tests/fuzz/run.sh [SECONDS]
set -eu
seconds=${1:-600}
target=${FUZZ_TARGET:-spec}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_OUT:-$top/tests/fuzz}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

# config.h comes from a configured build tree (HAKO_BUILDDIR, default: the source tree).
build_tree=${HAKO_BUILDDIR:-$top}
[ -f "$build_tree/config.h" ] || { echo "no config.h in $build_tree: run ./autogen.sh first" >&2; exit 1; }
glib-compile-resources --sourcedir="$top/data" --generate-source --c-name hako \
  --target="$build/hako-resources.c" "$top/data/hako.gresource.xml"
flags=$(pkg-config --cflags --libs glib-2.0 gio-2.0 json-glib-1.0 libseccomp slirp libarchive)
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -DGETTEXT_PACKAGE='"hako"' -DLOCALEDIR='"/usr/share/locale"' -I"$build_tree" -I"$top/src/lib" \
  -o "$out/fuzz-$target" "$top/tests/fuzz/fuzz-$target.c" "$build/hako-resources.c" \
  $(ls "$top"/src/lib/*.c) $flags

corpus="$out/corpus-$target"
mkdir -p "$corpus"
if [ "$target" = image ]; then
  cp "$top"/tests/fuzz/image-seeds/*.json "$corpus/"
else
  cp "$top"/tests/data/config/*/*.json "$corpus/" 2>/dev/null || true
  cp "$top"/../shared/oci-runtime-spec/schema/test/config/*/*.json "$corpus/" 2>/dev/null || true
fi
"$out/fuzz-$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -artifact_prefix="$out/" "$corpus"
