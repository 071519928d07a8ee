// Fixed texts the text-analysis tests share.
#pragma once

namespace common::text::fixtures {

inline constexpr const char* kEnglishNews =
    "The European Central Bank raised interest rates by a quarter point on Thursday, its tenth "
    "consecutive increase, as inflation in the euro zone remains stubbornly high. ECB President "
    "Christine Lagarde said further rate hikes could not be ruled out. Economists expect "
    "inflation to ease next year as energy prices fall, but core inflation is still well above "
    "the bank's 2% target. Markets reacted calmly, with the euro rising 0.3% against the dollar.";

inline constexpr const char* kFrenchNews =
    "La Banque centrale europ\xC3\xA9"
    "enne a relev\xC3\xA9 jeudi ses taux d'int\xC3\xA9r\xC3\xAAt "
    "d'un quart de point, sa dixi\xC3\xA8me hausse cons\xC3\xA9"
    "cutive, alors que l'inflation "
    "reste obstin\xC3\xA9ment \xC3\xA9lev\xC3\xA9"
    "e dans la zone euro. La pr\xC3\xA9sidente de la "
    "BCE, Christine Lagarde, a d\xC3\xA9"
    "clar\xC3\xA9 que de nouvelles hausses des taux "
    "n'\xC3\xA9taient pas exclues. Les \xC3\xA9"
    "conomistes s'attendent \xC3\xA0 un ralentissement "
    "de l'inflation l'an prochain gr\xC3\xA2"
    "ce \xC3\xA0 la baisse des prix de l'\xC3\xA9nergie.";

}  // namespace common::text::fixtures
