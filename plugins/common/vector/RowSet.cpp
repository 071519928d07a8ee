#include "vector/RowSet.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace common::vector {
namespace {

// Inverse norm of a stored row, or 0 when it cannot be compared.
float inverseNorm(const float* values, std::size_t dims) {
  const double length = norm(values, dims);
  if (!std::isfinite(length) || length == 0) return 0;
  return static_cast<float>(1.0 / length);
}

}  // namespace

InputBatch::InputBatch(const std::vector<Vector>& vectors, std::size_t dims)
    : count_(vectors.size()), dims_(dims), stride_(paddedStride(dims)) {
  data_.assign(count_ * stride_, 0.0f);
  for (std::size_t i = 0; i < count_; ++i) {
    if (vectors[i].size() != dims)
      throw std::invalid_argument("input " + std::to_string(i) + " has " +
                                  std::to_string(vectors[i].size()) + " dimensions, not " +
                                  std::to_string(dims));
    Vector unit = vectors[i];
    try {
      normalise(unit);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("input " + std::to_string(i) + ": " + e.what());
    }
    std::copy(unit.begin(), unit.end(), data_.begin() + static_cast<std::ptrdiff_t>(i * stride_));
  }
}

RowSet::RowSet(std::size_t dims) : dims_(dims), stride_(paddedStride(dims)) {
  if (dims == 0) throw std::invalid_argument("a row set needs at least one dimension");
}

std::size_t RowSet::position(std::int64_t created, const std::string& id) const {
  std::size_t low = 0, high = ids_.size();
  while (low < high) {
    const std::size_t mid = (low + high) / 2;
    if (created_[mid] < created || (created_[mid] == created && ids_[mid] < id))
      low = mid + 1;
    else
      high = mid;
  }
  return low;
}

bool RowSet::upsert(const std::string& id, std::int64_t created, const float* values) {
  const float inverse = inverseNorm(values, dims_);
  if (inverse == 0) return false;
  const auto found = index_.find(id);
  if (found != index_.end()) eraseAt(position(found->second, id));
  insertAt(position(created, id), id, created, values, inverse);
  return true;
}

void RowSet::insertAt(std::size_t at, const std::string& id, std::int64_t created,
                      const float* values, float inverse) {
  const auto offset = static_cast<std::ptrdiff_t>(at * stride_);
  data_.insert(data_.begin() + offset, stride_, 0.0f);
  std::memcpy(data_.data() + offset, values, dims_ * sizeof(float));
  inverseNorms_.insert(inverseNorms_.begin() + static_cast<std::ptrdiff_t>(at), inverse);
  ids_.insert(ids_.begin() + static_cast<std::ptrdiff_t>(at), id);
  created_.insert(created_.begin() + static_cast<std::ptrdiff_t>(at), created);
  index_.emplace(id, created);
  idBytes_ += id.size();
}

void RowSet::eraseAt(std::size_t at) {
  const auto offset = static_cast<std::ptrdiff_t>(at * stride_);
  data_.erase(data_.begin() + offset,
              data_.begin() + offset + static_cast<std::ptrdiff_t>(stride_));
  inverseNorms_.erase(inverseNorms_.begin() + static_cast<std::ptrdiff_t>(at));
  idBytes_ -= ids_[at].size();
  index_.erase(ids_[at]);
  ids_.erase(ids_.begin() + static_cast<std::ptrdiff_t>(at));
  created_.erase(created_.begin() + static_cast<std::ptrdiff_t>(at));
}

std::size_t RowSet::firstFrom(std::int64_t micros) const {
  return static_cast<std::size_t>(std::lower_bound(created_.begin(), created_.end(), micros) -
                                  created_.begin());
}

void RowSet::dropBefore(std::int64_t micros) {
  const std::size_t count = firstFrom(micros);
  if (count == 0) return;
  for (std::size_t i = 0; i < count; ++i) {
    idBytes_ -= ids_[i].size();
    index_.erase(ids_[i]);
  }
  const auto rows = static_cast<std::ptrdiff_t>(count);
  data_.erase(data_.begin(), data_.begin() + rows * static_cast<std::ptrdiff_t>(stride_));
  inverseNorms_.erase(inverseNorms_.begin(), inverseNorms_.begin() + rows);
  ids_.erase(ids_.begin(), ids_.begin() + rows);
  created_.erase(created_.begin(), created_.begin() + rows);
}

void RowSet::clear() {
  data_.clear();
  data_.shrink_to_fit();
  inverseNorms_.clear();
  ids_.clear();
  created_.clear();
  index_.clear();
  idBytes_ = 0;
}

RowsView RowSet::view(std::size_t first) const {
  RowsView rows;
  first = std::min(first, size());
  rows.data = data_.data() + first * stride_;
  rows.inverseNorms = inverseNorms_.data() + first;
  rows.count = size() - first;
  rows.stride = stride_;
  return rows;
}

std::size_t RowSet::bytes() const {
  // Per row: the matrix row, its inverse norm and time, the id's string and its index entry
  // (about 64 bytes of node and bucket besides the key).
  constexpr std::size_t kPerRowOverhead =
      sizeof(float) + sizeof(std::int64_t) + 2 * sizeof(std::string) + 64;
  return data_.capacity() * sizeof(float) + size() * kPerRowOverhead + 2 * idBytes_;
}

}  // namespace common::vector
