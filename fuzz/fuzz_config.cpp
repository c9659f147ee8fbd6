// libFuzzer target: the config loader (src/config/config.cpp) on arbitrary YAML text.
//
// elv::Error is the expected outcome for a bad config and is swallowed; anything else is a
// finding. Invariant for a config that loads: writing it back (to_yaml, what every run
// stores as config.yaml) and loading that gives the same config.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/error.h"
#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  elv::Config config;
  try {
    config = elv::parse_config(text, "/fuzz", "fuzz.yaml");
  } catch (const elv::Error&) {
    return 0;
  }
  const std::string written = elv::to_yaml(config);
  try {
    if (!(elv::parse_config(written, "/fuzz", "written.yaml") == config)) std::abort();
  } catch (const elv::Error&) {
    std::abort();  // elv wrote a config.yaml it cannot read back
  }
  return 0;
}
