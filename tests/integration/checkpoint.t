#!/bin/sh
# hako checkpoint / restore through CRIU (runc-checkpoint(8),
# runc-restore(8)): a counter that goes on from where it stopped, the
# restored container's state, and the refusals. CRIU needs root.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 13
root="$TEST_TMP/state"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
# A counter in a directory of the host's, every 0.1 s.
make_bundle b '["sh", "-c", "i=0; while :; do i=$((i+1)); echo $i >/data/counter; sleep 0.1; done"]'
mkdir -p data
set_config b "c['annotations'] = {'org.hako.rootfs': 'bind'}; c['process']['terminal'] = False; c['mounts'].append({'destination': '/data', 'type': 'bind', 'source': '$TEST_TMP/data', 'options': ['rbind']})"
counter () { cat data/counter 2>/dev/null; }
counter_past () { [ "$(counter)" -gt "$1" ] 2>/dev/null; }
wait_past () { for i in $(seq 100); do counter_past "$1" && return 0; sleep 0.1; done; return 1; }

if [ "$(id -u)" != 0 ]; then
  hk 0 run -d --bundle b c1 </dev/null
  ok "checkpoint without root says why CRIU needs it" sh -c "! '$HAKO' --root '$root' checkpoint --image-path img c1 2>err && grep -q 'checkpoint needs root: CRIU' err && grep -q CAP_CHECKPOINT_RESTORE err"
  ok "... and leaves the container running" sh -c "'$HAKO' --root '$root' state c1 | grep -q '\"running\"'"
  ok "restore without root says so too" sh -c "! '$HAKO' --root '$root' restore --image-path img --bundle b c2 2>err && grep -q 'restore needs root' err"
  hk 0 delete --force c1
  for t in "CRIU's own error" "... names its log, and the container runs on" "the counter runs" \
           "checkpoint stops it and deletes the container" "restore -d runs it again" "... its state is running, with the restored pid" \
           "... and the counter goes on from where it stopped" "delete removes the restored container" \
           "restore from a directory without a checkpoint names it and leaves nothing"; do
    skip "$t" "CRIU needs root (tested above)"
  done
  ok "nothing is left behind" sh -c "[ -z \"\$('$HAKO' --root '$root' list -q)\" ]"
  exit 0
fi

why_not=
command -v criu >/dev/null || why_not="criu is not installed"
[ -z "$why_not" ] && ! criu check >criu-check.out 2>&1 && why_not="criu check fails on this host ($(uname -r)): $(grep -m1 Error criu-check.out)"
skip "checkpoint without root says why CRIU needs it" "running as root"
skip "... and leaves the container running" "running as root"
skip "restore without root says so too" "running as root"
hk 0 run -d --bundle b c1 </dev/null >/dev/null 2>&1
if [ -n "$why_not" ]; then
  ok "CRIU's own error: $why_not" sh -c "! '$HAKO' --root '$root' checkpoint --image-path '$TEST_TMP/img' c1 2>err && grep -q 'criu dump failed' err"
  ok "... names its log, and the container runs on" sh -c "grep -q '(its log: $TEST_TMP/img/dump.log)' err && '$HAKO' --root '$root' state c1 | grep -q '\"running\"'"
  hk 0 delete --force c1
  for t in "the counter runs" "checkpoint stops it and deletes the container" "restore -d runs it again" \
           "... its state is running, with the restored pid" "... and the counter goes on from where it stopped" \
           "delete removes the restored container"; do
    skip "$t" "$why_not"
  done
else
  skip "CRIU's own error" "criu works here"
  skip "... names its log, and the container runs on" "criu works here"
  ok "the counter runs" wait_past 3
  ok "checkpoint stops it and deletes the container" sh -c "'$HAKO' --root '$root' checkpoint --image-path '$TEST_TMP/img' c1 && ! '$HAKO' --root '$root' state c1 2>/dev/null"
  stopped_at=$(counter)
  sleep 0.5
  ok "restore -d runs it again" sh -c "[ \"\$(cat data/counter)\" = '$stopped_at' ] && '$HAKO' --root '$root' restore -d --image-path '$TEST_TMP/img' --bundle b --pid-file r.pid c1"
  ok "... its state is running, with the restored pid" sh -c "'$HAKO' --root '$root' state c1 >st.json && grep -q '\"running\"' st.json && grep -q \"\\\"pid\\\" : \$(cat r.pid),\" st.json"
  ok "... and the counter goes on from where it stopped" sh -c "for i in \$(seq 50); do [ \"\$(cat data/counter)\" -gt '$stopped_at' ] && break; sleep 0.1; done; v=\$(cat data/counter); [ \"\$v\" -gt '$stopped_at' ] && [ \"\$v\" -lt \$(($stopped_at + 40)) ]"
  ok "delete removes the restored container" hk 0 delete --force c1
fi
ok "restore from a directory without a checkpoint names it and leaves nothing" sh -c "! '$HAKO' --root '$root' restore --image-path '$TEST_TMP/none' --bundle b c3 2>err && grep -q 'none holds no checkpoint' err && [ ! -e '$TEST_TMP/none' ] && [ ! -e '$root/c3' ] && [ ! -e '$root/c3.lock' ]"
ok "nothing is left behind" sh -c "[ -z \"\$('$HAKO' --root '$root' list -q)\" ]"
done_testing
