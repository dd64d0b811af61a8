#!/usr/bin/env bash
# Builds dist/root-responder-lambda.zip for the provided.al2023 runtime.
#
# Amazon Linux 2023 has an older glibc than Debian 12, so the zip carries everything the
# program needs: its shared libraries, glibc's own dynamic loader (the program's interpreter
# is set to the copy in /var/task/lib), and the EUC-KR iconv module. `bootstrap` is the
# program itself, not a script that starts it: no shell on the cold-start path.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=build-lambda
# Without `serve`: the daemon's libraries would only slow every cold start.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRR_BENCH=OFF -DRR_LAMBDA_ONLY=ON \
  >/dev/null
cmake --build "$build" --target root-responder

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib" "$stage/gconv/gconv-modules.d"

cp "$build/root-responder" "$stage/bootstrap"
strip "$stage/bootstrap"
# Every shared library the program loads, and the loader itself, resolved through symlinks.
ldd "$build/root-responder" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' |
  while read -r lib; do cp -L "$lib" "$stage/lib/"; done
loader=$(basename "$(ldd "$build/root-responder" | awk '$1 ~ /ld-linux/ {print $1}')")
patchelf --set-interpreter "/var/task/lib/$loader" --force-rpath --set-rpath '$ORIGIN/lib' \
  "$stage/bootstrap"

# iconv loads converters at run time; NHN SMS needs EUC-KR (main() points GCONV_PATH here).
gconv=/usr/lib/x86_64-linux-gnu/gconv
cp "$gconv/EUC-KR.so" "$gconv/libKSC.so" "$stage/gconv/"
grep -E '^\s*(alias|module)\s.*EUC-KR' "$gconv/gconv-modules.d/gconv-modules-extra.conf" \
  > "$stage/gconv/gconv-modules" || true

mkdir -p dist
rm -f dist/root-responder-lambda.zip
(cd "$stage" && zip -qr9 "$OLDPWD/dist/root-responder-lambda.zip" .)
echo "dist/root-responder-lambda.zip: $(du -h dist/root-responder-lambda.zip | cut -f1)" \
  "($(ls "$stage/lib" | wc -l) libraries)"
