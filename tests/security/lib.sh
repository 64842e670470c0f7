# Shared by the attack tests (tests/security/*.t), after tap.sh and bundle.sh.
: "${HAKO_TESTS_BUILDDIR:=$(dirname "$HAKO")/../tests}"
root="$TEST_TMP/state"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }

# A bundle of make_bundle's without the extras: the bundle's rootfs bound
# as it is, no network helper (the tests that want them say so), and a
# tmpfs on /tmp for the payload to write to.
make_plain_bundle () {
  make_bundle "$@" || return 1
  set_config "$1" "c['annotations']['org.hako.rootfs'] = 'bind'; c['annotations'].pop('org.hako.network', None); c['mounts'].append({'destination': '/tmp', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['nosuid', 'nodev']})"
}

# set_args BUNDLE ARG...: process.args of BUNDLE's config.json.
set_args () {
  "${PYTHON3:-python3}" - "$@" <<'PY'
import json, sys
path = sys.argv[1] + "/config.json"
with open(path) as f:
    c = json.load(f)
c["process"]["args"] = sys.argv[2:]
with open(path, "w") as f:
    json.dump(c, f, indent=2)
PY
}

# run_args BUNDLE ID ARG...: hako run of BUNDLE with process.args ARG...
run_args () {
  local bundle=$1 id=$2; shift 2
  set_args "$bundle" "$@" && hk 0 run --bundle "$bundle" "$id"
}

# build_helper NAME BUNDLE: tests/security/helpers/NAME.c, static (the
# busybox rootfs has no libc), as BUNDLE/rootfs/bin/NAME.
build_helper () {
  ${CC:-gcc} -static -no-pie -O2 -o "$2/rootfs/bin/$1" "$HAKO_TESTS_SRCDIR/security/helpers/$1.c"
}

# helpers_or_skip PLANNED BUNDLE NAME...: build_helper each NAME into
# BUNDLE; without a static toolchain, skip all PLANNED tests and end.
helpers_or_skip () {
  local planned=$1 bundle=$2 name t; shift 2
  if ! can_build_static; then
    for t in $(seq "$planned"); do skip "$*" "no gcc with a static libc to build the helpers"; done
    exit 0
  fi
  for name in "$@"; do build_helper "$name" "$bundle" || exit 1; done
}

# can_build_static: gcc and a static libc (Debian: build-essential).
can_build_static () {
  printf 'int main(void){return 0;}\n' > "$TEST_TMP/probe.c"
  ${CC:-gcc} -static -o "$TEST_TMP/probe" "$TEST_TMP/probe.c" 2>/dev/null
}

# nothing_left: no container listed, no state directory, no lock file.
nothing_left () { [ -z "$("$HAKO" --root "$root" list -q 2>/dev/null)" ] && [ -z "$(ls -A "$root" 2>/dev/null)" ]; }
