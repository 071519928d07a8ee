// warren: wires the application together and does nothing else.
#include "app/App.h"
#include "app/Commands.h"

#include <Poco/Util/OptionException.h>

#include <iostream>

int main(int argc, char** argv) {
  warren::app::App app;
  try {
    app.init(argc, argv);
  } catch (const Poco::Util::OptionException& e) {
    std::cerr << "warren: " << e.displayText() << ". See warren --help\n";
    return warren::app::kExitUsage;
  }
  return app.run();
}
