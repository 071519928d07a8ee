// JSON equality for tests: the values, not the order of object members (ai::Json keeps it).
#pragma once

#include "ai/Json.h"

#define EXPECT_JSON_EQ(actual, expected)                              \
  EXPECT_EQ(nlohmann::json::parse(::warren::ai::Json(actual).dump()), \
            nlohmann::json::parse(::warren::ai::Json(expected).dump()))
