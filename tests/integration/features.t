#!/bin/sh
# hako features prints a Features structure valid against features-schema.json.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
plan 7
ok "features exits 0" run_hako 0 features
cp stdout features.json
ok "its output validates against features-schema.json" validate_json "$HAKO_SPEC_SCHEMA/features-schema.json" features.json
check () {
  "${PYTHON3:-python3}" -c "import json,sys; f=json.load(open('features.json')); sys.exit(0 if ($1) else 1)"
}
ok "it spans spec versions 1.0.0 to 1.3.0" check 'f["ociVersionMin"]=="1.0.0" and f["ociVersionMax"]=="1.3.0"'
ok "it lists all six hooks and eight namespaces" check 'len(f["hooks"])==6 and len(f["linux"]["namespaces"])==8'
ok "it lists seccomp actions and recursive mount options, and says what is not there yet" check '"SCMP_ACT_ERRNO" in f["linux"]["seccomp"]["actions"] and "SCMP_ACT_NOTIFY" in f["linux"]["seccomp"]["actions"] and f["linux"]["seccomp"]["enabled"] and not f["linux"]["netDevices"]["enabled"] and "rro" in f["mountOptions"]'
ok "it has idmapped mounts, idmap and ridmap" check 'f["linux"]["mountExtensions"]["idmap"]["enabled"] and "idmap" in f["mountOptions"] and "ridmap" in f["mountOptions"]'
ok "it claims the cgroup v1 and v2 writers of cgroupfs, and systemd's system and user managers" check 'f["linux"]["cgroup"]=={"v1": True, "v2": True, "systemd": True, "systemdUser": True, "rdma": False}'
done_testing
