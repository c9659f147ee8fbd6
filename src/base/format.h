// Numbers and lists as text for people: messages, validate's report, the profile and the
// report's charts all format through these, so the same number reads the same everywhere.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace elv {

// v with exactly `decimals` digits after the point, correctly rounded ("2.50"); never "-0.0"
// (a tiny negative rounds to "0.0"); "" for NaN and infinities.
std::string fixed(double v, int decimals);

// A share as a percentage with one decimal and a space: 0.123 -> "12.3 %".
std::string percent(double share);

// parts joined by sep: {"a", "b"}, ", " -> "a, b".
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// Text compared as the config and CRM exports name it: ASCII-lowercased, surrounding
// whitespace trimmed ("  Facebook Lead ID " and "facebook lead id" are the same header,
// " converted " and "Converted" the same stage).
std::string lowercase_trimmed(std::string_view text);

}  // namespace elv
