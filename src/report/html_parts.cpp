#include "report/html_parts.h"

#include <cmath>
#include <filesystem>

#include "io/parse.h"
#include "report/html.h"
#include "report/svg.h"

namespace fs = std::filesystem;

namespace elv::report {

namespace detail {

// ---------------------------------------------------------------------------------------
// Number formats

std::string group_thousands(const std::string& number) {
  const size_t sign = !number.empty() && number[0] == '-' ? 1 : 0;
  size_t int_end = number.find('.');
  if (int_end == std::string::npos) int_end = number.size();
  std::string out = number.substr(0, sign);
  for (size_t i = sign; i < int_end; ++i) {
    if (i > sign && (int_end - i) % 3 == 0) out += ',';
    out += number[i];
  }
  return out + number.substr(int_end);
}

std::string format_metric(double v) { return std::isfinite(v) ? svg::fixed(v, 3) : kDash; }
std::string format_lift(double v) { return std::isfinite(v) ? svg::fixed(v, 1) + kTimes : kDash; }

double number_in(const std::vector<std::string>& row, int col) {
  if (col < 0 || static_cast<size_t>(col) >= row.size()) return kNaN;
  double v = 0;
  return parse::number(row[static_cast<size_t>(col)], v) == parse::NumberStatus::Ok ? v : kNaN;
}

// ---------------------------------------------------------------------------------------
// HTML pieces

std::string esc(std::string_view s) { return escape_html(s); }
std::string or_dash(const std::string& html) { return html.empty() ? kDash : html; }
std::string code(std::string_view s) { return s.empty() ? "" : "<code>" + esc(s) + "</code>"; }
std::string when(const json* j) {
  const std::string t = str(j);
  return t.empty() ? "" : "<span class=\"nowrap\">" + esc(t) + "</span>";
}
std::string absent(const std::string& html) { return "<p class=\"absent\">" + html + "</p>\n"; }
std::string problem(const std::string& html) { return "<p class=\"problem\">" + html + "</p>\n"; }
std::string para(const std::string& html) { return "<p>" + html + "</p>\n"; }
std::string h3(std::string_view id, std::string_view title) {
  return "<h3 id=\"" + esc(id) + "\">" + esc(title) + "</h3>\n";
}

std::string kv_table(const Rows& rows) {
  std::string s = "<table class=\"kv\"><tbody>\n";
  for (const auto& [label, value_html] : rows)
    s += "<tr><th scope=\"row\">" + esc(label) + "</th><td>" + or_dash(value_html) + "</td></tr>\n";
  return s + "</tbody></table>\n";
}

std::string grid_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::vector<bool>& numeric,
                       const std::vector<std::string>& row_classes,
                       const std::vector<std::string>& header_titles) {
  auto cls = [&](size_t i) { return i < numeric.size() && numeric[i] ? " class=\"num\"" : ""; };
  auto title = [&](size_t i) {
    return i < header_titles.size() && !header_titles[i].empty()
               ? " title=\"" + esc(header_titles[i]) + "\""
               : std::string();
  };
  std::string s = "<table><thead><tr>";
  for (size_t i = 0; i < header.size(); ++i)
    s += std::string("<th") + cls(i) + title(i) + ">" + esc(header[i]) + "</th>";
  s += "</tr></thead><tbody>\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::string rc = r < row_classes.size() && !row_classes[r].empty()
                               ? " class=\"" + row_classes[r] + "\""
                               : "";
    s += "<tr" + rc + ">";
    for (size_t i = 0; i < rows[r].size(); ++i)
      s += std::string("<td") + cls(i) + ">" + or_dash(rows[r][i]) + "</td>";
    s += "</tr>\n";
  }
  return s + "</tbody></table>\n";
}

std::string pair(const std::string& left_html, const std::string& right_html) {
  return "<div class=\"pair\">\n<div>\n" + left_html + "</div>\n<div>\n" + right_html +
         "</div>\n</div>\n";
}

std::string figure(const std::string& svg_markup, const std::string& caption_html) {
  return "<figure>" + svg_markup + "<figcaption>" + caption_html + "</figcaption></figure>\n";
}

std::string section(std::string_view id, std::string_view title, const std::string& body_html) {
  return "<section id=\"" + esc(id) + "\">\n<h2>" + esc(title) + "</h2>\n" + body_html +
         "</section>\n";
}

std::string guarded(std::string_view id, std::string_view title,
                    const std::function<std::string()>& body) {
  try {
    return section(id, title, body());
  } catch (const std::exception& e) {
    return section(id, title, problem("This section could not be shown: " + esc(e.what())));
  }
}

std::string unusable(const Status& status, std::string_view name, std::string_view consequence) {
  if (status.state == State::Missing)
    return esc(name) + " is missing from this run folder, so " + esc(consequence) + ".";
  if (status.state == State::Unreadable)
    return esc(name) + " could not be read (" + esc(status.problem) + "), so " + esc(consequence) +
           ".";
  return "";
}

std::string model_type_words(const std::string& model_type) {
  if (model_type == "logreg") return "logistic regression (logreg)";
  if (model_type == "gbdt") return "gradient-boosted trees (gbdt)";
  return esc(model_type);
}

std::string basename(const std::string& path) { return fs::path(path).filename().string(); }

}  // namespace detail

std::string escape_html(std::string_view text) { return svg::escape_xml(text); }

std::string format_count(int64_t n) { return detail::group_thousands(std::to_string(n)); }

std::string format_money(double v) {
  return std::isfinite(v) ? detail::group_thousands(svg::fixed(v, 2)) : detail::kDash;
}

std::string format_percent(double share) {
  return std::isfinite(share) ? svg::fixed(share * 100.0, 1) + detail::kNbsp + "%" : detail::kDash;
}

}  // namespace elv::report
