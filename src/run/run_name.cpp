#include "run/run_name.h"

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "io/utf8.h"
#include "report/run_kind.h"

using nlohmann::json;

namespace elv::run {

namespace {

// 12000 -> "12,000": the name is text, read in any locale, so one plain grouping.
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<size_t>(i), ",");
  return n < 0 ? "-" + digits : digits;
}

bool has_object(const json& j, const char* key) { return j.contains(key) && j[key].is_object(); }

}  // namespace

std::string checked_run_name(const std::string& name) {
  const size_t first = name.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const std::string trimmed = name.substr(first, name.find_last_not_of(" \t\r\n") - first + 1);
  size_t chars = 0;
  for (size_t i = 0; i < trimmed.size(); ++chars) {
    const auto c = static_cast<unsigned char>(trimmed[i]);
    if (c < 0x20 || c == 0x7F)
      throw UsageError("the run name may not hold control characters (tabs, line breaks)");
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t n = io::utf8::sequence_length(trimmed, i);
    if (n == 0) throw UsageError("the run name is not valid UTF-8 text");
    i += n;
  }
  if (chars > kMaxRunNameChars)
    throw UsageError("the run name is too long: at most " + std::to_string(kMaxRunNameChars) +
                     " characters");
  return trimmed;
}

std::string default_run_name(const json& m) {
  if (!m.is_object()) return "Run";
  const std::string kind_text =
      m.contains("run_kind") && m["run_kind"].is_string() ? m["run_kind"].get<std::string>() : "";
  const auto kind = report::run_kind_from_name(kind_text);
  const bool scored = has_object(m, "scoring");
  const bool trained = has_object(m, "model") && !scored;
  const bool batch = scored && m["scoring"].value("batch", false);
  std::string what;
  if (kind == report::RunKind::kCreativeAnalyze) return "Creative analysis";
  if (kind == report::RunKind::kBacktest)
    what = "Back-tested";
  else if (batch)
    what = "Batch scored";
  else if (scored)
    what = "Scored";
  else if (trained)
    what = "Trained";
  else
    what = "Table built";
  if (kind == report::RunKind::kDemo) {
    what[0] = static_cast<char>(what[0] - 'A' + 'a');
    what = "Demo, " + what;
  }
  if (has_object(m, "table") && m["table"].contains("rows") &&
      m["table"]["rows"].is_number_integer()) {
    const int64_t rows = m["table"]["rows"].get<int64_t>();
    what += ", " + grouped(rows) + (rows == 1 ? " lead" : " leads");
  }
  return what;
}

std::string run_name(const json& m) {
  if (m.is_object() && m.contains("name") && m["name"].is_string()) {
    const std::string name = m["name"].get<std::string>();
    if (name.find_first_not_of(" \t\r\n") != std::string::npos) return name;
  }
  return default_run_name(m);
}

}  // namespace elv::run
