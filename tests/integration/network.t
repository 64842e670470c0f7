#!/bin/sh
# User-mode networking (--network slirp, the default of `hako spec`), with
# real traffic that stays on the host's loopback and in the container's
# network namespace: forwarded ports (TCP and UDP, IPv4 and IPv6), the
# host's loopback only when allowed, close and reset, 50 connections at
# once, the helper's lifetime, and the errors. Run by the invoking user
# (rootless in CI as hakotest, and again as root).
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
. "$HAKO_TESTS_SRCDIR/integration/net-lib.sh"
net_prologue network 120
no_container () { ! "$HAKO" --root "$root" list -q | grep -qx "$1" && [ ! -e "$root/$1" ]; }
helper_pid () { cut -d' ' -f1 "$root/$1/net-helper.pid"; }
no_helper_for () { ! pgrep -f -- "_net-helper.*$1" >/dev/null; }
if "$py" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then has_ipv6=yes; else has_ipv6=; fi

# busybox for the shell, the host's /usr (read-only) for python3 and
# net-peer.py, the other end of every test.
make_bundle b
for tool in ip nc httpd nslookup; do ln -s busybox "b/rootfs/bin/$tool"; done
ln -s usr/lib b/rootfs/lib
ln -s usr/lib64 b/rootfs/lib64
mkdir -p b/rootfs/usr b/rootfs/peer
set_config b "c['mounts'] += [{'destination': '/usr', 'type': 'bind', 'source': '/usr', 'options': ['rbind', 'ro']}, {'destination': '/peer', 'type': 'bind', 'source': '$HAKO_TESTS_SRCDIR/integration', 'options': ['rbind', 'ro']}]"
cp b/config.json config.base
# in_container ARGS...: the bundle's process runs ARGS.
in_container () { cp config.base b/config.json; set_config b "c['process']['args'] = $1"; }

json_has () { "$py" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(d["annotations"].get(sys.argv[2]) != sys.argv[3])' "$@"; }
"$HAKO" features > features.json
ok "features lists the network annotation" json_has features.json org.hako.network 'slirp|pasta|none'
ok "... and the host loopback one" json_has features.json org.hako.network.allow-host-loopback 'true|false'
ok "... and the outbound one" json_has features.json org.hako.network.outbound 'IP[,IP]|INTERFACE'
ok "hako spec asks for the slirp network" json_has b/config.json org.hako.network slirp

# ---- the container's side of the network ----
in_container "['sh', '-c', 'ip -o addr; ip route; ip -6 route; cat /sys/class/net/tap0/mtu']"
ok "run with the default network" hk 0 run --bundle b addr
ok "... tap0 has 10.0.2.100/24" output_has stdout "tap0    inet 10.0.2.100/24"
ok "... and fd00::100/64" output_has stdout "tap0    inet6 fd00::100/64"
ok "... lo is up" output_has stdout "lo    inet 127.0.0.1/8"
ok "... the default route is via 10.0.2.2" output_has stdout "default via 10.0.2.2 dev tap0"
ok "... the IPv6 one via fd00::2" output_has stdout "default via fd00::2 dev tap0"
ok "... the MTU is 65520" sh -c "tail -n 1 '$TEST_TMP/stdout' | grep -qx 65520"
ok "--mtu 1500 sets tap0's MTU" sh -c "'$HAKO' --root '$root' run --mtu 1500 --bundle b mtu | tail -n 1 | grep -qx 1500"
in_container "['sh', '-c', 'cat /etc/resolv.conf /etc/hosts; echo x > /etc/hosts || echo read-only']"
ok "hako provides the container's resolv.conf and hosts" hk 0 run --bundle b files
ok "... resolv.conf names 10.0.2.3" output_has stdout "nameserver 10.0.2.3"
ok "... hosts names the container's hostname" output_has stdout "10.0.2.100	hako"
ok "... read-only" output_has stdout "read-only"
# A container root that is not the caller (a subordinate id) cannot reach
# the state dir, yet gets them: the setup opens them before it takes its ids.
if [ "$(id -u)" = 0 ]; then sub=100000; else sub=$(awk -F: -v u="$(id -un)" '$1 == u { print $2; exit }' /etc/subuid); fi
in_container "['cat', '/etc/resolv.conf']"
chmod 755 "$TEST_TMP" # (the rootfs it must reach; the state root stays 0700)
# (The bundle's rootfs as it is: an overlay's storage would be out of that root's reach;
# and that root may not create the mount points in the host's /etc.)
touch b/rootfs/etc/resolv.conf b/rootfs/etc/hosts
set_config b "c['annotations']['org.hako.rootfs'] = 'bind'; c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $sub, 'size': 1}]; c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': $sub, 'size': 1}]"
ok "... also to a container whose root is a subordinate id" sh -c "'$HAKO' --root '$root' run --bundle b subroot | grep -q 'nameserver 10.0.2.3'"
# (Where the rootfs lacks them, the mount plan makes empty mountpoints, as for any bind.)
ok "... and nothing is written into the bundle's rootfs" sh -c "[ ! -s b/rootfs/etc/resolv.conf ] && [ ! -s b/rootfs/etc/hosts ]"
ok "--network none leaves the namespace without tap0" sh -c "! '$HAKO' --root '$root' run --network none --bundle b none | grep -q tap0"

# ---- forwarded ports: a server in the container, reached from the host ----
web_port=$(free_port)
in_container "['sh', '-c', 'mkdir /dev/shm/w && echo hello > /dev/shm/w/index.html && exec httpd -f -p 80 -h /dev/shm/w']"
ok "run -d with -p 127.0.0.1:PORT:80 and -p [::1]:PORT:80" \
  hk 0 run -d --bundle b -p "127.0.0.1:$web_port:80" -p "[::1]:$web_port:80" web
ok "the helper runs beside it" sh -c "kill -0 \$(cut -d' ' -f1 '$root/web/net-helper.pid')"
ok "TCP over IPv4 reaches httpd in the container" sh -c "[ \"\$('$py' '$peer' get 127.0.0.1 $web_port)\" = hello ]"
if [ -n "$has_ipv6" ]; then
  ok "TCP over IPv6 reaches it too" sh -c "[ \"\$('$py' '$peer' get ::1 $web_port)\" = hello ]"
else
  skip "TCP over IPv6 reaches it too" "the host has no usable ::1"
fi
ok "50 connections at once all get the page" sh -c "[ \"\$('$py' '$peer' parallel 127.0.0.1 $web_port 50)\" = 50 ]"
ok "a host port already in use is refused" hk 1 run -d --bundle b -p "127.0.0.1:$web_port:80" taken
ok "... saying so, with the -p" output_has stderr "-p 127.0.0.1:$web_port:80: host port $web_port is already in use"
ok "... leaving no container" no_container taken
ok "... and no helper" no_helper_for "--publish=127.0.0.1:$web_port:80$"
# ---- forwards changed while it runs ----
add_port=$(free_port)
ok "port ls lists the forwards given at create" sh -c "'$HAKO' --root '$root' port ls web | grep -qx '127.0.0.1:$web_port:80'"
ok "port add forwards another host port" hk 0 port add web "127.0.0.1:$add_port:80"
ok "... which reaches httpd" sh -c "[ \"\$('$py' '$peer' get 127.0.0.1 $add_port)\" = hello ]"
ok "... and port ls shows it" sh -c "'$HAKO' --root '$root' port ls web | grep -qx '127.0.0.1:$add_port:80'"
ok "port add of a port in use is refused" hk 1 port add web "127.0.0.1:$add_port:80"
ok "... saying so" output_has stderr "host port $add_port is already in use"
ok "port rm removes it" hk 0 port rm web "127.0.0.1:$add_port:80"
ok "... and the host port is closed" sh -c "! '$py' -c 'import socket; socket.create_connection((\"127.0.0.1\", $add_port), timeout=2)'"
ok "port rm of a forward that is not there is refused" hk 1 port rm web "127.0.0.1:$add_port:80"
ok "... naming it" output_has stderr "127.0.0.1:$add_port:80: no forward listens there"
ok "port of a container without hako's network is refused" hk 1 port ls nosuch
web_helper=$(helper_pid web)
ok "delete removes the container" hk 0 delete --force web
ok "... and its helper is gone" gone "$web_helper"
ok "... and so is the port" sh -c "! '$py' -c 'import socket; socket.create_connection((\"127.0.0.1\", $web_port), timeout=2)'"

udp_port=$(free_port)
in_container "['python3', '/peer/net-peer.py', 'udp-echo-server', '9000']"
ok "run -d with UDP forwards" hk 0 run -d --bundle b -p "127.0.0.1:$udp_port:9000/udp" -p "[::1]:$udp_port:9000/udp" udp
ok "UDP over IPv4 reaches the container and back" sh -c "[ \"\$('$py' '$peer' udp-ask 127.0.0.1 $udp_port ping4)\" = echo:ping4 ]"
if [ -n "$has_ipv6" ]; then
  ok "UDP over IPv6 too" sh -c "[ \"\$('$py' '$peer' udp-ask ::1 $udp_port ping6)\" = echo:ping6 ]"
else
  skip "UDP over IPv6 too" "the host has no usable ::1"
fi
hk 0 delete --force udp >/dev/null

# ---- close and reset, in both directions ----
for end in close reset; do
  port=$(free_port)
  in_container "['python3', '/peer/net-peer.py', 'serve', '7000', 'bye', '$end']"
  hk 0 run -d --bundle b -p "127.0.0.1:$port:7000" "srv-$end" >/dev/null
  expected=closed; [ $end = reset ] && expected=reset
  ok "the host sees the container's $end" sh -c "[ \"\$('$py' '$peer' peer 127.0.0.1 $port)\" = 'bye $expected' ]"
  hk 0 delete --force "srv-$end" >/dev/null

  port=$(free_port)
  "$py" "$peer" serve "$port" hi "$end" &
  server=$!
  in_container "['python3', '/peer/net-peer.py', 'peer', '10.0.2.2', '$port']"
  ok "the container sees the host's $end (with --allow-host-loopback)" hk 0 run --allow-host-loopback --bundle b "cli-$end"
  ok "... as $expected" sh -c "grep -qx 'hi $expected' '$TEST_TMP/stdout'"
  kill $server 2>/dev/null; wait $server 2>/dev/null
done

# ---- ICMP echo (an unprivileged ping socket: the sysctl in the container's own namespace) ----
in_container "['python3', '-c', 'import socket, struct; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP); s.settimeout(3); s.sendto(struct.pack(\"!BBHHH\", 8, 0, 0, 0, 1) + b\"hako\", (\"10.0.2.2\", 0)); print(\"type\", s.recv(100)[0])']"
set_config b "c['linux']['sysctl'] = {'net.ipv4.ping_group_range': '0 0'}"
ok "a ping to 10.0.2.2 gets its echo reply" hk 0 run --bundle b ping
ok "... of ICMP type 0" output_has stdout "type 0"

# ---- the host's loopback, at 10.0.2.2 ----
port=$(free_port)
"$py" "$peer" serve "$port" loopback close &
server=$!
in_container "['sh', '-c', 'echo | nc -w 2 10.0.2.2 $port']"
ok "without --allow-host-loopback, the host's loopback is out of reach" sh -c "! '$HAKO' --root '$root' run --bundle b lo1 | grep -q loopback"
ok "with it, the container reaches a server on the host's 127.0.0.1" sh -c "'$HAKO' --root '$root' run --allow-host-loopback --bundle b lo2 | grep -qx loopback"
kill $server 2>/dev/null; wait $server 2>/dev/null
set_config b "c['annotations']['org.hako.network.allow-host-loopback'] = 'maybe'"
ok "a bad allow-host-loopback annotation is refused" hk 1 run --bundle b lo3
ok "... naming it" output_has stderr 'annotations.org.hako.network.allow-host-loopback must be "true" or "false"'

# ---- the outbound source address: all of 127.0.0.0/8 is the host's ----
src_port=$(free_port)
"$py" "$peer" source-server "$src_port" &
src_server=$!
in_container "['sh', '-c', 'python3 /peer/net-peer.py peer 10.0.2.2 $src_port; python3 /peer/net-peer.py udp-ask 10.0.2.2 $src_port x']"
cp b/config.json config.source
# from ID WHAT ADDR OPTIONS...: run ID, and the host's server saw its TCP and UDP from ADDR.
from () {
  local id=$1 what=$2 addr=$3; shift 3
  ok "$what: the container's connections come from $addr" hk 0 run --allow-host-loopback "$@" --bundle b "$id"
  ok "... over TCP" output_has stdout "tcp:$addr closed"
  ok "... and over UDP" output_has stdout "udp:$addr"
}
from src1 "no option" 127.0.0.1
from src2 "--outbound-addr 127.0.0.2" 127.0.0.2 --outbound-addr 127.0.0.2
from src3 "--outbound-if lo" 127.0.0.1 --outbound-if lo
if [ -n "$has_ipv6" ]; then
  from src4 "with ::1 for IPv6 too" 127.0.0.2 --outbound-addr 127.0.0.2 --outbound-addr ::1
else
  from src4 "again (the host has no usable ::1 to add)" 127.0.0.2 --outbound-addr 127.0.0.2
fi
set_config b "c['annotations']['org.hako.network.outbound'] = '127.0.0.3'"
from src5 "the annotation org.hako.network.outbound=127.0.0.3" 127.0.0.3
from src6 "--outbound-addr over the annotation" 127.0.0.4 --outbound-addr 127.0.0.4
set_config b "c['annotations']['org.hako.network.outbound'] = 'lo'"
from src7 "the annotation naming lo" 127.0.0.1
kill $src_server 2>/dev/null; wait $src_server 2>/dev/null
cp config.source b/config.json
ok "an address not of this host is refused" hk 1 run --outbound-addr 198.51.100.77 --bundle b out1
ok "... naming it and what to do" output_has stderr "--outbound-addr 198.51.100.77: not usable as a source address of this host"
ok "... leaving no container" no_container out1
ok "... and no helper" no_helper_for "--outbound-addr=198.51.100.77"
ok "an unknown interface is refused" hk 1 run --outbound-if nosuch0 --bundle b out2
ok "... naming it" output_has stderr "--outbound-if nosuch0: no such network interface on this host"
ok "two IPv4 addresses are refused" hk 1 run --outbound-addr 127.0.0.2 --outbound-addr 127.0.0.3 --bundle b out3
ok "... saying one per family" output_has stderr "give at most one IPv4 and one IPv6 address"
ok "both options at once are refused" hk 1 run --outbound-addr 127.0.0.2 --outbound-if lo --bundle b out4
ok "... saying so" output_has stderr "--outbound-addr and --outbound-if exclude each other"
ok "--outbound-addr without hako's network is refused" hk 1 run --network none --outbound-addr 127.0.0.2 --bundle b out5
ok "... saying what to add" output_has stderr "--outbound-addr is for a network hako provides: add --network slirp"
ok "... leaving nothing behind" no_container out5

# ---- DNS at 10.0.2.3, through a test server on the host's loopback ----
dns_port=$(free_port)
"$py" "$peer" dns-server "$dns_port" hako.test 192.0.2.7 &
dns_server=$!
in_container "['nslookup', 'hako.test', '10.0.2.3']"
ok "a name resolves at 10.0.2.3 through the server --dns names" hk 0 run --dns "127.0.0.1:$dns_port" --bundle b dns1
ok "... to its answer" output_has stdout "Address: 192.0.2.7"
in_container "['python3', '-c', 'import socket; print(socket.gethostbyname(\"hako.test\"))']"
ok "the C library's resolver gets it too, from the resolv.conf hako provides" hk 0 run --dns "127.0.0.1:$dns_port" --bundle b dns2
ok "... the same answer" output_has stdout "192.0.2.7"
kill $dns_server 2>/dev/null; wait $dns_server 2>/dev/null
"$py" "$peer" dns-server "$dns_port" hako.test peer &
dns_server=$!
in_container "['nslookup', 'hako.test', '10.0.2.3']"
ok "with --outbound-addr 127.0.0.2, the DNS relay asks from it too" hk 0 run --dns "127.0.0.1:$dns_port" --outbound-addr 127.0.0.2 --bundle b dns4
ok "... as the server saw (it answers with the asker's address)" output_has stdout "Address: 127.0.0.2"
kill $dns_server 2>/dev/null; wait $dns_server 2>/dev/null
# The host's resolv.conf naming a local stub (systemd-resolved's
# 127.0.0.53): the helper, on the host's side, asks it.
if [ "$(id -u)" = 0 ]; then
  "$py" "$peer" dns-server 127.0.0.53:53 stub.test 192.0.2.9 &
  dns_server=$!
  echo 'nameserver 127.0.0.53' > stub-resolv.conf
  in_container "['nslookup', 'stub.test', '10.0.2.3']"
  ok "a host resolv.conf naming the 127.0.0.53 stub is followed" sh -c "unshare -m sh -c \"mount --bind '$TEST_TMP/stub-resolv.conf' /etc/resolv.conf && exec '$HAKO' --root '$root' run --bundle b stub\" | grep -q 'Address: 192.0.2.9'"
  kill $dns_server 2>/dev/null; wait $dns_server 2>/dev/null
else
  skip "a host resolv.conf naming the 127.0.0.53 stub is followed" "a server on 127.0.0.53:53 needs root"
fi
ok "a bad --dns is refused" hk 1 run --dns "127.0.0.1:x" --bundle b dns3
ok "... naming the form" output_has stderr "--dns 127.0.0.1:x: expected IP or IP:PORT"

# ---- the helper lives exactly as long as the container ----
in_container "['sleep', '1000']"
ok "create starts the helper" hk 0 create --bundle b life1
life_helper=$(helper_pid life1)
session () { awk '{print $6}' "/proc/$1/stat"; }
ok "... in another session than create's" sh -c "[ $(session "$life_helper") != $(session $$) ]"
ok "the helper is sandboxed: no_new_privs and a seccomp filter" sh -c "grep -q '^NoNewPrivs:	1' /proc/$life_helper/status && grep -q '^Seccomp:	2' /proc/$life_helper/status"
ok "... no capability but CAP_NET_BIND_SERVICE" sh -c "grep -Eq '^CapBnd:	0+400$' /proc/$life_helper/status"
ok "... in a mount namespace of its own" sh -c "[ \"\$(readlink /proc/$life_helper/ns/mnt)\" != \"\$(readlink /proc/self/ns/mnt)\" ]"
ok "... where no mount is writable" sh -c "[ -z \"\$(awk '\$6 !~ /(^|,)ro(,|\$)/' /proc/$life_helper/mountinfo)\" ]"
ok "delete of a created container stops it" sh -c "'$HAKO' --root '$root' delete --force life1"
ok "... the helper is gone" gone "$life_helper"
in_container "['sleep', '0.5']"
ok "run -d a short payload" hk 0 run -d --bundle b life2
life_helper=$(helper_pid life2)
ok "the helper ends when the payload does, leaving no zombie" gone "$life_helper"
hk 0 delete life2 >/dev/null

# ---- errors ----
if [ "$(id -u)" != 0 ] && [ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" -gt 80 ]; then
  ok "a host port below ip_unprivileged_port_start is refused" hk 1 run --bundle b -p 127.0.0.1:80:80 low
  ok "... naming the sysctl and what to do" output_has stderr "net.ipv4.ip_unprivileged_port_start) and needs privileges: choose a port of"
else
  skip "a host port below ip_unprivileged_port_start is refused" "root may listen on port 80"
  skip "... naming the sysctl and what to do" "root may listen on port 80"
fi
ok "a bad -p is refused" hk 1 run --bundle b -p 80 bad1
ok "... naming the form" output_has stderr "-p 80: expected [HOSTIP:]HOSTPORT:CTRPORT[/tcp|/udp]"
cp config.base b/config.json
set_config b "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network']"
ok "slirp without a network namespace is refused" hk 1 run --bundle b nons
ok "... naming linux.namespaces" output_has stderr 'add {"type": "network"} (without a path) to linux.namespaces'
ok "... leaving nothing behind" no_container nons
# No /dev/net/tun (hidden by a tmpfs in a user and mount namespace of the test's).
cp config.base b/config.json
set_config b "c['annotations']['org.hako.rootfs'] = 'bind'"
ok "a missing /dev/net/tun is refused" sh -c "unshare -Urm sh -c 'mount -t tmpfs tmpfs /dev/net && exec \"\$0\" --root \"\$1\" run --bundle b notun' '$HAKO' '$root' 2>'$TEST_TMP/stderr'; [ \$? -ne 0 ]"
ok "... naming the device and what to do" output_has stderr "network: cannot open /dev/net/tun: No such file or directory (load the tun module"
nothing_of () { no_container "$1" && no_helper_for "$1"; }
ok "... leaving nothing behind" nothing_of notun
done_testing
