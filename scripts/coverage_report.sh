#!/usr/bin/env bash
# Line and branch coverage of kernels/ (CPU kernels and the CUDA kernels as the SIMT emulation runs
# them) and engine/, from a build configured with -DAUTOREC_COVERAGE=ON after its tests ran.
# Writes BUILD/coverage/{kernels,engine}.txt (per file, with the uncovered lines) and prints the totals.
# usage: scripts/coverage_report.sh BUILD_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "$1" && pwd)"
out="$build/coverage"
mkdir -p "$out"
cd "$root"
report() {  # <name> <gcovr filters...>
  local name="$1"
  shift
  gcovr --root "$root" --object-directory "$build" "$@" --exclude-unreachable-branches \
    --txt "$out/$name.txt" --print-summary 2>/dev/null | sed "s/^/coverage $name: /"
}
echo "== coverage (gcov; details and uncovered lines in $out) =="
report kernels --filter 'kernels/cpu/' --filter 'kernels/cuda/' --filter 'kernels/include/'
report engine --filter 'engine/'
