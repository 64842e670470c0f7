# make_bundle DIR [ARGS_JSON]: a bundle whose rootfs is the host's
# busybox-static (Debian package busybox-static), from `hako spec`, with
# process.args set to ARGS_JSON (default ["sh"]).
make_bundle () {
  local dir=$1 args=${2:-'["sh"]'}
  mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/dev" \
    "$dir/rootfs/tmp" "$dir/rootfs/etc" "$dir/rootfs/root"
  cp /bin/busybox "$dir/rootfs/bin/busybox"
  for tool in sh echo cat id ls sleep hostname mount true false kill ps stat touch grep wc head test; do
    ln -sf busybox "$dir/rootfs/bin/$tool"
  done
  "$HAKO" spec --bundle "$dir" || return 1
  set_config "$dir" "c['process']['args'] = $args"
}

# set_config DIR PYTHON: edit DIR/config.json, the document bound to c.
set_config () {
  "${PYTHON3:-python3}" - "$1/config.json" "$2" <<'PY'
import json, sys
path, code = sys.argv[1], sys.argv[2]
with open(path) as f:
    c = json.load(f)
exec(code)
with open(path, "w") as f:
    json.dump(c, f, indent=2)
PY
}
