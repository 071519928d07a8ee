#include "StreamRead.h"

#include "vector/Scan.h"

#include <immintrin.h>

namespace bench {
namespace {

__attribute__((target("avx512f"))) float readAvx512(const float* data, std::size_t count) {
  __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                   _mm512_setzero_ps()};
  std::size_t i = 0;
  for (; i + 64 <= count; i += 64)
    for (int k = 0; k < 4; ++k) acc[k] = _mm512_add_ps(acc[k], _mm512_loadu_ps(data + i + 16 * k));
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes,
                  _mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), _mm512_add_ps(acc[2], acc[3])));
  float sum = 0;
  for (const float lane : lanes) sum += lane;
  for (; i < count; ++i) sum += data[i];
  return sum;
}

__attribute__((target("avx2"))) float readAvx2(const float* data, std::size_t count) {
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                   _mm256_setzero_ps()};
  std::size_t i = 0;
  for (; i + 32 <= count; i += 32)
    for (int k = 0; k < 4; ++k) acc[k] = _mm256_add_ps(acc[k], _mm256_loadu_ps(data + i + 8 * k));
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes,
                  _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
  float sum = 0;
  for (const float lane : lanes) sum += lane;
  for (; i < count; ++i) sum += data[i];
  return sum;
}

float readPortable(const float* data, std::size_t count) {
  float acc[16] = {};
  std::size_t i = 0;
  for (; i + 16 <= count; i += 16)
    for (int k = 0; k < 16; ++k) acc[k] += data[i + static_cast<std::size_t>(k)];
  float sum = 0;
  for (const float lane : acc) sum += lane;
  for (; i < count; ++i) sum += data[i];
  return sum;
}

}  // namespace

float streamRead(const float* data, std::size_t count) {
  switch (common::vector::bestIsa()) {
    case common::vector::Isa::avx512:
      return readAvx512(data, count);
    case common::vector::Isa::avx2:
      return readAvx2(data, count);
    default:
      return readPortable(data, count);
  }
}

}  // namespace bench
