#!/bin/sh
# --network pasta: pasta (Debian's passt) instead of hako's libslirp
# helper, where it is installed; run by the invoking user (rootless in CI
# as hakotest, and again as root). Traffic stays on the host's loopback.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
n_tests=18
. "$HAKO_TESTS_SRCDIR/integration/net-lib.sh"
net_prologue pasta $n_tests

make_bundle b '["sh", "-c", "ip -o -4 addr"]'
for tool in ip httpd; do ln -s busybox "b/rootfs/bin/$tool"; done

ok "without pasta, --network pasta is refused" sh -c "! env PATH=/nonexistent '$HAKO' --root '$root' run --network pasta --bundle b nopasta 2>'$TEST_TMP/stderr'"
ok "... naming the package to install" output_has stderr "install the Debian package passt"

if ! command -v pasta >/dev/null; then
  for i in $(seq $((n_tests - 2))); do skip "pasta" "pasta is not installed (apt-get install passt)"; done
  exit 0
fi
ok "run --network pasta" hk 0 run --network pasta --bundle b addr
ok "... gives the container an address besides lo's" sh -c "grep -v ': lo ' '$TEST_TMP/stdout' | grep -q inet"
ok "--dns is refused with pasta" hk 1 run --network pasta --dns 127.0.0.1 --bundle b dns
ok "... saying it is slirp's" output_has stderr "--dns is for --network slirp"

port=$(free_port)
set_config b "c['process']['args'] = ['sh', '-c', 'mkdir /dev/shm/w && echo hello > /dev/shm/w/index.html && exec httpd -f -p 80 -h /dev/shm/w']"
ok "run -d --network pasta -p 127.0.0.1:PORT:80" hk 0 run -d --network pasta -p "127.0.0.1:$port:80" --bundle b web
ok "TCP through pasta's forward reaches httpd in the container" sh -c "[ \"\$('$py' '$peer' get 127.0.0.1 $port)\" = hello ]"
helper=$(cut -d' ' -f1 "$root/web/net-helper.pid")
pasta=$(cat "$root/web/pasta.pid")
hk 0 delete --force web >/dev/null
ok "delete ends the helper" gone "$helper"
ok "... and its pasta" gone "$pasta"

# The outbound address reaches pasta's command line. The source a host
# server sees is not checked here: pasta does not bind its -o address for
# the traffic it maps to the host's loopback, the only host this test has.
set_config b "c['process']['args'] = ['sleep', '100']"
ok "run -d --network pasta --outbound-addr 127.0.0.2" hk 0 run -d --network pasta --outbound-addr 127.0.0.2 --bundle b out
ok "... gives pasta --outbound 127.0.0.2" sh -c "tr '\\0' ' ' < /proc/\$(cat '$root/out/pasta.pid')/cmdline | grep -q -- '--outbound 127.0.0.2 '"
hk 0 delete --force out >/dev/null
ok "an address not of this host is refused with pasta too" hk 1 run --network pasta --outbound-addr 198.51.100.77 --bundle b out2
ok "... naming it" output_has stderr "--outbound-addr 198.51.100.77: not usable as a source address of this host"
ok "::1 (of --outbound-if lo) is refused, which pasta cannot take" hk 1 run --network pasta --outbound-if lo --bundle b out3
ok "... saying what to choose" output_has stderr "choose --outbound-addr 127.0.0.1 or another address, or use --network slirp"

set_config b "c['process']['args'] = ['sleep', '0.5']"
hk 0 run -d --network pasta --bundle b short >/dev/null
helper=$(cut -d' ' -f1 "$root/short/net-helper.pid")
pasta=$(cat "$root/short/pasta.pid")
ok "the helper ends when the payload does" gone "$helper"
ok "... and so does pasta" gone "$pasta"
hk 0 delete short >/dev/null
done_testing
