#include "text/Analyze.h"

#include "text/Document.h"
#include "text/Entities.h"
#include "text/Hashtags.h"
#include "text/Language.h"
#include "text/Style.h"
#include "text/Summary.h"
#include "text/Unicode.h"
#include "text/Utf8.h"

#include <algorithm>

namespace common::text {
namespace {

bool blank(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = decodeUtf8(text, i);
    if (!isWhitespace(cp) && cp != 0x200B && cp != 0xFEFF) return false;
  }
  return true;
}

// Links, addresses and mentions are not prose in any language: CLD2 reads the rest.
std::string withoutAddresses(const std::string& text) {
  std::string out = text;
  std::vector<EntityMatch> spans = findUrls(text);
  for (auto& list : {findEmails(text), findMentions(text)}) {
    spans.insert(spans.end(), list.begin(), list.end());
  }
  for (const auto& e : spans)
    std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(e.offset), e.length, ' ');
  return out;
}

std::vector<Entity> entitiesOf(const Document& doc) {
  std::vector<Entity> out;
  for (const auto& e : doc.entities) {
    Entity entity{doc.text.substr(e.offset, e.length), e.type};
    const bool seen = std::any_of(out.begin(), out.end(), [&](const Entity& x) {
      return x.text == entity.text && x.type == entity.type;
    });
    if (!seen) out.push_back(std::move(entity));
  }
  return out;
}

}  // namespace

TextAnalysis analyze(std::string_view utf8, const AnalyzeOptions& options) {
  std::string text = nfc(repairUtf8(utf8));
  if (blank(text)) throw TextError("text is empty");
  const LanguageGuess guess = detectLanguage(withoutAddresses(text), options.languageHint);

  TextAnalysis a{};
  a.language = guess.code;
  a.languageConfidence = guess.confidence;
  a.characters = graphemeCount(text);
  const Document doc = prepareDocument(std::move(text), a.language);
  a.words = doc.words.size();
  a.sentences = doc.sentences.size();

  const std::vector<double> wordScores = textRank(doc);
  a.keywords = rankKeywords(doc, wordScores, options.maxKeywords);
  for (auto& phrase : rankKeyphrases(doc, wordScores, 5))
    a.topics.push_back(std::move(phrase.text));
  const std::vector<double> sentenceScores = scoreSentences(doc, wordScores);
  a.summary = summarize(doc, sentenceScores);
  a.keyPoints = keyPoints(doc, sentenceScores);
  a.entities = entitiesOf(doc);
  a.sentiment = sentimentOf(doc);
  a.readability = readabilityOf(doc);
  a.tone = toneOf(doc, a.readability);
  a.audience = audienceOf(doc, a.readability, a.tone);
  a.contentWarnings = contentWarnings(doc);

  std::vector<std::string> phrases = a.topics;
  for (const auto& k : a.keywords) phrases.push_back(k.text);
  a.hashtags = hashtagsFrom(phrases, 5, a.language);
  return a;
}

}  // namespace common::text
