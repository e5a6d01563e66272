#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, Debian's clang with ASan + UBSan) and runs each for a
# bounded time on its committed seed corpus (synthetic files only), docs/reliability.md.
#   scripts/run_fuzzers.sh            build, then run every target FUZZ_SECONDS seconds (default 25)
# Environment: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_SECONDS, FUZZ_JOBS (default nproc).
# A crash, a hang (> 10 s on one input), a leak or an input that needs more than 2 GB fails the run;
# libFuzzer writes the input to FUZZ_BUILD_DIR/crash-* (rerun it: FUZZ_BUILD_DIR/<target> <file>).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${FUZZ_BUILD_DIR:-build-fuzz}"
seconds="${FUZZ_SECONDS:-25}"
jobs="${FUZZ_JOBS:-$(nproc)}"
cxx="${FUZZ_CXX:-clang++}"
command -v "$cxx" >/dev/null || { echo "run_fuzzers.sh: $cxx not found (apt-get install clang)" >&2; exit 1; }

flags=(-std=c++20 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined
       -Iautorec/data/include -Iautorec/data/src -Iautorec/core/include -Iautorec/core/src
       -Iengine/include -Ikernels/include -Iautorec/cli)
# What the readers need: the data layer, the checkpoint file format, and the option parser.
library=(autorec/data/src/*.cpp autorec/core/src/checkpoint_file.cpp autorec/core/src/checkpoint_payload.cpp
         autorec/core/src/names.cpp autorec/core/src/lr_schedule.cpp autorec/core/src/autorec_record.cpp
         autorec/core/src/model_record.cpp
         autorec/cli/options.cpp autorec/cli/option_table.cpp autorec/cli/option_names.cpp autorec/cli/config_file.cpp)
targets=(delimited netflix cache checkpoint config)

mkdir -p "$out/obj"
# One object per library source, rebuilt when the source (or any header) is newer.
newest_header="$(find autorec engine/include kernels/include -name '*.h' -newer "$out/obj" 2>/dev/null | head -1 || true)"
[ -n "$newest_header" ] && rm -f "$out"/obj/*.o
printf '%s\n' "${library[@]}" | xargs -P "$jobs" -I{} sh -c '
  source="$1"; obj="$2/obj/$(echo "$1" | tr / _).o"; compiler="$3"; shift 3
  if [ ! -f "$obj" ] || [ "$source" -nt "$obj" ]; then "$compiler" "$@" -fsanitize=fuzzer-no-link -c "$source" -o "$obj"; fi
' sh {} "$out" "$cxx" "${flags[@]}"
touch "$out/obj"
objects=()
for source in "${library[@]}"; do objects+=("$out/obj/$(echo "$source" | tr / _).o"); done
links=()
for target in "${targets[@]}"; do
  "$cxx" "${flags[@]}" -fsanitize=fuzzer "tests/fuzz/fuzz_$target.cpp" "${objects[@]}" -o "$out/fuzz_$target" &
  links+=($!)
done
for i in "${!links[@]}"; do  # a failed build stops here, naming the target
  wait "${links[$i]}" || { echo "run_fuzzers.sh: building fuzz_${targets[$i]} failed (see above)" >&2; exit 1; }
done

status=0
for target in "${targets[@]}"; do
  corpus="$out/corpus/$target"
  mkdir -p "$corpus"
  echo "run_fuzzers.sh: fuzz_$target for ${seconds}s"
  if ! ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 "$out/fuzz_$target" -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$out/" \
      "$corpus" "tests/fuzz/corpus/$target" > "$out/fuzz_$target.log" 2>&1; then
    echo "run_fuzzers.sh: fuzz_$target FAILED:" >&2
    tail -40 "$out/fuzz_$target.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$out/fuzz_$target.log" | tail -2
  fi
done
[ "$status" -eq 0 ] && echo "run_fuzzers.sh: all ${#targets[@]} targets ran ${seconds}s each without a finding"
exit "$status"
