// The warren executable on Poco::Util::Application: options, help, subcommand dispatch.
#pragma once

#include "app/Options.h"

#include <Poco/Util/Application.h>

namespace warren::app {

class App : public Poco::Util::Application {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const std::vector<std::string>& args) override;

 private:
  void printHelp() const;
  Options options_;
  bool helpRequested_ = false;
  bool versionRequested_ = false;
};

}  // namespace warren::app
