// UTF-8, one of each: the well-formedness check used by the CSV reader (binary sniffing),
// the loader (Windows-1252 fallback) and the config reader (refusing bad bytes), the
// encoder used by the UTF-16 and Windows-1252 decoders, and the decoder behind the npz
// writer's UTF-32 strings.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace elv::io::utf8 {

// What a sequence cut off by the end of the text counts as. Whole text: malformed. A
// sample taken from a longer text (the first 64 KiB of a file) may end inside a character
// that is whole in the file: well-formed.
enum class CutOff { kMalformed, kWellFormed };

// Length (2 to 4) of the well-formed UTF-8 sequence at s[i], a byte >= 0x80, by Unicode's
// Table 3-7 (no overlong forms, no surrogates, nothing past U+10FFFF); 0 when malformed.
inline size_t sequence_length(std::string_view s, size_t i, CutOff cut_off = CutOff::kMalformed) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  else
    return 0;
  for (size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) return cut_off == CutOff::kWellFormed ? n : 0;
    const unsigned char lower = k == 1 ? lo : 0x80, upper = k == 1 ? hi : 0xBF;
    if (byte(i + k) < lower || byte(i + k) > upper) return 0;
  }
  return n;
}

// Bytes in the UTF-8 encoding of code point cp (cp <= 0x10FFFF).
inline size_t encoded_length(uint32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// Writes the UTF-8 encoding of cp at out; returns the position after it.
inline char* encode(char* out, uint32_t cp) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// The code point at s[i], advancing i past it; a malformed byte decodes as U+FFFD and is
// skipped alone, as the Unicode standard recommends.
inline uint32_t decode(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  const size_t n = sequence_length(s, i);
  if (n == 0) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return cp;
}

inline void append(std::string& out, uint32_t cp) {
  char buffer[4];
  out.append(buffer, encode(buffer, cp));
}

}  // namespace elv::io::utf8
