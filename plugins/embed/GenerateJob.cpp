#include "Jobs.h"

#include "job/Failure.h"

namespace embed {

std::string brandOf(const common::Json& data) {
  const auto brand = data.find("brandProfileId");
  if (brand == data.end())
    throw common::job::Unrecoverable("invalid job data: 'brandProfileId' is required");
  if (brand->is_number_integer()) return std::to_string(brand->get<std::int64_t>());
  if (brand->is_string() && !brand->get<std::string>().empty()) return brand->get<std::string>();
  throw common::job::Unrecoverable(
      "invalid job data: 'brandProfileId' must be a non-empty string or an integer");
}

common::Json generate(Context& context, const warren::Job& job, const common::Json& data) {
  const std::string brand = brandOf(data);
  const auto items = data.find("items");
  if (items == data.end() || !items->is_array() || items->empty())
    throw common::job::Unrecoverable("invalid job data: 'items' must be a non-empty array");
  std::vector<std::string> texts;
  std::vector<common::vector::StoreItem> stored;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const common::Json& item = (*items)[i];
    common::vector::StoreItem entry;
    entry.text = common::stringOr(item, "text");
    if (entry.text.empty())
      throw common::job::Unrecoverable("invalid job data: items[" + std::to_string(i) +
                                       "].text is required");
    const auto id = item.find("id");
    if (id != item.end() && id->is_number_integer())
      entry.sourceId = std::to_string(id->get<std::int64_t>());
    else if (id != item.end() && id->is_string())
      entry.sourceId = id->get<std::string>();
    entry.sourceType = common::stringOr(item, "contentType", "text");
    texts.push_back(entry.text);
    stored.push_back(std::move(entry));
  }
  const common::vector::Embeddings embeddings =
      context.embedder.embed(&job, texts, common::optionalString(data, "model"));
  const std::vector<std::string> ids = context.index.store(job, brand, embeddings, stored);
  common::Json result = {{"ids", ids},
                         {"model", embeddings.model},
                         {"dimensions", embeddings.dimensions},
                         {"provider", embeddings.provider},
                         {"storage", common::vector::layoutName(context.index.layout())}};
  if (embeddings.provider != "offline")
    result["usage"] = {{"input_tokens", embeddings.inputTokens}};
  return result;
}

}  // namespace embed
