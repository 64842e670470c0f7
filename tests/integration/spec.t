#!/bin/sh
# hako spec writes a valid config.json and never overwrites one.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
plan 9
schema="$HAKO_SPEC_SCHEMA/config-schema.json"

ok "spec writes config.json in the current directory" run_hako 0 spec
ok "the written config.json validates against config-schema.json" validate_json "$schema" config.json
ok "it runs sh from rootfs as container root" \
  "${PYTHON3:-python3}" -c 'import json,sys; c=json.load(open("config.json")); sys.exit(0 if c["process"]["args"]==["sh"] and c["root"]["path"]=="rootfs" and c["process"]["user"]["uid"]==0 else 1)'
cp config.json before.json
ok "spec refuses to overwrite an existing config.json" run_hako 1 spec
ok "the refusal names the file and the fix" output_has stderr "config.json already exists: remove it"
ok "the existing file is unchanged" cmp config.json before.json

mkdir bundle
ok "spec --bundle --rootless writes into the bundle" run_hako 0 spec --bundle bundle --rootless
ok "--rootless output validates against the schema" validate_json "$schema" bundle/config.json
ok "--rootless maps only the caller's uid and gid to 0" \
  "${PYTHON3:-python3}" -c 'import json,os,sys; l=json.load(open("bundle/config.json"))["linux"]; sys.exit(0 if l["uidMappings"]==[{"containerID":0,"hostID":os.getuid(),"size":1}] and l["gidMappings"]==[{"containerID":0,"hostID":os.getgid(),"size":1}] else 1)'
done_testing
