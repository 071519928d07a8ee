// The parts of valijson that Schema replaces for the documents it validates (private to
// host/json). valijson is header-only; these explicit specializations of its validation visitor
// for the nlohmann adapter must be declared before any use of ValidationVisitor<Adapter>, so every
// file that validates includes this header first.
//
// - `pattern` and `patternProperties` match with PCRE2 (std::regex recurses once per character
//   and overflows the stack on long strings);
// - `format` date, time and date-time are checked by hand (valijson uses std::regex too);
// - a `type` failure says which types were expected, and an integral float is an integer
//   (draft 7: 1.0 is an integer).
#pragma once

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validation_visitor.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace warren::json::engine {

using Adapter = valijson::adapters::NlohmannJsonAdapter;

// The compiled PCRE2 patterns of one schema, by their text. Immutable once built; matching is
// thread-safe.
class Patterns {
 public:
  Patterns();
  ~Patterns();
  Patterns(const Patterns&) = delete;
  Patterns& operator=(const Patterns&) = delete;

  // Throws std::invalid_argument naming the pattern when PCRE2 refuses it.
  void add(const std::string& pattern);

  enum class Match { yes, no, undecided };
  // Searches `subject` (UTF-8) for `pattern` (added before). `undecided` when PCRE2 gave up
  // (its match or heap limit) or the pattern was never added.
  Match search(const std::string& pattern, std::string_view subject) const;

 private:
  struct Code;
  std::map<std::string, std::unique_ptr<Code>, std::less<>> codes_;
};

// The patterns used by the validation running on this thread (set by Schema::validate).
class ActivePatterns {
 public:
  explicit ActivePatterns(const Patterns& patterns);
  ~ActivePatterns();
  ActivePatterns(const ActivePatterns&) = delete;
  ActivePatterns& operator=(const ActivePatterns&) = delete;
  static const Patterns* current();

 private:
  const Patterns* previous_;
};

// Messages of a failed pattern search, as pushed into valijson's results (already final text).
std::string patternFailure(const std::string& pattern, Patterns::Match match);

}  // namespace warren::json::engine

namespace valijson {

template <>
bool ValidationVisitor<warren::json::engine::Adapter>::visit(
    const constraints::PatternConstraint& constraint);
template <>
bool ValidationVisitor<warren::json::engine::Adapter>::visit(
    const constraints::FormatConstraint& constraint);
template <>
bool ValidationVisitor<warren::json::engine::Adapter>::visit(
    const constraints::TypeConstraint& constraint);

// patternProperties: the properties whose names the pattern finds are validated against its
// subschema and counted as matched (for additionalProperties).
template <>
template <typename StringType>
bool ValidationVisitor<warren::json::engine::Adapter>::ValidatePatternPropertySubschemas::
operator()(const StringType& patternProperty, const Subschema* subschema) const {
  using warren::json::engine::ActivePatterns;
  using warren::json::engine::Patterns;
  const std::string pattern(patternProperty.c_str());
  const Patterns* patterns = ActivePatterns::current();
  bool matchFound = false;
  for (const auto& member : m_object) {
    const Patterns::Match match =
        patterns != nullptr ? patterns->search(pattern, member.first) : Patterns::Match::undecided;
    if (match == Patterns::Match::no) continue;
    std::vector<std::string> context = m_context;
    context.push_back("[" + member.first + "]");
    bool passed = false;
    if (match == Patterns::Match::undecided) {
      if (m_results) {
        m_results->pushError(
            context, "property name " + warren::json::engine::patternFailure(pattern, match));
      }
    } else {
      matchFound = true;
      if (m_propertiesMatched) m_propertiesMatched->insert(member.first);
      ValidationVisitor validator(member.second, context, m_strictTypes, m_results, m_regexesCache);
      passed = validator.validateSchema(*subschema);
      if (!passed && m_results) {
        m_results->pushError(
            m_context,
            "Failed to validate against schema associated with pattern '" + pattern + "'.");
      }
    }
    if (passed) continue;
    if (m_validated) *m_validated = false;
    if (!m_continueOnFailure) return false;
  }
  if (!matchFound && !m_continueIfUnmatched) return false;
  return m_continueOnSuccess;
}

}  // namespace valijson
