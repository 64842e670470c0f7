#!/bin/sh
# Messages follow the locale: Japanese with LANG=ja_JP.UTF-8.
. "$HAKO_TESTS_SRCDIR/integration/tap.sh"
plan 4
# Every message of the sources is in ja.po (make merges new ones in), translated.
ok "ja.po translates every message, none fuzzy" sh -c "LANG=C msgfmt --statistics -o /dev/null '$HAKO_PO_DIR/ja.po' 2>&1 | grep -v -e untranslated -e fuzzy | grep -q 'translated messages'"
if ! locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8$'; then
  skip "Japanese --help" "the ja_JP.UTF-8 locale is not installed (locale-gen it)"
  skip "Japanese errors" "the ja_JP.UTF-8 locale is not installed"
  skip "C locale stays English" "the ja_JP.UTF-8 locale is not installed"
  exit 0
fi
mkdir -p locale/ja/LC_MESSAGES
cp "$HAKO_PO_DIR/ja.gmo" locale/ja/LC_MESSAGES/hako.mo
export HAKO_LOCALEDIR="$TEST_TMP/locale"
ok "LANG=ja_JP.UTF-8 hako --help prints Japanese" \
  sh -c 'LANG=ja_JP.UTF-8 LC_ALL= LANGUAGE= "$HAKO" --help | grep -q "コマンド"'
ok "errors are translated too" \
  sh -c 'LANG=ja_JP.UTF-8 LC_ALL= LANGUAGE= "$HAKO" frobnicate 2>&1 | grep -q "不明なコマンド"'
ok "the C locale stays English" \
  sh -c 'LANG=C LC_ALL= LANGUAGE= "$HAKO" --help | grep -q "Commands:"'
done_testing
