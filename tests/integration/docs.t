#!/bin/sh
# The manual pages and the shell completion: every command and every
# option `hako COMMAND --help` lists is in its manual page, in the bash and
# in the zsh completion; the pages render; bash completes a command, an
# option and a value.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
plan 13
: "${HAKO_SRCDIR:?}" "${HAKO_BUILDDIR:?}"
bash_completion=$HAKO_SRCDIR/data/completion/hako.bash
zsh_completion=$HAKO_SRCDIR/data/completion/_hako
commands=$(LANG=C "$HAKO" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]\+\) .*/\1/p' | grep -vx help)
# options COMMAND: its long options, one a line
options () { LANG=C "$HAKO" "$1" --help | sed -n 's/^  \(-., \)\?--\([a-z0-9-]\+\).*/\2/p' | grep -vx help; }
# page NAME: the built page (in the build tree, or the source tree of a tarball)
page () { if [ -e "$HAKO_BUILDDIR/man/$1" ]; then echo "$HAKO_BUILDDIR/man/$1"; else echo "$HAKO_SRCDIR/man/$1"; fi; }

ok "the commands are listed" test -n "$commands"
# The internal commands hako starts itself (the network helper, the
# rootless layer unpacker) have no summary, so they are neither listed nor
# documented: not for people.
ok "... but not the internal ones" sh -c "! LANG=C '$HAKO' --help | grep -q -e _net-helper -e _unpack-layer"
ok "hako(1) names every command" sh -c "for c in $(echo $commands); do grep -q \"^\\*\$c\\*\" '$HAKO_SRCDIR/man/hako.1.scd' || { echo \"no \$c\"; exit 1; }; done"
missing=
for c in $commands; do
  [ -e "$HAKO_SRCDIR/man/hako-$c.1.scd" ] || { missing="$missing hako-$c.1.scd"; continue; }
  for o in $(options "$c"); do
    grep -q -- "\*--$o\*" "$HAKO_SRCDIR/man/hako-$c.1.scd" || missing="$missing $c:--$o"
  done
done
ok "every command has a page, with every option of its --help" sh -c "[ -z '$missing' ] || { echo 'missing:$missing'; false; }"
unrendered=
for f in "$HAKO_SRCDIR"/man/*.1.scd; do
  p=$(basename "$f" .scd)
  LANG=C man -l "$(page "$p")" 2>/dev/null | grep -q '^NAME' || unrendered="$unrendered $p"
done
ok "the pages are built and render" sh -c "[ -z '$unrendered' ] || { echo 'not rendered:$unrendered'; false; }"
missing=
for c in $commands; do
  grep -q "^    $c) flags='" "$bash_completion" || { missing="$missing bash:$c"; continue; }
  line=$(grep "^    $c) flags='" "$bash_completion")
  zline=$(sed -n "/^    ($c)\$/,/;;/p" "$zsh_completion")
  for o in $(options "$c"); do
    case "$line " in *[\ \']--$o[\ \']*) ;; *) missing="$missing bash:$c:--$o" ;; esac
    case "$zline" in *"--$o"*) ;; *) missing="$missing zsh:$c:--$o" ;; esac
  done
done
ok "the completions know every command and option" sh -c "[ -z '$missing' ] || { echo 'missing:$missing'; false; }"
# complete WORDS...: what bash completes for the last word
complete () {
  bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _hako; printf "%s\n" "${COMPREPLY[@]}"' "$bash_completion" "$@"
}
ok "bash completion loads" bash -c ". '$bash_completion' && complete -p hako | grep -q _hako"
complete hako sand > comp.out
ok "... completes a command" grep -qx sandbox comp.out
complete hako sandbox --sh > comp.out
ok "... an option of a command" grep -qx -- --share-home comp.out
complete hako --root /tmp check --for > comp.out
ok "... after global options" grep -qx -- --format comp.out
complete hako sandbox --seccomp d > comp.out
ok "... an option's value" grep -qx default comp.out
complete hako sandbox --net -- bas > comp.out
ok "... the sandboxed command after --" grep -qx bash comp.out
if command -v zsh >/dev/null; then
  ok "zsh completion parses" zsh -n "$zsh_completion"
else
  skip "zsh completion parses" "zsh is not installed"
fi
done_testing
