#include "ChildExec.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace warren::test {

void execServerChild(char** argv, const char* outputPath, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(126);  // the parent died before prctl took effect
  const int output = ::open(outputPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const int input = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (output < 0 || input < 0) ::_exit(126);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::dup2(input, 0);
  ::dup2(output, 1);
  ::dup2(output, 2);
  if (::close_range(3, ~0U, 0) != 0)
    for (int fd = 3; fd < 4096; ++fd) ::close(fd);
  ::execv(argv[0], argv);
  ::_exit(127);
}

}  // namespace warren::test
