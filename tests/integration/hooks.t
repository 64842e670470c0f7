#!/bin/sh
# The six OCI hooks: where they run, the state they get on stdin, their
# timeouts, and what their failures do (runtime.md, config.md).
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 24
root="$TEST_TMP/state"
out="$TEST_TMP/hooks"
mkdir -p "$out"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
# field_is FILE KEY VALUE: the JSON object in FILE has KEY = VALUE
field_is () { "${PYTHON3:-python3}" -c "import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; sys.exit(0 if str(v)==sys.argv[3] else print(v) or 1)" "$1" "$2" "$3"; }
has_pid () { "${PYTHON3:-python3}" -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))['pid'] > 0 else 1)" "$1"; }
no_containers () { [ -z "$("$HAKO" --root "$root" list -q)" ]; }

make_bundle b '["sleep", "1000"]'
# Each hook saves its stdin; startContainer runs inside the container, so
# its file lands in the rootfs.
set_config b "
c['root']['readonly'] = False
# What the hooks and the payload write is looked for in the bundle's rootfs.
c['annotations']['org.hako.rootfs'] = 'bind'
def hook(dest): return [{'path': '/bin/sh', 'args': ['sh', '-c', '/bin/cat > ' + dest]}]
c['hooks'] = {k: hook('$out/' + k + '.json') for k in ('prestart', 'createRuntime', 'createContainer', 'poststart', 'poststop')}
c['hooks']['startContainer'] = hook('/startContainer.json')
"
ok "create with every hook succeeds" hk 0 create --bundle b c1
ok "prestart ran with status created (after the environment is created)" field_is "$out/prestart.json" status created
ok "createRuntime ran with status created" field_is "$out/createRuntime.json" status created
ok "... and the container's pid" has_pid "$out/createRuntime.json"
ok "createContainer ran, in the container's namespaces" field_is "$out/createContainer.json" id c1
ok "the hook state validates against state-schema.json" validate_json "$HAKO_SPEC_SCHEMA/state-schema.json" "$out/createRuntime.json"
ok "startContainer has not run before start" test ! -e b/rootfs/startContainer.json
ok "poststart has not run before start" test ! -e "$out/poststart.json"
ok "start succeeds" hk 0 start c1
ok "startContainer ran inside the container (path resolved in its rootfs)" test -s b/rootfs/startContainer.json
ok "poststart ran with status running" field_is "$out/poststart.json" status running
ok "delete --force succeeds" hk 0 delete --force c1
ok "poststop ran with status stopped" field_is "$out/poststop.json" status stopped

# poststart comes once the payload has begun: what it does first is there.
set_config b "
c['process']['args'] = ['sh', '-c', 'echo began > /began; exec sleep 1000']
c['hooks'] = {'poststart': [{'path': '/bin/sh', 'args': ['sh', '-c', 'cat $TEST_TMP/b/rootfs/began > $out/seen']}]}
"
ok "poststart sees what the payload did first" sh -c "'$HAKO' --root '$root' run --detach --bundle b early && [ \"\$(cat '$out/seen')\" = began ]"
hk 0 delete --force early

set_config b "c['process']['args'] = ['sleep', '1000']; c['hooks'] = {'createRuntime': [{'path': '/bin/sh', 'args': ['sh', '-c', 'exit 3']}]}"
ok "a failing createRuntime hook fails create" hk 1 create --bundle b c2
ok "... naming the hook and its status" output_has stderr "hooks.createRuntime[0]: /bin/sh exited with status 3"
ok "... and leaves no container behind" no_containers

set_config b "c['hooks'] = {'prestart': [{'path': '/bin/sleep', 'args': ['sleep', '30'], 'timeout': 1}]}"
ok "a hook past its timeout fails create" hk 1 create --bundle b c3
ok "... saying it timed out" output_has stderr "hooks.prestart[0]: /bin/sleep timed out after 1 s"

set_config b "c['hooks'] = {'startContainer': [{'path': '/bin/false'}]}"
hk 0 create --bundle b c4
ok "a failing startContainer hook fails start" hk 1 start c4
ok "... naming it" output_has stderr "hooks.startContainer[0]: /bin/false exited with status 1"
hk 0 delete --force c4

set_config b "c['hooks'] = {'poststop': [{'path': '/nonexistent/hook'}, {'path': '/bin/sh', 'args': ['sh', '-c', '/bin/cat > $out/second-poststop.json']}]}"
hk 0 create --bundle b c5
ok "a failing poststop hook only warns: delete succeeds" hk 0 delete --force c5
ok "... with the warning" output_has stderr "hooks.poststop[0]: cannot run /nonexistent/hook"
ok "... and the next poststop hook still runs" field_is "$out/second-poststop.json" status stopped
done_testing
