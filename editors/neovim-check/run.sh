#!/bin/sh
# A manual check of `hailuo lsp` in a real Neovim 0.7-0.10, configured with the README's snippet
# (init.lua, which tests/test_docs.py holds equal to it). Not run by the tests: CI has no Neovim.
# Usage: editors/neovim-check/run.sh [nvim]   (with `hailuo` on the PATH)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
examples="$here/../../examples"
nvim=${1:-nvim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/work" "$tmp/config" "$tmp/state" "$tmp/cache" "$tmp/data"
cp "$examples/city-night.shot" "$examples/city-night.toml" "$examples/prompts/lamb.prompt" "$tmp/work/"
# the same init.lua with `settings`, to see them reach the server
sed 's/^\( *\)init_options = .*/&\n\1settings = { hailuo = { pollInterval = 30 } },/' "$here/init.lua" >"$tmp/settings.lua"
grep -q pollInterval "$tmp/settings.lua"
export XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/data"
export NVCHK_OUT="$tmp/results.txt"
cd "$tmp/work"
status=0
for run in main:init.lua settings:settings.lua; do
  part=${run%%:*} init=${run#*:}
  [ "$init" = init.lua ] && init="$here/init.lua" || init="$tmp/$init"
  NVCHK_PART=$part timeout 180 "$nvim" --headless -u "$init" -c "luafile $here/check.lua" >/dev/null 2>"$tmp/stderr" || status=1
  [ -s "$tmp/stderr" ] && { echo "nvim wrote to stderr:"; cat "$tmp/stderr"; status=1; }
done
cat "$NVCHK_OUT"
log=$(find "$tmp/cache" "$tmp/state" -name lsp.log | head -n 1)
if grep -q '^\[ERROR\]' "$log"; then
  echo "FAIL errors in the LSP log:"; grep '^\[ERROR\]' "$log" | cut -c1-300; status=1
else
  echo "PASS no ERROR in the LSP log ($(grep -c . "$log") lines)"
fi
grep -q '^FAIL' "$NVCHK_OUT" && status=1
exit $status
