// The executor process: `warren __executor <node pid>`, started by the node with its end of a
// socketpair on fd 3 (Protocol.h). It loads the plugin named in the start frame (the same
// generation file and config as the node's), caps its own memory, runs the plugin's init with a
// host table whose services go to the node (Calls.h), then runs the jobs the node sends, one at
// a time, until the node says stop or goes away.
#pragma once

namespace warren::executor {

// The process's whole life; returns only when the command line is wrong (exit code).
int executorMain(int argc, char** argv);

}  // namespace warren::executor
