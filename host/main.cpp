// warren: wires the application together and does nothing else.
#include "app/App.h"
#include "app/Commands.h"
#include "executor/ExecutorMain.h"
#include "executor/Protocol.h"

#include <Poco/Util/OptionException.h>

#include <cstring>
#include <iostream>

int main(int argc, char** argv) {
  // An executor process of a queue with isolation = process (host/executor), started by a node.
  if (argc > 1 && std::strcmp(argv[1], warren::executor::kExecutorCommand) == 0) {
    return warren::executor::executorMain(argc, argv);
  }
  warren::app::App app;
  try {
    app.init(argc, argv);
  } catch (const Poco::Util::OptionException& e) {
    std::cerr << "warren: " << e.displayText() << ". See warren --help\n";
    return warren::app::kExitUsage;
  }
  return app.run();
}
