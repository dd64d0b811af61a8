#!/usr/bin/env bash
# Installs the Debian packages root-responder needs (only the missing ones, so it is safe to
# re-run) and builds it into build/. Nothing is downloaded but Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config ca-certificates tzdata python3 curl
  patchelf zip unzip
  clang libclang-rt-14-dev clang-format
  rapidjson-dev libhowardhinnant-date-dev libcurl4-openssl-dev libssl-dev
  libgflags-dev libgoogle-glog-dev libgtest-dev libgmock-dev libbenchmark-dev
  libcpp-httplib-dev libsqlite3-dev prometheus-cpp-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# moto (the local AWS emulator), boto3 and cfn-lint are Python packages that come with this
# workplace's machines; PyPI is out of reach, so they cannot be installed here. The tests that
# need them fail (never skip) without them; say so up front.
if ! python3 -c 'import moto, boto3, cfnlint' 2>/dev/null || ! command -v moto_server >/dev/null ||
  ! command -v cfn-lint >/dev/null; then
  echo "setup: WARNING: python3 lacks moto, boto3 or cfn-lint (moto_server, cfn-lint on PATH);" \
    "the AWS emulator and CloudFormation tests will fail" >&2
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build
