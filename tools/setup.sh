#!/bin/sh
# Set-up command 1 (README): install build dependencies, build, and show
# a snapshot of this machine.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh gcc make pkg-config libc6-dev libjansson-dev libyajl-dev
make
echo
./build/30secs snapshot --format table
