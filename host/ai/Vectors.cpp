#include "ai/Vectors.h"

#include "ai/Base64.h"
#include "ai/Failure.h"

#include <cmath>
#include <cstring>

namespace warren::ai {

void checkAndNormalise(std::vector<std::vector<float>>& vectors,
                       std::optional<std::uint32_t> dimensions, std::string_view provider,
                       const std::string& model) {
  const std::string who = std::string(provider) + " (model " + model + ")";
  const auto refuse = [&](std::size_t i, const std::string& why) {
    throw Failure(Fault::unusableReply,
                  who + " returned " + why + " for texts[" + std::to_string(i) + "]");
  };
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    std::vector<float>& v = vectors[i];
    if (v.empty()) refuse(i, "an empty vector (is the server serving an embedding model?)");
    if (dimensions && v.size() != *dimensions) {
      refuse(i, std::to_string(v.size()) + " dimensions, not the " + std::to_string(*dimensions) +
                    " asked for");
    }
    if (v.size() != vectors.front().size()) {
      refuse(i, std::to_string(v.size()) + " dimensions where texts[0] has " +
                    std::to_string(vectors.front().size()));
    }
    double sum = 0;
    for (float x : v) {
      if (!std::isfinite(x)) refuse(i, "a value that is not a finite number");
      sum += static_cast<double>(x) * static_cast<double>(x);
    }
    if (sum == 0) refuse(i, "a zero vector");
    const double scale = 1.0 / std::sqrt(sum);
    for (float& x : v) x = static_cast<float>(x * scale);
  }
}

std::string float32Base64(const std::vector<float>& vector) {
  std::string bytes(vector.size() * sizeof(float), '\0');
  if (!vector.empty()) std::memcpy(bytes.data(), vector.data(), bytes.size());  // little-endian
  return base64Encode(bytes);
}

Json floatArray(const std::vector<float>& vector) {
  Json out = Json::array();
  for (float x : vector) out.push_back(x);
  return out;
}

}  // namespace warren::ai
