/* A plugin linked without --no-undefined that calls a function nobody defines. The host loads
 * with RTLD_NOW, so the load itself fails, instead of a job crashing on its first call (which
 * is what lazy binding would do). */
#include <warren/plugin.h>

const warren_plugin_descriptor* warren_fixture_not_defined(void);

WARREN_EXPORT const warren_plugin_descriptor* warren_plugin_entry(void) {
  return warren_fixture_not_defined();
}
