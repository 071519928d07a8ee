/* Compiled by the sdk_header_c99 test with gcc -std=c99 -Wall -Wextra -Werror -pedantic:
 * plugin.h must be plain C99, usable without any C++ or host header. */
#include <warren/plugin.h>

/* Use a few declarations so that they are really parsed, not just skipped. */
static const warren_plugin_descriptor* entry(void) {
  return NULL;
}
warren_entry_fn warren_header_check_entry = entry;
