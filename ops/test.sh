#!/usr/bin/env bash
# Every test, as CI runs them: set-up, the Lambda zip, bounded fuzz runs (the payload parser, SNS
# signatures, the acknowledgement inputs), the unit and command-line tests under
# AddressSanitizer+UndefinedBehaviorSanitizer, then the regular build.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/setup.sh

jobs=$(nproc)
fuzz_seconds=${RR_FUZZ_SECONDS:-60}

echo "== the Lambda zip (tests run it from an empty root)"
ops/lambda/package.sh

echo "== fuzz: the payload parser and every renderer for ${fuzz_seconds}s"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DRR_FUZZ=ON -DRR_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz --target fuzz_parse_payload fuzz_sns_verify fuzz_ack_inputs
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
find testdata -name '*.json' ! -name '*.expect.json' ! -path 'testdata/golden/*' -size -64k \
  -exec cp {} "$corpus"/ \;
build-fuzz/fuzz_parse_payload -max_total_time="$fuzz_seconds" -max_len=300000 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 "$corpus" 2>&1 | tail -n 12

echo "== fuzz: SNS signature verification for $((fuzz_seconds / 2))s"
sns_corpus=$(mktemp -d)
trap 'rm -rf "$corpus" "$sns_corpus"' EXIT
cp testdata/sns-signed/*.json "$sns_corpus"/
build-fuzz/fuzz_sns_verify -max_total_time="$((fuzz_seconds / 2))" -max_len=8192 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 "$sns_corpus" 2>&1 | tail -n 12

echo "== fuzz: acknowledgement links, forms and Telegram answers for $((fuzz_seconds / 3))s"
ack_corpus=$(mktemp -d)
trap 'rm -rf "$corpus" "$sns_corpus" "$ack_corpus"' EXIT
cp testdata/fuzz-ack/* "$ack_corpus"/
build-fuzz/fuzz_ack_inputs -max_total_time="$((fuzz_seconds / 3))" -max_len=8192 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 "$ack_corpus" 2>&1 | tail -n 12

echo "== tests under ASan+UBSan"
cmake -S . -B build-asan -G Ninja -DRR_SANITIZE=ON -DRR_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug \
  >/dev/null
cmake --build build-asan
ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== tests"
ctest --test-dir build --output-on-failure -j "$jobs"
