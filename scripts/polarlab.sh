#!/usr/bin/env bash
# One entry point for a fresh Debian machine:
#   bash scripts/polarlab.sh run    install what is missing, build, start the app on the fig2 preset
#   bash scripts/polarlab.sh test   install what is missing, build, run the whole test suite (CTest)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
shift || true

# Debian packages the project builds and tests with (checked one by one: only the missing are installed).
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libeigen3-dev nlohmann-json3-dev libcli11-dev libyaml-cpp-dev libyaml-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  libglfw3-dev libimgui-dev libstb-dev libgl-dev libcairo2-dev fonts-dejavu-core
  xvfb xauth libgl1-mesa-dri mesa-utils poppler-utils
  libavcodec-dev libavformat-dev libswscale-dev libavutil-dev
  python3-dev pybind11-dev python3-numpy python3-pytest jupyter-nbconvert python3-ipykernel python3-matplotlib
)
if [[ "${POLARLAB_TORCH:-ON}" != OFF ]]; then
  # libopenblas0-pthread: without it libtorch silently falls back to reference BLAS (~15x slower).
  packages+=(libtorch-dev libopenblas0-pthread)
fi
if [[ -f scripts/extra-packages.txt ]]; then
  while read -r p; do [[ -n "$p" && "$p" != \#* ]] && packages+=("$p"); done < scripts/extra-packages.txt
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "polarlab: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ccache keys on paths relative to the checkout, so a fresh clone elsewhere still hits the cache.
export CCACHE_BASEDIR="$PWD"
# The sanitizer presets compile with -g, and ccache then hashes the build directory too (hash_dir), so a clone at
# another path missed every sanitizer object; the directory in the debug info is all that differs.
export CCACHE_NOHASHDIR=1
jobs="$(nproc)"
cmake --preset release -DPOLARLAB_TORCH="${POLARLAB_TORCH:-ON}" >/dev/null
cmake --build --preset release -j "$jobs"

case "$mode" in
  run)
    args=(--preset fig2 "$@")
    if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
      echo "polarlab: no display found, running headless under xvfb-run (screenshot: polarlab-fig2.png)"
      exec xvfb-run -a -s "-screen 0 1600x1000x24" build/release/polarlab "${args[@]}" --run-for 5 --screenshot polarlab-fig2.png
    fi
    exec build/release/polarlab "${args[@]}"
    ;;
  test)
    # GUI tests need a display: give them a virtual one when there is none (CI).
    wrap=()
    [[ -z "${DISPLAY:-}" ]] && wrap=(xvfb-run -a -s "-screen 0 1600x1000x24")
    status=0
    "${wrap[@]}" ctest --preset release -j "$jobs" "$@" || status=$?
    # The same suite (without the GUI and libtorch parts) under AddressSanitizer + UBSan.
    if [[ "${POLARLAB_SANITIZE:-ON}" != OFF ]]; then
      echo "polarlab: building and testing the asan preset (AddressSanitizer + UndefinedBehaviorSanitizer)"
      cmake --preset asan >/dev/null
      cmake --build --preset asan -j "$jobs"
      ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" UBSAN_OPTIONS=print_stacktrace=1 ctest --preset asan -j "$jobs" "$@" || status=$?
    fi
    # ThreadSanitizer (GUI included, no libtorch): the worker/snapshot hand-offs, ensembles, sweeps' collectors.
    if [[ "${POLARLAB_TSAN:-ON}" != OFF ]]; then
      echo "polarlab: building and testing the tsan preset (ThreadSanitizer)"
      cmake --preset tsan >/dev/null
      cmake --build --preset tsan -j "$jobs"
      TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/tsan.supp" POLARLAB_TEST_TIME_SCALE=6 \
        "${wrap[@]}" ctest --preset tsan -j "$jobs" "$@" || status=$?
    fi
    exit $status
    ;;
  *)
    echo "usage: bash scripts/polarlab.sh run|test" >&2
    exit 2
    ;;
esac
