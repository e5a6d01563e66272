#!/usr/bin/env bash
# The one GPU check, stages in order of value, each banking its result the moment it ends: configure,
# build, GPU tests, training epoch (ours vs vendor kernels, beside the cost model), kernels vs
# cuSPARSE/cuBLAS, PyTorch, then compute-sanitizer. Every log under $OUT (else ./gpu-check-logs);
# summary.txt is rewritten after every stage, and printed last. See docs/gpu.md.
#
#   bench/gpu_check.sh --prepare     on a machine with Catch2 and nlohmann-json installed: copy their
#                                    headers into third_party/ (ignored by git) so they travel with the tree
#   bench/gpu_check.sh [options]     on the GPU machine (nvcc, CMake, ninja; no package registry)
#   bench/gpu_check.sh --dry-run     the same stages on the CPU (the CUDA kernels on the SIMT
#                                    emulation, toy sizes): CI runs it so the script itself is tested
#
# Options: --build-dir DIR (default build-gpu)  --arch "LIST" (default: the GPU's own, else "80;90")
#          --targets "T1 T2" (default: test_gpu test_gpu_kernels test_ops_gpu bench_kernels bench_training; "all" = all)
#          --budget SECONDS (default 480)
# A stage the budget cannot fit is NOT RUN (not a failure). Exit status: 0 when every stage that ran
# passed, 1 otherwise.
#
# The plan on paper (estimated seconds on a 16-core H100/H200 machine; the cap is the stage's timeout):
#   stage        estimate  cap   what
#   configure        15     90   CMake, CUDA architectures of the visible GPU only
#   build           150    300   4 targets; a carried build folder (--build-dir) makes this seconds
#   gpu-tests        45    150   test_gpu (engine ops, fused training steps) + test_gpu_kernels (kernels
#                                at training shapes) against the CPU
#   model             5     60   the cost model's epochs, no GPU needed
#   bench-train      60    150   ML-1M and ML-10M epochs: our kernels, cuSPARSE ALG2, the model beside
#   bench-kern       60    120   kernels vs cuSPARSE/cuBLAS at ML-1M/ML-10M shapes, k = 128 and 500
#   pytorch          40     90   the dense PyTorch formulation on the GPU
#   memcheck         40    120   compute-sanitizer on the op comparisons and the fused training kernels
#   racecheck        40    120   the same under racecheck
#   ncu              25     90   Nsight Compute Speed-of-Light of the training kernels (if permitted)
#   total           480          = the default --budget
set -uo pipefail
# Passive OpenMP waits, set here rather than by the engine's start-up default (which restarts a
# program image once when the variable is unset, engine/src/omp_wait_policy.cpp): tools that wrap a
# process, such as compute-sanitizer, then see one plain start.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly CATCH_HEADER="third_party/catch2/include/catch2/catch.hpp"
readonly JSON_HEADERS="third_party/nlohmann/include/nlohmann"  # the benchmarks' JSON (bench/CMakeLists.txt)
BUILD_DIR="build-gpu"
ARCH=""
TARGETS="test_gpu test_gpu_kernels test_ops_gpu bench_kernels bench_training"  # what the GPU stages run; --targets all builds everything
BUDGET=480
DRY_RUN=0
LOG_DIR="${OUT:-$PWD/gpu-check-logs}"
START=$(date +%s)
declare -a TABLE=()
FAILED=0

prepare() {
  local source=/usr/include/catch2/catch.hpp
  [[ -f $source ]] || { echo "gpu_check: $source not found (install Debian's catch2 package)" >&2; exit 1; }
  mkdir -p "$ROOT/$(dirname "$CATCH_HEADER")"
  cp "$source" "$ROOT/$CATCH_HEADER"
  echo "gpu_check: copied $source to $CATCH_HEADER; carry third_party/ with the tree"
  local json=/usr/include/nlohmann
  [[ -f $json/json.hpp ]] || { echo "gpu_check: $json not found (install nlohmann-json3-dev)" >&2; exit 1; }
  mkdir -p "$ROOT/$(dirname "$JSON_HEADERS")"
  rm -rf "${ROOT:?}/$JSON_HEADERS"
  cp -r "$json" "$ROOT/$JSON_HEADERS"
  echo "gpu_check: copied $json to $JSON_HEADERS"
}

parse_arguments() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --prepare) prepare; exit 0 ;;
      --build-dir) BUILD_DIR="$2"; shift 2 ;;
      --arch) ARCH="$2"; shift 2 ;;
      --targets) TARGETS="$2"; shift 2 ;;
      --budget) BUDGET="$2"; shift 2 ;;
      --dry-run) DRY_RUN=1; shift ;;
      *) echo "gpu_check: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
    esac
  done
}

seconds_left() { echo $((BUDGET - ($(date +%s) - START))); }

# record STAGE STATUS SECONDS FIGURE: one row of the table, banked at once in summary.txt.
record() {
  TABLE+=("$(printf '%-11s %-8s %6s  %s' "$1" "$2" "$3" "$4")")
  [[ $2 == FAIL || $2 == TIMEOUT ]] && FAILED=1
  echo "gpu_check: $1: $2 (${3}s) $4"
  print_table >"$LOG_DIR/summary.txt"
}

# run_stage NAME TIMEOUT COMMAND...: runs COMMAND with its output in NAME.log, bounded by the
# smaller of TIMEOUT and the time left in the budget; sets STAGE_STATUS and STAGE_SECONDS.
run_stage() {
  local name=$1 limit=$2
  shift 2
  local left
  left=$(seconds_left)
  ((left < limit)) && limit=$left
  if ((limit <= 5)); then
    STAGE_STATUS="NOT RUN" STAGE_SECONDS=0
    echo "not run: the time budget was spent before this stage" >"$LOG_DIR/$name.log"
    return
  fi
  local begin=$SECONDS
  timeout --kill-after=10 "$limit" "$@" >"$LOG_DIR/$name.log" 2>&1
  local status=$?
  STAGE_SECONDS=$((SECONDS - begin))
  case $status in
    0) STAGE_STATUS=PASS ;;
    124 | 137) STAGE_STATUS=TIMEOUT ;;
    *) STAGE_STATUS=FAIL ;;
  esac
}

detect_architectures() {
  if [[ -n $ARCH ]]; then echo "$ARCH"; return; fi
  local capability
  capability=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n 1 | tr -d ' .')
  if [[ $capability =~ ^[0-9]+$ ]]; then echo "$capability"; else echo "80;90"; fi
}

stage_configure() {
  local architectures
  architectures=$(detect_architectures)
  if [[ ! -f $ROOT/$CATCH_HEADER && ! -f /usr/include/catch2/catch.hpp ]]; then
    echo "no Catch2: run 'bench/gpu_check.sh --prepare' where Catch2 is installed, carry third_party/" \
      >"$LOG_DIR/configure.log"
    record configure FAIL 0 "Catch2 header missing (see configure.log)"
    return 1
  fi
  if [[ ! -f $ROOT/$JSON_HEADERS/json.hpp && ! -f /usr/include/nlohmann/json.hpp ]]; then
    echo "no nlohmann-json: run 'bench/gpu_check.sh --prepare' where it is installed, carry third_party/" \
      >"$LOG_DIR/configure.log"
    record configure FAIL 0 "nlohmann-json headers missing (see configure.log)"
    return 1
  fi
  if ((DRY_RUN)); then  # keep the build folder's own configuration (CI's Release build)
    run_stage configure 90 cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
  else
    run_stage configure 90 cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      "-DAUTOREC_CUDA_ARCHITECTURES=$architectures" -DAUTOREC_ENABLE_CUDA=ON
  fi
  local cuda
  cuda=$(grep -o 'CUDA backend [A-Z]*' "$LOG_DIR/configure.log" | head -n 1)
  record configure "$STAGE_STATUS" "$STAGE_SECONDS" "arch $architectures, ${cuda:-CUDA backend ?}"
  [[ $STAGE_STATUS == PASS ]] && { ((DRY_RUN)) || grep -q 'CUDA backend ON' "$LOG_DIR/configure.log"; }
}

stage_build() {
  local -a target_arguments=()
  [[ -n $TARGETS && $TARGETS != all ]] && read -r -a target_arguments <<<"--target $TARGETS"
  run_stage build 300 cmake --build "$BUILD_DIR" -j "$(nproc)" "${target_arguments[@]}"
  record build "$STAGE_STATUS" "$STAGE_SECONDS" "${TARGETS:-all targets}"
  [[ $STAGE_STATUS == PASS ]]
}

stage_tests() {
  if ((DRY_RUN)); then  # the same paths on the emulation: the training-shape tests of the CUDA kernels
    run_stage gpu-tests 150 ctest --test-dir "$BUILD_DIR" -L simt -R "training shapes|k = 500|split over" \
      --output-on-failure
    record gpu-tests "$STAGE_STATUS" "$STAGE_SECONDS" "$(grep -E 'tests passed' "$LOG_DIR/gpu-tests.log" | head -n 1)"
    return
  fi
  run_stage gpu-tests 150 env REQUIRE_GPU=1 ctest --test-dir "$BUILD_DIR" -L gpu --output-on-failure
  local summary
  summary=$(grep -E 'tests passed|GPU:|FAILED: REQUIRE_GPU' "$LOG_DIR/gpu-tests.log" | tr '\n' ' ')
  record gpu-tests "$STAGE_STATUS" "$STAGE_SECONDS" "${summary:-see gpu-tests.log}"
}

# A reduced case set under the sanitizer (it slows kernels 10-100x): the op-by-op comparisons, then the
# fused training kernels and the device batching at training shapes.
stage_sanitizer() {
  local tool=$1 summary_pattern=$2
  local executable="$BUILD_DIR/tests/gpu/test_gpu" kernels="$BUILD_DIR/tests/gpu/test_gpu_kernels"
  if ((DRY_RUN)); then
    record "$tool" SKIP 0 "dry run: no GPU"
    return
  fi
  if ! command -v compute-sanitizer >/dev/null; then
    record "$tool" SKIP 0 "compute-sanitizer not found"
    return
  fi
  if [[ ! -x $executable ]]; then
    record "$tool" SKIP 0 "test_gpu not built"
    return
  fi
  local -a sanitize=(compute-sanitizer --tool "$tool" --error-exitcode 3)
  local commands="${sanitize[*]} $executable '[ops]'"
  [[ -x $kernels ]] && commands+=" && ${sanitize[*]} $kernels '[fused],[batching]'"
  run_stage "$tool" 120 env REQUIRE_GPU=1 bash -c "$commands"
  local summary
  summary=$(grep -E "$summary_pattern" "$LOG_DIR/$tool.log" | tail -n 1)
  record "$tool" "$STAGE_STATUS" "$STAGE_SECONDS" "${summary:-see $tool.log}"
}

# The GPU benchmarks (docs/benchmarks.md), each writing JSON and markdown under $LOG_DIR/bench: the
# training epoch first (ours vs the vendor kernels in the same trainer, the cost model's epoch beside
# it), then the kernels at the ML-1M/ML-10M shapes against cuSPARSE/cuBLAS, then PyTorch.
stage_benchmarks() {
  local bench="$BUILD_DIR/bench"
  if [[ ! -x $bench/bench_kernels || ! -x $bench/bench_training ]]; then
    record bench SKIP 0 "bench programs not built"
    return
  fi
  mkdir -p "$LOG_DIR/bench"
  local device=cuda kernels=own,vendor+alg2 data=ml-1m,ml-10m epochs=2 kernel_flags=""
  ((DRY_RUN)) && device=cpu kernels=own data=ml-1m epochs=1 kernel_flags=--quick
  run_stage model 60 "$bench/bench_training" --data "$data" --model h100,a100 --no-train
  record model "$STAGE_STATUS" "$STAGE_SECONDS" "$(grep -m1 'fused step (this project) |' "$LOG_DIR/model.log" | tr -s ' ')"
  run_stage bench-train 150 "$bench/bench_training" --device "$device" --data "$data" --kernels "$kernels" \
    --epochs "$epochs" --out "$LOG_DIR/bench"
  record bench-train "$STAGE_STATUS" "$STAGE_SECONDS" "$(grep -m1 'median epoch' "$LOG_DIR/bench-train.log" | cut -c1-60)"
  run_stage bench-kern 120 "$bench/bench_kernels" --device "$device" $kernel_flags --model h100,a100 \
    --out "$LOG_DIR/bench"
  record bench-kern "$STAGE_STATUS" "$STAGE_SECONDS" "$(grep -m1 -iE 'speed-up|cusparse|median' "$LOG_DIR/bench-kern.log" | cut -c1-60)"
  # The PyTorch reference needs torch and numpy: checked up front, a SKIP says which is missing.
  local missing
  missing=$(python3 -c 'import importlib.util as u; print(" ".join(m for m in ("torch", "numpy") if u.find_spec(m) is None))' 2>/dev/null || echo python3)
  if [[ -n $missing ]]; then
    record pytorch SKIP 0 "not importable: $missing"
  else
    run_stage bench-pytorch 90 python3 bench/compare_pytorch.py --build "$BUILD_DIR" --device "$device" --epochs 5 \
      --max-load 1000 --out "$LOG_DIR/bench"
    record pytorch "$STAGE_STATUS" "$STAGE_SECONDS" "$(grep -m1 'pytorch dense' "$LOG_DIR/bench-pytorch.log" | cut -c1-60)"
  fi
}

# Nsight Compute's Speed-of-Light sections for the kernels of a training epoch (a window of launches
# after warm-up). Reading the counters needs a permission many machines withhold: that is a SKIP.
stage_ncu() {
  if ((DRY_RUN)); then
    record ncu SKIP 0 "dry run: no GPU"
    return
  fi
  if ! command -v ncu >/dev/null; then
    record ncu SKIP 0 "ncu not found"
    return
  fi
  run_stage ncu 90 ncu --section SpeedOfLight --launch-skip 200 --launch-count 40 --csv \
    "$BUILD_DIR/bench/bench_training" --device cuda --data ml-1m --epochs 1 --kernels own
  if grep -q 'ERR_NVGPUCTRPERM' "$LOG_DIR/ncu.log"; then
    record ncu SKIP "$STAGE_SECONDS" "performance counters not permitted on this machine"
    return
  fi
  record ncu "$STAGE_STATUS" "$STAGE_SECONDS" "$(grep -c 'Memory Throughput' "$LOG_DIR/ncu.log") kernel sections in ncu.log"
}

print_table() {
  local gpu
  gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1)
  echo
  ((DRY_RUN)) && gpu="dry run on the CPU"
  echo "GPU check (${gpu:-no GPU visible to nvidia-smi}, $(($(date +%s) - START)) s of $BUDGET s budget;" \
    "logs in $LOG_DIR)"
  printf '%-11s %-8s %6s  %s\n' stage status sec "key figure"
  printf '%s\n' "${TABLE[@]}"
}

main() {
  parse_arguments "$@"
  mkdir -p "$LOG_DIR"
  cd "$ROOT" || exit 1
  { nvidia-smi 2>&1 || echo "nvidia-smi not available"; } >"$LOG_DIR/nvidia-smi.log"
  if stage_configure && stage_build; then
    stage_tests
    stage_benchmarks
    stage_sanitizer memcheck 'ERROR SUMMARY'
    stage_sanitizer racecheck 'RACECHECK SUMMARY'
    stage_ncu
  fi
  print_table | tee "$LOG_DIR/summary.txt"
  return $FAILED
}

main "$@"
