#!/bin/sh
# Network throughput: iperf3 container->host (to a server on the host's
# loopback, reached at 10.0.2.2) and host->container (through a forwarded
# port on 127.0.0.1), with hako's helper and with slirp4netns on the same
# libslirp, at MTU 1500 and 65520; and the host's loopback as the ceiling.
# Prints Gbit/s and the network process's CPU seconds per GB moved.
# Target (issue 6): hako at least 1.0x slirp4netns in both directions at
# both MTUs. Run as root; the containers run rootless as BENCH_USER. Needs
# iperf3 and slirp4netns (Debian packages of those names). SECONDS_EACH
# (default 5) per iperf3 run.
. "$(dirname "$0")/common.sh"
SECONDS_EACH=${SECONDS_EACH:-5}

if [ "${1:-}" != --inner ]; then
  for tool in iperf3 slirp4netns; do
    command -v $tool >/dev/null || { echo "bench/net.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
  done
  run_inner "$0" "$HAKO" "$SECONDS_EACH"
  exit 0
fi

work=$2 HAKO=$3 SECONDS_EACH=$4
root="$work/state"
port_h=25201   # the host's iperf3 server (container->host)
port_f=25202   # the forwarded port (host->container)

# busybox for the shell and the host's /usr (read-only) for iperf3.
busybox_rootfs "$work/b"
ln -s usr/lib "$work/b/rootfs/lib"
ln -s usr/lib64 "$work/b/rootfs/lib64"
mkdir -p "$work/b/rootfs/usr"
"$HAKO" spec --bundle "$work/b"
set_args () {
  python3 - "$work/b/config.json" "$@" <<'PY'
import json, sys
path, args = sys.argv[1], sys.argv[2:]
c = json.load(open(path))
c["process"]["args"] = args
c["process"]["terminal"] = False
c["process"]["env"].append("TMPDIR=/dev/shm")  # iperf3's scratch file; the root is read-only
if not any(m["destination"] == "/usr" for m in c["mounts"]):
    c["mounts"].append({"destination": "/usr", "type": "bind", "source": "/usr", "options": ["rbind", "ro"]})
json.dump(c, open(path, "w"))
PY
}

cpu_ticks () { awk '{print $14 + $15}' "/proc/$1/stat"; }
# bytes JSON: what the receiving side got, from iperf3 -J output.
bytes () { python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"]))' "$1"; }
# report LABEL JSON TICKS: Gbit/s and CPU s/GB.
report () {
  python3 - "$@" "$(getconf CLK_TCK)" <<'PY'
import json, sys
label, path, ticks, hz = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
doc = json.load(open(path))
if "error" in doc:
    sys.exit(f"{label}: iperf3: {doc['error']}")
end = doc["end"]["sum_received"]
gb = end["bytes"] / 1e9
cpu = f"{ticks / hz / gb:8.2f}" if ticks >= 0 else "       -"
print(f"{label:34} {end['bits_per_second'] / 1e9:8.2f} Gbit/s {cpu} CPU s/GB")
PY
}

container_pid () { "$HAKO" --root "$root" state "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])'; }

# start_net IMPL MTU ID OUT: the container ID (its output in OUT) with
# IMPL's network; prints the network process's pid.
start_net () {
  impl=$1 mtu=$2 id=$3 out=$4
  if [ "$impl" = hako ]; then
    "$HAKO" --root "$root" run -d --mtu "$mtu" --allow-host-loopback -p "127.0.0.1:$port_f:5201" \
      --bundle "$work/b" "$id" >"$out" 2>&1
    cut -d' ' -f1 "$root/$id/net-helper.pid"
  else
    "$HAKO" --root "$root" run -d --network none --bundle "$work/b" "$id" >"$out" 2>&1
    pid=$(container_pid "$id")
    rm -f "$work/api.sock"
    slirp4netns --configure --mtu="$mtu" --api-socket "$work/api.sock" \
      --userns-path="/proc/$pid/ns/user" "$pid" tap0 >/dev/null 2>&1 &
    echo $!
    for i in $(seq 50); do [ -S "$work/api.sock" ] && break; sleep 0.1; done
    python3 - "$work/api.sock" "$port_f" >/dev/null <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(json.dumps({"execute": "add_hostfwd", "arguments": {"proto": "tcp", "host_addr": "127.0.0.1",
                       "host_port": int(sys.argv[2]), "guest_port": 5201}}).encode())
s.recv(1000)
PY
  fi
}

stop_net () {
  "$HAKO" --root "$root" delete --force "$2" >/dev/null 2>&1
  [ "$1" = hako ] || kill "$3" 2>/dev/null
}

echo "iperf3, ${SECONDS_EACH}s each; CPU: the helper's (hako) or slirp4netns's"
iperf3 -s -1 -B 127.0.0.1 -p "$port_h" >/dev/null 2>&1 &
sleep 0.3
iperf3 -c 127.0.0.1 -p "$port_h" -t "$SECONDS_EACH" -J > "$work/lo.json"
wait
report "host loopback (ceiling)" "$work/lo.json" -1

for mtu in 1500 65520; do
  for impl in hako slirp4netns; do
    # container -> host: the client in the container, the server on the
    # host's loopback; the container lingers after it, for the CPU reading.
    iperf3 -s -1 -B 127.0.0.1 -p "$port_h" >/dev/null 2>&1 &
    server=$!
    set_args sh -c "sleep 1; iperf3 -c 10.0.2.2 -p $port_h -t $SECONDS_EACH -J; sleep 5"
    net=$(start_net "$impl" "$mtu" "c$mtu$impl" "$work/c2h.json")
    before=$(cpu_ticks "$net")
    wait $server
    sleep 0.5
    after=$(cpu_ticks "$net")
    report "$impl MTU $mtu container->host" "$work/c2h.json" $((after - before))
    stop_net "$impl" "c$mtu$impl" "$net"
    # host -> container, through the forwarded port
    set_args iperf3 -s -1 -p 5201
    net=$(start_net "$impl" "$mtu" "h$mtu$impl" /dev/null)
    sleep 1
    before=$(cpu_ticks "$net")
    iperf3 -c 127.0.0.1 -p "$port_f" -t "$SECONDS_EACH" -J > "$work/h2c.json"
    after=$(cpu_ticks "$net")
    report "$impl MTU $mtu host->container" "$work/h2c.json" $((after - before))
    stop_net "$impl" "h$mtu$impl" "$net"
  done
done
