// The memory-bandwidth limit of a scan: one streaming read of the same buffer, summing it with
// the widest loads the CPU has (the least work a scan can do per byte).
#pragma once

#include <cstddef>

namespace bench {

// Sum of `count` floats (returned so the compiler cannot drop the reads).
float streamRead(const float* data, std::size_t count);

}  // namespace bench
