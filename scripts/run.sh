#!/usr/bin/env bash
# One entry point for a fresh Debian machine (as root) or a prepared one:
#   scripts/run.sh train [autorec train flags...]   install what training needs, build the `autorec` target
#                                                   only (no tests, no benchmarks), run `autorec train`
#   scripts/run.sh test                             install what is missing, build, run the whole test suite
#                                                   (Release + nvcc build, fuzzers, then AddressSanitizer/UBSan build)
#                                                   and end with one verdict line over every stage
# Environment: BUILD_DIR (default build), JOBS (default: nproc), AUTOREC_SKIP_ASAN=1 to skip the
# sanitizer build, AUTOREC_SKIP_MUTATION=1 to skip the mutation check, AUTOREC_MUTATION_BUDGET (seconds,
# default 600), AUTOREC_ML100K_DIR to run the real-data tests.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode="${1:-}"
shift || true
build_dir="${BUILD_DIR:-build}"
case "$build_dir" in /*) ;; *) build_dir="$root/$build_dir" ;; esac  # one absolute path from here on
jobs="${JOBS:-$(nproc)}"

# Debian packages, each with a file that proves it is installed: what building `autorec` needs, and
# what the test suite needs on top (Catch2, Boost.Context for the SIMT emulation, gcovr, Python, and
# nlohmann-json for the benchmarks' results files).
required_packages=(
  "g++:/usr/bin/g++"
  "cmake:/usr/bin/cmake"
  "ninja-build:/usr/bin/ninja"
)
test_packages=(
  "catch2:/usr/include/catch2/catch.hpp"
  "libboost-context-dev:/usr/include/boost/context/fiber.hpp"
  "python3:/usr/bin/python3"
  "gcovr:/usr/bin/gcovr"
  "nlohmann-json3-dev:/usr/include/nlohmann/json.hpp"
  "clang:/usr/bin/clang++"  # the fuzzers (scripts/run_fuzzers.sh) need libFuzzer
)

install_missing() {  # <package:proof file>...
  local missing=()
  for entry in "$@"; do
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

configure_and_build() {  # <source dir> <build dir> [cmake options...] [-- cmake --build options...]
  local src="$1" dir="$2"
  shift 2
  local configure=() build=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do configure+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  build=("$@")
  cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${configure[@]}" >/dev/null
  cmake --build "$dir" -j "$jobs" "${build[@]}"
}

# `scripts/run.sh test`: every stage is recorded (stage, status, detail) for the verdict at the end,
# and a failed stage does not stop the later ones.
stages_file=""
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$stages_file"; }
stage() {  # <name> <command...>: runs it, records passed or failed
  local name="$1"
  shift
  echo "==== $name ====" >&2
  if "$@"; then record "$name" passed ""; else record "$name" failed "exit status $?"; fi
}
ctest_stage() {  # <name> <build dir> [ctest options...]: records the JUnit file for the verdict
  local name="$1" dir="$2"
  shift 2
  local junit="$dir/ctest-results.xml"
  rm -f "$junit"
  echo "==== $name ====" >&2
  if ctest --test-dir "$dir" --no-tests=error --output-on-failure -j "$jobs" --output-junit "$junit" "$@"; then
    record "$name" passed "$junit"
  else
    record "$name" failed "$junit"
  fi
}

# Real-data tests read MovieLens-100K from here when the shared data folder is present.
if [ -z "${AUTOREC_ML100K_DIR:-}" ] && [ -f "$root/../shared/data/ml-100k/u.data" ]; then
  export AUTOREC_ML100K_DIR="$root/../shared/data/ml-100k"
fi

case "$mode" in
  train)
    install_missing "${required_packages[@]}"
    # Only the program: no tests, benchmarks or SIMT emulation (`test` turns them back on).
    configure_and_build . "$build_dir" -DAUTOREC_BUILD_TESTS=OFF -DAUTOREC_BUILD_BENCH=OFF \
      -DAUTOREC_ENABLE_SIMT=OFF -- --target autorec >&2
    exec "$build_dir/autorec/cli/autorec" train "$@"
    ;;
  test)
    install_missing "${required_packages[@]}" "${test_packages[@]}"
    mkdir -p "$build_dir"
    stages_file="$build_dir/test-stages.tsv"
    : >"$stages_file"
    # ctest runs tests in parallel, each with its own OpenMP team: threads that sleep instead of
    # spinning at barriers keep an oversubscribed machine from crawling (the engine's executables
    # default to this already; the variable also covers tools outside the project).
    export OMP_WAIT_POLICY=PASSIVE
    if [ -z "${AUTOREC_ML100K_DIR:-}" ]; then
      echo "scripts/run.sh: AUTOREC_ML100K_DIR is not set: the MovieLens-100K tests will be skipped" >&2
    fi
    if configure_and_build . "$build_dir" -DAUTOREC_BUILD_TESTS=ON -DAUTOREC_BUILD_BENCH=ON -DAUTOREC_ENABLE_SIMT=ON
    then
      record "release build" passed ""
      ctest_stage "release ctest" "$build_dir"
      # libFuzzer targets for every reader of untrusted files, 25 s each (docs/reliability.md).
      stage "fuzzers" env FUZZ_BUILD_DIR="$build_dir-fuzz" FUZZ_JOBS="$jobs" scripts/run_fuzzers.sh
      # The embedding examples, built against the installed package as a user's project would be.
      example_stage() {
        cmake --install "$build_dir" --prefix "$build_dir/install" >/dev/null &&
          configure_and_build examples/embedding "$build_dir/example" -DCMAKE_PREFIX_PATH="$build_dir/install" &&
          echo "---- example: sparse_autoencoder (engine only) ----" && "$build_dir/example/sparse_autoencoder" &&
          echo "---- example: train_autorec (engine + AutoRec) ----" && "$build_dir/example/train_autorec" &&
          echo "---- example: new_model (a model of your own on the trainer) ----" && "$build_dir/example/new_model" &&
          echo "---- example: research_ops (losses and embedding lookups) ----" && "$build_dir/example/research_ops" &&
          echo "---- example: new_optimizer (an optimizer of your own, registered by name) ----" &&
          "$build_dir/example/new_optimizer"
      }
      stage "embedding examples" example_stage
      # The GPU check's dry run (docs/gpu.md): its stages on the CPU, so the script itself is tested.
      stage "GPU check dry run" env OUT="$build_dir/gpu-check-dry-run" \
        bash bench/gpu_check.sh --dry-run --build-dir "$build_dir" --budget 300
      # Its stages that could not run here (no GPU, no PyTorch) are skips of this run too.
      if [ -f "$build_dir/gpu-check-dry-run/summary.txt" ]; then
        while read -r gpu_stage gpu_status _seconds gpu_reason; do
          if [ "$gpu_status" = SKIP ]; then record "GPU check dry run: $gpu_stage" skipped "$gpu_reason"; fi
        done <"$build_dir/gpu-check-dry-run/summary.txt"
      fi
    else
      record "release build" failed "the build failed (see above)"
    fi
    if [ "${AUTOREC_SKIP_ASAN:-0}" != 1 ]; then
      # nvcc cannot build sanitized host code: this build runs the CPU and SIMT-emulated tests, and is
      # also instrumented for coverage (docs/testing.md), reported for kernels/ and engine/ below.
      if configure_and_build . "$build_dir-asan" -DAUTOREC_SANITIZERS=address,undefined -DAUTOREC_COVERAGE=ON \
        -DAUTOREC_BUILD_BENCH=OFF; then
        record "sanitizer build" passed ""
        find "$build_dir-asan" -name '*.gcda' -delete
        ASAN_OPTIONS=detect_leaks=1 ctest_stage "sanitizer ctest" "$build_dir-asan" -LE gpu
        stage "coverage report" bash scripts/coverage_report.sh "$build_dir-asan"
      else
        record "sanitizer build" failed "the build failed (see above)"
      fi
    else
      record "sanitizer build and ctest" skipped "AUTOREC_SKIP_ASAN=1"
    fi
    if [ "${AUTOREC_SKIP_MUTATION:-0}" != 1 ]; then
      # Every listed mutant must make a test fail (docs/testing.md); bounded so CI stays short.
      mutation_log="$build_dir/mutation-check.log"
      mutation_stage() {
        python3 scripts/mutation_check.py --work "$build_dir-mutation" --jobs "$jobs" \
          --budget "${AUTOREC_MUTATION_BUDGET:-900}" 2>&1 | tee "$mutation_log"
      }
      stage "mutation check" mutation_stage
      # Mutants the budget left out are skips, named.
      if [ -f "$mutation_log" ]; then
        sed -n 's/^  not run: //p' "$mutation_log" | while read -r mutant; do
          record "mutation check: $mutant" skipped "not run within AUTOREC_MUTATION_BUDGET=${AUTOREC_MUTATION_BUDGET:-900} s"
        done
      fi
    else
      record "mutation check" skipped "AUTOREC_SKIP_MUTATION=1"
    fi
    python3 scripts/test_verdict.py "$stages_file"
    ;;
  *)
    echo "usage: scripts/run.sh train [flags...] | test" >&2
    exit 2
    ;;
esac
