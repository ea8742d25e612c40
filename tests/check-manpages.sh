#!/bin/sh
# Every exported function has a man page (man/<function>.3, a family page or
# a .so alias to one), every page is installed (listed in Makefile.am), and
# every .so alias points at a page that exists.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
man="$top_srcdir/man"
status=0

for sym in $(cat "$top_srcdir/tests/abi/symbols.txt"); do
  if [ ! -f "$man/$sym.3" ]; then
    echo "check-manpages: $sym has no man page (man/$sym.3)" >&2
    status=1
  fi
done
for page in "$man"/*.[0-9]; do
  name=$(basename "$page")
  if ! grep -q "man/$name" "$top_srcdir/Makefile.am"; then
    echo "check-manpages: man/$name is not listed in Makefile.am" >&2
    status=1
  fi
  target=$(sed -n 's/^\.so man[0-9]\/\(.*\)$/\1/p' "$page")
  if [ -n "$target" ] && [ ! -f "$man/$target" ]; then
    echo "check-manpages: man/$name points at missing $target" >&2
    status=1
  fi
done
[ -f "$man/imsmediasec.7" ] || { echo "check-manpages: no imsmediasec.7" >&2; status=1; }
[ $status -eq 0 ] && echo "check-manpages: every exported function has a page"
exit $status
