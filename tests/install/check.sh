#!/usr/bin/env bash
# check.sh — install lsdopt from a build tree into a scratch prefix and build
# tests/install/consumer.c against it four ways: pkg-config (shared, static)
# and find_package(lsdopt) (lsdopt::lsdopt, lsdopt::lsdopt_static). Each
# consumer must run and pass its checks; the static ones must not need
# liblsdopt.so at run time; the installed CLI must run from the prefix.
#
# Usage: tests/install/check.sh BUILD_DIR [WORK_DIR]
#   WORK_DIR (default: a fresh mktemp -d) gets prefix/ and the consumer builds.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: check.sh BUILD_DIR [WORK_DIR]}" && pwd)
work=${2:-$(mktemp -d)}
mkdir -p "$work" && work=$(cd "$work" && pwd)
prefix="$work/prefix"
rm -rf "$prefix" "$work/consumer-cmake" "$work/consumer-pc"
mkdir -p "$work/consumer-pc"

step() { printf '== install check: %s\n' "$*"; }

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

libdir=$(dirname "$(find "$prefix" -name lsdopt.pc -path '*/pkgconfig/*' -print -quit)")
libdir=${libdir%/pkgconfig}
for f in "$prefix/bin/lsdopt" "$libdir/liblsdopt.so" "$libdir/liblsdopt.a" \
         "$prefix/include/lsdopt/lsdopt.h" "$prefix/include/lsdopt/lsdopt_export.h" \
         "$libdir/cmake/lsdopt/lsdoptConfig.cmake" \
         "$libdir/cmake/lsdopt/lsdoptConfigVersion.cmake" \
         "$libdir/cmake/lsdopt/lsdoptTargets.cmake" "$prefix/share/lsdopt/tokens.csv"; do
  [ -e "$f" ] || { echo "install check: missing $f" >&2; exit 1; }
done

step "installed CLI: $("$prefix/bin/lsdopt" --version | head -n 1)"
# The installed CLI finds its token profiles (share/lsdopt/tokens.csv).
priced=$("$prefix/bin/lsdopt" price --type call --spot 3000 --strike 3000 --expiry 0.25 \
         --rate 0.04 --vol 0.6 --token steth --staking-apr 0.03 --format csv)
step "installed CLI with its token profiles: $(printf '%s\n' "$priced" | tail -n 1 | cut -d, -f1-7)"

export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
step "pkg-config lsdopt $(pkg-config --modversion lsdopt)"
cc=${CC:-cc}
# shellcheck disable=SC2046  # pkg-config output is meant to be word-split
"$cc" -std=c11 -Wall -Wextra -Werror -o "$work/consumer-pc/shared" "$here/consumer.c" \
  $(pkg-config --cflags --libs lsdopt) -Wl,-rpath,"$libdir" -lm
static_libs=$(pkg-config --static --libs lsdopt \
              | sed 's/-llsdopt/-Wl,-Bstatic -llsdopt -Wl,-Bdynamic/')
# shellcheck disable=SC2046,SC2086
"$cc" -std=c11 -Wall -Wextra -Werror -o "$work/consumer-pc/static" "$here/consumer.c" \
  $(pkg-config --cflags lsdopt) $static_libs

step "find_package(lsdopt) with CMAKE_PREFIX_PATH=$prefix"
cmake -S "$here" -B "$work/consumer-cmake" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/consumer-cmake" >/dev/null

for exe in "$work/consumer-pc/shared" "$work/consumer-pc/static" \
           "$work/consumer-cmake/consumer_shared" "$work/consumer-cmake/consumer_static"; do
  needs_so=no
  if readelf -d "$exe" | grep -q 'NEEDED.*liblsdopt\.so'; then needs_so=yes; fi
  case "$exe" in
    *static) want=no ;;
    *) want=yes ;;
  esac
  if [ "$needs_so" != "$want" ]; then
    echo "install check: $exe links liblsdopt.so: $needs_so, expected $want" >&2
    exit 1
  fi
  printf '%-45s ' "${exe#"$work"/}:"
  "$exe"
done
step "passed"
