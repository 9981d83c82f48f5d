#!/usr/bin/env bash
# check.sh — install lsdopt from a build tree into a scratch prefix, check
# what was installed, and build tests/install/consumer.c against it four
# ways: pkg-config (shared, static) and find_package(lsdopt) (lsdopt::lsdopt,
# lsdopt::lsdopt_static). Each consumer must run and pass its checks; the
# static ones must not need liblsdopt.so at run time.
#
# What was installed: the headers are exactly the build's staged
# BUILD_DIR/include/lsdopt/ (same files, same bytes), all under
# include/lsdopt/, nothing flat in include/; lsdopt.pc declares the private
# dependencies a static link needs (Requires.private: gsl; Libs.private:
# -lcsv, the threads flag, -lm). With the CLI, the installed lsdopt runs and
# finds its token profiles (share/lsdopt/tokens.csv).
#
# Usage: tests/install/check.sh [--library-only] BUILD_DIR [WORK_DIR]
#   --library-only  BUILD_DIR was configured with -DLSDOPT_BUILD_CLI=OFF:
#                   check that no CLI (bin/lsdopt, share/lsdopt/) was
#                   installed instead of running it.
#   WORK_DIR (default: a fresh mktemp -d) gets prefix/ and the consumer builds.
set -euo pipefail

usage="usage: check.sh [--library-only] BUILD_DIR [WORK_DIR]"
cli=yes
if [ "${1:-}" = --library-only ]; then
  cli=no
  shift
fi
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?$usage}" && pwd)
work=${2:-$(mktemp -d)}
mkdir -p "$work" && work=$(cd "$work" && pwd)
prefix="$work/prefix"
rm -rf "$prefix" "$work/consumer-cmake" "$work/consumer-pc"
mkdir -p "$work/consumer-pc"

step() { printf '== install check: %s\n' "$*"; }
fail() { echo "install check: $*" >&2; exit 1; }

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

libdir=$(dirname "$(find "$prefix" -name lsdopt.pc -path '*/pkgconfig/*' -print -quit)")
libdir=${libdir%/pkgconfig}
for f in "$libdir/liblsdopt.so" "$libdir/liblsdopt.a" \
         "$libdir/cmake/lsdopt/lsdoptConfig.cmake" \
         "$libdir/cmake/lsdopt/lsdoptConfigVersion.cmake" \
         "$libdir/cmake/lsdopt/lsdoptTargets.cmake"; do
  [ -e "$f" ] || fail "missing $f"
done

# Headers: include/ holds the lsdopt/ folder alone, and include/lsdopt/ is
# the build's staged copy, file for file.
staged="$build/include/lsdopt"
[ -d "$staged" ] || fail "no staged headers in $staged"
flat=$(find "$prefix/include" -mindepth 1 -maxdepth 1 ! -name lsdopt)
[ -z "$flat" ] || fail "installed outside include/lsdopt/: $flat"
staged_list=$(cd "$staged" && find . -type f | sort)
installed_list=$(cd "$prefix/include/lsdopt" && find . -type f | sort)
[ "$staged_list" = "$installed_list" ] \
  || fail "installed headers differ from $staged:
$(diff <(printf '%s\n' "$staged_list") <(printf '%s\n' "$installed_list") || true)"
while read -r f; do
  cmp -s "$staged/$f" "$prefix/include/lsdopt/$f" || fail "include/lsdopt/$f differs from $staged/$f"
done <<<"$staged_list"
for f in lsdopt.h lsdopt_export.h; do
  [ -e "$prefix/include/lsdopt/$f" ] || fail "missing include/lsdopt/$f"
done
step "headers: $(printf '%s\n' "$installed_list" | wc -l) files, all in include/lsdopt/"

if [ "$cli" = yes ]; then
  [ -x "$prefix/bin/lsdopt" ] || fail "missing $prefix/bin/lsdopt"
  [ -e "$prefix/share/lsdopt/tokens.csv" ] || fail "missing $prefix/share/lsdopt/tokens.csv"
  step "installed CLI: $("$prefix/bin/lsdopt" --version | head -n 1)"
  # The installed CLI finds its token profiles (share/lsdopt/tokens.csv).
  priced=$("$prefix/bin/lsdopt" price --type call --spot 3000 --strike 3000 --expiry 0.25 \
           --rate 0.04 --vol 0.6 --token steth --staking-apr 0.03 --format csv)
  step "installed CLI with its token profiles: $(printf '%s\n' "$priced" | tail -n 1 | cut -d, -f1-7)"
else
  for f in "$prefix/bin" "$prefix/share/lsdopt"; do
    [ ! -e "$f" ] || fail "$f installed by a library-only build"
  done
  step "library only: no bin/, no share/lsdopt/"
fi

export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
step "pkg-config lsdopt $(pkg-config --modversion lsdopt)"
pc="$libdir/pkgconfig/lsdopt.pc"
grep -qx 'Requires.private: gsl' "$pc" || fail "$pc: no 'Requires.private: gsl'"
libs_private=$(sed -n 's/^Libs\.private: *//p' "$pc")
for want in -lcsv '-pthread|-lpthread' -lm; do
  grep -qwE -- "$want" <<<" $libs_private " || fail "$pc: Libs.private '$libs_private' lacks $want"
done
step "lsdopt.pc: Requires.private: gsl; Libs.private: $libs_private"

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
  [ "$needs_so" = "$want" ] || fail "$exe links liblsdopt.so: $needs_so, expected $want"
  printf '%-45s ' "${exe#"$work"/}:"
  "$exe"
done
step "passed"
