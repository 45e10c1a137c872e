#!/usr/bin/env bash
# Issue 19 on a machine with an NVIDIA GPU, in one pass (device time is short): what is there, a core-only build
# against the PyTorch found there, the transformer tests with CUDA, the step bench against PyTorch eager, and a
# full induction and classification run. Every step logs to $OUT (default bench/results/gpu-<date>) and goes on
# after a failure, so one run tells as much as it can.
set -uo pipefail
cd "$(dirname "$0")/../.."
out="${OUT:-bench/results/gpu-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
log() { echo "== $*" | tee -a "$out/summary.txt"; }
step() {  # step NAME TIMEOUT CMD...: runs with a timeout, output to $out/NAME.txt, status to the summary
  local name="$1" limit="$2"; shift 2
  local t0=$SECONDS
  timeout "$limit" "$@" > "$out/$name.txt" 2>&1
  local rc=$?
  log "$name: exit $rc after $((SECONDS - t0)) s"
  tail -5 "$out/$name.txt" | sed 's/^/   /' | tee -a "$out/summary.txt"
  return $rc
}
py=python3  # the interpreter that has torch (a pyenv or venv one first, else Debian's)
$py -c "import torch" 2>/dev/null || py=/usr/bin/python3
step env 60 bash -c "nvidia-smi; nproc; free -g | head -2; cmake --version | head -1; g++ --version | head -1;
  $py -c 'import torch, sys; print(\"python\", sys.version.split()[0], \"torch\", torch.__version__, \"cuda\", torch.version.cuda, torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else \"\"); print(\"prefix\", torch.utils.cmake_prefix_path); print(\"cxx11abi\", torch._C._GLIBCXX_USE_CXX11_ABI)';
  for p in libeigen3-dev nlohmann-json3-dev libcli11-dev libyaml-cpp-dev libsqlite3-dev libgtest-dev libcairo2-dev ninja-build ccache; do dpkg-query -W -f='\${Package} \${Status}\n' \$p 2>&1 | tail -1; done"
prefix="$($py -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)"
jobs="$(nproc)"
step configure 120 cmake --preset core-only -DCMAKE_PREFIX_PATH="$prefix" -DPOLARLAB_PYTHON=OFF -DPOLARLAB_BENCH=ON \
  -DCMAKE_CUDA_ARCHITECTURES=90 -DTORCH_CUDA_ARCH_LIST=9.0
step build 300 cmake --build build/core-only -j "$jobs" --target polarlab-cli polarlab_torch polarlab_transformer_tests transformer_step_bench
b=build/core-only
step tests 120 "$b/polarlab_transformer_tests" --gtest_filter='Trainer.*:Model.*:PtFile.*'
step bench_polarlab 90 "$b/transformer_step_bench" --device cuda --steps 200 --warmup 20 --json
step bench_pytorch 120 $py bench/transformer_step_vs_pytorch.py --bench "$b/transformer_step_bench" --device cuda --steps 200
step induction_full 240 "$b/polarlab-cli" train --task induction --device cuda --epochs 10 --quiet --out "$out/induction"
step classification_full 180 "$b/polarlab-cli" train --task classification --attention sigmoid_norm --device cuda --epochs 10 --vocab 41 --quiet --out "$out/classification"
nvidia-smi --query-gpu=name,utilization.gpu,memory.used --format=csv >> "$out/summary.txt" 2>&1
log done
