// Library::load: every refusal with its exact message, the log line a refusal writes, what an
// accepted descriptor is copied into, and RTLD_LOCAL isolation between plugins.
#include "FixtureRefusals.h"
#include "Jobs.h"
#include "Paths.h"
#include "StderrCapture.h"
#include "TempDir.h"

#include "plugins/Library.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <fstream>

namespace warren::test {
namespace {

using plugins::Library;
using plugins::PluginError;

// The exact what() of loading `path`, or "" when it loads.
std::string refusalOf(const std::filesystem::path& path) {
  try {
    Library::load(path);
  } catch (const PluginError& e) {
    return e.what();
  }
  return "";
}

std::string refused(const std::string& name, const std::string& reason) {
  return "plugin " + fixture(name).string() + " refused: " + reason;
}

class FixtureRefused : public ::testing::TestWithParam<FixtureRefusal> {};

TEST_P(FixtureRefused, WithTheExactReason) {
  EXPECT_EQ(refusalOf(fixture(GetParam().fixture)), refused(GetParam().fixture, GetParam().reason));
}

INSTANTIATE_TEST_SUITE_P(LibraryRefusal, FixtureRefused,
                         ::testing::ValuesIn(staticFixtureRefusals()),
                         [](const auto& param) { return param.param.fixture; });

TEST(LibraryRefusal, UnresolvedSymbolFailsAtLoadNotAtFirstCall) {
  const std::string path = fixture("undefined_symbol").string();
  EXPECT_EQ(refusalOf(path), refused("undefined_symbol", "cannot load: " + path +
                                                             ": undefined symbol: "
                                                             "warren_fixture_not_defined"));
}

TEST(LibraryRefusal, MissingFile) {
  const std::string path = "/nonexistent/warren/missing.so";
  EXPECT_EQ(refusalOf(path), "plugin " + path + " refused: cannot load: " + path +
                                 ": cannot open shared object file: No such file or directory");
}

TEST(LibraryRefusal, NotASharedObject) {
  TempDir dir;
  const auto path = dir / "text.so";
  writeFile(path, std::string(200, '#') + "\nthis is text, not an ELF file\n");
  EXPECT_EQ(refusalOf(path), "plugin " + path.string() + " refused: cannot load: " + path.string() +
                                 ": invalid ELF header");
}

TEST(LibraryRefusal, AFileCutInsideItsCodeIsRefusedBeforeTheLoaderMapsIt) {
  // Mapping the missing pages would fault (SIGBUS) and kill the host.
  TempDir dir;
  const auto path = dir / "cut.so";
  std::ifstream in(fixture("control"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  writeFile(path, bytes.substr(0, 6000));
  const std::string refusal = refusalOf(path);
  EXPECT_EQ(refusal.rfind(
                "plugin " + path.string() + " refused: cannot load: the file is truncated: ", 0),
            0u)
      << refusal;
  EXPECT_NE(refusal.find("the file has 6000 bytes"), std::string::npos) << refusal;
}

TEST(LibraryRefusal, TheControlFixtureIsAccepted) {
  // The bent fixtures differ from this one by one definition each, so each refusal above is
  // caused by that definition alone.
  const auto library = Library::load(fixture("control"));
  EXPECT_EQ(library->info().name, "control");
}

TEST(LibraryRefusal, WritesAnErrorLogLineWithTheReason) {
  StderrCapture capture;
  EXPECT_THROW(Library::load(fixture("other_major")), PluginError);
  const std::string line = capture.finish();
  Poco::JSON::Parser parser;
  const auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(object->getValue<std::string>("level"), "error");
  EXPECT_EQ(object->getValue<std::string>("msg"), "plugin refused");
  EXPECT_EQ(object->getValue<std::string>("path"), fixture("other_major").string());
  EXPECT_EQ(object->getValue<std::string>("reason"),
            "ABI major version mismatch: plugin has ABI 2.2, host has ABI 1.2");
}

TEST(LibraryLoad, CopiesEchosDescriptor) {
  const auto library = Library::load(builtPlugin("echo"));
  const plugins::PluginInfo& info = library->info();
  EXPECT_EQ(info.name, "echo");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_EQ(info.abiMajor, WARREN_ABI_MAJOR);
  EXPECT_EQ(info.abiMinor, WARREN_ABI_MINOR);
  EXPECT_EQ(info.jobNames, (std::vector<std::string>{"echo", "echo:*"}));
  EXPECT_EQ(info.resourceClass, WARREN_RESOURCE_IO);
  EXPECT_EQ(info.memoryPerJobBytes, 4u << 20);
  EXPECT_EQ(info.defaultConcurrency, 10u);
  ASSERT_EQ(info.config.size(), 1u);
  EXPECT_EQ(info.config[0].name, "log_prefix");
  EXPECT_EQ(info.config[0].type, WARREN_CONFIG_STRING);
  EXPECT_EQ(info.config[0].defaultValue, "");
  EXPECT_FALSE(info.config[0].required);
  EXPECT_EQ(info.config[0].description, "Text put before every job log line this plugin writes");
  EXPECT_EQ(library->path(), builtPlugin("echo"));
}

TEST(LibraryLoad, TheNoopExampleIsAnInlinePlugin) {
  const auto library = Library::load(builtPlugin("noop"));
  EXPECT_EQ(library->info().resourceClass, WARREN_RESOURCE_INLINE);
  EXPECT_STREQ(plugins::resourceClassName(library->info().resourceClass), "inline");
  EXPECT_EQ(library->info().abiMinor, 2u);
}

TEST(LibraryLoad, CopiesAConfigKeyWithoutDefault) {
  const auto library = Library::load(fixture("required_config"));
  const auto& config = library->info().config;
  ASSERT_EQ(config.size(), 5u);
  EXPECT_EQ(config[0].name, "endpoint");
  EXPECT_FALSE(config[0].defaultValue.has_value());
  EXPECT_TRUE(config[0].required);
  EXPECT_EQ(config[4].type, WARREN_CONFIG_SECRET);
}

TEST(LibraryLoad, JobNamePatterns) {
  const auto library = Library::load(builtPlugin("echo"));
  EXPECT_TRUE(library->info().handles("echo"));
  EXPECT_TRUE(library->info().handles("echo:upper"));
  EXPECT_TRUE(library->info().handles("echo:"));
  EXPECT_FALSE(library->info().handles("echoes"));
  EXPECT_FALSE(library->info().handles("ech"));
}

TEST(LibraryLoad, CopiesTheJobTypesAndMigrationsOfAnAbi12Descriptor) {
  const auto library = Library::load(fixture("contract"));
  const plugins::PluginInfo& info = library->info();
  ASSERT_EQ(info.jobTypes.size(), 2u);
  EXPECT_EQ(info.jobTypes[0].name, "contract");
  EXPECT_EQ(info.jobTypes[0].summary, "Checks one text");
  ASSERT_TRUE(info.jobTypes[0].dataSchema.has_value());
  EXPECT_EQ(info.jobTypes[0].dataSchema->validate(R"({"text":1})"), "/text: expected a string");
  EXPECT_TRUE(info.jobTypes[0].resultSchema.has_value());
  EXPECT_EQ(info.jobTypes[1].name, "contract:report");
  EXPECT_FALSE(info.jobTypes[1].dataSchema.has_value());
  EXPECT_FALSE(info.jobTypes[1].resultSchema.has_value());
  // In version order, whatever the order of the descriptor's array.
  ASSERT_EQ(info.migrations.size(), 2u);
  EXPECT_EQ(info.migrations[0].version, 1u);
  EXPECT_EQ(info.migrations[0].name, "create_texts");
  EXPECT_EQ(info.migrations[1].version, 2u);
  EXPECT_EQ(info.migrations[1].name, "add_index");
  EXPECT_EQ(info.migrations[1].sqlite, "CREATE INDEX contract_texts_at ON contract_texts (at);");
}

TEST(LibraryLoad, ReadsNoAbi12MemberBeyondTheDescriptorsSize) {
  // Its job types would be refused (an invalid name), but its struct_size ends before them.
  const auto library = Library::load(fixture("contract_old_size"));
  EXPECT_TRUE(library->info().jobTypes.empty());
  EXPECT_TRUE(library->info().migrations.empty());
}

TEST(LibraryLoad, PluginsBuiltBeforeAbi12HaveNoContract) {
  const auto library = Library::load(builtPlugin("echo"));
  EXPECT_TRUE(library->info().jobTypes.empty());
  EXPECT_TRUE(library->info().migrations.empty());
}

TEST(LibraryResolve, NameAndPath) {
  TempDir dir;
  writeFile(dir / "mine.so", "");
  EXPECT_EQ(Library::resolve("mine", dir.path()), dir / "mine.so");
  EXPECT_EQ(Library::resolve((dir / "mine.so").string(), "/elsewhere"), dir / "mine.so");
  try {
    Library::resolve("absent", dir.path());
    FAIL() << "expected PluginError";
  } catch (const PluginError& e) {
    EXPECT_EQ(std::string(e.what()),
              "plugin 'absent' not found: no file " + (dir / "absent.so").string());
  }
}

// ---- RTLD_LOCAL ----

// dlsym on an already loaded library (RTLD_NOLOAD: never loads it a second time).
void* symbolOf(const std::filesystem::path& path, const char* name) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  if (handle == nullptr) return nullptr;
  void* symbol = ::dlsym(handle, name);
  ::dlclose(handle);
  return symbol;
}

TEST(LibraryIsolation, SameExportedSymbolInTwoPluginsDoesNotClash) {
  auto a = std::make_unique<plugins::Instance>(Library::load(fixture("dup_a")),
                                               plugins::ConfigValues{}, "qa");
  auto b = std::make_unique<plugins::Instance>(Library::load(fixture("dup_b")),
                                               plugins::ConfigValues{}, "qb");
  // Both really export the same name...
  void* inA = symbolOf(fixture("dup_a"), "warren_fixture_shared_value");
  void* inB = symbolOf(fixture("dup_b"), "warren_fixture_shared_value");
  ASSERT_NE(inA, nullptr);
  ASSERT_NE(inB, nullptr);
  EXPECT_NE(inA, inB);
  // ...neither is visible to the process at large...
  EXPECT_EQ(::dlsym(RTLD_DEFAULT, "warren_fixture_shared_value"), nullptr);
  // ...and each plugin's own call reaches its own copy, in either order.
  EXPECT_EQ(runJob(*b, jobInput("dup")).outcome.result, "2");
  EXPECT_EQ(runJob(*a, jobInput("dup")).outcome.result, "1");
  EXPECT_EQ(runJob(*b, jobInput("dup")).outcome.result, "2");
}

}  // namespace
}  // namespace warren::test
