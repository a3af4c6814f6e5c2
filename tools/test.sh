#!/bin/sh
# Set-up command 2 (README): install test dependencies, build with
# warnings as errors, run every test, then run them all again under
# AddressSanitizer + UndefinedBehaviorSanitizer (separate build-asan/).
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh gcc make pkg-config libc6-dev libjansson-dev libyajl-dev libcmocka-dev python3 python3-pytest \
        util-linux procps prometheus
make WERROR=1
make WERROR=1 check
make WERROR=1 O=build-asan SANITIZE=1 check
echo "all tests passed (normal and ASan+UBSan builds)"
