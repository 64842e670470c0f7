#!/bin/sh
# The command line: runc's global options, usage errors, help and version.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
plan 22
ok "--version exits 0" run_hako 0 --version
ok "--version prints hako's version" output_has stdout "hako version "
ok "--version prints the spec version" output_has stdout "spec: 1.3.0"
ok "--version lists compiled-in features" output_has stdout "+SECCOMP"
ok "-v is --version" run_hako 0 -v
ok "--help exits 0" run_hako 0 --help
ok "--help lists the commands" output_has stdout "features"
ok "--help lists runc's global options" output_has stdout "--systemd-cgroup"
ok "help spec shows the options of spec" run_hako 0 help spec
ok "... including --bundle" output_has stdout "--bundle"
ok "spec --help works too" run_hako 0 spec --help
ok "no command is a usage error" run_hako 1
ok "an unknown command exits 1" run_hako 1 frobnicate
ok "... naming the command" output_has stderr 'unknown command "frobnicate"'
ok "... and printing the usage" output_has stderr "Usage: hako [GLOBAL OPTIONS] COMMAND"
ok "an unknown global option exits 1 with the usage" run_hako 1 --frobnicate features
ok "an unknown command option exits 1" run_hako 1 features --frobnicate
ok "... with that command's usage" output_has stderr "Usage: hako features"
ok "--rootless takes only true, false or auto" run_hako 1 --rootless maybe features
ok "--cgroup-manager takes only systemd, cgroupfs or disabled" run_hako 1 --cgroup-manager magic features
ok "runc's global options are accepted" run_hako 0 --root "$TEST_TMP/state" --debug --systemd-cgroup --rootless auto --log-format text features

run_hako 1 --log "$TEST_TMP/log.json" --log-format json spec --bundle /nonexistent/dir
ok "--log-format json writes errors as JSON lines" \
  "${PYTHON3:-python3}" -c 'import json,sys; e=json.loads(open(sys.argv[1]).readline()); sys.exit(0 if e["level"]=="error" and "/nonexistent/dir/config.json" in e["msg"] and "time" in e else 1)' "$TEST_TMP/log.json"
done_testing
