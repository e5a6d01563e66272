#!/usr/bin/env bash
# One entry point for a fresh Debian machine (as root) or a prepared one:
#   scripts/run.sh train [autorec train flags...]   install what is missing, build, run `autorec train`
#   scripts/run.sh test                             install what is missing, build, run the whole test suite
#                                                   (Release + nvcc build, fuzzers, then AddressSanitizer/UBSan build)
# Environment: BUILD_DIR (default build), JOBS (default: nproc), AUTOREC_SKIP_ASAN=1 to skip the
# sanitizer build, AUTOREC_SKIP_MUTATION=1 to skip the mutation check, AUTOREC_MUTATION_BUDGET (seconds,
# default 600), AUTOREC_ML100K_DIR to run the real-data tests.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode="${1:-}"
shift || true
build_dir="${BUILD_DIR:-build}"
jobs="${JOBS:-$(nproc)}"

# Debian packages the build needs, each with a file that proves it is installed.
required_packages=(
  "g++:/usr/bin/g++"
  "cmake:/usr/bin/cmake"
  "ninja-build:/usr/bin/ninja"
  "catch2:/usr/include/catch2/catch.hpp"
  "libboost-context-dev:/usr/include/boost/context/fiber.hpp"
  "python3:/usr/bin/python3"
  "gcovr:/usr/bin/gcovr"
)

install_missing() {
  local missing=()
  for entry in "${required_packages[@]}"; do
    [ -e "${entry#*:}" ] || missing+=("${entry%%:*}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "scripts/run.sh: missing packages: ${missing[*]}" >&2
    echo "scripts/run.sh: install them (apt-get install ${missing[*]}) as root, then run this again" >&2
    exit 1
  fi
  echo "scripts/run.sh: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

configure_and_build() {  # <dir> [cmake options...]; a later -S overrides the source folder
  local dir="$1"
  shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

# Real-data tests read MovieLens-100K from here when the shared data folder is present.
if [ -z "${AUTOREC_ML100K_DIR:-}" ] && [ -f "$root/../shared/data/ml-100k/u.data" ]; then
  export AUTOREC_ML100K_DIR="$root/../shared/data/ml-100k"
fi

case "$mode" in
  train)
    install_missing
    configure_and_build "$build_dir" >&2
    exec "$build_dir/autorec/cli/autorec" train "$@"
    ;;
  test)
    required_packages+=("clang:/usr/bin/clang++")  # the fuzzers (scripts/run_fuzzers.sh) need libFuzzer
    install_missing
    configure_and_build "$build_dir"
    # ctest runs tests in parallel, each with its own OpenMP team: threads that sleep instead of
    # spinning at barriers keep an oversubscribed machine from crawling.
    export OMP_WAIT_POLICY=PASSIVE
    ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
    # libFuzzer targets for every reader of untrusted files, 25 s each (docs/reliability.md).
    FUZZ_BUILD_DIR="$build_dir-fuzz" FUZZ_JOBS="$jobs" scripts/run_fuzzers.sh
    # The embedding example, built against the installed package as a user's project would be.
    cmake --install "$build_dir" --prefix "$root/$build_dir/install" >/dev/null
    configure_and_build "$build_dir/example" -S examples/embedding -DCMAKE_PREFIX_PATH="$root/$build_dir/install"
    "$build_dir/example/sparse_autoencoder"
    "$build_dir/example/train_autorec"
    # The GPU check's dry run (docs/gpu.md): its stages on the CPU, so the script itself is tested.
    OUT="$root/$build_dir/gpu-check-dry-run" bash bench/gpu_check.sh --dry-run --build-dir "$build_dir" --budget 300
    if [ "${AUTOREC_SKIP_ASAN:-0}" != 1 ]; then
      # nvcc cannot build sanitized host code: this build runs the CPU and SIMT-emulated tests, and is
      # also instrumented for coverage (docs/testing.md), reported for kernels/ and engine/ below.
      configure_and_build "$build_dir-asan" -DAUTOREC_SANITIZERS=address,undefined -DAUTOREC_COVERAGE=ON \
        -DAUTOREC_BUILD_BENCH=OFF
      find "$build_dir-asan" -name '*.gcda' -delete
      ASAN_OPTIONS=detect_leaks=1 ctest --test-dir "$build_dir-asan" --output-on-failure -j "$jobs" -LE gpu
      bash scripts/coverage_report.sh "$build_dir-asan"
    fi
    if [ "${AUTOREC_SKIP_MUTATION:-0}" != 1 ]; then
      # Every listed mutant must make a test fail (docs/testing.md); bounded so CI stays short.
      python3 scripts/mutation_check.py --work "$build_dir-mutation" --jobs "$jobs" \
        --budget "${AUTOREC_MUTATION_BUDGET:-600}"
    fi
    ;;
  *)
    echo "usage: scripts/run.sh train [flags...] | test" >&2
    exit 2
    ;;
esac
