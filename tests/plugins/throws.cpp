// A plugin whose handler goes wrong in the ways the C++ wrapper must contain. The job name
// picks the fault:
//   throws          throws std::runtime_error("disk on fire")
//   throws_unknown  throws an int (not a std::exception)
//   bad_json        completes with a return value that is not JSON
//   http, db, storage  calls a host service this host does not provide (NULL in the table)
#include <warren/plugin.hpp>

#include <stdexcept>

namespace {

class Throws final : public warren::Plugin {
 public:
  explicit Throws(const warren::Host& host) : warren::Plugin(host) {}

  warren::Result handle(warren::Job& job) override {
    const std::string_view name = job.name();
    if (name == "throws") throw std::runtime_error("disk on fire");
    if (name == "throws_unknown") throw 42;
    if (name == "bad_json") return warren::Result::completed("{not json");
    if (name == "http") (void)host().http();
    if (name == "db") (void)host().db();
    if (name == "storage") (void)host().storage();
    return warren::Result::completed("\"no fault\"");
  }
};

const char* const kJobs[] = {"*"};

}  // namespace

WARREN_PLUGIN(Throws, "throws", "1.0.0", kJobs, WARREN_RESOURCE_IO, 1u << 20, 4, nullptr)
