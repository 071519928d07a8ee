// Language identification with CLD2 (Debian's libcld2).
#pragma once

#include <string>
#include <string_view>

namespace common::text {

struct LanguageGuess {
  std::string code;   // ISO 639-1 where one exists ("he", not CLD2's "iw"), else 639-2/3; "und"
  double confidence;  // 0..1: CLD2's share of the text in that language, halved when unreliable
  bool reliable;      // CLD2's own verdict (clearly ahead of the runner-up, enough text)
};

// Detects the language of valid UTF-8 plain text. `hint` (ISO 639-1) boosts that language and
// is taken when CLD2 cannot tell (too little text); with no hint such text is "und".
LanguageGuess detectLanguage(std::string_view utf8, std::string_view hint = {});

}  // namespace common::text
