// A request's JSON Schema in each provider's native subset for structured output:
// - OpenAI strict (response_format json_schema, strict:true): the root an object, every object
//   additionalProperties:false with every property required; properties the schema left
//   optional become nullable (type arrays with "null"), and the nulls the model then writes are
//   removed from the reply again; keywords strict mode refuses are dropped.
// - Gemini responseSchema (an OpenAPI subset): upper-case types, nullable instead of type arrays,
//   no additionalProperties, $ref inlined, enums on strings only, propertyOrdering kept.
// - Anthropic tool input_schema: JSON Schema as given, with an object at the root.
// A root that is not an object is wrapped as {"value": ...} where the provider needs an object,
// and unwrapped from the reply. The host validates the restored reply against the ORIGINAL
// schema, which catches whatever the subset could not say.
#pragma once

#include "ai/Json.h"

namespace warren::ai {

struct AdaptedSchema {
  Json schema;
  bool wrapped = false;      // the original is under properties.value
  bool strictNulls = false;  // optional properties were made nullable (OpenAI strict)
};

AdaptedSchema openAiStrictSchema(const Json& original);
// Throws Failure(invalid) for a recursive $ref, which responseSchema cannot hold.
AdaptedSchema geminiSchema(const Json& original);
AdaptedSchema anthropicToolSchema(const Json& original);

// The reply as the original schema means it: unwrapped, and without the nulls of properties
// that strict mode forced the model to write.
Json restoreReply(Json reply, const Json& original, const AdaptedSchema& adapted);

}  // namespace warren::ai
