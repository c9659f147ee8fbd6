// The one checked reader for JSON documents elv reads back (model.json's parts: logreg,
// gbdt, calibrator, drift reference). nlohmann's own accessors throw type_error with
// library words ("[json.exception.type_error.302] type must be number, but is null");
// this names the part of the file and the field, in the same words everywhere:
//   "<where>: expected a JSON object"
//   "<where>: missing field 'k'"
//   "<where>: field 'k' must be a finite number"        (also: an integer, a string,
//                                                          true or false, an object)
//   "<where>: field 'k' must be an array of finite numbers" (or "of N finite numbers")
//   "<where>: field 'k' must be an array of strings"
// `where` is what the reader is reading: "logreg model", "calibrator", "psi reference".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace elv::io {

class JsonFields {
 public:
  // Throws "<where>: expected a JSON object" unless object is one. Keeps a reference:
  // object must outlive the reader.
  JsonFields(const nlohmann::json& object, std::string where);

  const std::string& where() const { return where_; }
  // The raw value of a field that must be present.
  const nlohmann::json& at(const char* key) const;
  // A field that must be an object, read with the same words (where + ": " + key).
  JsonFields object(const char* key) const;

  double finite_number(const char* key) const;
  int64_t integer(const char* key) const;
  // An integer that fits an int (counts, iterations, seeds of 32 bits).
  int int32(const char* key) const;
  std::string string(const char* key) const;
  bool boolean(const char* key) const;
  // An array of finite numbers; with `count`, of exactly that many.
  std::vector<double> finite_numbers(const char* key,
                                     std::optional<size_t> count = std::nullopt) const;
  std::vector<std::string> strings(const char* key) const;

 private:
  [[noreturn]] void refuse(const char* key, const std::string& must_be) const;

  const nlohmann::json& object_;
  std::string where_;
};

}  // namespace elv::io
