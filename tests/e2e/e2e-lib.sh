# Shared by the end-to-end tests (sourced after tap.sh): every scenario runs
# with runc and with hako, and the test says both results.

# both DESCRIPTION COMMAND...: COMMAND (a scenario that reads $RT, the
# runtime's name) with RT=runc, then with RT=hako. Where runc passes, hako
# must; where runc fails on this host too, both are skipped with runc's
# error as the reason (and whether hako passes anyway).
both () {
  local description=$1 reason note; shift
  RT=runc
  if "$@" >"$TEST_TMP/.runc" 2>&1; then
    RT=hako
    ok "$description (hako)" "$@"
    tap_count=$((tap_count + 1))
    echo "ok $tap_count - $description (runc)"
    return
  fi
  reason=$(grep -v '^[[:space:]]*$' "$TEST_TMP/.runc" | tail -n 1 | cut -c1-240)
  RT=hako
  if "$@" >"$TEST_TMP/.hako" 2>&1; then note="hako passes"; else note="hako fails too"; fi
  skip "$description (hako)" "runc fails on this host too, $note: $reason"
  skip "$description (runc)" "fails on this host: $reason"
}

# then_remove PREFIX COMMAND...: COMMAND's status, after removing the
# container PREFIX-$RT it made, whatever became of it (remove_container,
# which each test defines for its client).
then_remove () {
  local prefix=$1 status; shift
  "$@"
  status=$?
  remove_container "$prefix-$RT" >/dev/null 2>&1
  return $status
}

# The binary of the runtime $RT.
runtime_binary () {
  if [ "$RT" = hako ]; then echo "$HAKO"; else command -v runc; fi
}

# skip_all REASON: the whole test cannot run here.
skip_all () {
  echo "1..0 # SKIP $1"
  exit 0
}

# busybox_image DIR: DIR/rootfs.tar, a busybox-static root filesystem
# (Debian's busybox-static, every applet linked), and DIR/image.tar, the
# same as a one-layer image for docker load and ctr image import.
busybox_image () {
  local dir=$1
  mkdir -p "$dir/rootfs/bin" "$dir/rootfs/etc" "$dir/rootfs/tmp" "$dir/rootfs/proc" \
    "$dir/rootfs/sys" "$dir/rootfs/dev" "$dir/rootfs/root" "$dir/rootfs/www"
  cp /bin/busybox "$dir/rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$dir/rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$dir/rootfs/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$dir/rootfs/etc/group"
  echo served >"$dir/rootfs/www/index.html"
  chmod 1777 "$dir/rootfs/tmp"
  tar -C "$dir/rootfs" -cf "$dir/rootfs.tar" . &&
    "${PYTHON3:-python3}" "$HAKO_TESTS_SRCDIR/e2e/image-archive.py" "$dir/rootfs.tar" "$E2E_IMAGE" "$dir/image.tar"
}
E2E_IMAGE=localhost/busybox:e2e

# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s until it passes.
wait_for () {
  local tries=$(($1 * 5)); shift
  while [ "$tries" -gt 0 ]; do
    "$@" >/dev/null 2>&1 && return 0
    tries=$((tries - 1))
    sleep 0.2
  done
  "$@"
}
