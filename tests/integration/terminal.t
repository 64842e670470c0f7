#!/bin/sh
# process.terminal: --console-socket as runc's terminals.md describes, a
# foreground run, and the errors when the two do not match.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
plan 10
root="$TEST_TMP/state"
hk () { local status=$1; shift; run_hako "$status" --root "$root" "$@"; }
make_bundle b '["sh", "-c", "tty; echo in-terminal"]'
set_config b "c['process']['terminal'] = True; c['process']['consoleSize'] = {'height': 33, 'width': 101}"

"${PYTHON3:-python3}" "$HAKO_TESTS_SRCDIR/integration/recvtty.py" "$TEST_TMP/console.sock" "$TEST_TMP/console.out" &
receiver=$!
for i in $(seq 100); do [ -S "$TEST_TMP/console.sock" ] && break; sleep 0.05; done
ok "create --console-socket sends the pty master" hk 0 create --console-socket "$TEST_TMP/console.sock" --bundle b c1
ok "start runs the process on the terminal" hk 0 start c1
wait $receiver
ok "the socket message names the pty" sh -c "head -n 1 '$TEST_TMP/console.out' | grep -qE '^/dev/pts/[0-9]+\$'"
ok "the process's stdio is that pty" sh -c "grep -q '^/dev/pts/[0-9]*' '$TEST_TMP/console.out' && grep -q in-terminal '$TEST_TMP/console.out'"
ok "... with the pty's CRLF line endings" sh -c "grep -q \"\$(printf 'in-terminal\\r')\" '$TEST_TMP/console.out'"
hk 0 delete --force c1

set_config b "c['process']['args'] = ['sh', '-c', 'stty size; read line; echo got \$line']"
ok "a foreground run relays the terminal both ways" sh -c "echo hello | '$HAKO' --root '$root' run --bundle b c2 > fg.out"
ok "... input reaches the process and its output comes back" grep -q "got hello" fg.out
ok "... at consoleSize" grep -q "33 101" fg.out
ok "a terminal without a console socket is refused by create" hk 1 create --bundle b c3
set_config b "c['process']['terminal'] = False"
ok "--console-socket without a terminal is refused" hk 1 create --console-socket "$TEST_TMP/console.sock" --bundle b c4
done_testing
