#!/bin/sh
# Compares the symbols libimsmediasec.so exports with tests/abi/symbols.txt,
# so an accidental export or a removal fails `make check`. After an intended
# change to the API, regenerate the list with:
#   tests/abi/check-symbols.sh --update
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
so="$top_builddir/lib/.libs/libimsmediasec.so"
expected="$top_srcdir/tests/abi/symbols.txt"

if [ ! -f "$so" ]; then
  echo "check-symbols: $so not built" >&2
  exit 1
fi
actual=$(nm -D --defined-only "$so" | awk '{ print $3 }' | LC_ALL=C sort)
if [ "${1:-}" = "--update" ]; then
  printf '%s\n' "$actual" >"$expected"
  exit 0
fi
if ! printf '%s\n' "$actual" | diff -u "$expected" -; then
  echo "check-symbols: exported symbols differ from tests/abi/symbols.txt" >&2
  echo "  (+ exported but not listed, - listed but not exported)" >&2
  exit 1
fi
bad=$(printf '%s\n' "$actual" | grep -v '^imsms_' || true)
if [ -n "$bad" ]; then
  echo "check-symbols: exported symbols without the imsms_ prefix: $bad" >&2
  exit 1
fi
echo "check-symbols: $(printf '%s\n' "$actual" | wc -l) exported symbols match"
