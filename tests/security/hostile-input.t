#!/bin/sh
# Hostile input: broken, huge and deep configs, every field of the wrong
# type, bad ids and signals, ten creates of one id at once, hooks that
# hang or fail, and delete --force pointed outside the state root. Each
# gets a clear error and a non-zero exit, no sanitizer report, and leaves
# no container, state or process behind.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
. "$HAKO_TESTS_SRCDIR/integration/bundle.sh"
. "$HAKO_TESTS_SRCDIR/security/lib.sh"
plan 26
make_plain_bundle b '["sleep", "300"]'
cp b/config.json base.json
# refused WHAT TEXT: create of bundle b fails, its stderr has TEXT, nothing is left.
refused () {
  hk 1 create --bundle b "x$tap_count" || return 1
  output_has stderr "$1" && nothing_left
}

: > b/config.json
ok "an empty config.json is refused" refused "config.json is empty"
head -c 300 base.json > b/config.json
ok "a truncated one" refused "config.json is not valid JSON"
echo 'ociVersion = "1.0.0"' > b/config.json
ok "one that is not JSON" refused "config.json is not valid JSON"
printf '\377\376{}' > b/config.json
ok "one that is not UTF-8" refused "not valid UTF-8"
"${PYTHON3:-python3}" -c "import sys; sys.stdout.write('{\"ociVersion\": \"1.0.0\", \"x\": \"' + 'A' * (20 << 20))" > b/config.json
ok "20 MB of an unterminated string" refused "config.json is not valid JSON"
"${PYTHON3:-python3}" -c "print('[' * 100000 + ']' * 100000)" > b/config.json
ok "arrays 100 000 levels deep (json-glib would overflow its stack)" refused "more than 256 levels deep"
"${PYTHON3:-python3}" -c "print('{\"a\": ' * 100000 + '1' + '}' * 100000)" > b/config.json
ok "... and objects" refused "more than 256 levels deep"
cp base.json b/config.json
set_config b "c['annotations']['big'] = 'A' * (20 << 20)"
"$HAKO" --root "$root" create --bundle b big > /dev/null 2> err
status=$?
"$HAKO" --root "$root" delete --force big > /dev/null 2>&1
ok "a valid 20 MB config is run or refused cleanly" sh -c "! grep -qE 'Sanitizer|runtime error' err && { [ $status = 0 ] || grep -q '^hako: ' err; }"
ok "... and delete --force leaves nothing" nothing_left
cp base.json b/config.json
ok "every field given a value of the wrong type is refused, naming it" "${PYTHON3:-python3}" "$HAKO_TESTS_SRCDIR/security/mutate-config.py" "$HAKO" "$root" b
ok "... and leaves nothing" nothing_left

bad_ids=0
for id in .. . a/b ../x /etc "" "a b" 'a$(id)' "$(printf 'x%.0s' $(seq 1000))" "$(printf 'x%.0s' $(seq 1025))"; do
  "$HAKO" --root "$root" create --bundle b "$id" > /dev/null 2> err && bad_ids=1
  grep -qE 'invalid container id|bytes long' err || { bad_ids=1; cat err; }
done
ok "ids .., ., a/b, ../x, /etc, empty, with a space, 1000 and 1025 characters are refused" test "$bad_ids" = 0
ok "... and leave nothing" nothing_left

hk 0 run -d --bundle b sig
bad_signals=0
for signal in NOPE SIGFOO 65 99 99999999999999999999 18446744073709551617 0x9 ""; do
  "$HAKO" --root "$root" kill sig "$signal" > /dev/null 2> err && bad_signals=1
  grep -qE 'unknown signal|Usage' err || { bad_signals=1; cat err; }
done
ok "unknown names, numbers above 64 and overflowing numbers are refused as signals" test "$bad_signals" = 0
ok "... and the container still runs" sh -c "'$HAKO' --root '$root' state sig | grep -q running"
hk 0 delete --force sig

# Ten creates of one id at once: exactly one wins.
for i in $(seq 10); do "$HAKO" --root "$root" create --bundle b same > /dev/null 2> "err.$i" & done
wait
won=$(for i in $(seq 10); do [ -s "err.$i" ] || echo won; done | wc -l)
ok "ten concurrent creates of one id: exactly one wins" test "$won" = 1
ok "... the others say why" sh -c "for i in \$(seq 10); do [ ! -s err.\$i ] || grep -qE 'already exists|is locked|busy' err.\$i || { cat err.\$i; exit 1; }; done"
hk 0 delete --force same
ok "... and delete leaves nothing" nothing_left

# Hooks: one that hangs past its timeout, one that fails.
set_config b "c['hooks'] = {'createRuntime': [{'path': '/bin/sleep', 'args': ['sleep', '4242'], 'timeout': 1}]}"
ok "a hook hanging past its timeout fails create, naming the hook and the timeout" refused "hooks.createRuntime[0]"
ok "... and is killed" sh -c "! ps -eo args | grep -v grep | grep -q 'sleep 4242'"
set_config b "c['hooks'] = {'createRuntime': [{'path': '/bin/sh', 'args': ['sh', '-c', 'echo hook-said-no >&2; exit 3']}]}"
ok "a failing hook fails create with its status and stderr" sh -c "! '$HAKO' --root '$root' create --bundle b hookfail 2>err && grep -q 'hooks.createRuntime\\[0\\]' err && grep -q hook-said-no err"
ok "... and leaves nothing" nothing_left
cp base.json b/config.json

# delete --force never reaches outside the state root.
mkdir -p victim; echo keep > victim/file; echo '{}' > victim/state.json
mkdir -p "$root"; ln -s "$TEST_TMP/victim" "$root/evil"
"$HAKO" --root "$root" delete --force evil > /dev/null 2>&1
ok "delete --force of a state entry that is a symlink out of the root leaves its target alone" sh -c "[ \"\$(cat victim/file)\" = keep ] && [ -f victim/state.json ]"
rm -f "$root/evil" "$root/evil.lock"
gone=0
for id in ../victim "../$(basename "$TEST_TMP")/victim" /tmp "$TEST_TMP/victim" ..; do
  "$HAKO" --root "$root" delete --force "$id" > /dev/null 2>&1 && gone=1
done
ok "delete --force with ids naming paths outside is refused" sh -c "[ $gone = 0 ] && [ \"\$(cat victim/file)\" = keep ]"
ok "no hako process of this test is left" sh -c "! ps -eo args | grep -v grep | grep -F -- '$root' | grep -q ."
ok "nothing is left in the state root" nothing_left
done_testing
