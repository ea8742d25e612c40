#!/bin/sh
# Build and run a target in a separate configuration (ASan, fuzzing) without
# touching this tree's: copy the distributed sources with `make distdir`,
# configure the copy with the given options, run the target there.
#
# usage: sidebuild.sh NAME TARGET [CONFIGURE-ARGS...]
# Run from the top build directory. The environment passes through to make,
# so e.g. FUZZ_SECONDS=600 reaches `make fuzz`.
set -eu
name=$1
target=$2
shift 2
dir=_sidebuild/$name
jobs=$(nproc 2>/dev/null || echo 2)

rm -rf "$dir"
mkdir -p "$dir"
${MAKE:-make} distdir distdir="$dir/src" >/dev/null
cd "$dir/src"
./configure --quiet "$@"
# SIDEBUILD_TESTS: the tests to run, space-separated (one make argument,
# not split). SIDEBUILD_MAKEARGS: other make arguments (split at spaces).
set -- -j"$jobs" "$target"
if [ -n "${SIDEBUILD_TESTS:-}" ]; then
  set -- "$@" "TESTS=$SIDEBUILD_TESTS"
fi
# shellcheck disable=SC2086
${MAKE:-make} "$@" ${SIDEBUILD_MAKEARGS:-}
