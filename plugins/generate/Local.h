// The local method (no AI provider): posts filled from the analysis by templates: a summary
// sentence or key point (two more as a list on the long-form platforms), the brand's call to
// action, the analysed page's link, and hashtags from the analysis' keywords. Varied
// deterministically by an index (variant, then retry), so a near-duplicate can be escaped while
// the material has sentences left to lead with. Written only from the material's own sentences
// and the brand's words, so a post is in the material's language.
#pragma once

#include "Brand.h"
#include "Compose.h"
#include "Source.h"

#include <cstddef>
#include <string>
#include <vector>

namespace generate {

inline constexpr const char* kLocalModel = "warren-template-1";

struct LocalContext {
  const Source& source;
  const BrandProfile& brand;
  const Layout& layout;
  bool includeLink = true;
};

// The draft for `index` (0, 1, 2, ...). Throws job::Unrecoverable when the analysis has no
// sentence to write from.
std::string localDraft(const LocalContext& context, std::size_t index);

// The hashtags for `index`: the brand's required ones, then the analysis' (its hashtags, then
// its topics and keywords as #CamelCase) without banned ones, rotated by `index`, at most the
// platform's habit.
std::vector<std::string> localHashtags(const LocalContext& context, std::size_t index);

}  // namespace generate
