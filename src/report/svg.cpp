#include "report/svg.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace elv::report::svg {

namespace {

// Chart geometry shared by every builder: one viewBox size, room for the title above and
// the axis titles below/left. Callers scale the whole chart with CSS.
constexpr double kWidth = 480, kHeight = 340;
constexpr double kLeft = 62, kRight = 18, kTop = 44, kBottom = 52;
constexpr const char* kAxis = "#6b7280";
constexpr const char* kGrid = "#e5e7eb";
constexpr const char* kInk = "#111827";
constexpr const char* kMuted = "#6b7280";

bool finite(double v) { return std::isfinite(v); }

// Maps data coordinates to pixels: x in [x_lo, x_hi] left to right, y in [y_lo, y_hi]
// bottom to top (SVG's y axis points down).
struct Frame {
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  double left() const { return kLeft; }
  double right() const { return kWidth - kRight; }
  double top() const { return kTop; }
  double bottom() const { return kHeight - kBottom; }
  double px(double x) const { return left() + (x - x_lo) / (x_hi - x_lo) * (right() - left()); }
  double py(double y) const { return bottom() - (y - y_lo) / (y_hi - y_lo) * (bottom() - top()); }
};

std::string num(double v) { return fixed(v, 1); }

std::string open_svg(std::string_view title) {
  std::string s = "<svg viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) + "\" width=\"" +
                  num(kWidth) + "\" height=\"" + num(kHeight) +
                  "\" role=\"img\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
                  "font-size=\"11\" fill=\"" +
                  kInk + "\">";
  s += "<title>" + escape_xml(title) + "</title>";
  s += "<rect x=\"0\" y=\"0\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) +
       "\" fill=\"#ffffff\"/>";
  s += "<text x=\"" + num(kLeft) + "\" y=\"22\" font-size=\"13\" font-weight=\"bold\">" +
       escape_xml(title) + "</text>";
  return s;
}

// A name shortened to max_chars code points, with an ellipsis: long campaign names would
// run into the bars. Cuts between UTF-8 sequences, never inside one.
std::string shortened(std::string_view name, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    if ((static_cast<unsigned char>(name[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars++ == max_chars) return std::string(name.substr(0, i)) + "\xE2\x80\xA6";
  }
  return std::string(name);
}

std::string text(double x, double y, std::string_view body, std::string_view anchor = "start",
                 std::string_view extra = "") {
  std::string s =
      "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + std::string(anchor) + "\"";
  if (!extra.empty()) s.append(" ").append(extra);  // append(): see base/error.h
  return s.append(">").append(escape_xml(body)).append("</text>");
}

std::string line(double x1, double y1, double x2, double y2, std::string_view stroke,
                 std::string_view extra = "") {
  std::string s = "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) +
                  "\" y2=\"" + num(y2) + "\" stroke=\"" + std::string(stroke) + "\"";
  if (!extra.empty()) s.append(" ").append(extra);
  return s.append("/>");
}

std::string rect(double x, double y, double w, double h, std::string_view fill,
                 std::string_view extra = "") {
  std::string s = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" +
                  num(std::max(0.0, w)) + "\" height=\"" + num(std::max(0.0, h)) + "\" fill=\"" +
                  std::string(fill) + "\"";
  if (!extra.empty()) s.append(" ").append(extra);
  return s.append("/>");
}

std::string percent_label(double share) { return fixed(share * 100.0, 0) + "%"; }

// The axis lines along the bottom and the left, and the two axis titles (y's turned upright).
std::string axes(const Frame& f, std::string_view x_title, std::string_view y_title) {
  std::string s = line(f.left(), f.bottom(), f.right(), f.bottom(), kAxis);
  s += line(f.left(), f.top(), f.left(), f.bottom(), kAxis);
  s += text((f.left() + f.right()) / 2, kHeight - 12, x_title, "middle");
  const double yc = (f.top() + f.bottom()) / 2;
  s += text(16, yc, y_title, "middle", "transform=\"rotate(-90 16 " + num(yc) + ")\"");
  return s;
}

// Grid, axis lines, tick labels and axis titles for a [0,1]×[0,1] frame.
std::string unit_axes(const Frame& f, std::string_view x_title, std::string_view y_title) {
  std::string s;
  for (int i = 0; i <= 4; ++i) {
    const double v = i / 4.0;
    s += line(f.px(v), f.top(), f.px(v), f.bottom(), kGrid);
    s += line(f.left(), f.py(v), f.right(), f.py(v), kGrid);
    s += text(f.px(v), f.bottom() + 15, percent_label(v), "middle",
              std::string("fill=\"") + kMuted + "\"");
    s += text(f.left() - 6, f.py(v) + 4, percent_label(v), "end",
              std::string("fill=\"") + kMuted + "\"");
  }
  s += axes(f, x_title, y_title);
  return s;
}

std::string no_data(const Frame& f) {
  return text((f.left() + f.right()) / 2, (f.top() + f.bottom()) / 2, "no data", "middle",
              std::string("fill=\"") + kMuted + "\" font-size=\"14\"");
}

// The dashed diagonal y = x (random order, or perfect calibration); legends name it.
std::string diagonal(const Frame& f) {
  return line(f.px(0), f.py(0), f.px(1), f.py(1), "#9ca3af", "stroke-dasharray=\"5 4\"");
}

// Consecutive finite points as runs of polyline: a NaN breaks the line instead of
// drawing it through zero.
std::string polylines(const Frame& f, const std::vector<Point>& points, std::string_view color) {
  std::string s, run;
  int n = 0;
  auto flush = [&] {
    if (n >= 2)
      s += "<polyline points=\"" + run + "\" fill=\"none\" stroke=\"" + std::string(color) +
           "\" stroke-width=\"2\" stroke-linejoin=\"round\"/>";
    run.clear();
    n = 0;
  };
  for (const Point& p : points) {
    if (!finite(p.x) || !finite(p.y)) {
      flush();
      continue;
    }
    if (n++) run += " ";
    run += num(f.px(std::clamp(p.x, 0.0, 1.0))) + "," + num(f.py(std::clamp(p.y, 0.0, 1.0)));
  }
  flush();
  return s;
}

bool has_finite_point(const std::vector<Point>& points) {
  return std::any_of(points.begin(), points.end(),
                     [](const Point& p) { return finite(p.x) && finite(p.y); });
}

struct LegendItem {
  enum class Mark { Line, Dashed, Box };
  std::string label, color;
  Mark mark = Mark::Line;
};

// Top-left of the plot, where cumulative curves and reliability bars are lowest.
std::string legend(const Frame& f, const std::vector<LegendItem>& items) {
  std::string s;
  double y = f.top() + 14;
  for (const LegendItem& item : items) {
    if (item.mark == LegendItem::Mark::Box)
      s += rect(f.left() + 12, y - 9, 16, 10, item.color);
    else
      s +=
          line(f.left() + 10, y - 4, f.left() + 30, y - 4, item.color,
               item.mark == LegendItem::Mark::Dashed ? "stroke-width=\"2\" stroke-dasharray=\"5 4\""
                                                     : "stroke-width=\"2\"");
    s += text(f.left() + 36, y, item.label);
    y += 16;
  }
  return s;
}

// A round step (1, 2 or 5 × 10^k) giving at most about five ticks up to max.
double nice_step(double max) {
  if (!(max > 0)) return 1;
  const double raw = max / 5.0;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) return std::max(1.0, m * mag);
  return std::max(1.0, 10 * mag);
}

// 12,345: counts on the y axis read better with thousands separators.
std::string count_label(double v) {
  std::string digits = fixed(v, 0);
  std::string out;
  const size_t start = digits.size() > 0 && digits[0] == '-' ? 1 : 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > start && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string escape_xml(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&#39;";
          break;
        case '\t':
        case '\n':
        case '\r':
          out += static_cast<char>(c);
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            out += "\xEF\xBF\xBD";  // not allowed in XML
          else
            out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // A multi-byte UTF-8 sequence: copied only when well-formed (no overlongs, no
    // surrogates, at most U+10FFFF); anything else becomes one U+FFFD per bad byte.
    size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    bool ok = len > 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) ok = (s[i + k] & 0xC0) == 0x80;
    if (ok && len == 3) ok = !(c == 0xE0 && s[i + 1] < 0xA0) && !(c == 0xED && s[i + 1] >= 0xA0);
    if (ok && len == 4) ok = !(c == 0xF0 && s[i + 1] < 0x90) && !(c == 0xF4 && s[i + 1] >= 0x90);
    if (ok) {
      out.append(in.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string with_xmlns(std::string svg) {
  if (svg.rfind("<svg ", 0) == 0 && svg.find(" xmlns=") == std::string::npos)
    svg.insert(4, " xmlns=\"http://www.w3.org/2000/svg\"");
  return svg;
}

std::string capture_chart(const std::vector<Series>& series, std::string_view title) {
  const Frame f;
  std::string s = open_svg(title);
  s += unit_axes(f, "share of leads contacted, highest score first",
                 "share of qualified leads found");
  s += diagonal(f);
  bool any = false;
  std::vector<LegendItem> items;
  for (const Series& ser : series) {
    if (!has_finite_point(ser.points)) continue;
    any = true;
    s += polylines(f, ser.points, ser.color);
    items.push_back({ser.label, ser.color});
  }
  if (!any) s += no_data(f);
  items.push_back({"random order", "#9ca3af", LegendItem::Mark::Dashed});
  s += legend(f, items);
  return s + "</svg>";
}

std::string reliability_diagram(const std::vector<ReliabilityBin>& bins, std::string_view title) {
  const Frame f;
  std::string s = open_svg(title);
  s += unit_axes(f, "predicted probability", "observed share qualified");
  std::vector<Point> points;
  std::string labels;
  for (const ReliabilityBin& b : bins) {
    if (!finite(b.lower) || !finite(b.upper)) continue;
    const double lo = std::clamp(b.lower, 0.0, 1.0), hi = std::clamp(b.upper, 0.0, 1.0);
    const bool filled = b.count > 0 && finite(b.frac_pos);
    if (filled) {
      const double y = f.py(std::clamp(b.frac_pos, 0.0, 1.0));
      s += rect(f.px(lo) + 1, y, f.px(hi) - f.px(lo) - 2, f.bottom() - y, "#bfdbfe");
      if (finite(b.mean_pred)) points.push_back({b.mean_pred, b.frac_pos});
    }
    // Counts tell how much each point can be trusted: a bin of 3 leads is noise. They sit
    // at the foot of the bars, away from the points; narrow bins get them upright.
    const double x = f.px((lo + hi) / 2), y = f.bottom() - 5;
    const std::string count = count_label(static_cast<double>(std::max<int64_t>(0, b.count)));
    const std::string style =
        std::string("font-size=\"9\" fill=\"") + (filled ? kInk : kMuted) + "\"";
    if (f.px(hi) - f.px(lo) >= 34)
      labels += text(x, y, count, "middle", style);
    else
      labels += text(x + 3, y, count, "start",
                     style + " transform=\"rotate(-90 " + num(x + 3) + " " + num(y) + ")\"");
  }
  s += labels;
  s += diagonal(f);
  s += polylines(f, points, "#1d4ed8");
  for (const Point& p : points)
    s += "<circle cx=\"" + num(f.px(std::clamp(p.x, 0.0, 1.0))) + "\" cy=\"" +
         num(f.py(std::clamp(p.y, 0.0, 1.0))) + "\" r=\"3.5\" fill=\"#1d4ed8\"/>";
  if (points.empty()) s += no_data(f);
  s += legend(
      f, {{"observed share per bin (bar, with its lead count)", "#bfdbfe", LegendItem::Mark::Box},
          {"mean predicted vs observed", "#1d4ed8"},
          {"perfectly calibrated", "#9ca3af", LegendItem::Mark::Dashed}});
  return s + "</svg>";
}

std::string histogram(const std::vector<int64_t>& counts, double lo, double hi,
                      std::string_view title, std::string_view x_label) {
  const bool valid_range = finite(lo) && finite(hi) && hi > lo;
  int64_t max_count = 0;
  for (int64_t c : counts) max_count = std::max(max_count, c);
  const double step = nice_step(static_cast<double>(max_count));
  const double y_hi = max_count > 0 ? std::ceil(static_cast<double>(max_count) / step) * step : 1;
  const Frame f{valid_range ? lo : 0, valid_range ? hi : 1, 0, y_hi};
  std::string s = open_svg(title);
  for (double v = 0; v <= y_hi + 1e-9; v += step) {
    s += line(f.left(), f.py(v), f.right(), f.py(v), kGrid);
    s += text(f.left() - 6, f.py(v) + 4, count_label(v), "end",
              std::string("fill=\"") + kMuted + "\"");
  }
  const bool probabilities = valid_range && lo == 0 && hi == 1;
  for (int i = 0; i <= 5; ++i) {
    const double v = f.x_lo + (f.x_hi - f.x_lo) * i / 5.0;
    s += text(f.px(v), f.bottom() + 15, probabilities ? percent_label(v) : fixed(v, 2), "middle",
              std::string("fill=\"") + kMuted + "\"");
  }
  if (valid_range && max_count > 0) {
    const double width = (f.right() - f.left()) / static_cast<double>(counts.size());
    for (size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] <= 0) continue;
      const double y = f.py(static_cast<double>(counts[i]));
      s += rect(f.left() + width * static_cast<double>(i) + 1, y, width - 2, f.bottom() - y,
                "#60a5fa");
    }
  } else {
    s += no_data(f);
  }
  s += line(f.left(), f.bottom(), f.right(), f.bottom(), kAxis);
  s += line(f.left(), f.top(), f.left(), f.bottom(), kAxis);
  s += text((f.left() + f.right()) / 2, kHeight - 12, x_label, "middle");
  const double yc = (f.top() + f.bottom()) / 2;
  s += text(14, yc, "leads", "middle", "transform=\"rotate(-90 14 " + num(yc) + ")\"");
  return s + "</svg>";
}

std::string value_per_spend_bars(const std::vector<SpendBar>& bars, double reference,
                                 std::string_view title) {
  // Its own geometry: one row per bar, so the height follows the rows.
  constexpr double kBarsWidth = 640, kLabelRight = 196, kBarLeft = 204, kBarRight = 516;
  constexpr double kFirstRow = 60, kRowHeight = 34, kValueBar = 13, kSpendBar = 6;
  const double height =
      kFirstRow + kRowHeight * static_cast<double>(std::max<size_t>(bars.size(), 1)) + 10;
  double v_max = finite(reference) && reference > 0 ? reference : 0, s_max = 0;
  for (const SpendBar& b : bars) {
    if (finite(b.value_per_spend)) v_max = std::max(v_max, b.value_per_spend);
    if (finite(b.spend)) s_max = std::max(s_max, b.spend);
  }
  const auto vx = [&](double v) {
    return kBarLeft + (v_max > 0 ? std::clamp(v / v_max, 0.0, 1.0) : 0.0) * (kBarRight - kBarLeft);
  };
  const auto sx = [&](double v) {
    return kBarLeft + (s_max > 0 ? std::clamp(v / s_max, 0.0, 1.0) : 0.0) * (kBarRight - kBarLeft);
  };

  std::string s = "<svg viewBox=\"0 0 " + num(kBarsWidth) + " " + num(height) + "\" width=\"" +
                  num(kBarsWidth) + "\" height=\"" + num(height) +
                  "\" role=\"img\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
                  "font-size=\"11\" fill=\"" +
                  kInk + "\">";
  s += "<title>" + escape_xml(title) + "</title>";
  s += rect(0, 0, kBarsWidth, height, "#ffffff");
  s += "<text x=\"8\" y=\"22\" font-size=\"13\" font-weight=\"bold\">" + escape_xml(title) +
       "</text>";
  // Legend: what the two bars are.
  s += rect(8, 33, 16, 10, "#2563eb") + text(28, 42, "value per spend");
  s += rect(140, 36, 16, 5, "#9ca3af") + text(160, 42, "spend");
  s += rect(210, 33, 16, 10, "#d1d5db") + text(230, 42, "low volume (noisy)");

  const double plot_bottom = height - 10;
  auto marker = [&](double v, std::string_view label, std::string_view color) {
    const double x = vx(v);
    s += line(x, kFirstRow - 8, x, plot_bottom, color, "stroke-dasharray=\"4 3\"");
    s += text(x, kFirstRow - 10, label, "middle",
              std::string("fill=\"") + kMuted + "\" font-size=\"9\"");
  };
  // Break-even (value = spend) when the bars reach it; its label gives way to the
  // account's when the two lines are close.
  const bool has_reference = finite(reference) && reference > 0;
  if (v_max >= 1)
    marker(1, has_reference && std::abs(vx(1) - vx(reference)) < 70 ? "" : "break-even", "#9ca3af");
  if (has_reference) marker(reference, "account " + fixed(reference, 2), "#1d4ed8");

  double y = kFirstRow;
  for (const SpendBar& b : bars) {
    const std::string name = shortened(b.label, 26) + (b.low_volume ? " (low volume)" : "");
    s += text(kLabelRight, y + 11, shortened(name, 40), "end");
    if (finite(b.value_per_spend)) {
      const double x = vx(b.value_per_spend);
      s += rect(kBarLeft, y, x - kBarLeft, kValueBar, b.low_volume ? "#d1d5db" : "#2563eb");
      s += text(x + 4, y + 10, b.value_text, "start", "font-weight=\"bold\"");
    } else {
      s += text(kBarLeft + 4, y + 10, "no spend", "start", std::string("fill=\"") + kMuted + "\"");
    }
    if (finite(b.spend) && b.spend > 0) {
      const double x = sx(b.spend);
      s += rect(kBarLeft, y + kValueBar + 3, x - kBarLeft, kSpendBar, "#9ca3af");
      s += text(x + 4, y + kValueBar + 9, b.spend_text, "start",
                std::string("fill=\"") + kMuted + "\" font-size=\"9\"");
    }
    y += kRowHeight;
  }
  s += line(kBarLeft, kFirstRow - 4, kBarLeft, plot_bottom, kAxis);
  if (bars.empty())
    s += text(kBarsWidth / 2, kFirstRow + 20, "no data", "middle",
              std::string("fill=\"") + kMuted + "\" font-size=\"14\"");
  return s + "</svg>";
}

std::string per_fold_chart(const std::vector<std::string>& fold_labels,
                           const std::vector<Series>& series, double y_lo, double y_hi,
                           std::string_view title, std::string_view x_title,
                           std::string_view y_title) {
  if (!finite(y_lo) || !finite(y_hi) || !(y_hi > y_lo)) {
    y_lo = 0;
    y_hi = 1;
  }
  // Drawn on the unit frame: fold i at x = (i + 0.5) / n, a score v at (v − y_lo) / span, so
  // polylines' clamping keeps everything inside the plot.
  const Frame f;
  const size_t n = fold_labels.size();
  const double span = y_hi - y_lo;
  auto x_of = [n](size_t i) { return (static_cast<double>(i) + 0.5) / static_cast<double>(n); };
  auto y_of = [y_lo, span](double v) { return (v - y_lo) / span; };
  std::string s = open_svg(title);
  for (int i = 0; i <= 4; ++i) {
    const double v = y_lo + span * i / 4.0;
    s += line(f.left(), f.py(i / 4.0), f.right(), f.py(i / 4.0), kGrid);
    s += text(f.left() - 6, f.py(i / 4.0) + 4, fixed(v, 2), "end",
              std::string("fill=\"") + kMuted + "\"");
  }
  const size_t every = n <= 12 ? 1 : (n + 11) / 12;  // at most about 12 labels
  for (size_t i = 0; i < n; i += every)
    s += text(f.px(x_of(i)), f.bottom() + 15, fold_labels[i], "middle",
              std::string("fill=\"") + kMuted + "\"");
  s += axes(f, x_title, y_title);
  std::vector<LegendItem> items;
  if (y_lo < 0.5 && 0.5 < y_hi) {
    s += line(f.px(0), f.py(y_of(0.5)), f.px(1), f.py(y_of(0.5)), "#9ca3af",
              "stroke-dasharray=\"5 4\"");
    items.push_back({"0.5: a random ranking", "#9ca3af", LegendItem::Mark::Dashed});
  }
  bool any = false;
  for (const Series& ser : series) {
    std::vector<Point> points;
    for (const Point& p : ser.points) {
      if (!finite(p.x) || p.x < 0 || p.x >= static_cast<double>(n)) continue;
      points.push_back({x_of(static_cast<size_t>(p.x)), finite(p.y) ? y_of(p.y) : p.y});
    }
    s += polylines(f, points, ser.color);
    for (const Point& p : points) {
      if (!finite(p.y)) continue;
      any = true;
      s += "<circle cx=\"" + num(f.px(p.x)) + "\" cy=\"" + num(f.py(std::clamp(p.y, 0.0, 1.0))) +
           "\" r=\"3.5\" fill=\"" + ser.color + "\"/>";
    }
    items.push_back({ser.label, ser.color});
  }
  if (!any) s += no_data(f);
  s += legend(f, items);
  return s + "</svg>";
}

}  // namespace elv::report::svg
