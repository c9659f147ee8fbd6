#include "io/json_fields.h"

#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace elv::io {
namespace {

using nlohmann::json;

bool is_finite_number(const json& v) { return v.is_number() && std::isfinite(v.get<double>()); }

}  // namespace

JsonFields::JsonFields(const json& object, std::string where)
    : object_(object), where_(std::move(where)) {
  if (!object_.is_object()) throw Error(where_ + ": expected a JSON object");
}

const json& JsonFields::at(const char* key) const {
  const auto it = object_.find(key);
  if (it == object_.end()) throw Error(where_ + ": missing field '" + key + "'");
  return *it;
}

void JsonFields::refuse(const char* key, const std::string& must_be) const {
  throw Error(where_ + ": field '" + key + "' must be " + must_be);
}

JsonFields JsonFields::object(const char* key) const {
  const json& v = at(key);
  if (!v.is_object()) refuse(key, "an object");
  return JsonFields(v, where_ + ": " + key);
}

double JsonFields::finite_number(const char* key) const {
  const json& v = at(key);
  if (!is_finite_number(v)) refuse(key, "a finite number");
  return v.get<double>();
}

int64_t JsonFields::integer(const char* key) const {
  const json& v = at(key);
  if (!v.is_number_integer()) refuse(key, "an integer");
  // An unsigned value past int64's range would wrap: refuse it rather than read it wrong.
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    refuse(key, "an integer");
  return v.get<int64_t>();
}

int JsonFields::int32(const char* key) const {
  const int64_t v = integer(key);
  if (v < INT32_MIN || v > INT32_MAX) refuse(key, "an integer between -2147483648 and 2147483647");
  return static_cast<int>(v);
}

std::string JsonFields::string(const char* key) const {
  const json& v = at(key);
  if (!v.is_string()) refuse(key, "a string");
  return v.get<std::string>();
}

bool JsonFields::boolean(const char* key) const {
  const json& v = at(key);
  if (!v.is_boolean()) refuse(key, "true or false");
  return v.get<bool>();
}

std::vector<double> JsonFields::finite_numbers(const char* key, std::optional<size_t> count) const {
  const json& a = at(key);
  const std::string must_be =
      "an array of " + (count ? std::to_string(*count) + " " : std::string()) + "finite numbers";
  if (!a.is_array() || (count && a.size() != *count)) refuse(key, must_be);
  std::vector<double> out;
  out.reserve(a.size());
  for (const json& v : a) {
    if (!is_finite_number(v)) refuse(key, must_be);
    out.push_back(v.get<double>());
  }
  return out;
}

std::vector<std::string> JsonFields::strings(const char* key) const {
  const json& a = at(key);
  if (!a.is_array()) refuse(key, "an array of strings");
  std::vector<std::string> out;
  out.reserve(a.size());
  for (const json& v : a) {
    if (!v.is_string()) refuse(key, "an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace elv::io
