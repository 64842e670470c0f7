#!/bin/sh
# Builds one libFuzzer target, tests/fuzz/fuzz-TARGET.c, with clang
# (+ASan, UBSan) and runs it for SECONDS (default 600) on a corpus seeded
# from tests/fuzz/seeds/TARGET and, for the config parser, the test
# fixtures and the spec's examples. Needs: apt-get install clang
# libclang-rt-14-dev. Exit status: libFuzzer's (non-zero on a finding,
# whose input is left as OUT/crash-* etc.).
# Usage: tests/fuzz/run.sh TARGET [SECONDS]     (TARGET: spec, state, ...)
set -eu
[ $# -ge 1 ] || { echo "usage: $0 TARGET [SECONDS]" >&2; exit 2; }
target=$1
seconds=${2:-600}
top=$(cd "$(dirname "$0")/../.." && pwd)
source_file=$top/tests/fuzz/fuzz-$target.c
[ -f "$source_file" ] || { echo "$0: no fuzz target $source_file" >&2; exit 2; }
out=${FUZZ_OUT:-$top/tests/fuzz}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

# config.h comes from a configured build tree (HAKO_BUILDDIR, default: the source tree).
build_tree=${HAKO_BUILDDIR:-$top}
[ -f "$build_tree/config.h" ] || { echo "no config.h in $build_tree: run ./autogen.sh first" >&2; exit 1; }
glib-compile-resources --sourcedir="$top/data" --generate-source --c-name hako \
  --target="$build/hako-resources.c" "$top/data/hako.gresource.xml"
flags=$(pkg-config --cflags --libs glib-2.0 gio-2.0 json-glib-1.0 libseccomp slirp libarchive)
mkdir -p "$out"
# An in-tree build generated src/lib/hako-resources.c too: link the one made here.
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -DGETTEXT_PACKAGE='"hako"' -DLOCALEDIR='"/usr/share/locale"' -I"$build_tree" -I"$top/src/lib" \
  -o "$out/fuzz-$target" "$source_file" "$build/hako-resources.c" \
  $(ls "$top"/src/lib/*.c | grep -v /hako-resources\.c$) $flags

corpus="$out/corpus-$target"
mkdir -p "$corpus"
cp "$top"/tests/fuzz/seeds/"$target"/* "$corpus/" 2>/dev/null || true
if [ "$target" = spec ]; then
  cp "$top"/tests/data/config/*/*.json "$corpus/" 2>/dev/null || true
  cp "$top"/../shared/oci-runtime-spec/schema/test/config/*/*.json "$corpus/" 2>/dev/null || true
fi
"$out/fuzz-$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -artifact_prefix="$out/$target-" "$corpus"
