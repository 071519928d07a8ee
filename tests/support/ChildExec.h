// The forked child's side of starting a test server: only async-signal-safe calls until exec.
#pragma once

#include <sys/types.h>

namespace warren::test {

// Dies with the test process (PR_SET_PDEATHSIG, after any credential change made before it),
// reads /dev/null, writes stdout and stderr to `outputPath`, unblocks every signal (a mask
// survives exec: the server must receive our SIGTERM), closes every other descriptor (a test
// socket kept open by the server would hide a close from the other side), then execs argv.
[[noreturn]] void execServerChild(char** argv, const char* outputPath, pid_t parent);

}  // namespace warren::test
