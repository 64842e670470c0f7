#!/bin/sh
# The OCI lifecycle with a busybox bundle, run by the invoking user
# (rootless in CI as hakotest, and again as root): run, create, start,
# state, kill, delete, list, and their errors.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 39
if [ ! -x /bin/busybox ]; then
  for i in $(seq 35); do skip "lifecycle" "install busybox-static"; done
  exit 0
fi
root="$TEST_TMP/state"
h () { run_hako "$@"; }
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
json_field () { "${PYTHON3:-python3}" -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$TEST_TMP/stdout" "$1"; }
status_is () { hk 0 state "$1" && [ "$(json_field status)" = "$2" ] || { echo "status: $(json_field status), expected $2"; return 1; }; }

make_bundle b '["sh", "-c", "echo hello from $(hostname); id -u; cat /proc/self/uid_map"]'
ok "run prints the container's output" hk 0 run --bundle b c1
ok "... from inside the container's uts namespace" output_has stdout "hello from hako"
ok "... as container root" sh -c "sed -n 2p '$TEST_TMP/stdout' | grep -qx 0"
ok "... with container 0 mapped to the caller" sh -c "sed -n 3p '$TEST_TMP/stdout' | awk '{exit !(\$1==0 && \$2==$(id -u))}'"
ok "run deletes the container afterwards" sh -c "[ -z \"\$('$HAKO' --root '$root' list -q)\" ]"

ok "--debug tells what create does" hk 0 --debug run --bundle b dbg
ok "... on stderr, marked as debug" output_has stderr "hako: debug: create dbg: bundle"
set_config b "c['process']['args'] = ['sh', '-c', 'exit 7']"
ok "run exits with the container's status" hk 7 run --bundle b c2
# Outside a pid namespace of its own (whose pid 1 ignores its own SIGKILL),
# and so without a proc mount of its own (nor the overlay rootfs, which needs one).
cp b/config.json config.saved
set_config b "c['annotations']['org.hako.rootfs'] = 'bind'; c['process']['args'] = ['sh', '-c', 'kill -9 \$\$']; c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'pid']; c['mounts'] = [m for m in c['mounts'] if m['type'] != 'proc']"
ok "run exits with 128+N when signal N kills the container" hk 137 run --bundle b c3
cp config.saved b/config.json

set_config b "c['process']['args'] = ['sleep', '1000']"
ok "create succeeds" hk 0 create --bundle b --pid-file "$TEST_TMP/pid" c4
ok "state says created" status_is c4 created
ok "state validates against state-schema.json" validate_json "$HAKO_SPEC_SCHEMA/state-schema.json" "$TEST_TMP/stdout"
ok "the pid file holds the container's pid" sh -c "[ \"\$(cat '$TEST_TMP/pid')\" = \"$(json_field pid)\" ]"
ok "the created process is waiting, not running sleep" sh -c "! grep -q sleep /proc/\$(cat '$TEST_TMP/pid')/cmdline"
ok "list shows the container" hk 0 list
ok "... with its id and status" sh -c "grep -E '^c4 +[0-9]+ +created ' '$TEST_TMP/stdout'"
ok "... and its owner's name" sh -c "grep -E '^c4 .* $(id -un)\$' '$TEST_TMP/stdout'"
ok "list --format json gives id, pid, status, owner" sh -c "'$HAKO' --root '$root' list --format json | '${PYTHON3:-python3}' -c 'import json,sys; l=json.load(sys.stdin); sys.exit(0 if l[0][\"id\"]==\"c4\" and l[0][\"status\"]==\"created\" and l[0][\"pid\"]>0 and l[0][\"owner\"]==\"$(id -un)\" else 1)'"
ok "a second create with the same id is refused" hk 1 create --bundle b c4
ok "... saying it exists" output_has stderr 'container "c4" already exists'
ok "start succeeds" hk 0 start c4
ok "state says running" status_is c4 running
ok "the process now runs sleep" sh -c "grep -q sleep /proc/\$(cat '$TEST_TMP/pid')/cmdline"
ok "start of a running container is refused" hk 1 start c4
ok "delete refuses a running container" hk 1 delete c4
ok "kill rejects an unknown signal" hk 1 kill c4 FOO
ok "kill KILL stops it" hk 0 kill c4 KILL
ok "state says stopped once it is gone" sh -c "for i in \$(seq 100); do '$HAKO' --root '$root' state c4 | grep -q '\"stopped\"' && exit 0; sleep 0.05; done; exit 1"
ok "delete removes a stopped container" hk 0 delete c4
ok "state of a deleted container fails" hk 1 state c4

ok "create; delete --force kills a created container" sh -c "'$HAKO' --root '$root' create --bundle b c5 && '$HAKO' --root '$root' delete --force c5 && [ -z \"\$('$HAKO' --root '$root' list -q)\" ]"
ok "delete --force of a missing container succeeds" hk 0 delete --force nosuch
ok "... leaving no lock file" test ! -e "$root/nosuch.lock"
ok "neither do kill and start of a missing container" sh -c "! '$HAKO' --root '$root' kill nosuch 2>/dev/null && ! '$HAKO' --root '$root' start nosuch 2>/dev/null && [ ! -e '$root/nosuch.lock' ]"
ok "an id with a slash is refused" hk 1 create --bundle b "../escape"
ok "... naming runc's rule" output_has stderr "invalid container id"

set_config b "c['mounts'].append({'destination': '/mnt', 'type': 'bind', 'source': '/nonexistent/source', 'options': ['bind']})"
ok "a failing mount fails create" hk 1 create --bundle b c6
ok "... and leaves no container behind" sh -c "[ -z \"\$('$HAKO' --root '$root' list -q)\" ] && [ ! -e '$root/c6' ]"
ok "a failing run leaves nothing in the state root" sh -c "! '$HAKO' --root '$root' run --bundle b c7 2>/dev/null && [ -z \"\$(ls '$root')\" ]"
done_testing
