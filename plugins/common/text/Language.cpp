#include "text/Language.h"

#include <cstdio>  // before CLD2's header, which uses FILE without including it

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <climits>
#include <cmath>
#include <string>

namespace common::text {
namespace {

// CLD2 keeps a few codes ISO 639-1 retired or never used.
std::string isoCode(CLD2::Language language) {
  std::string code = CLD2::LanguageCode(language);
  if (code == "iw") return "he";
  if (code == "jw") return "jv";
  if (code == "zh-Hant") return "zh";
  if (code == "un" || code.empty() || code.rfind("xx", 0) == 0) return "und";
  return code;
}

double rounded(double value) {
  return std::round(value * 100.0) / 100.0;
}

}  // namespace

LanguageGuess detectLanguage(std::string_view utf8, std::string_view hint) {
  const std::string hintText(hint);
  CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  if (!hintText.empty()) hints.language_hint = CLD2::GetLanguageFromName(hintText.c_str());
  CLD2::Language top3[3];
  int percent3[3];
  double scores3[3];
  int textBytes = 0;
  bool reliable = false;
  int validPrefix = 0;
  const int length =
      utf8.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(utf8.size());
  const CLD2::Language found = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      utf8.data(), length, true, &hints, 0, top3, percent3, scores3, nullptr, &textBytes, &reliable,
      &validPrefix);
  std::string code = found == CLD2::UNKNOWN_LANGUAGE ? "und" : isoCode(found);
  if (!reliable && !hintText.empty()) return {hintText, 0.5, false};
  if (code == "und") return {"und", 0.0, false};
  const double share = percent3[0] > 0 ? percent3[0] / 100.0 : 0.0;
  return {code, rounded(reliable ? share : share / 2.0), reliable};
}

}  // namespace common::text
