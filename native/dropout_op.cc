// The engine's fused dropout op, registered with TensorFlow through its C kernel API (kernels.h, ops.h).
//
//   TslabKerasDropout(x: float, step: int32) -> y: float      attrs: rate, scale: float, seed: int
//   y[i] = keep(seed, step, i) ? x[i] * scale : 0             keep with probability 1 - rate
// (scale is 1 / (1 - rate) computed in double by the caller, then rounded to float, as Keras' is.)
//
// Why: the graph form of inverted dropout (RandomUniform → GreaterEqual → Cast → Mul → Mul, then a Mul in
// the backward pass) was a fifth of a training step of the MLP lessons, mostly TensorFlow's Philox-based
// RandomUniform (~1.6 ns per element). Here the mask comes from a counter-based hash of (seed, step,
// element index) — about a dozen vectorised integer operations per element — and is applied in the same
// pass. Because the mask is a pure function of (seed, step, index), the backward pass is the very same op
// applied to the incoming gradient: no mask is stored, and forward and backward always agree.
#include <tensorflow/c/kernels.h>
#include <tensorflow/c/ops.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "dropout_op.h"

namespace {

constexpr const char* kOpName = "TslabKerasDropout";

struct DropoutKernel {
  float rate;
  float scale;
  int64_t seed;
};

uint64_t SplitMix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline uint32_t Fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

// Two rounds of MurmurHash3's finaliser over a keyed index: a bijection of the index for each key, so
// within one step every element gets its own 32-bit draw; the key changes with every step and seed.
inline bool Keep(int64_t i, uint32_t k0, uint32_t k1, uint32_t threshold) {
  return Fmix32(Fmix32(static_cast<uint32_t>(i) * 0x9E3779B9u + k0) ^ k1) >= threshold;
}

// Compiled for AVX-512 / AVX2 / baseline, picked at load time; both loops vectorise on all three (the
// in-place form has a single pointer, so the compiler needs no aliasing check to vectorise it).
__attribute__((target_clones("avx512f", "avx2", "default"))) void ApplyMask(const float* __restrict x,
                                                                             float* __restrict y, int64_t n,
                                                                             uint32_t k0, uint32_t k1,
                                                                             uint32_t threshold, float scale) {
  for (int64_t i = 0; i < n; i++) y[i] = Keep(i, k0, k1, threshold) ? x[i] * scale : 0.0f;
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void ApplyMaskInPlace(float* y, int64_t n, uint32_t k0,
                                                                                    uint32_t k1, uint32_t threshold,
                                                                                    float scale) {
  for (int64_t i = 0; i < n; i++) y[i] = Keep(i, k0, k1, threshold) ? y[i] * scale : 0.0f;
}

void* Create(TF_OpKernelConstruction* ctx) {
  auto* k = new DropoutKernel{0.0f, 1.0f, 0};
  TF_Status* status = TF_NewStatus();
  TF_OpKernelConstruction_GetAttrFloat(ctx, "rate", &k->rate, status);
  if (TF_GetCode(status) == TF_OK) TF_OpKernelConstruction_GetAttrFloat(ctx, "scale", &k->scale, status);
  if (TF_GetCode(status) == TF_OK) TF_OpKernelConstruction_GetAttrInt64(ctx, "seed", &k->seed, status);
  if (TF_GetCode(status) == TF_OK && !(k->rate >= 0.0f && k->rate < 1.0f)) {
    TF_SetStatus(status, TF_INVALID_ARGUMENT, "TslabKerasDropout: rate must be in [0, 1)");
  }
  if (TF_GetCode(status) != TF_OK) TF_OpKernelConstruction_Failure(ctx, status);
  TF_DeleteStatus(status);
  return k;
}

void Compute(void* kernel, TF_OpKernelContext* ctx) {
  const auto* k = static_cast<DropoutKernel*>(kernel);
  TF_Status* status = TF_NewStatus();
  TF_Tensor* x = nullptr;
  TF_Tensor* step = nullptr;
  TF_Tensor* y = nullptr;
  TF_GetInput(ctx, 0, &x, status);
  if (TF_GetCode(status) == TF_OK) TF_GetInput(ctx, 1, &step, status);
  if (TF_GetCode(status) == TF_OK) {
    const int dims_n = TF_NumDims(x);
    std::vector<int64_t> dims(static_cast<size_t>(dims_n));
    for (int d = 0; d < dims_n; d++) dims[static_cast<size_t>(d)] = TF_Dim(x, d);
    int candidate = 0;
    int forwarded = -1;
    // Reuse x's buffer when nothing else needs x (e.g. the gradient in the backward pass).
    y = TF_ForwardInputOrAllocateOutput(ctx, &candidate, 1, 0, dims.data(), dims_n, &forwarded, status);
  }
  if (TF_GetCode(status) == TF_OK) {
    int32_t step_value = 0;
    std::memcpy(&step_value, TF_TensorData(step), sizeof(step_value));
    const uint64_t key = SplitMix64(static_cast<uint64_t>(k->seed) ^ SplitMix64(static_cast<uint64_t>(step_value)));
    // keep ⇔ draw ≥ rate · 2³² (rate < 1, so the threshold fits in 32 bits)
    const auto threshold = static_cast<uint32_t>(static_cast<double>(k->rate) * 4294967296.0);
    const int64_t n = TF_TensorElementCount(x);
    const auto k0 = static_cast<uint32_t>(key);
    const auto k1 = static_cast<uint32_t>(key >> 32);
    const float scale = k->scale;
    auto* out = static_cast<float*>(TF_TensorData(y));
    const auto* in = static_cast<const float*>(TF_TensorData(x));
    if (in == out) {
      ApplyMaskInPlace(out, n, k0, k1, threshold, scale);
    } else {
      ApplyMask(in, out, n, k0, k1, threshold, scale);
    }
  } else {
    TF_OpKernelContext_Failure(ctx, status);
  }
  if (y != nullptr) TF_DeleteTensor(y);
  if (step != nullptr) TF_DeleteTensor(step);
  if (x != nullptr) TF_DeleteTensor(x);
  TF_DeleteStatus(status);
}

void Delete(void* kernel) { delete static_cast<DropoutKernel*>(kernel); }

void SameShape(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  TF_ShapeHandle* shape = TF_NewShapeHandle();
  TF_ShapeInferenceContextGetInput(ctx, 0, shape, status);
  if (TF_GetCode(status) == TF_OK) TF_ShapeInferenceContextSetOutput(ctx, 0, shape, status);
  TF_DeleteShapeHandle(shape);
}

}  // namespace

std::string RegisterDropoutOp() {
  static std::string result = [] {
    TF_Status* status = TF_NewStatus();
    TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(kOpName);
    TF_OpDefinitionBuilderAddInput(op, "x: float");
    TF_OpDefinitionBuilderAddInput(op, "step: int32");
    TF_OpDefinitionBuilderAddOutput(op, "y: float");
    TF_OpDefinitionBuilderAddAttr(op, "rate: float");
    TF_OpDefinitionBuilderAddAttr(op, "scale: float");
    TF_OpDefinitionBuilderAddAttr(op, "seed: int");
    TF_OpDefinitionBuilderSetShapeInferenceFunction(op, &SameShape);
    TF_RegisterOpDefinition(op, status);  // takes ownership of op
    if (TF_GetCode(status) == TF_OK) {
      TF_KernelBuilder* kb = TF_NewKernelBuilder(kOpName, "CPU", &Create, &Compute, &Delete);
      TF_RegisterKernelBuilder((std::string(kOpName) + "_CPU").c_str(), kb, status);  // takes ownership of kb
    }
    std::string message = TF_GetCode(status) == TF_OK ? "" : TF_Message(status);
    TF_DeleteStatus(status);
    return message;
  }();
  return result;
}
