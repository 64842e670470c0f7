#!/bin/sh
# Rootless Podman drives hako as it drives runc: `podman --runtime hako` as
# the unprivileged test user ($E2E_USER, default hakotest) with its own
# configuration under a home of its own, a local busybox image (podman
# import, no registry), and every scenario run with runc as well.
user=${E2E_USER:-hakotest}
if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP run as root: the test starts Podman as $user itself"
  exit 0
fi
# conmon (podman -t) and runc's tmpcopyup make their files in /tmp, which a
# stock distribution has world-writable (1777). Where this host's is not,
# the test runs in a mount namespace of its own, whose /tmp is an overlay
# of the host's that is.
if [ -z "${E2E_OPEN_TMP:-}" ] && [ "$(stat -c %a /tmp)" != 1777 ]; then
  overlay_dir=$(mktemp -d /run/hako-e2e-tmp.XXXXXX) && mkdir "$overlay_dir/upper" "$overlay_dir/work" &&
    chmod 1777 "$overlay_dir/upper" || exit 1
  E2E_OPEN_TMP=1 unshare -m --propagation private sh -c \
    'mount -t overlay overlay -o "lowerdir=/tmp,upperdir=$1/upper,workdir=$1/work" /tmp && exec sh "$2"' \
    sh "$overlay_dir" "$0"
  status=$?
  rm -rf "$overlay_dir"
  exit $status
fi
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/e2e/e2e-lib.sh"
command -v podman >/dev/null || skip_all "podman is not installed (apt-get install podman)"
id "$user" >/dev/null 2>&1 || skip_all "no user $user (with /etc/subuid ranges) to run rootless Podman as"
uid=$(id -u "$user")
plan 50

# A home and a runtime dir of its own (its runroot, the runtimes' state
# and the rootless pause process's pid file live there, shared with no other
# Podman); the runroot stays under 50 characters (Podman 4.3 rejects a
# longer one, then stalls on every exit).
chmod 0755 "$TEST_TMP"
home=$TEST_TMP/home
install -d -m 0700 -o "$user" -g "$user" "/run/user/$uid"
run_dir=/run/user/$uid/pe2e-$$
install -d -m 0700 -o "$user" -g "$user" "$run_dir"
runroot=$run_dir/r
pause_pid_file=$run_dir/libpod/tmp/pause.pid
mkdir -p "$home/.config/containers" "$home/vol" "$home/tmp"
cat >"$home/.config/containers/containers.conf" <<EOC
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime_supports_json = ["hako", "runc"]
[engine.runtimes]
hako = ["$HAKO"]
EOC
cat >"$home/.config/containers/storage.conf" <<EOC
[storage]
driver = "overlay"
runroot = "$runroot"
graphroot = "$home/storage"
[storage.options.overlay]
mount_program = "/usr/bin/fuse-overlayfs"
EOC
busybox_image "$TEST_TMP/image"
chown -R "$user:" "$home" "$TEST_TMP/image"

as_user () {
  runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    XDG_RUNTIME_DIR="$run_dir" LANG=C.UTF-8 "$@"
}
pm () { as_user podman --runtime "$RT" "$@"; }
# pm_status STATUS ARGS...: podman exits with STATUS (its stderr kept in err).
pm_status () { local want=$1 got; shift; pm "$@" 2>err; got=$?; cat err; [ "$got" = "$want" ]; }
pm_out () { [ "$(pm "$@" 2>&1)" = "$expected" ]; }
logs_have () { pm logs "$1" 2>&1 | grep -q "$2"; }
has_state () { [ "$(pm inspect -f '{{.RestartCount}} {{.State.Status}}' "$1")" = "$2" ]; }
no_process_of () { ! pgrep -f "$1"; }
remove_container () { pm rm -f -t 0 "$1"; pm pod rm -f -t 0 "$1"; }
I=$E2E_IMAGE
cleanup_podman () {
  as_user podman rm -a -f -t 0 >/dev/null 2>&1
  as_user podman pod rm -a -f -t 0 >/dev/null 2>&1
  # The rootless pause process holds Podman's user namespace.
  as_user podman unshare rm -rf "$home/storage" 2>/dev/null
  [ -f "$pause_pid_file" ] && kill "$(cat "$pause_pid_file")" 2>/dev/null
  rm -rf "$run_dir"
}
trap 'cleanup_podman; tap_cleanup' EXIT

if ! as_user podman import -q "$TEST_TMP/image/rootfs.tar" "$I" >import.out 2>&1; then
  cat import.out | sed 's/^/# /'
fi

run_exit () { pm_status 0 run --rm "$I" true && pm_status 3 run --rm "$I" sh -c 'exit 3'; }
both "podman run: exit statuses 0 and 3" run_exit
run_126 () { pm_status 126 run --rm "$I" /etc/passwd && grep -qi 'permission denied' err; }
both "podman run: a file that is not executable exits 126 with the reason" run_126
run_127 () { pm_status 127 run --rm "$I" no-such-command && grep -q 'no-such-command' err; }
both "podman run: a missing command exits 127 with the reason" run_127
run_identity () { expected="1 /tmp 1000:1000"; pm_out run --rm -e A=1 -w /tmp -u 1000:1000 "$I" sh -c 'echo $A $(pwd) $(id -u):$(id -g)'; }
both "podman run -e -w -u: environment, workdir, user" run_identity

run_detached () {
  pm run -d --name "d-$RT" "$I" sh -c 'echo started; trap "exit 0" TERM; while :; do sleep 0.1; done' >/dev/null &&
    wait_for 10 logs_have "d-$RT" started &&
    pm stop -t 5 "d-$RT" >/dev/null && [ "$(pm inspect -f '{{.State.ExitCode}}' "d-$RT")" = 0 ] &&
    pm rm "d-$RT" >/dev/null && ! pm container exists "d-$RT"
}
both "podman run -d, logs, stop, rm" run_detached

run_exec () {
  pm run -d --name "x-$RT" "$I" sleep 300 >/dev/null &&
    expected="2 /tmp 7" && pm_out exec -e B=2 -w /tmp -u 7 "x-$RT" sh -c 'echo $B $(pwd) $(id -u)' &&
    [ "$(echo piped | pm exec -i "x-$RT" cat)" = piped ] &&
    pm exec -d "x-$RT" sleep 123 >/dev/null && wait_for 5 pm exec "x-$RT" sh -c 'ps -o args | grep -qx "sleep 123"' &&
    pm_status 4 exec "x-$RT" sh -c 'exit 4'
}
both "podman exec -e -w -u -i -d and its exit status" then_remove x run_exec

run_tty () {
  as_user "${PYTHON3:-python3}" "$HAKO_TESTS_SRCDIR/e2e/pty-run.py" podman --runtime "$RT" run -it --rm "$I" sh -c 'tty; echo "term=$TERM"' >tty.out 2>&1
  cat tty.out
  grep -q '^/dev/pts/' tty.out && grep -q 'term=xterm' tty.out
}
both "podman run -it through a pty" run_tty

run_keep_id () { expected=$uid; pm_out run --rm --userns=keep-id "$I" id -u; }
both "podman run --userns=keep-id" run_keep_id
run_volumes () {
  echo from-host >"$home/vol/in" && chown "$user:" "$home/vol/in" &&
    expected=from-host && pm_out run --rm -v "$home/vol:/vol" "$I" sh -c "cat /vol/in && echo $RT >/vol/out-$RT" &&
    [ "$(cat "$home/vol/out-$RT")" = "$RT" ] &&
    ! pm run --rm -v "$home/vol:/vol:ro" "$I" touch /vol/ro-write 2>&1 && [ ! -e "$home/vol/ro-write" ]
}
both "podman run -v rw and :ro" run_volumes
run_read_only () { pm run --rm --read-only "$I" sh -c '! touch /x 2>/dev/null && touch /tmp/y'; }
both "podman run --read-only (a writable /tmp)" run_read_only
run_tmpfs () { pm run --rm --tmpfs /scratch "$I" sh -c 'grep -q "^tmpfs /scratch tmpfs" /proc/mounts && touch /scratch/f'; }
both "podman run --tmpfs" run_tmpfs

run_publish () {
  local port=$((18080 + $$ % 1000))
  pm run -d --name "p-$RT" -p "127.0.0.1:$port:80" "$I" httpd -f -p 80 -h /www >/dev/null &&
    wait_for 10 sh -c "/bin/busybox wget -qO- http://127.0.0.1:$port/index.html | grep -qx served"
}
both "podman run -p through Podman's slirp4netns" then_remove p run_publish
run_net_none () { [ "$(pm run --rm --network none "$I" sh -c 'ls /sys/class/net')" = lo ]; }
both "podman run --network none: only lo" run_net_none
run_net_host () { [ "$(pm run --rm --network host "$I" sh -c 'ls /sys/class/net' | sort)" = "$(ls /sys/class/net | sort)" ]; }
both "podman run --network host: the host's interfaces" run_net_host
run_caps () {
  expected="CapEff:	0000000000000000" && pm_out run --rm --cap-drop all "$I" grep CapEff /proc/self/status &&
    pm run --rm --cap-add NET_ADMIN "$I" sh -c 'e=$(sed -n "s/^CapEff:\t//p" /proc/self/status); [ $(( 0x$e & 0x1000 )) != 0 ]' &&
    pm run --rm --cap-drop NET_RAW "$I" sh -c 'e=$(sed -n "s/^CapEff:\t//p" /proc/self/status); [ $(( 0x$e & 0x2000 )) = 0 ]'
}
both "podman run --cap-add / --cap-drop" run_caps
run_nnp () { expected="NoNewPrivs:	1"; pm_out run --rm --security-opt no-new-privileges "$I" grep NoNewPrivs /proc/self/status; }
both "podman run --security-opt no-new-privileges" run_nnp
run_device () { pm run --rm --device /dev/fuse "$I" test -c /dev/fuse; }
both "podman run --device" run_device
run_init () { pm run --rm --init "$I" sh -c 'cat /proc/1/cmdline | tr "\0" " "' | grep -q '^/run/podman-init -- sh'; }
both "podman run --init (catatonit as pid 1)" run_init

run_kill () {
  pm run -d --name "k-$RT" "$I" sh -c 'trap "exit 9" TERM; while :; do sleep 0.1; done' >/dev/null &&
    sleep 0.5 && pm kill -s TERM "k-$RT" >/dev/null && [ "$(pm wait "k-$RT")" = 9 ] &&
    pm start "k-$RT" >/dev/null && pm kill "k-$RT" >/dev/null && [ "$(pm wait "k-$RT")" = 137 ]
}
both "podman kill: TERM to the handler, then KILL" then_remove k run_kill
run_stop_escalation () {
  local start
  pm run -d --name "s-$RT" "$I" sh -c 'trap "" TERM; while :; do sleep 0.1; done' >/dev/null &&
    start=$(date +%s) && pm stop -t 1 "s-$RT" >/dev/null 2>&1 &&
    [ "$(pm inspect -f '{{.State.ExitCode}}' "s-$RT")" = 137 ] && [ $(($(date +%s) - start)) -ge 1 ]
}
both "podman stop: SIGTERM ignored, SIGKILL after the timeout" then_remove s run_stop_escalation
run_restart () {
  pm run -d --name "r-$RT" --restart on-failure:2 "$I" sh -c 'exit 1' >/dev/null &&
    wait_for 20 has_state "r-$RT" "2 exited"
}
both "podman run --restart on-failure:2" then_remove r run_restart
run_pod () {
  pm pod create --name "pod-$RT" >/dev/null &&
    pm run -d --pod "pod-$RT" --name "pa-$RT" "$I" sleep 300 >/dev/null &&
    [ "$(pm exec "pa-$RT" readlink /proc/self/ns/net)" = "$(pm run --rm --pod "pod-$RT" "$I" readlink /proc/self/ns/net)" ]
}
both "podman pod: containers share the pod's network namespace" then_remove pod run_pod
run_cp () {
  echo copied-in >"$home/cp-in" && chown "$user:" "$home/cp-in" &&
    pm run -d --name "c-$RT" "$I" sleep 300 >/dev/null &&
    pm cp "$home/cp-in" "c-$RT:/tmp/cp-in" && expected=copied-in && pm_out exec "c-$RT" cat /tmp/cp-in &&
    pm cp "c-$RT:/etc/passwd" "$home/cp-out-$RT" && grep -q '^root:' "$home/cp-out-$RT"
}
both "podman cp into and out of a container" then_remove c run_cp
run_parallel () {
  local i pids=
  for i in $(seq 20); do
    pm run --rm "$I" sh -c "echo $i" >"par-$RT-$i" 2>&1 &
    pids="$pids $!"
  done
  for p in $pids; do wait "$p" || return 1; done
  for i in $(seq 20); do [ "$(cat "par-$RT-$i")" = "$i" ] || { cat "par-$RT-$i"; return 1; }; done
}
both "20 containers in parallel" run_parallel
run_nothing_left () {
  local state=$run_dir/$RT pause
  pm run --rm "$I" true &&
    [ -z "$(as_user podman ps -a -q)" ] &&
    { [ ! -d "$state" ] || [ -z "$(ls -A "$state")" ]; } &&
    wait_for 10 no_process_of "$runroot/" && no_process_of "$home/storage/" &&
    pause=$(cat "$pause_pid_file") && ! grep -q "$home/storage/overlay/.*/merged" "/proc/$pause/mountinfo"
}
both "nothing left behind after --rm: containers, runtime state, processes, mounts" run_nothing_left
done_testing
