# Shared by the network tests (sourced after tap.sh and bundle.sh):
# net_prologue NAME N plans N tests and skips them all where the host lacks
# busybox-static or a usable /dev/net/tun; then the helpers below.
net_prologue () {
  plan "$2"
  if [ ! -x /bin/busybox ] || [ ! -r /dev/net/tun ]; then
    for i in $(seq "$2"); do skip "$1" "needs busybox-static and a usable /dev/net/tun"; done
    exit 0
  fi
}
root="$TEST_TMP/state"
py=${PYTHON3:-python3}
peer="$HAKO_TESTS_SRCDIR/integration/net-peer.py"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
free_port () { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# gone PID: no such process within five seconds (a zombie counts as there).
gone () { for i in $(seq 50); do [ -e "/proc/$1" ] || return 0; sleep 0.1; done; echo "pid $1: $(head -3 "/proc/$1/status")"; return 1; }
