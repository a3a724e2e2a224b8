#pragma once
// Loop kernels that the compiler vectorises (jet.cc, fast_tanh.cc) are compiled twice, for AVX2
// and for any x86-64, and the loader picks the one this CPU runs (target_clones: one build
// serves every machine). AVX2 brings no FMA, so both clones give the same results.
#define PT_RESTRICT __restrict__
#define PT_IVDEP _Pragma("GCC ivdep")
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define PT_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PT_VECTOR_CLONES
#endif
