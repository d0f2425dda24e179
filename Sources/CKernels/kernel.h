// Private to CKernels: how every vectorized kernel is built.
#pragma once

// Each kernel is built for AVX-512, AVX2 and plain x86-64; the loader picks the widest the CPU has. With
// -ffp-contract=off (Package.swift) no multiply-add is fused, so all clones give the same bits.
#define KERNEL __attribute__((target_clones("avx512f", "avx2", "default")))
