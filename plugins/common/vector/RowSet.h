// Stored vectors of one (brand, model, dimensions) in the layout the scan reads: one contiguous,
// 64-byte aligned float32 matrix (rows padded to paddedStride(dims) with zeros), each row with
// its id, creation time and inverse norm, ordered by (created, id) so that "created at or after
// T" is a suffix found by binary search.
#pragma once

#include "vector/Scan.h"
#include "vector/Vector.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace common::vector {

// std::allocator with 64-byte alignment (a cache line, and an AVX-512 register).
template <typename T>
struct AlignedAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlignment{64};
  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, kAlignment); }
  template <typename U>
  bool operator==(const AlignedAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const AlignedAllocator<U>&) const {
    return false;
  }
};

using AlignedFloats = std::vector<float, AlignedAllocator<float>>;

// Unit vectors laid out for scanTop1 (the inputs of one scan).
class InputBatch {
 public:
  // Throws std::invalid_argument naming the input that has another dimension count or cannot be
  // normalised.
  InputBatch(const std::vector<Vector>& vectors, std::size_t dims);
  InputsView view() const { return {data_.data(), count_, stride_}; }
  std::size_t size() const { return count_; }
  std::size_t dims() const { return dims_; }

 private:
  AlignedFloats data_;
  std::size_t count_;
  std::size_t dims_;
  std::size_t stride_;
};

class RowSet {
 public:
  explicit RowSet(std::size_t dims);

  std::size_t dims() const { return dims_; }
  std::size_t stride() const { return stride_; }
  std::size_t size() const { return ids_.size(); }
  const std::string& id(std::size_t row) const { return ids_[row]; }
  std::int64_t created(std::size_t row) const { return created_[row]; }
  const float* values(std::size_t row) const { return data_.data() + row * stride_; }

  // Adds a row, or replaces the row with the same id (its vector and time may change). `values`
  // has dims() floats. Returns false (and stores nothing) for a zero or non-finite vector.
  bool upsert(const std::string& id, std::int64_t created, const float* values);
  bool contains(const std::string& id) const { return index_.count(id) != 0; }
  // The creation time of the row with this id, if there is one.
  std::optional<std::int64_t> createdOf(const std::string& id) const {
    const auto found = index_.find(id);
    if (found == index_.end()) return std::nullopt;
    return found->second;
  }
  // The first row created at or after `micros`.
  std::size_t firstFrom(std::int64_t micros) const;
  // Removes the rows created before `micros`.
  void dropBefore(std::int64_t micros);
  void clear();

  // The rows [first, size()) for scanTop1.
  RowsView view(std::size_t first = 0) const;
  // Memory held (the matrix, ids and bookkeeping), for the cache's budget.
  std::size_t bytes() const;

 private:
  std::size_t position(std::int64_t created, const std::string& id) const;
  void insertAt(std::size_t at, const std::string& id, std::int64_t created, const float* values,
                float inverseNorm);
  void eraseAt(std::size_t at);

  std::size_t dims_;
  std::size_t stride_;
  AlignedFloats data_;
  std::vector<float> inverseNorms_;
  std::vector<std::string> ids_;
  std::vector<std::int64_t> created_;
  std::unordered_map<std::string, std::int64_t> index_;  // id -> created
  std::size_t idBytes_ = 0;
};

}  // namespace common::vector
