// The offline method ("provider":"local"): the text analysis of plugins/common/text and the
// measurable facts of images and videos. Deterministic: the same material gives the same result.
#pragma once

#include "Material.h"

#include "json/Json.h"

namespace analyze {

// The model name results of the local method carry.
extern const char* const kLocalModel;

// The analysis fields of the result (summary .. contentWarnings, counts when there is text).
// `media` is the result's media object, or null.
common::Json analyzeLocally(const Material& material, const common::Json& media);

// The fields that are measured rather than judged, for a provider's result too: readability and
// counts of the text ({"readability": unknown} without counts when there is no text).
common::Json measuredText(const std::string& text, const std::string& languageHint);

// "A 1200×800 JPEG image, mostly blue (#1f4e8c), with white and gray." (exposed for tests)
std::string describeMedia(const common::Json& media);

}  // namespace analyze
