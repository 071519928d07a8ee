// Tone, audience and content warnings of a Document, from our cue lists (data/style.txt,
// data/warnings.txt) matched by stem, in the text's language and in English (loanwords and
// internet English are common in posts).
//
// Tone: each tone's cue count, weighted (humorous and formal cues 1.5) and joined by features
// (promotional: money amounts, half each; urgent: two or more "!" and two or
// more all-capital words; humorous: laughing emoji; formal: long words and sentences without
// contractions; conversational: first and second person pronouns, questions, contractions) is
// divided by 1 + words / 100; the best tone scoring at least 1 (from at least 2 before the
// division) wins (ties: promotional, urgent,
// humorous, inspirational, formal, conversational), else the text is "informative". English
// cues in another language's text match only as written, never a stopword of that language.
//
// Audience: "technical" with at least two technical cues making 2 % of the words;
// "professional" the same with business cues, or a formal text rated difficult or harder;
// "young" with two slang cues, or three emoji making 5 % of the words in an easy text
// (readability 70 or more); else "general".
#pragma once

#include "text/Document.h"
#include "text/Readability.h"

#include <string>
#include <vector>

namespace common::text {

std::string toneOf(const Document& doc, const Readability& readability);
std::string audienceOf(const Document& doc, const Readability& readability,
                       const std::string& tone);

// Categories (violence, self-harm, sexual, drugs, alcohol, gambling, death) whose terms occur.
std::vector<std::string> contentWarnings(const Document& doc);

}  // namespace common::text
