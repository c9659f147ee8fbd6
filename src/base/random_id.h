// Random suffixes for names elv makes itself (run ids, job ids, upload folders), so two made
// in the same second never collide. Not for secrets: the generator is fast, not
// cryptographic.
#pragma once
#include <string>

namespace elv {

// `digits` random lowercase hex digits.
std::string random_hex(int digits);

}  // namespace elv
