#!/bin/sh
# After `make install`: compile an example against the installed library
# using nothing but pkg-config, and run it. Run by `make installcheck`
# (and so by `make distcheck`) with PKG_CONFIG_PATH and LIBDIR set.
#
# usage: check-installed.sh EXAMPLE.c
set -eu
src=$1
cc=${CC:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pkg-config --exists libimsmediasec
cflags=$(pkg-config --cflags libimsmediasec)
libs=$(pkg-config --libs libimsmediasec)
echo "check-installed: pkg-config --cflags --libs libimsmediasec: $cflags $libs"
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Werror $cflags -o "$work/example" "$src" $libs
LD_LIBRARY_PATH="${LIBDIR:-}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/example" >"$work/out"
grep -q '^Done\.$' "$work/out"
echo "check-installed: $(basename "$src") built through pkg-config and ran"
