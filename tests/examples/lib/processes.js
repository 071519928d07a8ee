'use strict';
// The child processes the examples' tests start (warren, the AI providers' fake): waiting for
// the line that says a child is ready, and stopping it.

/** Resolves once `child` wrote `needle` (a string or a RegExp, whose match it resolves with) on
 * stderr or stdout; rejects if it exits first or after `timeoutMs`. */
function waitForOutput(child, needle, what, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${seen}`)), timeoutMs);
    const collect = (chunk) => {
      seen += chunk.toString();
      const found = needle instanceof RegExp ? needle.exec(seen) : seen.includes(needle) && [needle];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${seen}`));
    });
  });
}

/** SIGTERM, and resolves when it has exited (at once if it is not running). */
async function stop(child) {
  if (!child || child.exitCode !== null) return;
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

module.exports = { waitForOutput, stop };
