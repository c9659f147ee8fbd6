// Shared by the config tests: the message of the error a config text is refused with.
#pragma once
#include <string>

#include <gtest/gtest.h>

#include "base/error.h"
#include "config/config.h"

namespace elv::test_util {

// The message of the error parse_config throws for `yaml` (named test.yaml); fails the test
// if there is none, or if the error does not name the file.
inline std::string config_error(const std::string& yaml) {
  try {
    parse_config(yaml, "/base", "test.yaml");
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), "test.yaml");
    return e.message();
  }
  ADD_FAILURE() << "no error for:\n" << yaml;
  return {};
}

}  // namespace elv::test_util
