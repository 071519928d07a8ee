#include "text/Language.h"

#include <gtest/gtest.h>

namespace common::text {
namespace {

TEST(Language, IdentifiesParagraphs) {
  const auto en = detectLanguage(
      "The committee will publish its final report next week, after months of hearings with "
      "experts, officials and the public.");
  EXPECT_EQ(en.code, "en");
  EXPECT_TRUE(en.reliable);
  EXPECT_GE(en.confidence, 0.9);
  EXPECT_EQ(detectLanguage("El comit\xC3\xA9 publicar\xC3\xA1 su informe final la pr\xC3\xB3xima "
                           "semana, tras meses de audiencias con expertos y funcionarios.")
                .code,
            "es");
  EXPECT_EQ(detectLanguage("Le comit\xC3\xA9 publiera son rapport final la semaine prochaine, "
                           "apr\xC3\xA8s des mois d'auditions avec des experts.")
                .code,
            "fr");
  EXPECT_EQ(detectLanguage("Der Ausschuss wird seinen Abschlussbericht n\xC3\xA4"
                           "chste Woche "
                           "nach monatelangen Anh\xC3\xB6rungen ver\xC3\xB6"
                           "ffentlichen.")
                .code,
            "de");
  EXPECT_EQ(detectLanguage("O comit\xC3\xA9 vai publicar o seu relat\xC3\xB3rio final na "
                           "pr\xC3\xB3xima semana, depois de meses de audi\xC3\xAA"
                           "ncias.")
                .code,
            "pt");
  EXPECT_EQ(detectLanguage("Il comitato pubblicher\xC3\xA0 la sua relazione finale la prossima "
                           "settimana, dopo mesi di audizioni con esperti.")
                .code,
            "it");
  EXPECT_EQ(detectLanguage("\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xE3\x81\xA8\xE3\x81\xA6\xE3\x82"
                           "\x82\xE8\x89\xAF\xE3\x81\x84\xE5\xA4\xA9\xE6\xB0\x97\xE3\x81\xA7\xE3"
                           "\x81\x99\xE3\x80\x82")
                .code,
            "ja");
}

TEST(Language, ShortTextUsesTheHintOrIsUnknown) {
  EXPECT_EQ(detectLanguage("ok").code, "und");
  const auto hinted = detectLanguage("ok", "fr");
  EXPECT_EQ(hinted.code, "fr");
  EXPECT_FALSE(hinted.reliable);
  EXPECT_DOUBLE_EQ(hinted.confidence, 0.5);
  EXPECT_EQ(detectLanguage("").code, "und");
}

TEST(Language, ReliableDetectionWinsOverAWrongHint) {
  EXPECT_EQ(detectLanguage("The committee will publish its final report next week, after months "
                           "of hearings with experts, officials and the public.",
                           "de")
                .code,
            "en");
}

}  // namespace
}  // namespace common::text
