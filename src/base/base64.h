// Standard base64 (RFC 4648, padded, no line breaks), one encoder for the advisor's inline
// images and the report's embedded thumbnails.
#pragma once
#include <string>
#include <string_view>

namespace elv {

std::string base64(std::string_view bytes);

}  // namespace elv
