#!/bin/sh
# check_public_headers.sh <folder>...: the engine's public headers expose engine types only (issue 13,
# "clean edges"). Fails naming file and line for every header under the folders that
#   - names a kernel type (the text `kernels::`, comments included: say "the kernels'" in prose),
#   - opens, imports or aliases the kernels' namespace (`namespace kernels`, `using namespace kernels`,
#     `namespace k = kernels`), which would name its types without `kernels::`, or
#   - includes a kernels header, except kernels/activation_list.h: a macro-only list (no type), which
#     engine/activation.h expands into engine::Activation so that adding an activation stays one line
#     in that list (docs/embedding.md, "A new activation"),
# and fails when a folder holds the engine's internal headers (engine/internal/: the Backend and the
# conversions to kernel views, which are not installed).
status=0
for folder in "$@"; do
  if [ ! -d "$folder" ]; then
    echo "check_public_headers: $folder: no such folder" >&2
    status=2
    continue
  fi
  if [ -e "$folder/internal" ]; then
    echo "$folder/internal: the engine's internal headers are not public" >&2
    status=1
  fi
  for header in $(find "$folder" -name '*.h' | sort); do
    if grep -n 'kernels::' "$header" | sed "s|^|$header:|; s|\$|   <- names a kernel type|" | grep .; then
      status=1
    fi
    if grep -nE '(^|[^[:alnum:]_])namespace[[:space:]]+([[:alnum:]_]+[[:space:]]*=[[:space:]]*:*)?kernels([^[:alnum:]_]|$)' "$header" |
        sed "s|^|$header:|; s|\$|   <- opens or aliases the kernels' namespace|" | grep .; then
      status=1
    fi
    if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]kernels/' "$header" |
        grep -v '["<]kernels/activation_list\.h[">]' | sed "s|^|$header:|; s|\$|   <- includes a kernels header|" | grep .; then
      status=1
    fi
  done
done
[ "$status" -eq 0 ] && echo "check_public_headers: $# folder(s) clean"
exit "$status"
