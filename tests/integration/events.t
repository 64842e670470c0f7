#!/bin/sh
# hako events: runc's stats JSON from the container's cgroup, once with
# --stats or every --interval until the container stops (as root on this
# cgroup v1 host); without a cgroup the refusal that says why.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 12
root="$TEST_TMP/state"
id="events-$$"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
py () { "${PYTHON3:-python3}" -c "$@"; }
make_bundle b '["sh", "-c", "sleep 305 & sleep 306"]'
# A plain rootfs: an overlay's fuse-overlayfs daemon would be one more pid.
set_config b "c['annotations']['org.hako.rootfs'] = 'bind'"
set_config b "c['linux']['resources'] = {'memory': {'limit': 67108864}, 'pids': {'limit': 40}}"

ok "a duration that is not one is refused" sh -c "! '$HAKO' --root '$root' events --interval soon x 2>err && grep -q 'duration' err"
ok "an unknown container is refused" hk 1 events --stats nope

if [ "$(id -u)" != 0 ] || [ ! -d /sys/fs/cgroup/memory ] || [ ! -d /sys/fs/cgroup/pids ]; then
  set_config b "del c['linux']['resources']"
  hk 0 run -d --bundle b "$id" || echo "# could not start the container: $(cat "$TEST_TMP/stderr")"
  ok "without a cgroup, events says why" sh -c "! '$HAKO' --root '$root' events --stats '$id' 2>err && grep -q 'has no cgroup, which events needs' err"
  for t in "--stats prints one stats event" "... with runc's sections" "... the memory limit and usage" \
    "... the pids" "... cpu time" "--interval prints again and again" "an OOM kill is an oom event"; do
    skip "$t" "needs root and cgroup v1 memory and pids controllers (this host's unprivileged user has no cgroup)"
  done
else
  skip "without a cgroup, events says why" "root has a cgroup here"
  hk 0 run -d --bundle b "$id" || echo "# could not start the container: $(cat "$TEST_TMP/stderr")"
  ok "--stats prints one stats event" sh -c "'$HAKO' --root '$root' events --stats '$id' >stats.json && [ \$(wc -l <stats.json) = 1 ]"
  ok "... with runc's sections" py "import json; e = json.load(open('stats.json')); assert e['type'] == 'stats' and e['id'] == '$id', e; assert set(e['data']) >= {'cpu', 'memory', 'pids', 'blkio'}, e"
  ok "... the memory limit and usage" py "import json; m = json.load(open('stats.json'))['data']['memory']; assert m['usage']['limit'] == 67108864 and m['usage']['usage'] > 0 and 'rss' in m['raw'], m"
  ok "... the pids (sleep and sleep)" py "import json; p = json.load(open('stats.json'))['data']['pids']; assert p == {'current': 2, 'limit': 40}, p"
  ok "... cpu time" py "import json; c = json.load(open('stats.json'))['data']['cpu']; assert c['usage']['total'] > 0 and len(c['usage']['percpu']) >= 1, c"
  ok "--interval prints again and again" sh -c "timeout 2 '$HAKO' --root '$root' events --interval 300ms '$id' >loop.json; [ \$(wc -l <loop.json) -ge 3 ]"
  make_bundle oom '["sh", "-c", "sleep 1; head -c 200000000 /dev/zero | tail -c 100000000; sleep 30"]'
  set_config oom "c['linux']['resources'] = {'memory': {'limit': 16777216, 'swap': 16777216}}"
  hk 0 run -d --bundle oom "$id-oom"
  ok "an OOM kill is an oom event" sh -c "timeout 4 '$HAKO' --root '$root' events --interval 1s '$id-oom' >oom.json; grep -qx '{\"type\":\"oom\",\"id\":\"$id-oom\"}' oom.json"
  hk 0 delete --force "$id-oom"
fi
"$HAKO" --root "$root" kill "$id" KILL
for i in $(seq 100); do hk 0 state "$id" && grep -q stopped "$TEST_TMP/stdout" && break; sleep 0.05; done
ok "a stopped container is refused" sh -c "! '$HAKO' --root '$root' events --stats '$id' 2>err && grep -q 'is stopped' err"
hk 0 delete --force "$id"
ok "nothing is left behind" sh -c "[ -z \"\$(ls -A '$root')\" ]"
done_testing
