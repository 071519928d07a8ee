// echo: the template Warren plugin. Copy this folder to start a plugin of your own.
//
// Job data fields (all optional):
//   value               returned as the job's return value (without it, the whole data is)
//   sleep_ms            waits this long first, waking early when the job is cancelled
//   progress            reports N evenly spaced progress steps up to 100
//   log                 appends this line to the job's log
//   fail                fails the job (retryable) with this message
//   fail_unrecoverable  fails the job without further attempts, with this message
#include <warren/plugin.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace {

// Parses any JSON value. Poco 1.11's parser accepts only an object or array at the top level,
// so a bare string or number is parsed as the one element of an array.
Poco::Dynamic::Var parseJson(std::string_view text) {
  std::string wrapped;
  wrapped.reserve(text.size() + 2);
  wrapped.append(1, '[').append(text).append(1, ']');
  Poco::JSON::Parser parser;
  return parser.parse(wrapped).extract<Poco::JSON::Array::Ptr>()->get(0);
}

std::string toJson(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

class Echo final : public warren::Plugin {
 public:
  explicit Echo(const warren::Host& host)
      : warren::Plugin(host), prefix_(host.getString("log_prefix")) {}

  warren::Result handle(warren::Job& job) override {
    const Poco::Dynamic::Var data = parseJson(job.data());
    const auto object = data.type() == typeid(Poco::JSON::Object::Ptr)
                            ? data.extract<Poco::JSON::Object::Ptr>()
                            : Poco::JSON::Object::Ptr();
    if (!object) return warren::Result::completed(toJson(data));

    if (object->has("log")) job.log(prefix_ + object->getValue<std::string>("log"));
    if (object->has("sleep_ms")) {
      const auto ms = object->getValue<std::int64_t>("sleep_ms");
      if (job.waitCancelled(std::chrono::milliseconds(ms))) {
        return warren::Result::retry("cancelled while sleeping");
      }
    }
    if (object->has("progress")) reportProgress(job, object->getValue<int>("progress"));
    if (object->has("fail_unrecoverable")) {
      return warren::Result::fail(object->getValue<std::string>("fail_unrecoverable"));
    }
    if (object->has("fail")) return warren::Result::retry(object->getValue<std::string>("fail"));
    return warren::Result::completed(object->has("value") ? toJson(object->get("value"))
                                                          : toJson(data));
  }

 private:
  static void reportProgress(const warren::Job& job, int steps) {
    for (int step = 1; step <= steps; ++step) job.progress(step * 100 / steps);
  }

  const std::string prefix_;
};

const char* const kJobNames[] = {"echo", "echo:*"};
const warren_config_key kConfig[] = {
    warren::configKey("log_prefix", WARREN_CONFIG_STRING, "", false,
                      "Text put before every job log line this plugin writes"),
};

}  // namespace

WARREN_PLUGIN(Echo, "echo", "1.0.0", kJobNames, WARREN_RESOURCE_IO, 4u << 20, 10, kConfig)
