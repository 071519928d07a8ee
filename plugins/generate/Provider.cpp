#include "Provider.h"

#include "job/Failure.h"

#include <cmath>
#include <cstdio>

namespace generate {
namespace {

using common::Json;
using common::platform::Platform;

std::string list(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string quoted(const std::vector<std::string>& items) {
  std::vector<std::string> q;
  for (const std::string& item : items) q.push_back("\"" + item + "\"");
  return list(q);
}

// How the platform counts, in words a model follows.
std::string countingRule(const Layout& layout) {
  const std::string limit = std::to_string(layout.rules.limit);
  switch (layout.rules.platform) {
    case Platform::X:
      return "at most " + limit +
             " characters as X counts them: every link counts 23, each CJK character and each "
             "emoji counts 2";
    case Platform::Bluesky:
      return "at most " + limit +
             " characters (grapheme clusters) and 3000 UTF-8 bytes; links "
             "count in full";
    case Platform::Mastodon:
      return "at most " + limit + " characters; every link counts 23";
    case Platform::LinkedIn:
      return "at most " + limit + " characters";
    case Platform::Threads:
      return "at most " + limit + " characters, where an emoji counts its UTF-8 bytes (usually 4)";
    case Platform::Instagram:
      return "a caption of at most " + limit +
             " characters; links are not clickable there, leave "
             "them out";
    case Platform::Facebook:
      return "a few short paragraphs at most (the limit is " + limit + " characters)";
  }
  return "at most " + limit + " characters";
}

std::string mentionHabit(Platform platform) {
  switch (platform) {
    case Platform::X:
      return "Mentions are @name.";
    case Platform::Bluesky:
      return "Mentions are full handles such as @name.bsky.social.";
    case Platform::Mastodon:
      return "Mentions are @user@instance.";
    case Platform::Threads:
    case Platform::Instagram:
      return "Mentions are @name.";
    case Platform::LinkedIn:
    case Platform::Facebook:
      return "Write names without @: plain-text mentions do not work there.";
  }
  return "";
}

std::string platformTitle(Platform platform) {
  switch (platform) {
    case Platform::X:
      return "X (Twitter)";
    case Platform::Bluesky:
      return "Bluesky";
    case Platform::Mastodon:
      return "Mastodon";
    case Platform::LinkedIn:
      return "LinkedIn";
    case Platform::Threads:
      return "Threads";
    case Platform::Instagram:
      return "Instagram";
    case Platform::Facebook:
      return "Facebook";
  }
  return "social media";
}

// At most `limit` code points of `text`.
std::string prefix(const std::string& text, std::size_t limit) {
  std::size_t chars = 0;
  std::size_t at = 0;
  for (; at < text.size(); ++at) {
    if ((static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) continue;
    if (chars == limit) break;
    ++chars;
  }
  return text.substr(0, at);
}

}  // namespace

std::string systemText(const BrandProfile& brand, const std::string& language) {
  std::string text =
      "You write social media posts for a brand, in its voice, about the material you are "
      "given. Each post is complete as written: its text with any hashtags, links and mentions "
      "in it. Never invent facts, prices, dates or quotes that are not in the material.";
  if (!brand.name.empty()) text += "\nBrand: " + brand.name + ".";
  if (!brand.voice.empty()) text += "\nVoice: " + brand.voice + ".";
  if (!brand.tone.empty()) text += "\nTone: " + brand.tone + ".";
  if (!brand.audience.empty()) text += "\nAudience: " + brand.audience + ".";
  if (!language.empty()) {
    text += "\nWrite in the language with ISO 639-1 code '" + language + "'.";
  } else {
    text += "\nWrite in the material's language.";
  }
  switch (brand.emoji) {
    case EmojiPolicy::none:
      text += "\nUse no emoji.";
      break;
    case EmojiPolicy::few:
      text += "\nUse at most " + std::to_string(kFewEmoji) + " emoji.";
      break;
    case EmojiPolicy::any:
      break;
  }
  if (!brand.callToAction.empty()) {
    text += "\nEnd each post with this call to action: \"" + brand.callToAction + "\".";
  }
  if (!brand.requiredHashtags.empty()) {
    text += "\nEvery post includes these hashtags: " + list(brand.requiredHashtags, " ") + ".";
  }
  if (!brand.bannedHashtags.empty()) {
    text += "\nNever use these hashtags: " + list(brand.bannedHashtags, " ") + ".";
  }
  if (!brand.bannedWords.empty()) {
    text += "\nNever use these words: " + quoted(brand.bannedWords) + ".";
  }
  return text;
}

std::string platformInstruction(const Layout& layout, std::size_t count, const std::string& goal) {
  const Platform platform = layout.rules.platform;
  std::string text =
      "Write " + std::to_string(count) + " different draft" + (count == 1 ? "" : "s") + " of a " +
      platformTitle(platform) +
      " post about the material in the next part. Each draft: " + countingRule(layout) + ".";
  if (layout.maxParts > 1) {
    text += " A longer draft becomes a thread of at most " + std::to_string(layout.maxParts) +
            " posts, split at sentence ends; one post is best.";
  }
  text += " At most " + std::to_string(layout.rules.maxHashtags) + " hashtag" +
          (layout.rules.maxHashtags == 1 ? "" : "s") + ", written #CamelCase. " +
          mentionHabit(platform);
  if (!goal.empty()) text += " The posts' goal: " + goal + ".";
  text += " Answer with JSON: {\"drafts\": [{\"text\": \"...\"}]}.";
  return text;
}

std::string materialText(const Source& source, std::size_t maxChars) {
  std::string text;
  const auto line = [&](const std::string& label, const std::string& value) {
    if (!value.empty()) text += label + ": " + value + "\n";
  };
  line("Title", source.title);
  line("Summary", source.summary);
  if (!source.keyPoints.empty()) text += "Key points:\n- " + list(source.keyPoints, "\n- ") + "\n";
  line("Topics", list(source.topics));
  line("Keywords", list(source.keywords));
  line("Hashtags", list(source.hashtags, " "));
  line("Mentions", list(source.mentions, " "));
  line("Tone", source.tone);
  line("Audience", source.audience);
  line("Language", source.language);
  line("Link", source.url);
  if (!source.mediaType.empty()) {
    line("Attached " + source.mediaType,
         source.mediaDescription.empty() ? "yes" : source.mediaDescription);
  }
  return prefix(text, maxChars);
}

Json draftsSchema(std::size_t count) {
  return {{"type", "object"},
          {"properties",
           {{"drafts",
             {{"type", "array"},
              {"minItems", count},
              {"maxItems", count},
              {"items",
               {{"type", "object"},
                {"properties", {{"text", {{"type", "string"}}}}},
                {"required", {"text"}},
                {"additionalProperties", false}}}}}}},
          {"required", {"drafts"}},
          {"additionalProperties", false}};
}

common::ai::Completion Writer::base(const WriteContext& context, std::size_t count) const {
  common::ai::Completion completion(systemText(context.brand, context.language));
  completion.instruction(platformInstruction(context.layout, count, context.goal));
  completion.material("analysis", materialText(context.source, settings_.maxMaterialChars));
  completion.schema(draftsSchema(count), "drafts")
      .maxTokens(settings_.maxTokens)
      .temperature(settings_.temperature);
  if (!settings_.model.empty()) completion.model(settings_.model);
  return completion;
}

std::vector<std::string> Writer::call(const common::ai::Completion& completion, std::size_t count) {
  const common::ai::Reply reply = client_.complete(job_, completion);
  ++calls_;
  usage_.input += reply.usage.input;
  usage_.output += reply.usage.output;
  usage_.cached += reply.usage.cached;
  provider_ = reply.provider;
  model_ = reply.model;
  const auto drafts = reply.json.find("drafts");
  if (drafts == reply.json.end() || !drafts->is_array() || drafts->size() < count) {
    throw common::job::Unrecoverable(
        "AI reply rejected: " +
        std::to_string(drafts != reply.json.end() && drafts->is_array() ? drafts->size() : 0) +
        " drafts for the " + std::to_string(count) + " asked");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) {
    const Json& draft = (*drafts)[i];
    out.push_back(draft.is_object() && draft.contains("text") && draft["text"].is_string()
                      ? tidy(draft["text"].get<std::string>())
                      : std::string());
  }
  return out;
}

std::vector<std::string> Writer::drafts(const WriteContext& context, std::size_t count) {
  return call(base(context, count), count);
}

std::string Writer::fix(const WriteContext& context, const std::string& previous,
                        const std::vector<Problem>& problems) {
  common::ai::Completion completion = base(context, 1);
  std::string reasons;
  for (const Problem& problem : problems) reasons += "\n- " + problem.message;
  completion.instruction("Your previous draft (the last part) failed these checks:" + reasons +
                         "\nWrite one new draft that passes every check.");
  completion.material("previous-draft", previous);
  return call(completion, 1).front();
}

std::string Writer::distinct(const WriteContext& context, const std::string& previous,
                             const std::string& similar, double similarity) {
  common::ai::Completion completion = base(context, 1);
  char score[16];
  std::snprintf(score, sizeof score, "%.2f", similarity);
  completion.instruction(
      std::string("Your previous draft (the next part) is too similar (cosine ") + score +
      ") to a post the brand already has (the last part). Write one new draft "
      "with another angle, opening and wording; do not reuse its sentences.");
  completion.material("previous-draft", previous);
  completion.material("similar-post", similar);
  return call(completion, 1).front();
}

}  // namespace generate
