#!/usr/bin/env bash
# Builds and runs small_gemm_kernels.cc (Debian: libxsmm-dev, libopenblas-dev's cblas.h) at one thread.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
blas=/usr/include/x86_64-linux-gnu/openblas-pthread
g++ -O2 -march=native -std=c++17 -I"$blas" "$here/small_gemm_kernels.cc" -o "$out/kernels" \
  "$(dpkg -L libxsmm-dev | grep '/libxsmm\.a$')" -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas -lpthread -ldl -lrt
OPENBLAS_NUM_THREADS=1 "$out/kernels"
rm -rf "$out"
