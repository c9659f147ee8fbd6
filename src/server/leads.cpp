#include "server/leads.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "io/csv_reader.h"
#include "io/csv_writer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::server {

namespace {

enum class Kind { kText, kNumber, kInteger };

// The only columns of predictions.csv this route reads (besides p_qualified_<W>d and
// top_reasons): an allow-list, so a column the file gains later is never passed through.
struct Column {
  const char* name;
  Kind kind;
};
constexpr Column kColumns[] = {{"lead_id", Kind::kText},       {"created_time", Kind::kText},
                               {"campaign_name", Kind::kText}, {"adset_name", Kind::kText},
                               {"ad_name", Kind::kText},       {"elv", Kind::kNumber},
                               {"score_rank", Kind::kInteger}};

constexpr std::string_view kProbabilityPrefix = "p_qualified_";
constexpr const char* kReasonsColumn = "top_reasons";

template <class T>
std::optional<T> whole_number(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if constexpr (std::is_floating_point_v<T>)
    if (!std::isfinite(value)) return std::nullopt;
  return value;
}

// W of "p_qualified_<W>d", or nullopt when the name is not such a column.
std::optional<int> window_days(std::string_view column) {
  if (!column.starts_with(kProbabilityPrefix) || !column.ends_with('d')) return std::nullopt;
  column.remove_prefix(kProbabilityPrefix.size());
  column.remove_suffix(1);
  return whole_number<int>(column);
}

json cell_json(std::string_view cell, Kind kind) {
  if (cell.empty()) return nullptr;
  if (kind == Kind::kText) return std::string(csv::without_formula_guard(cell));
  if (kind == Kind::kInteger) {
    const auto v = whole_number<int64_t>(cell);
    return v ? json(*v) : json(nullptr);
  }
  const auto v = whole_number<double>(cell);
  return v ? json(*v) : json(nullptr);
}

struct Kept {
  double p = 0;
  int64_t index = 0;               // record number in the file: ties keep file order
  std::vector<std::string> cells;  // kColumns' cells (empty for an absent column), reasons last
};

}  // namespace

ParsedLeadsQuery parse_leads_query(const std::optional<std::string>& order,
                                   const std::optional<std::string>& limit) {
  ParsedLeadsQuery out;
  if (order && *order != "top" && *order != "bottom") {
    out.problem =
        "order must be 'top' (most likely to qualify first) or 'bottom' (least likely "
        "first), not '" +
        order->substr(0, 40) + "'";
    return out;
  }
  out.query.top = !order || *order == "top";
  if (limit) {
    const auto n = whole_number<int>(*limit);
    if (!n || *n < 1 || *n > kMaxLeadsLimit) {
      out.problem = "limit must be a whole number from 1 to " + std::to_string(kMaxLeadsLimit) +
                    ", not '" + limit->substr(0, 40) + "'";
      return out;
    }
    out.query.limit = *n;
  }
  return out;
}

std::vector<Reason> parse_reasons(std::string_view cell) {
  std::vector<Reason> out;
  // Reasons are joined by "; " and their words never hold ';' (docs/CONTRACT.md §6).
  while (!cell.empty()) {
    const size_t semi = cell.find(';');
    std::string_view part = cell.substr(0, semi);
    cell = semi == std::string_view::npos ? std::string_view() : cell.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) continue;
    Reason reason{std::string(part), std::nullopt};
    // The number sits in the last " (…)": the words may hold brackets of their own.
    const size_t open = part.rfind(" (");
    if (open != std::string_view::npos && part.back() == ')') {
      std::string_view number = part.substr(open + 2, part.size() - open - 3);
      if (!number.empty() && number.front() == '+') number.remove_prefix(1);
      if (const auto v = whole_number<double>(number)) {
        reason.text = std::string(part.substr(0, open));
        reason.contribution = *v;
      }
    }
    out.push_back(std::move(reason));
  }
  return out;
}

std::optional<json> leads_json(const std::string& csv_path, const LeadsQuery& query) {
  if (!fs::is_regular_file(csv_path)) return std::nullopt;
  const csv::Reader reader = csv::Reader::open(csv_path);
  const auto& header = reader.header();
  auto find = [&](std::string_view name) -> int {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  int p_column = -1;
  std::optional<int> window;
  for (size_t c = 0; c < header.size() && p_column < 0; ++c)
    if ((window = window_days(header[c]))) p_column = static_cast<int>(c);
  if (p_column < 0)
    throw Error("has no p_qualified_<W>d column: it is not a predictions file elv wrote",
                "predictions.csv");
  std::vector<int> columns;  // kColumns' positions in the file, then top_reasons'; -1: absent
  for (const Column& c : kColumns) columns.push_back(find(c.name));
  columns.push_back(find(kReasonsColumn));
  const bool has_reasons = columns.back() >= 0;

  // A bounded heap whose front is the worst kept row: each record costs one comparison, and
  // only a row that gets in is copied.
  auto better = [top = query.top](const Kept& a, const Kept& b) {
    if (a.p != b.p) return top ? a.p > b.p : a.p < b.p;
    return a.index < b.index;
  };
  const size_t limit = static_cast<size_t>(query.limit);
  std::vector<Kept> heap;
  heap.reserve(limit);
  int64_t total = 0;
  reader.for_each([&](int64_t line, const std::vector<std::string_view>& fields) {
    const auto p = whole_number<double>(fields[p_column]);
    if (!p)
      throw Error("not a probability: '" + std::string(fields[p_column].substr(0, 40)) + "'",
                  "predictions.csv", line, header[p_column]);
    Kept row{*p, total++, {}};
    if (heap.size() == limit && !better(row, heap.front())) return;
    for (int c : columns) row.cells.emplace_back(c < 0 ? std::string_view() : fields[c]);
    if (heap.size() == limit) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = std::move(row);
    } else {
      heap.push_back(std::move(row));
    }
    std::push_heap(heap.begin(), heap.end(), better);
  });
  std::sort(heap.begin(), heap.end(), better);

  json rows = json::array();
  for (const Kept& kept : heap) {
    json row = json::object();
    for (size_t c = 0; c < std::size(kColumns); ++c)
      if (columns[c] >= 0) row[kColumns[c].name] = cell_json(kept.cells[c], kColumns[c].kind);
    row["p"] = kept.p;
    json reasons = json::array();
    for (const Reason& r : parse_reasons(csv::without_formula_guard(kept.cells.back())))
      reasons.push_back({{"text", r.text},
                         {"contribution", r.contribution ? json(*r.contribution) : json(nullptr)}});
    row["reasons"] = std::move(reasons);
    rows.push_back(std::move(row));
  }
  return json{{"order", query.top ? "top" : "bottom"},
              {"limit", query.limit},
              {"total", total},
              {"window_days", *window},
              {"has_reasons", has_reasons},
              {"rows", std::move(rows)}};
}

}  // namespace elv::server
