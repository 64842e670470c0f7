#!/bin/sh
# Docker drives hako as it drives runc: a private dockerd from Debian's
# docker.io (its own data-root, exec-root, pidfile and socket, with
# --add-runtime hako), a loaded local image, and `docker run --runtime`
# with hako and with runc for every scenario.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/e2e/e2e-lib.sh"
[ "$(id -u)" = 0 ] || skip_all "dockerd runs as root"
command -v dockerd >/dev/null && command -v docker >/dev/null || skip_all "docker is not installed (apt-get install docker.io)"
plan 12

# Short paths: containerd's sockets live under the exec-root.
dir=$(mktemp -d /run/hako-e2e-docker.XXXXXX)
# A private daemon without networking of its own (no bridge, no iptables):
# the containers run with --network none.
dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/pid" -H "unix://$dir/d.sock" \
  --add-runtime "hako=$HAKO" --iptables=false --ip6tables=false --bridge=none --storage-driver vfs \
  --userland-proxy=false >"$dir/log" 2>&1 &
dockerd_pid=$!
stop_dockerd () {
  docker -H "unix://$dir/d.sock" rm -f $(docker -H "unix://$dir/d.sock" ps -a -q) >/dev/null 2>&1
  kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid"
  umount -R "$dir/exec" "$dir/data" 2>/dev/null
  rm -rf "$dir"
}
trap 'stop_dockerd; tap_cleanup' EXIT
d () { docker -H "unix://$dir/d.sock" "$@"; }
wait_for 30 d version || sed 's/^/# /' "$dir/log"
busybox_image "$TEST_TMP/image" && d load -q -i "$TEST_TMP/image/image.tar" >/dev/null
d_run () { d run --runtime "$RT" --network none "$@"; }
logs_have () { d logs "$1" 2>&1 | grep -q "$2"; }
remove_container () { d rm -f "$1"; }

run_exit () {
  local out status
  out=$(d_run --rm "$E2E_IMAGE" sh -c 'echo from-container; exit 6'); status=$?
  [ "$status" = 6 ] && [ "$out" = from-container ]
}
both "docker run: output and exit status" run_exit
run_exec () {
  local out status
  d_run -d --name "e-$RT" "$E2E_IMAGE" sleep 300 >/dev/null &&
    out=$(d exec -e X=1 -w /tmp "e-$RT" sh -c 'echo $X $(pwd); exit 3'); status=$?
  [ "$status" = 3 ] && [ "$out" = "1 /tmp" ]
}
both "docker exec -e -w: output and exit status" then_remove e run_exec
run_logs () {
  d_run -d --name "l-$RT" "$E2E_IMAGE" sh -c 'echo to-stdout; echo to-stderr >&2; sleep 300' >/dev/null &&
    wait_for 10 logs_have "l-$RT" to-stderr &&
    d logs "l-$RT" 2>/dev/null | grep -qx to-stdout
}
both "docker logs: stdout and stderr" then_remove l run_logs
run_stop () {
  d_run -d --name "s-$RT" "$E2E_IMAGE" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done' >/dev/null &&
    sleep 0.5 && d stop -t 10 "s-$RT" >/dev/null && [ "$(d inspect -f '{{.State.ExitCode}}' "s-$RT")" = 0 ]
}
both "docker stop: SIGTERM to the handler" then_remove s run_stop
run_stop_kill () {
  d_run -d --name "t-$RT" "$E2E_IMAGE" sh -c 'trap "" TERM; while :; do sleep 0.1; done' >/dev/null &&
    d stop -t 1 "t-$RT" >/dev/null && [ "$(d inspect -f '{{.State.ExitCode}}' "t-$RT")" = 137 ]
}
both "docker stop: SIGKILL after the timeout" then_remove t run_stop_kill
run_wait () {
  d_run -d --name "w-$RT" "$E2E_IMAGE" sh -c 'sleep 0.5; exit 42' >/dev/null && [ "$(d wait "w-$RT")" = 42 ]
}
both "docker wait: the exit code of a detached container" then_remove w run_wait
done_testing
