/* A shared library that is not a Warren plugin: it exports a function, but not
 * warren_plugin_entry (a plausible misspelling instead). */
#include <warren/plugin.h>

WARREN_EXPORT int warren_plugin_main(void) {
  return 0;
}
