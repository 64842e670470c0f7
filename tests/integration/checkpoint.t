#!/bin/sh
# hako checkpoint / restore through CRIU (runc-checkpoint(8),
# runc-restore(8)): a counter that goes on from where it stopped, the
# restored container's state, and the refusals. CRIU needs root.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 17
root="$TEST_TMP/state"
# The criu to use: HAKO_TEST_CRIU (.ci/run builds one that works on newer
# kernels, tests/criu/build-criu.sh), else the one on $PATH.
criu=${HAKO_TEST_CRIU:-$(command -v criu || true)}
hk () { local status=$1; shift; run_hako "$status" --root "$root" ${criu:+--criu "$criu"} "$@"; }
# A shell whose "hako" is the one under test, with the state root and criu.
hsh () { sh -c "hako () { \"\$HAKO\" --root '$root' ${criu:+--criu '$criu'} \"\$@\"; }; $1"; }
# A counter in a directory of the host's, every 0.1 s.
make_bundle b '["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i >/data/counter; sleep 0.1; done"]'
mkdir -p data
set_config b "c['annotations'] = {'org.hako.rootfs': 'bind'}; c['process']['terminal'] = False; c['mounts'].append({'destination': '/data', 'type': 'bind', 'source': '$TEST_TMP/data', 'options': ['rbind']})"
counter () { cat data/counter 2>/dev/null; }
counter_past () { [ "$(counter)" -gt "$1" ] 2>/dev/null; }
wait_past () { for i in $(seq 100); do counter_past "$1" && return 0; sleep 0.1; done; return 1; }

if [ "$(id -u)" != 0 ]; then
  hk 0 run -d --bundle b c1 </dev/null
  ok "checkpoint without root says why CRIU needs it" hsh "! hako checkpoint --image-path img c1 2>err && grep -q 'checkpoint needs root: CRIU' err && grep -q CAP_CHECKPOINT_RESTORE err"
  ok "... and leaves the container running" hsh "hako state c1 | grep -q '\"running\"'"
  ok "restore without root says so too" hsh "! hako restore --image-path img --bundle b c2 2>err && grep -q 'restore needs root' err"
  hk 0 delete --force c1
  for t in "CRIU's own error" "... names its log, and the container runs on" "the counter runs" \
           "checkpoint --leave-running --tcp-established with --work-path" "... the counter goes on" \
           "checkpoint stops it and deletes the container" "... the counter stops with it" "restore -d runs it again" \
           "... its state is running, with the restored pid" "... in a cgroup namespace of its own" \
           "... and the counter goes on from where it stopped" "delete removes the restored container" \
           "restore from a directory without a checkpoint names it and leaves nothing"; do
    skip "$t" "CRIU needs root (tested above)"
  done
  ok "nothing is left behind" hsh "[ -z \"\$(hako list -q)\" ]"
  exit 0
fi

why_not=
[ -x "$criu" ] || why_not="criu is not installed (nor HAKO_TEST_CRIU set to one)"
[ -z "$why_not" ] && ! "$criu" check >criu-check.out 2>&1 && why_not="criu check fails on this host ($(uname -r)): $(grep -m1 Error criu-check.out)"
skip "checkpoint without root says why CRIU needs it" "running as root"
skip "... and leaves the container running" "running as root"
skip "restore without root says so too" "running as root"
hk 0 run -d --bundle b c1 </dev/null >/dev/null 2>&1
if [ -n "$why_not" ]; then
  ok "CRIU's own error: $why_not" hsh "! hako checkpoint --image-path '$TEST_TMP/img' c1 2>err && grep -q 'criu dump failed' err"
  ok "... names its log, and the container runs on" hsh "grep -q '(its log: $TEST_TMP/img/dump.log)' err && hako state c1 | grep -q '\"running\"'"
  hk 0 delete --force c1
  for t in "the counter runs" "checkpoint --leave-running --tcp-established with --work-path" "... the counter goes on" \
           "checkpoint stops it and deletes the container" "... the counter stops with it" "restore -d runs it again" \
           "... its state is running, with the restored pid" "... in a cgroup namespace of its own" \
           "... and the counter goes on from where it stopped" "delete removes the restored container"; do
    skip "$t" "$why_not"
  done
else
  skip "CRIU's own error" "criu works here"
  skip "... names its log, and the container runs on" "criu works here"
  ok "the counter runs" wait_past 3
  ok "checkpoint --leave-running --tcp-established with --work-path" hsh "hako checkpoint --leave-running --tcp-established --image-path '$TEST_TMP/img1' --work-path '$TEST_TMP/work1' c1 && [ -e '$TEST_TMP/img1/inventory.img' ] && [ -e '$TEST_TMP/work1/dump.log' ] && hako state c1 | grep -q '\"running\"'"
  ok "... the counter goes on" wait_past "$(counter)"
  ok "checkpoint stops it and deletes the container" hsh "hako checkpoint --image-path '$TEST_TMP/img' c1 && ! hako state c1 2>/dev/null"
  stopped_at=$(counter)
  sleep 0.5
  ok "... the counter stops with it" [ "$(counter)" = "$stopped_at" ]
  ok "restore -d runs it again" hk 0 restore -d --image-path "$TEST_TMP/img" --bundle b --pid-file r.pid c1
  ok "... its state is running, with the restored pid" hsh "hako state c1 >st.json && grep -q '\"running\"' st.json && grep -q \"\\\"pid\\\" : \$(cat r.pid),\" st.json"
  # Its cgroup namespace, not criu's: rooted at the new container's cgroup.
  ok "... in a cgroup namespace of its own" hsh "[ \"\$(readlink /proc/\$(cat r.pid)/ns/cgroup)\" != \"\$(readlink /proc/self/ns/cgroup)\" ] && grep -qx '0::/' /proc/\$(cat r.pid)/cgroup"
  ok "... and the counter goes on from where it stopped" hsh "for i in \$(seq 50); do [ \"\$(cat data/counter)\" -gt '$stopped_at' ] && break; sleep 0.1; done; v=\$(cat data/counter); [ \"\$v\" -gt '$stopped_at' ] && [ \"\$v\" -lt \$(($stopped_at + 40)) ]"
  ok "delete removes the restored container" hk 0 delete --force c1
fi
ok "restore from a directory without a checkpoint names it and leaves nothing" hsh "! hako restore --image-path '$TEST_TMP/none' --bundle b c3 2>err && grep -q 'none holds no checkpoint' err && [ ! -e '$TEST_TMP/none' ] && [ ! -e '$root/c3' ] && [ ! -e '$root/c3.lock' ]"
ok "nothing is left behind" hsh "[ -z \"\$(hako list -q)\" ]"
done_testing
