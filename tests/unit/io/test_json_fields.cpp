// io::JsonFields: every way a field can be wrong gives the same words, naming the part of
// the file and the field.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "io/json_fields.h"

namespace elv::io {
namespace {

using nlohmann::json;

// The message of the elv::Error that read(fields) throws, or "" when it throws none.
template <class Read>
std::string error_of(const json& j, Read read) {
  try {
    read(JsonFields(j, "thing"));
  } catch (const Error& e) {
    return e.message();
  }
  return "";
}

const json kSample = {{"n", 3},       {"x", 1.5},     {"name", "a"},         {"flag", true},
                      {"xs", {1, 2}}, {"big", 1e300}, {"names", {"a", "b"}}, {"sub", {{"k", 1}}}};

TEST(JsonFields, ReadsEveryKind) {
  const JsonFields f(kSample, "thing");
  EXPECT_EQ(f.integer("n"), 3);
  EXPECT_EQ(f.int32("n"), 3);
  EXPECT_DOUBLE_EQ(f.finite_number("x"), 1.5);
  EXPECT_DOUBLE_EQ(f.finite_number("n"), 3.0);  // an integer is a number too
  EXPECT_EQ(f.string("name"), "a");
  EXPECT_TRUE(f.boolean("flag"));
  EXPECT_EQ(f.finite_numbers("xs"), (std::vector<double>{1, 2}));
  EXPECT_EQ(f.finite_numbers("xs", 2), (std::vector<double>{1, 2}));
  EXPECT_EQ(f.strings("names"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.object("sub").integer("k"), 1);
}

TEST(JsonFields, NotAnObject) {
  EXPECT_EQ(error_of(json::array(), [](const JsonFields&) {}), "thing: expected a JSON object");
  EXPECT_EQ(error_of(json(nullptr), [](const JsonFields&) {}), "thing: expected a JSON object");
}

TEST(JsonFields, MissingField) {
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.finite_number("y"); }),
            "thing: missing field 'y'");
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.at("y"); }), "thing: missing field 'y'");
}

TEST(JsonFields, WrongKinds) {
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.finite_number("name"); }),
            "thing: field 'name' must be a finite number");
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.integer("x"); }),
            "thing: field 'x' must be an integer");
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.string("n"); }),
            "thing: field 'n' must be a string");
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.boolean("n"); }),
            "thing: field 'n' must be true or false");
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.object("xs"); }),
            "thing: field 'xs' must be an object");
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.strings("xs"); }),
            "thing: field 'xs' must be an array of strings");
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.finite_numbers("names"); }),
            "thing: field 'names' must be an array of finite numbers");
}

TEST(JsonFields, NullIsNotANumber) {
  // nlohmann writes NaN and infinity as null: a null weight must never read as 0.
  const json j = {{"x", nullptr}, {"xs", {1.0, nullptr}}};
  EXPECT_EQ(error_of(j, [](const JsonFields& f) { f.finite_number("x"); }),
            "thing: field 'x' must be a finite number");
  EXPECT_EQ(error_of(j, [](const JsonFields& f) { f.finite_numbers("xs"); }),
            "thing: field 'xs' must be an array of finite numbers");
}

TEST(JsonFields, ArrayLength) {
  EXPECT_EQ(error_of(kSample, [](const JsonFields& f) { f.finite_numbers("xs", 3); }),
            "thing: field 'xs' must be an array of 3 finite numbers");
}

TEST(JsonFields, IntegersOutOfRange) {
  const json j = {{"huge", 18446744073709551615ULL}, {"wide", 3000000000LL}, {"neg", -5}};
  EXPECT_EQ(error_of(j, [](const JsonFields& f) { f.integer("huge"); }),
            "thing: field 'huge' must be an integer");
  EXPECT_EQ(error_of(j, [](const JsonFields& f) { f.int32("wide"); }),
            "thing: field 'wide' must be an integer between -2147483648 and 2147483647");
  EXPECT_EQ(JsonFields(j, "thing").int32("neg"), -5);
  EXPECT_EQ(JsonFields(j, "thing").integer("wide"), 3000000000LL);
}

TEST(JsonFields, NestedObjectsNameTheirPath) {
  const json j = {{"outer", {{"inner", {{"v", "text"}}}}}};
  EXPECT_EQ(
      error_of(j, [](const JsonFields& f) { f.object("outer").object("inner").integer("v"); }),
      "thing: outer: inner: field 'v' must be an integer");
}

}  // namespace
}  // namespace elv::io
