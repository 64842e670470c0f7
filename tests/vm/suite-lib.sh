# Shared by the VM suites (sourced after tap.sh and bundle.sh); SYSTEMCTL
# is "systemctl --user" or "systemctl", the manager the suite talks to.
root="$TEST_TMP/state"
hr () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
state_field () { "${PYTHON3:-python3}" -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(v[0] if isinstance(v, list) else v)' "$root/$1/state.json" "$2"; }
# created ID: the pid, the scope's cgroup (dir) and unit of container ID,
# whose unit name has the root's hash under a --root of its own.
created () {
  pid=$(state_field "$1" pid)
  dir=$(state_field "$1" cgroupPaths)
  unit=$(state_field "$1" cgroupCreated)
}
# In checks (sh -c): no unit of ours is loaded.
no_units="! $SYSTEMCTL list-units --all --plain --no-legend 'hako-*' 'test-*' | grep ."
# bundle DIR ARGS_JSON [PYTHON]: a plain bundle (no overlay, no network).
bundle () {
  make_bundle "$1" "$2" &&
    set_config "$1" "c['annotations'] = {'org.hako.rootfs': 'bind'}; ${3:-pass}"
}
