#include "text/Unicode.h"

#include "text/Utf8.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include <memory>
#include <stdexcept>

namespace common::text {
namespace {

icu::UnicodeString fromUtf8(std::string_view utf8) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
}

std::string toUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU ") + what + " failed: " + u_errorName(status));
  }
}

icu::Locale localeOf(std::string_view language) {
  return language.empty() ? icu::Locale::getRoot() : icu::Locale(std::string(language).c_str());
}

const icu::Normalizer2& normalizer(UNormalization2Mode mode) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = mode == UNORM2_COMPOSE ? icu::Normalizer2::getNFCInstance(status)
                                                     : icu::Normalizer2::getNFDInstance(status);
  check(status, "normaliser");
  return *n;
}

}  // namespace

std::string nfc(std::string_view utf8) {
  const icu::Normalizer2& n = normalizer(UNORM2_COMPOSE);
  const icu::UnicodeString source = fromUtf8(utf8);
  UErrorCode status = U_ZERO_ERROR;
  if (n.isNormalized(source, status) && U_SUCCESS(status)) return std::string(utf8);
  status = U_ZERO_ERROR;
  const icu::UnicodeString result = n.normalize(source, status);
  check(status, "NFC");
  return toUtf8(result);
}

std::string foldCase(std::string_view utf8) {
  icu::UnicodeString s = fromUtf8(utf8);
  return toUtf8(s.foldCase(U_FOLD_CASE_DEFAULT));
}

std::string toLower(std::string_view utf8, std::string_view language) {
  icu::UnicodeString s = fromUtf8(utf8);
  return toUtf8(s.toLower(localeOf(language)));
}

std::string capitalizeFirst(std::string_view utf8, std::string_view language) {
  const auto bounds = graphemeBoundaries(utf8);
  if (bounds.size() < 2) return std::string(utf8);
  icu::UnicodeString first = fromUtf8(utf8.substr(0, bounds[1]));
  return toUtf8(first.toUpper(localeOf(language))) + std::string(utf8.substr(bounds[1]));
}

std::vector<std::size_t> graphemeBoundaries(std::string_view utf8) {
  std::vector<std::size_t> bounds{0};
  if (utf8.empty()) return bounds;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  check(status, "grapheme iterator");
  UText* ut = utext_openUTF8(nullptr, utf8.data(), static_cast<int64_t>(utf8.size()), &status);
  check(status, "utext");
  it->setText(ut, status);
  check(status, "grapheme iterator text");
  for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
    bounds.push_back(static_cast<std::size_t>(b));
  }
  utext_close(ut);
  return bounds;
}

std::size_t graphemeCount(std::string_view utf8) {
  return graphemeBoundaries(utf8).size() - 1;
}

bool isEmojiCluster(std::string_view cluster) {
  if (cluster.empty()) return false;
  std::size_t offset = 0;
  const char32_t first = decodeUtf8(cluster, offset);
  const auto has = [](char32_t cp, UProperty p) { return u_hasBinaryProperty(cp, p) != 0; };
  if (has(first, UCHAR_REGIONAL_INDICATOR)) return true;
  bool variation16 = false, keycap = false, joinerOrModifier = false, tag = false;
  while (offset < cluster.size()) {
    const char32_t cp = decodeUtf8(cluster, offset);
    if (cp == 0xFE0F) variation16 = true;
    if (cp == 0x20E3) keycap = true;
    if (cp == 0x200D || has(cp, UCHAR_EMOJI_MODIFIER)) joinerOrModifier = true;
    if (cp >= 0xE0020 && cp <= 0xE007F) tag = true;
  }
  if (keycap) return has(first, UCHAR_EMOJI);
  if (!has(first, UCHAR_EXTENDED_PICTOGRAPHIC) && !has(first, UCHAR_EMOJI_MODIFIER_BASE)) {
    return false;
  }
  return has(first, UCHAR_EMOJI_PRESENTATION) || variation16 || joinerOrModifier || tag;
}

bool isLetter(char32_t cp) {
  return u_isalpha(static_cast<UChar32>(cp)) != 0;
}
bool isUpper(char32_t cp) {
  return u_isupper(static_cast<UChar32>(cp)) != 0 || u_istitle(static_cast<UChar32>(cp)) != 0;
}
bool isDigit(char32_t cp) {
  return u_isdigit(static_cast<UChar32>(cp)) != 0;
}
bool isAlnum(char32_t cp) {
  return isLetter(cp) || isDigit(cp) || isMark(cp);
}
bool isMark(char32_t cp) {
  const auto mask = U_GET_GC_MASK(static_cast<UChar32>(cp));
  return (mask & U_GC_M_MASK) != 0;
}
bool isWhitespace(char32_t cp) {
  return u_isUWhiteSpace(static_cast<UChar32>(cp)) != 0;
}

bool isIdeographic(char32_t cp) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(static_cast<UChar32>(cp), &status);
  switch (script) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

std::string stripDiacritics(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString decomposed =
      normalizer(UNORM2_DECOMPOSE).normalize(fromUtf8(utf8), status);
  check(status, "NFD");
  icu::UnicodeString bare;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 cp = decomposed.char32At(i);
    if (!isMark(static_cast<char32_t>(cp))) bare.append(cp);
    i += U16_LENGTH(cp);
  }
  status = U_ZERO_ERROR;
  const icu::UnicodeString composed = normalizer(UNORM2_COMPOSE).normalize(bare, status);
  check(status, "NFC");
  return toUtf8(composed);
}

}  // namespace common::text
