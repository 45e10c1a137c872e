#include "core/attention/head_stats.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

namespace polarlab::attention {

void HeadAccumulator::add(const HeadAccumulator& o) {
  sparsity += o.sparsity, sink += o.sink, entropy += o.entropy;
  sink_samples += o.sink_samples, sink_samples_skipped += o.sink_samples_skipped;
  argmax_sink += o.argmax_sink, rows += o.rows, masked_rows += o.masked_rows, invalid_rows += o.invalid_rows;
  nonfinite_weights += o.nonfinite_weights, negative_weights += o.negative_weights;
}

HeadStats finish(const HeadAccumulator& a) {
  HeadStats s;
  s.rows = a.rows;
  s.sink_samples = a.sink_samples;
  if (a.sink_samples > 0) s.sink = a.sink / static_cast<double>(a.sink_samples);
  if (a.rows == 0) return s;
  const double n = static_cast<double>(a.rows);
  s.sparsity = a.sparsity / n;
  s.entropy = a.entropy / n;
  s.argmax_sink_share = static_cast<double>(a.argmax_sink) / n;
  return s;
}

void finish_sample(HeadAccumulator& acc, SampleSink& sample) {
  if (sample.nonfinite) ++acc.sink_samples_skipped;
  else if (sample.sums.scored()) acc.sink += sample.sums.ratio(), ++acc.sink_samples;
  sample = {};
}

namespace {

// The float path works on a vector of weights at a time with GCC/Clang vector extensions: decoding, sums,
// maximum, checks and a·log a in one pass, which the autovectoriser did not manage across the fp16 decoding
// and the logarithm. Four lanes (one SSE register) on baseline x86-64; eight (AVX2 + FMA) where the CPU has
// them, chosen at run time. Wider vectors than the target has would be split lane by lane, so each width is
// only compiled for its own target.
struct Lanes4 {
  static constexpr std::size_t n = 4;
  typedef float vf __attribute__((vector_size(16)));
  typedef std::int32_t vi __attribute__((vector_size(16)));
  typedef std::uint32_t vu __attribute__((vector_size(16)));
  typedef std::uint16_t vh __attribute__((vector_size(8)));
  typedef double vd __attribute__((vector_size(32)));
};
struct Lanes8 {
  static constexpr std::size_t n = 8;
  typedef float vf __attribute__((vector_size(32)));
  typedef std::int32_t vi __attribute__((vector_size(32)));
  typedef std::uint32_t vu __attribute__((vector_size(32)));
  typedef std::uint16_t vh __attribute__((vector_size(16)));
  typedef double vd __attribute__((vector_size(64)));
};

#define POLARLAB_INLINE inline __attribute__((always_inline))

template <class V, DType T>
POLARLAB_INLINE typename V::vf load_lanes(const std::byte* p) {
  using vf = typename V::vf;
  using vu = typename V::vu;
  using vh = typename V::vh;
  if constexpr (T == DType::f32) {
    vf v;
    std::memcpy(&v, p, sizeof v);
    return v;
  } else {
    vh h;
    std::memcpy(&h, p, sizeof h);
    const vu x = __builtin_convertvector(h, vu);
    if constexpr (T == DType::bf16) {
      return (vf)(x << 16);
    } else {  // half_to_float (dtype.hpp), lane-wise
      const vu mag = (x & 0x7fffu) << 13;
      const vf scaled = (vf)mag * 0x1p112f;
      const vu special = (vu)((x & 0x7c00u) == 0x7c00u);
      return (vf)(((vu)scaled & ~special) | ((mag | 0x7f800000u) & special) | ((x & 0x8000u) << 16));
    }
  }
}

template <DType T>
inline float load1(const std::byte* p) {
  if constexpr (T == DType::f32) {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  } else {
    std::uint16_t h;
    std::memcpy(&h, p, 2);
    return T == DType::bf16 ? bf16_to_float(h) : half_to_float(h);
  }
}

// log x for normal positive floats (Cephes logf: x = m·2^e, m in [√½, √2), a degree-9 polynomial in m − 1;
// relative error ~1e-7, far below what fp16 weights carry). Other lanes give garbage that the caller masks.
template <class V>
POLARLAB_INLINE typename V::vf log_lanes(typename V::vf x) {
  using vf = typename V::vf;
  using vi = typename V::vi;
  using vu = typename V::vu;
  const vu u = (vu)x;
  vf e = __builtin_convertvector((vi)((u >> 23) & 0xffu) - 126, vf);
  const vf m = (vf)((u & 0x807fffffu) | 0x3f000000u);  // mantissa in [0.5, 1)
  const vi low = m < 0.707106781186547524f;
  e += __builtin_convertvector(low, vf);          // low: e − 1
  const vf f = m - 1.0f + (vf)((vu)m & (vu)low);  // low: 2m − 1
  const vf z = f * f;
  vf y = f * 7.0376836292e-2f - 1.1514610310e-1f;
  y = y * f + 1.1676998740e-1f;
  y = y * f - 1.2420140846e-1f;
  y = y * f + 1.4249322787e-1f;
  y = y * f - 1.6668057665e-1f;
  y = y * f + 2.0000714765e-1f;
  y = y * f - 2.4999993993e-1f;
  y = y * f + 3.3333331174e-1f;
  y = y * f * z;
  y += e * -2.12194440e-4f;
  y -= z * 0.5f;
  return f + y + e * 0.693359375f;
}

template <class V>
POLARLAB_INLINE float hsum(typename V::vf v) {
  float s = 0;
  for (std::size_t i = 0; i < V::n; ++i) s += v[i];
  return s;
}
template <class V>
POLARLAB_INLINE double hsum_d(typename V::vd v) {
  double s = 0;
  for (std::size_t i = 0; i < V::n; ++i) s += v[i];
  return s;
}

// Adds one valid row's scores (sum > 0 and finite) to acc.
inline void add_row(HeadAccumulator& acc, double sum, double max, double xlogx, bool argmax_is_sink) {
  acc.sparsity += max / sum;
  // -sum p log p with p = a / S is log S - (sum a log a) / S.
  acc.entropy += std::max(0.0, std::log(sum) - xlogx / sum);
  acc.argmax_sink += argmax_is_sink;
  ++acc.rows;
}

template <class V, DType T>
POLARLAB_INLINE void reduce_float(const std::byte* bytes, std::size_t rows, std::size_t keys, std::size_t sink_key,
                                  HeadAccumulator& acc, std::uint64_t first_query, SinkRows sink_rows,
                                  SampleSink& sample) {
  using vf = typename V::vf;
  using vd = typename V::vd;
  using vi = typename V::vi;
  using vu = typename V::vu;
  constexpr std::size_t kLanes = V::n;
  constexpr std::size_t elem = dtype_size(T);
  const std::size_t full = keys / kLanes * kLanes;
  for (std::size_t r = 0; r < rows; ++r, bytes += keys * elem) {
    vf sum{}, max{}, xlogx{};
    vd sink_sum{};  // the sink score's row sum, in double like train's (a float sum is off by ~1e-7)
    vi nonfinite{}, negative{};
    const bool in_sink_rows = sink_rows.contains(first_query + r);
    auto step = [&](vf a) __attribute__((always_inline)) {
      if (in_sink_rows) sink_sum += __builtin_convertvector(a, vd);
      // Comparisons give −1 per true lane; signed ones, which SSE2 has.
      nonfinite -= (vi)((vu)a & 0x7fffffffu) > 0x7f7fffff;
      negative -= (vi)(a < 0.0f);
      sum += a;
      const vu bigger = (vu)(a > max);
      max = (vf)(((vu)a & bigger) | ((vu)max & ~bigger));
      const vu positive = (vu)(a > FLT_MIN);  // 0 log 0 = 0; subnormals contribute < 1e-36
      bool any = false;  // causal rows end in zeros: their vectors skip the logarithm (a predictable branch)
      for (std::size_t i = 0; i < kLanes; ++i) any |= positive[i] != 0;
      if (any) xlogx += (vf)((vu)(a * log_lanes<V>(a)) & positive);
    };
    for (std::size_t j = 0; j < full; j += kLanes) step(load_lanes<V, T>(bytes + j * elem));
    if (full < keys) {  // the tail, padded with zeros (which change no sum, maximum or check)
      alignas(32) std::byte tail[4 * kLanes] = {};
      std::memcpy(tail, bytes + full * elem, (keys - full) * elem);
      step(load_lanes<V, T>(tail));
    }
    std::uint64_t bad_nonfinite = 0, bad_negative = 0;
    float m = 0;
    for (std::size_t i = 0; i < kLanes; ++i) {
      bad_nonfinite += static_cast<std::uint64_t>(nonfinite[i]), bad_negative += static_cast<std::uint64_t>(negative[i]);
      m = std::max(m, max[i]);
    }
    const float a_sink = load1<T>(bytes + sink_key * elem);
    if (in_sink_rows) {  // before the checks below: the sink score counts negative weights (as train does)
      if (bad_nonfinite) sample.nonfinite = true;
      else sample.sums.key += a_sink, sample.sums.total += hsum_d<V>(sink_sum);
    }
    if (bad_nonfinite || bad_negative) {
      ++acc.invalid_rows;
      acc.nonfinite_weights += bad_nonfinite;
      acc.negative_weights += bad_negative;
      continue;
    }
    const float s = hsum<V>(sum);
    if (s == 0) {  // every weight is 0: a masked (padding) query
      ++acc.masked_rows;
      continue;
    }
    if (!(s <= FLT_MAX)) {  // finite weights whose sum overflows
      ++acc.invalid_rows;
      continue;
    }
    // argmax == K (the first maximum, as numpy) iff a_K is the maximum and no earlier key reaches it;
    // K is small (0 usually), so this is cheaper than locating the maximum.
    bool argmax_is_sink = a_sink == m;
    for (std::size_t j = 0; argmax_is_sink && j < sink_key; ++j) argmax_is_sink = load1<T>(bytes + j * elem) != m;
    add_row(acc, s, m, hsum<V>(xlogx), argmax_is_sink);
  }
}

// float64 weights: plain double arithmetic and std::log (rarely big, so not vectorised by hand).
void reduce_double(const std::byte* bytes, std::size_t rows, std::size_t keys, std::size_t sink_key,
                   HeadAccumulator& acc, std::uint64_t first_query, SinkRows sink_rows, SampleSink& sample) {
  auto at = [&](std::size_t j) {
    double v;
    std::memcpy(&v, bytes + j * 8, 8);
    return v;
  };
  for (std::size_t r = 0; r < rows; ++r, bytes += keys * 8) {
    double sum = 0, max = 0;
    std::uint64_t nonfinite = 0, negative = 0;
    for (std::size_t j = 0; j < keys; ++j) {
      const double a = at(j);
      nonfinite += !std::isfinite(a);
      negative += a < 0;
      sum += a;
      max = std::max(max, a);
    }
    if (sink_rows.contains(first_query + r)) {  // negative weights count (as train's sink score)
      if (nonfinite) sample.nonfinite = true;
      else sample.sums.key += at(sink_key), sample.sums.total += sum;
    }
    if (nonfinite || negative) {
      ++acc.invalid_rows;
      acc.nonfinite_weights += nonfinite;
      acc.negative_weights += negative;
      continue;
    }
    if (sum == 0) {
      ++acc.masked_rows;
      continue;
    }
    if (!std::isfinite(sum)) {
      ++acc.invalid_rows;
      continue;
    }
    double xlogx = 0;
    for (std::size_t j = 0; j < keys; ++j)
      if (const double a = at(j); a > 0) xlogx += a * std::log(a);
    bool argmax_is_sink = at(sink_key) == max;
    for (std::size_t j = 0; argmax_is_sink && j < sink_key; ++j) argmax_is_sink = at(j) != max;
    add_row(acc, sum, max, xlogx, argmax_is_sink);
  }
}

}  // namespace

namespace {

template <DType T>
void reduce_baseline(const std::byte* bytes, std::size_t rows, std::size_t keys, std::size_t sink_key,
                     HeadAccumulator& acc, std::uint64_t q0, SinkRows sr, SampleSink& ss) {
  reduce_float<Lanes4, T>(bytes, rows, keys, sink_key, acc, q0, sr, ss);
}

#if defined(__x86_64__) && defined(__GNUC__)
template <DType T>
__attribute__((target("avx2,fma"))) void reduce_avx2(const std::byte* bytes, std::size_t rows, std::size_t keys,
                                                    std::size_t sink_key, HeadAccumulator& acc, std::uint64_t q0,
                                                    SinkRows sr, SampleSink& ss) {
  reduce_float<Lanes8, T>(bytes, rows, keys, sink_key, acc, q0, sr, ss);
}
const bool kHaveAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif

template <DType T>
void reduce_dispatch(const std::byte* bytes, std::size_t rows, std::size_t keys, std::size_t sink_key,
                     HeadAccumulator& acc, std::uint64_t q0, SinkRows sr, SampleSink& ss) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHaveAvx2) return reduce_avx2<T>(bytes, rows, keys, sink_key, acc, q0, sr, ss);
#endif
  reduce_baseline<T>(bytes, rows, keys, sink_key, acc, q0, sr, ss);
}

}  // namespace

void reduce_rows(const std::byte* bytes, DType t, std::size_t rows, std::size_t keys, std::size_t sink_key,
                 HeadAccumulator& acc, std::uint64_t q0, SinkRows sr, SampleSink& ss) {
  switch (t) {
    case DType::f16: return reduce_dispatch<DType::f16>(bytes, rows, keys, sink_key, acc, q0, sr, ss);
    case DType::bf16: return reduce_dispatch<DType::bf16>(bytes, rows, keys, sink_key, acc, q0, sr, ss);
    case DType::f32: return reduce_dispatch<DType::f32>(bytes, rows, keys, sink_key, acc, q0, sr, ss);
    case DType::f64: return reduce_double(bytes, rows, keys, sink_key, acc, q0, sr, ss);
  }
}

}  // namespace polarlab::attention
