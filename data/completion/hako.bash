# bash completion for hako: commands, their options, and container ids
# (from `hako list -q`) or layer digests (from `hako images -q`) where a
# command takes one.
# Installed in $(datadir)/bash-completion/completions/hako.

_hako_commands='check checkpoint create delete events exec features images kill list ps pause port restore resume rmi run sandbox spec start state update validate help'
_hako_global_flags='--root --log --log-format --debug --systemd-cgroup --cgroup-manager --rootless --criu -v --version --help'
_hako_global_valued='--root|--log|--log-format|--cgroup-manager|--rootless|--criu'

# The options of COMMAND, and those that take a value (a |-pattern).
_hako_command_flags ()
{
  case $1 in
    check) flags='-f --format --help'; valued='-f|--format' ;;
    checkpoint) flags='--image-path --work-path --tcp-established --ext-unix-sk --shell-job --file-locks --leave-running --help'; valued='--image-path|--work-path' ;;
    create) flags='-b --bundle --console-socket --pid-file --no-pivot --no-new-keyring --preserve-fds --network --mtu --allow-host-loopback --dns --outbound-addr --outbound-if -p --publish --overlay --image --help'; valued='-b|--bundle|--console-socket|--pid-file|--preserve-fds|--network|--mtu|--dns|--outbound-addr|--outbound-if|-p|--publish|--image' ;;
    delete) flags='-f --force --help'; valued='-h' ;;
    events) flags='--stats --interval --help'; valued='--interval' ;;
    exec) flags='-p --process -t --tty --console-socket -d --detach --pid-file --cwd -e --env -u --user -g --additional-gids -c --cap --no-new-privs --preserve-fds --cgroup --ignore-paused --process-label --apparmor --help'; valued='-p|--process|--console-socket|--pid-file|--cwd|-e|--env|-u|--user|-g|--additional-gids|-c|--cap|--preserve-fds|--cgroup|--process-label|--apparmor' ;;
    features) flags='--help'; valued='-h' ;;
    images) flags='-q --quiet --help'; valued='-h' ;;
    kill) flags='-a --all --help'; valued='-h' ;;
    list) flags='-f --format -q --quiet --help'; valued='-f|--format' ;;
    ps) flags='-f --format --help'; valued='-f|--format' ;;
    pause) flags='--help'; valued='-h' ;;
    port) flags='--help'; valued='-h' ;;
    restore) flags='--image-path --work-path --tcp-established --ext-unix-sk --shell-job --file-locks -b --bundle -d --detach --pid-file --console-socket --help'; valued='--image-path|--work-path|-b|--bundle|--pid-file|--console-socket' ;;
    resume) flags='--help'; valued='-h' ;;
    rmi) flags='--help'; valued='-h' ;;
    run) flags='-b --bundle --console-socket --pid-file --no-pivot --no-new-keyring --preserve-fds --network --mtu --allow-host-loopback --dns --outbound-addr --outbound-if -p --publish --overlay --image -d --detach --help'; valued='-b|--bundle|--console-socket|--pid-file|--preserve-fds|--network|--mtu|--dns|--outbound-addr|--outbound-if|-p|--publish|--image' ;;
    sandbox) flags='--changes --no-overlay --ro-cwd --share-home --root --net -p --publish --memory --cpus --pids --timeout --seccomp --bind --ro-bind --tmpfs -e --env --clearenv --hostname --help'; valued='--changes|-p|--publish|--memory|--cpus|--pids|--timeout|--seccomp|--bind|--ro-bind|--tmpfs|-e|--env|--hostname' ;;
    spec) flags='-b --bundle --rootless --seccomp --help'; valued='-b|--bundle|--seccomp' ;;
    start) flags='--help'; valued='-h' ;;
    state) flags='--help'; valued='-h' ;;
    update) flags='-r --resources --memory --memory-reservation --memory-swap --kernel-memory --kernel-memory-tcp --cpu-share --cpu-quota --cpu-period --cpu-burst --cpu-rt-period --cpu-rt-runtime --cpuset-cpus --cpuset-mems --pids-limit --blkio-weight --l3-cache-schema --mem-bw-schema --help'; valued='-r|--resources|--memory|--memory-reservation|--memory-swap|--kernel-memory|--kernel-memory-tcp|--cpu-share|--cpu-quota|--cpu-period|--cpu-burst|--cpu-rt-period|--cpu-rt-runtime|--cpuset-cpus|--cpuset-mems|--pids-limit|--blkio-weight|--l3-cache-schema|--mem-bw-schema' ;;
    validate) flags='-b --bundle --help'; valued='-b|--bundle' ;;
    *) flags='--help'; valued='-h' ;;
  esac
}

_hako ()
{
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local i command='' flags valued

  # The command is the first word after the global options (and their values).
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --root|--log|--log-format|--cgroup-manager|--rootless|--criu) ((i++)) ;;
      -*) ;;
      *) command=${COMP_WORDS[i]}; break ;;
    esac
  done
  if [ -z "$command" ]; then
    case $prev in
      --root|--log|--criu) COMPREPLY=($(compgen -f -- "$cur")); return ;;
      --log-format) COMPREPLY=($(compgen -W 'text json' -- "$cur")); return ;;
      --cgroup-manager) COMPREPLY=($(compgen -W 'systemd cgroupfs disabled' -- "$cur")); return ;;
      --rootless) COMPREPLY=($(compgen -W 'true false auto' -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "$_hako_global_flags" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$_hako_commands" -- "$cur"))
    fi
    return
  fi
  # After `sandbox ... --` the rest is the sandboxed command's.
  if [ "$command" = sandbox ]; then
    for ((i = i + 1; i < COMP_CWORD; i++)); do
      [ "${COMP_WORDS[i]}" = -- ] && { COMPREPLY=($(compgen -c -- "$cur")); return; }
    done
  fi
  _hako_command_flags "$command"
  if [[ $prev == @($valued) ]]; then
    case $prev in
      --format|-f) COMPREPLY=($(compgen -W 'text json table' -- "$cur")) ;;
      # sandbox takes a profile file too, spec only the two names.
      --seccomp)
        COMPREPLY=($(compgen -W 'default none' -- "$cur"))
        [ "$command" = sandbox ] && COMPREPLY+=($(compgen -f -- "$cur")) ;;
      --image|--image-path|--work-path) COMPREPLY=($(compgen -d -- "$cur")) ;;
      --network) COMPREPLY=($(compgen -W 'slirp pasta none' -- "$cur")) ;;
      *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  else
    case $command in
      help) COMPREPLY=($(compgen -W "$_hako_commands" -- "$cur")) ;;
      start|state|kill|delete|exec|ps|pause|resume|update|events|port|checkpoint)
        COMPREPLY=($(compgen -W "$(hako list -q 2>/dev/null)" -- "$cur")) ;;
      images) COMPREPLY=($(compgen -W 'prune' -- "$cur")) ;;
      rmi) COMPREPLY=($(compgen -W "$(hako images -q 2>/dev/null)" -- "$cur")) ;;
      *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
  fi
}
complete -F _hako hako
