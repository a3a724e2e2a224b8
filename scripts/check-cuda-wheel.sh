#!/usr/bin/env bash
# Builds the addon against a CUDA PyTorch wheel and runs the CPU test files against that build:
# the check behind README's "builds against the PyTorch 2.14.1 CUDA 13 wheel with NCCL and loads"
# on a machine with the CUDA toolkit but no GPU (the GPU blocks skip, saying why).
#   scripts/check-cuda-wheel.sh <torch-2.x-cuda.whl> <folder with its nvidia-*.whl>
# The nvidia-* wheels (NVRTC, NCCL, cuBLAS, …) are unzipped beside the unpacked torch/, as pip
# lays them out; the build goes to build-cuda/. Needs nvcc (CUDA_HOME, CUDA_PATH or /usr/local/cuda).
set -euo pipefail
wheel=${1:?usage: scripts/check-cuda-wheel.sh <torch-cuda.whl> <nvidia-wheels-folder>}
extras=${2:?usage: scripts/check-cuda-wheel.sh <torch-cuda.whl> <nvidia-wheels-folder>}
wheel=$(realpath "$wheel"); extras=$(realpath "$extras")
cd "$(dirname "$0")/.."
export LIBTORCH="$wheel" PINN_TORCH_BUILD_DIR=build-cuda
# The first build unpacks the wheel into the cache (and may stop at what pip's nvidia/ folder provides).
node scripts/install.mjs --build || true
unpacked=$(node --input-type=module -e "import { wheelTarget } from './scripts/libtorch/wheel.mjs'; console.log(wheelTarget(process.argv[1]))" "$wheel")
for w in "$extras"/nvidia_*.whl; do unzip -q -o "$w" 'nvidia/*' -d "$unpacked"; done
node scripts/install.mjs --build
npx tsc -p tsconfig.json
PINN_TORCH_BINARY=$PWD/build-cuda/Release/pinn_torch.node node -e "const pt = require('./dist/index.js'); console.log(JSON.stringify({ libtorch: pt.config().libtorch.version, cuda: pt.config().cuda, distributed: pt.distributed.isAvailable() }))"
PINN_TORCH_BINARY=$PWD/build-cuda/Release/pinn_torch.node npx vitest run test/tensor.test.ts test/autograd.test.ts test/nn.test.ts \
  test/optim.test.ts test/taylor.test.ts test/pinn_residuals.test.ts test/safetensors.test.ts test/checkpoint_store.test.ts \
  test/lr_scheduler.test.ts test/conditions.test.ts test/geometry.test.ts test/bad_input.test.ts test/memory.test.ts \
  test/device.test.ts test/distributed.test.ts test/gpu.test.ts test/fuzz/ops.fuzz.test.ts
