#!/bin/sh
# containerd drives hako through its runc v2 shim as it drives runc: a
# private containerd (its own config, root, state and socket, started and
# stopped here), a local image imported from a tarball, and
# `ctr run --runc-binary` with hako and with runc for every scenario.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/e2e/e2e-lib.sh"
[ "$(id -u)" = 0 ] || skip_all "containerd runs as root"
command -v containerd >/dev/null && command -v ctr >/dev/null || skip_all "containerd is not installed (apt-get install containerd)"
plan 12

dir=$TEST_TMP/containerd
mkdir -p "$dir"
cat >"$dir/config.toml" <<EOC
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$dir/c.sock"
[ttrpc]
  address = "$dir/c.sock.ttrpc"
[debug]
  address = "$dir/debug.sock"
EOC
containerd -c "$dir/config.toml" >"$dir/log" 2>&1 &
containerd_pid=$!
stop_containerd () {
  local id
  for id in $(ctr -a "$dir/c.sock" -n e2e t ls -q 2>/dev/null); do
    ctr -a "$dir/c.sock" -n e2e t kill -s KILL "$id" >/dev/null 2>&1
  done
  sleep 0.5
  for id in $(ctr -a "$dir/c.sock" -n e2e c ls -q 2>/dev/null); do
    ctr -a "$dir/c.sock" -n e2e t rm -f "$id" >/dev/null 2>&1
    ctr -a "$dir/c.sock" -n e2e c rm "$id" >/dev/null 2>&1
  done
  kill "$containerd_pid" 2>/dev/null && wait "$containerd_pid"
  # The shims outlive containerd only while their containers run.
  pkill -f "containerd-shim-runc-v2 -namespace e2e -address $dir/c.sock" 2>/dev/null
  umount -R "$dir/state" 2>/dev/null
}
trap 'stop_containerd; tap_cleanup' EXIT
wait_for 20 ctr -a "$dir/c.sock" version || sed 's/^/# /' "$dir/log"
busybox_image "$TEST_TMP/image" && ctr -a "$dir/c.sock" -n e2e image import "$TEST_TMP/image/image.tar" >/dev/null

# ctr with the runtime $RT, whose state is under the test's directory.
c () { ctr -a "$dir/c.sock" -n e2e "$@"; }
c_run () { c run --runc-binary "$(runtime_binary)" --runc-root "$dir/runc-$RT" "$@"; }
task_pid () { c t ls | awk -v id="$1" '$1 == id { print $2 }'; }
task_status () { c t ls | awk -v id="$1" '$1 == id { print $3 }'; }
has_status () { [ "$(task_status "$1")" = "$2" ]; }
remove_container () {
  c t kill -s KILL "$1" >/dev/null 2>&1
  wait_for 10 has_status "$1" STOPPED
  c t rm -f "$1" >/dev/null 2>&1
  c c rm "$1" >/dev/null 2>&1
}

run_exit () {
  local out status
  out=$(c_run --rm "$E2E_IMAGE" "r-$RT" sh -c 'echo from-container; exit 4'); status=$?
  [ "$status" = 4 ] && [ "$out" = from-container ]
}
both "ctr run: output and exit status" run_exit
run_exec () {
  local out status
  c_run -d "$E2E_IMAGE" "e-$RT" sleep 300 >/dev/null &&
    out=$(c t exec --exec-id x "e-$RT" sh -c 'echo in-exec; exit 5'); status=$?
  [ "$status" = 5 ] && [ "$out" = in-exec ]
}
both "ctr task exec: output and exit status" then_remove e run_exec
run_kill () {
  c_run -d "$E2E_IMAGE" "k-$RT" sleep 300 >/dev/null && c t kill -s KILL "k-$RT" &&
    wait_for 10 has_status "k-$RT" STOPPED
}
both "ctr task kill: the task stops" then_remove k run_kill
run_pause () {
  local pid freezer
  c_run -d "$E2E_IMAGE" "p-$RT" sleep 300 >/dev/null && pid=$(task_pid "p-$RT") &&
    freezer=/sys/fs/cgroup/freezer$(sed -n 's/^[0-9]*:freezer://p' "/proc/$pid/cgroup") &&
    c t pause "p-$RT" && [ "$(task_status "p-$RT")" = PAUSED ] && [ "$(cat "$freezer/freezer.state")" = FROZEN ] &&
    c t resume "p-$RT" && [ "$(task_status "p-$RT")" = RUNNING ] && [ "$(cat "$freezer/freezer.state")" = THAWED ]
}
both "ctr task pause / resume: the freezer cgroup" then_remove p run_pause
run_memory () {
  local pid memory
  c_run -d --memory-limit 33554432 "$E2E_IMAGE" "m-$RT" sleep 300 >/dev/null && pid=$(task_pid "m-$RT") &&
    memory=/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory://p' "/proc/$pid/cgroup") &&
    [ "$(cat "$memory/memory.limit_in_bytes")" = 33554432 ] &&
    # Past the limit, the kernel kills what allocates.
    { c t exec --exec-id big "m-$RT" sh -c 'x=$(head -c 67108864 /dev/zero | tr "\0" x); echo ${#x}'; [ $? = 137 ]; }
}
both "ctr run --memory-limit: the cgroup v1 limit holds" then_remove m run_memory
run_cleanup () {
  [ -z "$(c c ls -q)" ] && [ -z "$(ls -A "$dir/runc-$RT" 2>/dev/null | grep -v '^e2e$')" ] &&
    { [ ! -d "$dir/runc-$RT/e2e" ] || [ -z "$(ls -A "$dir/runc-$RT/e2e")" ]; }
}
both "nothing left behind: containers, runtime state" run_cleanup
done_testing
