// The dropout keep-mask M / (1 − p) of the shim's CPU kernels (attention.cpp, dropout.cpp), drawn from a
// counter-based hash of (seed, element index): any part of a tensor can draw its own piece of the mask in any
// thread, and a backward pass draws the same mask again instead of storing it. The seed comes from libtorch's
// generator, so torch.manual_seed fixes every mask. (libtorch 1.13's bernoulli_ draws one element at a time from a
// Mersenne twister, serially: about 8 ns an element here.)
#pragma once
#include <ATen/CPUGeneratorImpl.h>
#include <cstdint>
#include <mutex>

struct KeepMask {
  uint64_t seed;
  double p;
  bool on() const { return p > 0; }
  template <typename scalar_t>
  void apply(int64_t offset, int64_t n, const scalar_t* in, scalar_t* out) const {
    const scalar_t scale = scalar_t(1 / (1 - p));
    const uint64_t threshold = (uint64_t)(p * 18446744073709551616.0);  // keep when the hash is at least p · 2⁶⁴
    for (int64_t j = 0; j < n; j++) out[j] = hash(offset + j) >= threshold ? in[j] * scale : scalar_t(0);
  }
  // a fresh seed from libtorch's default CPU generator (under its lock, as libtorch's own samplers take it)
  static uint64_t draw_seed() {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return at::check_generator<at::CPUGeneratorImpl>(gen)->random64();
  }
  uint64_t hash(int64_t i) const {  // SplitMix64's finaliser over the element's counter
    uint64_t z = seed + (uint64_t)(i + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};
