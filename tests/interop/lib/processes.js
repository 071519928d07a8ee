'use strict';
// Every child process the suite starts is tracked here and SIGKILLed if the test file's
// process exits without stopping it (a crash or an uncaught error), so nothing is left running.
const children = new Set();

function track(child) {
  children.add(child);
}
function untrack(child) {
  children.delete(child);
}

process.on('exit', () => {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

module.exports = { track, untrack };
