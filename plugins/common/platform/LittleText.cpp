#include "platform/LittleText.h"

#include "text/Entities.h"

#include <cstring>
#include <vector>

namespace common::platform {

std::string escapeLittleText(std::string_view utf8, bool keepHashtags) {
  std::vector<text::EntityMatch> tags;
  if (keepHashtags) tags = text::findHashtags(utf8);
  std::string out;
  out.reserve(utf8.size() + utf8.size() / 8);
  std::size_t next = 0;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const char c = utf8[i];
    while (next < tags.size() && tags[next].offset + tags[next].length <= i) ++next;
    const bool inTag = next < tags.size() && i >= tags[next].offset;
    const bool kept = inTag && (c == '#' || c == '_');
    if (!kept && c != '\0' && std::strchr("\\|{}@[]()<>#*_~", c) != nullptr) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace common::platform
