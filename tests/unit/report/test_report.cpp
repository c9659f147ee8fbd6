// report.html and its SVG charts: escaping, number formats, well-formed output on edge
// cases, and render_report on hand-written run folders (train, score, batch-score,
// missing and damaged artifacts). Pages are checked with libxml2's HTML parser and, since
// the report is written as well-formed XML, with its strict XML parser too.
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <nlohmann/json.hpp>

#include "report/html.h"
#include "report/svg.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace elv::report;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::string kEvil = "<script>alert(1)</script>";

// ---- parsers

// libxml2 frees the error after the callback: keep copies of what we need.
struct ParseError {
  int code, line;
  std::string message;
};

void collect_error(void* sink, xmlErrorPtr e) {
  if (e)
    static_cast<std::vector<ParseError>*>(sink)->push_back(
        {e->code, e->line, e->message ? e->message : ""});
}

// Errors of libxml2's HTML parser, except "Tag X invalid" for the HTML5 and SVG elements
// the report uses: libxml2 knows HTML 4 only, so it does not know <section> or <svg>.
std::vector<std::string> html_errors(const std::string& html) {
  static const std::set<std::string> kHtml5 = {
      "header", "main", "nav",      "section", "footer", "figure", "figcaption", "svg",
      "rect",   "line", "polyline", "text",    "circle", "g",      "path"};
  std::vector<ParseError> raw;
  xmlSetStructuredErrorFunc(&raw, collect_error);
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  htmlDocPtr doc = htmlCtxtReadMemory(ctxt, html.data(), static_cast<int>(html.size()),
                                      "report.html", "UTF-8", HTML_PARSE_NONET);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  std::vector<std::string> out;
  if (!doc) out.push_back("no document");
  for (const ParseError& e : raw) {
    const std::string& msg = e.message;
    if (e.code == XML_HTML_UNKNOWN_TAG) {
      const size_t a = msg.find("Tag "), b = msg.find(" invalid");
      if (a != std::string::npos && b != std::string::npos &&
          kHtml5.count(msg.substr(a + 4, b - a - 4)))
        continue;
    }
    out.push_back("line " + std::to_string(e.line) + ": " + msg);
  }
  if (doc) xmlFreeDoc(doc);
  htmlFreeParserCtxt(ctxt);
  return out;
}

std::vector<std::string> xml_errors(const std::string& text) {
  std::vector<ParseError> raw;
  xmlSetStructuredErrorFunc(&raw, collect_error);
  xmlDocPtr doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "doc.xml", "UTF-8",
                                XML_PARSE_NONET);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  std::vector<std::string> out;
  if (!doc) out.push_back("not well-formed");
  for (const ParseError& e : raw)
    out.push_back("line " + std::to_string(e.line) + ": " + e.message);
  if (doc) xmlFreeDoc(doc);
  return out;
}

void expect_valid_page(const std::string& html) {
  EXPECT_EQ(html_errors(html), std::vector<std::string>{});
  EXPECT_EQ(xml_errors(html), std::vector<std::string>{});
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos) << "no scripts, and user text is escaped";
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
}

bool has(const std::string& html, const std::string& needle) {
  return html.find(needle) != std::string::npos;
}

// ---- run folders written by hand

class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "elv-report-XXXXXX").string();
    path_ = mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

void write(const fs::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name, std::ios::binary) << text;
}
void write_json(const fs::path& dir, const std::string& name, const json& j) {
  write(dir, name, j.dump(2));
}

json facts() {
  return {{"run_id", "20260630T000000Z-abc123"},
          {"command", "elv train --config run.yaml"},
          {"elv_version", "0.1.0"},
          {"created_at_utc", "2026-06-30T12:00:00+00:00"},
          {"inputs",
           {{"leads", {{"path", "/data/leads.csv"}, {"rows", 12000}, {"size_mb", 1.33}}},
            {"ads", {{"path", "/data/ads <2026>.csv"}, {"rows", 4800}, {"size_mb", 0.45}}}}},
          {"join",
           {{"strategy", "id"},
            {"match_rate", 0.875},
            {"leads_in_file", 12000},
            {"rows", 12000},
            {"feature_level", {{"ad", 12000}, {"adset", 0}}}}},
          {"labeling",
           {{"as_of_date", "2026-06-30"},
            {"maturity_cutoff_utc", "2026-06-16T00:00:00+00:00"},
            {"label_window_days", 14},
            {"counts", {{"positive", 6564}, {"negative", 3374}, {"unknown", 2062}}},
            {"outcomes_available", true}}},
          {"features",
           {{"feature_window_days", 7},
            {"feature_lag_days", 1},
            {"ads_covered_days", {{"first", "2026-05-02"}, {"last", "2026-06-30"}}}}},
          {"enrichments", json::array({{{"kind", "ads_geo"},
                                        {"path", "/data/ads_geo.csv"},
                                        {"rows", 24000},
                                        {"lead_coverage", 0.5},
                                        {"features", {"geo_a", "geo_b"}}}})},
          {"warnings", {"leads.csv: column <email> dropped & never read"}}};
}

json curve(double strength) {
  json c = json::array();
  for (int i = 0; i <= 50; ++i) {
    const double x = i / 50.0;
    c.push_back({{"frac_leads", x}, {"frac_positives", std::pow(x, strength)}});
  }
  return c;
}

json core(double auc, double capture, double strength) {
  json bins = json::array();
  for (int i = 0; i < 10; ++i) {
    const bool empty = i == 0;
    bins.push_back({{"lower", i / 10.0},
                    {"upper", (i + 1) / 10.0},
                    {"count", empty ? 0 : 100 + i},
                    {"mean_pred", empty ? json(nullptr) : json(i / 10.0 + 0.05)},
                    {"frac_pos", empty ? json(nullptr) : json(i / 10.0 + 0.03)}});
  }
  return {{"roc_auc", auc},
          {"pr_auc", 0.7},
          {"brier", 0.18},
          {"log_loss", 0.55},
          {"lift_at_k",
           {{"topk_frac", 0.1},
            {"k", 180},
            {"overall_rate", 0.1},
            {"topk_rate", capture},
            {"lift", capture / 0.1},
            {"capture", capture}}},
          {"lift_curve", curve(strength)},
          {"calibration", {{"bins", bins}, {"ece", 0.021}}}};
}

// The report judges each feature by scoring/drift_policy.h from psi (and expected_psi), so
// "flagged" here is what an older run recorded, not what decides.
json drift(bool flag_one) {
  return {{"method", "psi"},
          {"psi_threshold", 0.2},
          {"columns",
           {{"ctr_7d", {{"psi", flag_one ? 0.61 : 0.01}, {"flagged", flag_one}}},
            {"spend_sum_7d", {{"psi", flag_one ? 0.9 : 0.01}, {"flagged", flag_one}}},
            {"lead_hour", {{"psi", 0.004}, {"flagged", false}}},
            {"cpc_7d", {{"psi", nullptr}, {"flagged", false}}}}},
          {"flagged_columns", flag_one ? json::array({"ctr_7d"}) : json::array()}};
}

json metrics() {
  return {{"model_type", "logreg"},
          {"calibration_method", "sigmoid"},
          {"model", core(0.81, 0.34, 0.5)},
          {"baseline_campaign_rate", core(0.66, 0.14, 0.8)},
          {"data",
           {{"n_labeled", 9000},
            {"n_train", 5400},
            {"n_calib", 1800},
            {"n_test", 1800},
            {"positive_rate_labeled", 0.6}}},
          {"split",
           {{"train_end_time", "2026-05-28T23:54:53+00:00"},
            {"calib_end_time", "2026-06-06T23:52:56+00:00"}}},
          {"drift", drift(true)}};
}

const char* kCampaignCsv =
    "campaign_id,campaign_name,spend,lead_count,predicted_elv,avg_p_qualified_14d,avg_elv,labeled_"
    "count,"
    "positive_rate_labeled,low_volume,elv_per_spend,cpl,expected_profit,roi,expected_profit_per_"
    "lead\n"
    "cmp_001,Campaign "
    "01,27689.19,5045,4115.98,0.8158,0.8158,4306,0.8622,false,0.1486,5.488,-23573.2,-0.8513,-4.67\n"
    "cmp_x,\"<script>alert(1)</"
    "script>\",1234567.5,4000,900.5,0.45,0.45,1636,0.47,false,0.0382,11.77,-22770.72,-0.96,-11.3\n"
    "cmp_tiny,\"Small & new\",99.5,12,3.1,0.26,0.26,,,true,0.031,8.29,-96.4,-0.97,-8.03\n";

const char* kAdsetCsv =
    "campaign_id,campaign_name,adset_id,adset_name,spend,lead_count,predicted_elv,avg_p_qualified_"
    "14d,avg_elv,"
    "labeled_count,positive_rate_labeled,low_volume,elv_per_spend,cpl,expected_profit,roi,expected_"
    "profit_per_lead\n"
    "cmp_001,Campaign 01,as_1,Adset "
    "01-00,6875.45,1696,1503.27,0.886,0.886,1454,0.92,false,0.2186,4.05,-5372.17,-0.78,-3.16\n";

std::string predictions_csv() {
  std::string s = "lead_id,label_status,p_qualified_14d,value_per_qualified,elv\n";
  for (int i = 0; i < 200; ++i) {
    const double p = (i % 97) / 97.0;
    s += "lead_" + std::to_string(i) + ",unknown," + std::to_string(p) + ",1," + std::to_string(p) +
         "\n";
  }
  return s;
}

// The files every run has; the report does not read some of them but lists them.
void write_common(const fs::path& dir, const json& metadata) {
  write_json(dir, "metadata.json", metadata);
  write_json(dir, "data_profile.json", facts());
  write(dir, "data_profile.md", "# profile\n");
  write(dir, "table.csv.gz", "not read by the report");
  write(dir, "config.yaml",
        "reporting:\n  min_segment_leads: 30\nbusiness:\n  value_per_qualified: 120\n");
  write(dir, "predictions.csv", predictions_csv());
  write(dir, "leaderboard_campaign.csv", kCampaignCsv);
  write(dir, "leaderboard_adset.csv", kAdsetCsv);
}

void write_train_run(const fs::path& dir) {
  json m = facts();
  m["model"] = {{"model_type", "logreg"},
                {"model_type_requested", "logreg"},
                {"calibration_method", "sigmoid"},
                {"features", 94}};
  m["split"] = metrics()["split"];
  write_common(dir, m);
  write_json(dir, "metrics.json", metrics());
  write_json(dir, "model.json", json{{"format", "elv-model/1"}});
}

void write_score_run(const fs::path& dir, bool batch) {
  json m = facts();
  m["command"] = batch ? "elv batch-score --config run.yaml --model m.json"
                       : "elv score --config run.yaml --model m.json";
  m["model"] = {{"path", "/runs/t/model.json"},
                {"model_type", "logreg"},
                {"training",
                 {{"as_of_date", "2026-01-31"},
                  {"calibration_method", "sigmoid"},
                  {"train_end_time", "2025-12-05T23:50:49+00:00"},
                  {"calib_end_time", "2025-12-26T23:58:16+00:00"}}}};
  m["scoring"] = {{"batch", batch}};
  write_common(dir, m);
  write_json(dir, "drift.json", drift(false));
}

const std::vector<std::string> kSectionIds = {"overview", "summary",      "data-health", "quality",
                                              "scores",   "leaderboards", "drift",       "files"};

void expect_all_sections(const std::string& html) {
  for (const auto& id : kSectionIds) EXPECT_TRUE(has(html, "<section id=\"" + id + "\">")) << id;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The checks themselves have teeth

TEST(ReportParsers, CatchBrokenMarkup) {
  EXPECT_FALSE(html_errors("<!DOCTYPE html><html><body><p><b>x</p></body></html>").empty());
  EXPECT_FALSE(html_errors("<!DOCTYPE html><html><body><blink>x</blink></body></html>").empty());
  EXPECT_TRUE(
      html_errors("<!DOCTYPE html><html><body><section><p>x</p></section></body></html>").empty());
  EXPECT_FALSE(xml_errors("<svg><text>a & b</text></svg>").empty());
  EXPECT_FALSE(xml_errors("<svg><text>a</svg>").empty());
}

// ---------------------------------------------------------------------------------------
// Escaping and number formats

TEST(ReportEscape, EscapesMarkupAndQuotes) {
  EXPECT_EQ(escape_html(kEvil), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(escape_html("a & \"b\" 'c'"), "a &amp; &quot;b&quot; &#39;c&#39;");
  EXPECT_EQ(escape_html(""), "");
}

TEST(ReportEscape, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(escape_html("Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(escape_html("a\xFF"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");                                                  // stray byte
  EXPECT_EQ(escape_html("\xC3"), "\xEF\xBF\xBD");                  // truncated sequence
  EXPECT_EQ(escape_html("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(escape_html("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(escape_html(std::string("x\x01y\0z", 5)),
            "x\xEF\xBF\xBDy\xEF\xBF\xBDz");  // not allowed in XML
  EXPECT_EQ(escape_html("tab\tnew\nline"), "tab\tnew\nline");
}

TEST(ReportFormat, MoneyPercentCountFixed) {
  EXPECT_EQ(format_money(1234567.891), "1,234,567.89");
  EXPECT_EQ(format_money(-1234.5), "-1,234.50");
  EXPECT_EQ(format_money(999.999), "1,000.00");
  EXPECT_EQ(format_money(0.004), "0.00");
  EXPECT_EQ(format_money(-0.001), "0.00");
  EXPECT_EQ(format_money(kNaN), "\xE2\x80\x94");
  EXPECT_EQ(format_percent(0.3417), "34.2\xC2\xA0%");
  EXPECT_EQ(format_percent(1.0), "100.0\xC2\xA0%");
  EXPECT_EQ(format_percent(kNaN), "\xE2\x80\x94");
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_count(-1000), "-1,000");
  EXPECT_EQ(svg::fixed(0.125, 2), "0.12");  // round-half-even on the exact binary value
  EXPECT_EQ(svg::fixed(-0.0001, 2), "0.00");
  EXPECT_EQ(svg::fixed(kNaN, 2), "");
  EXPECT_EQ(svg::fixed(std::numeric_limits<double>::infinity(), 2), "");
}

// ---------------------------------------------------------------------------------------
// SVG builders

// 20 narrow bins: their count labels are drawn upright.
std::vector<svg::ReliabilityBin> narrow_bins() {
  std::vector<svg::ReliabilityBin> bins;
  for (int i = 0; i < 20; ++i)
    bins.push_back({i / 20.0, (i + 1) / 20.0, i / 20.0 + 0.02, i / 20.0, 1000 + i});
  return bins;
}

TEST(ReportSvg, ChartsAreWellFormedOnEdgeCases) {
  const std::vector<std::string> charts = {
      svg::capture_chart({}, "empty"),
      svg::capture_chart({{"nan", "#000", {{kNaN, 0.1}, {0.2, kNaN}}}}, "all NaN"),
      svg::capture_chart({{"gap", "#000", {{0, 0}, {0.5, kNaN}, {0.6, 0.7}, {1, 1}}}}, "gap"),
      svg::reliability_diagram({}, "empty"),
      svg::reliability_diagram({{0, 0.5, kNaN, kNaN, 0}, {0.5, 1, 0.7, 0.65, 12345}}, "bins"),
      svg::reliability_diagram({{kNaN, kNaN, kNaN, kNaN, -3}}, "garbage"),
      svg::histogram({}, 0, 1, "empty", "p"),
      svg::histogram({0, 0, 0}, 0, 1, "zeros", "p"),
      svg::histogram({1, 5, 2}, 1, 1, "empty range", "p"),
      svg::histogram({1, 5, 2}, kNaN, 1, "NaN range", "p"),
      svg::histogram({3, 1000000, 7}, 0, 1, "big", "p"),
      svg::reliability_diagram(narrow_bins(), "narrow"),
  };
  for (const std::string& s : charts) {
    EXPECT_EQ(xml_errors(s), std::vector<std::string>{}) << s.substr(0, 200);
    EXPECT_EQ(s.rfind("<svg ", 0), 0u);
    EXPECT_FALSE(has(s, "nan")) << s;
    EXPECT_FALSE(has(s, "inf")) << s;
    EXPECT_FALSE(has(s, "http")) << "inline SVG carries no namespace URL";
  }
  EXPECT_TRUE(has(charts[0], "no data"));
  EXPECT_TRUE(has(charts[1], "no data"));
  EXPECT_FALSE(has(charts[2], "no data"));
  EXPECT_TRUE(has(charts[3], "no data"));
  EXPECT_TRUE(has(charts[4], ">12,345<")) << "bin counts are labels";
  EXPECT_TRUE(has(charts[6], "no data"));
  EXPECT_TRUE(has(charts[10], "1,000,000"));
  EXPECT_TRUE(has(charts[11], "rotate(-90")) << "narrow bins get upright labels";
  EXPECT_TRUE(has(charts[11], ">1,019<"));
}

TEST(ReportSvg, CaptureChartHasRandomLineAndSeries) {
  const std::string s =
      svg::capture_chart({{"model", "#1d4ed8", {{0, 0}, {0.1, 0.34}, {1, 1}}}}, "Capture");
  EXPECT_TRUE(has(s, "stroke-dasharray")) << "the random diagonal";
  EXPECT_TRUE(has(s, "random order"));
  EXPECT_TRUE(has(s, "<polyline points=\"62.0,288.0 102.0,205.0 462.0,44.0\""));
  EXPECT_EQ(s,
            svg::capture_chart({{"model", "#1d4ed8", {{0, 0}, {0.1, 0.34}, {1, 1}}}}, "Capture"));
}

TEST(ReportSvg, TextIsEscapedAndNamespaceIsOptional) {
  const std::string s = svg::histogram({1, 2}, 0, 1, kEvil + " & co", "<x>");
  EXPECT_FALSE(has(s, "<script"));
  EXPECT_TRUE(has(s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
  EXPECT_EQ(xml_errors(s), std::vector<std::string>{});
  const std::string standalone = svg::with_xmlns(s);
  EXPECT_EQ(standalone.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" ", 0), 0u);
  EXPECT_EQ(svg::with_xmlns(standalone), standalone);
}

// ---------------------------------------------------------------------------------------
// Whole reports

TEST(ReportRender, TrainRunHasEverySection) {
  TempDir dir;
  write_train_run(dir.path());
  const std::string html = render_report(dir.str());
  expect_valid_page(html);
  expect_all_sections(html);
  EXPECT_TRUE(has(html, "id=\"leaderboard-campaign\""));
  EXPECT_TRUE(has(html, "id=\"leaderboard-adset\""));
  EXPECT_FALSE(has(html, "class=\"absent\"")) << "nothing is absent from a complete train run";
  EXPECT_FALSE(has(html, "id=\"missing\""));
  // The plain-language sentence and the metrics next to the baseline.
  EXPECT_TRUE(has(html,
                  "Contacting the top 10.0\xC2\xA0% of leads ranked by this model captures "
                  "<strong>34.0\xC2\xA0%"
                  "</strong> of qualified leads, <strong>3.4\xC3\x97</strong> random."));
  EXPECT_TRUE(has(html, "<strong>0.810</strong>"));
  EXPECT_TRUE(has(html, "0.660"));
  EXPECT_TRUE(has(html, "ECE"));
  EXPECT_EQ(std::count(html.begin(), html.end(), '\0'), 0);
  // Charts: campaigns and ad sets by value per spend, capture, reliability, histogram.
  size_t svgs = 0;
  for (size_t at = html.find("<svg "); at != std::string::npos; at = html.find("<svg ", at + 1))
    ++svgs;
  EXPECT_EQ(svgs, 5u);
  // Summary facts and data health.
  EXPECT_TRUE(has(html, "20260630T000000Z-abc123"));
  EXPECT_TRUE(has(html, "2026-06-16T00:00:00+00:00"));
  EXPECT_TRUE(has(html, "14 days"));
  EXPECT_TRUE(has(html, "12,000"));
  EXPECT_TRUE(has(html, "87.5\xC2\xA0%")) << "match rate";
  EXPECT_TRUE(has(html, "below 90"));
  EXPECT_TRUE(has(html, "leads.csv: column &lt;email&gt; dropped &amp; never read"));
  EXPECT_TRUE(has(html, "ads &lt;2026&gt;.csv"));
  // Leaderboards: money, low volume, escaping.
  EXPECT_TRUE(has(html, "27,689.19"));
  EXPECT_TRUE(has(html, "1,234,567.50"));
  EXPECT_TRUE(has(html, "class=\"low-volume\""));
  EXPECT_TRUE(has(html, "Small &amp; new"));
  EXPECT_TRUE(has(html, "fewer leads than 30"));
  // Drift from metrics.json, flagged feature highlighted.
  EXPECT_TRUE(has(html, "the train split vs the test split"));
  // Judged by the drift policy: the rate alarms, the spend sum moves as expected.
  EXPECT_TRUE(has(html,
                  "<tr class=\"flagged\"><td>7-day click-through rate of the ad <small>"
                  "<code>ctr_7d</code></small>"));
  EXPECT_TRUE(has(html, "1 feature moved a lot: 7-day click-through rate of the ad."));
  EXPECT_TRUE(has(html, "data-alarm=\"yes\""));
  EXPECT_TRUE(has(html, "moved, as expected over time"));
  EXPECT_TRUE(has(html, "retrain with recent data"));
  EXPECT_TRUE(has(html, "not computable"));
  // Deterministic.
  EXPECT_EQ(html, render_report(dir.str()));
}

TEST(ReportRender, CampaignNamedScriptAppearsAsTextOnly) {
  TempDir dir;
  write_train_run(dir.path());
  const std::string html = render_report(dir.str());
  EXPECT_FALSE(has(html, "<script"));
  EXPECT_TRUE(has(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

// leaderboard_campaign.csv holds "'=HYPERLINK(…)" (csv::write_text_cell's guard); the
// report shows the name as the input spelled it, escaped.
TEST(ReportRender, FormulaGuardedNamesAreShownAsWritten) {
  TempDir dir;
  write_train_run(dir.path());
  std::string board = kCampaignCsv;
  board +=
      "cmp_f,\"'=HYPERLINK(\"\"http://"
      "x\"\",\"\"x\"\")\",9.5,40,3.1,0.26,0.26,,,false,0.031,8.29,-6.4,-0.97,-0.16\n";
  write(dir.path(), "leaderboard_campaign.csv", board);
  const std::string html = render_report(dir.str());
  EXPECT_TRUE(has(html, "=HYPERLINK(&quot;http://x&quot;,&quot;x&quot;)")) << html;
  EXPECT_FALSE(has(html, "'=HYPERLINK"));
  EXPECT_FALSE(has(html, "&#39;=HYPERLINK"));
}

TEST(ReportRender, ScoreRunSaysWhyThereIsNoQualitySection) {
  TempDir dir;
  write_score_run(dir.path(), false);
  const std::string html = render_report(dir.str());
  expect_valid_page(html);
  expect_all_sections(html);
  EXPECT_FALSE(has(html, "id=\"missing\"")) << "a score run has no metrics.json by design";
  EXPECT_TRUE(has(html, "No model quality section"));
  EXPECT_TRUE(has(html, "no quality metrics (no metrics.json)"));
  EXPECT_FALSE(has(html, "Contacting the top"));
  EXPECT_TRUE(has(html, "/runs/t/model.json"));
  EXPECT_TRUE(has(html, "the model&#39;s training data vs the leads scored here"));
  EXPECT_TRUE(has(html,
                  "No drift alarm: 3 of 4 watched features are stable (PSI below 0.10). "
                  "1 feature could not be compared."));
  EXPECT_TRUE(has(html, "data-alarm=\"no\""));
  EXPECT_TRUE(has(html, "id=\"leaderboard-campaign\""));
}

TEST(ReportRender, BatchScoreRunSaysThereAreNoLabels) {
  TempDir dir;
  write_score_run(dir.path(), true);
  const std::string html = render_report(dir.str());
  expect_valid_page(html);
  expect_all_sections(html);
  EXPECT_TRUE(has(html, "<strong>batch-score</strong>"));
  EXPECT_TRUE(has(html, "these leads have no labels"));
}

TEST(ReportRender, TheRecordedRunKindDecidesAndADemoShowsWhatItDid) {
  TempDir dir;
  write_score_run(dir.path(), false);
  EXPECT_EQ(run_kind(dir.str()), "score");  // no run_kind recorded: from the metadata's parts
  json m = json::parse(std::ifstream(dir.path() / "metadata.json"));
  m["run_kind"] = "batch-score";
  write_json(dir.path(), "metadata.json", m);
  EXPECT_EQ(run_kind(dir.str()), "batch-score");
  m["run_kind"] = "demo";  // a demo that scored is a score run in the report
  write_json(dir.path(), "metadata.json", m);
  EXPECT_EQ(run_kind(dir.str()), "score");
  m["run_kind"] = "something else";
  write_json(dir.path(), "metadata.json", m);
  EXPECT_EQ(run_kind(dir.str()), "score");
}

TEST(ReportRender, ADemoRunIsCalledADemoWhileShowingTheSectionsOfWhatItDid) {
  TempDir dir;
  write_score_run(dir.path(), false);
  json m = json::parse(std::ifstream(dir.path() / "metadata.json"));
  m["run_kind"] = "demo";
  write_json(dir.path(), "metadata.json", m);
  const std::string html = render_report(dir.str());
  expect_valid_page(html);
  // The header and the summary say "demo", not the "score" its sections come from.
  EXPECT_TRUE(has(html, "&#183; demo")) << html.substr(0, 2000);
  EXPECT_TRUE(has(html,
                  "<strong>demo</strong>: the built-in demo on synthetic data, which "
                  "applies an existing model"));
  EXPECT_FALSE(has(html, "<strong>score</strong>"));
  EXPECT_TRUE(has(html, "id=\"leaderboard-campaign\""));  // a scoring run's sections
}

TEST(ReportRender, TrainRunWithoutMetricsSaysWhatIsMissing) {
  TempDir dir;
  write_train_run(dir.path());
  fs::remove(dir.path() / "metrics.json");
  const std::string html = render_report(dir.str());
  expect_valid_page(html);
  expect_all_sections(html);
  EXPECT_TRUE(has(html, "id=\"missing\""));
  EXPECT_TRUE(has(
      html, "<code>metrics.json</code> is missing: the model quality section cannot be shown."));
  EXPECT_TRUE(has(html,
                  "metrics.json is missing from this run folder, so the model quality section "
                  "cannot be shown."));
  EXPECT_TRUE(has(html, "27,689.19")) << "the rest of the report is still there";
}

TEST(ReportRender, MalformedArtifactsAreReportedNotFatal) {
  TempDir dir;
  write_train_run(dir.path());
  write(dir.path(), "metrics.json", "{\"model\": [1, 2");
  write(dir.path(), "metadata.json", "[]");
  write(dir.path(), "leaderboard_campaign.csv", "campaign_id,campaign_name\ncmp_1\n");
  write(dir.path(), "config.yaml", "reporting: [unclosed");
  const std::string html = render_report(dir.str());
  expect_valid_page(html);
  expect_all_sections(html);
  EXPECT_TRUE(has(html, "metrics.json could not be read ("));
  EXPECT_TRUE(has(html, "metadata.json</code> could not be read (it is not a JSON object)"));
  EXPECT_TRUE(has(html, "leaderboard_campaign.csv could not be read ("));
  EXPECT_TRUE(has(html, "expected 2 fields"));
  EXPECT_TRUE(has(html, "87.5\xC2\xA0%")) << "data health falls back to data_profile.json";
}

TEST(ReportRender, EmptyFolderStillRenders) {
  TempDir dir;
  const std::string html = render_report(dir.str());
  expect_valid_page(html);
  expect_all_sections(html);
  EXPECT_TRUE(has(html, "<strong>unknown</strong>"));
  EXPECT_TRUE(has(html, "metadata.json and data_profile.json are both missing"));
}

TEST(ReportRender, WriteReportWritesTheRenderedPage) {
  TempDir dir;
  write_score_run(dir.path(), false);
  write_report(dir.str());
  std::ifstream in(dir.path() / "report.html", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), render_report(dir.str()));
  EXPECT_FALSE(fs::exists(dir.path() / "report.html.tmp"));
}

// ---------------------------------------------------------------------------------------
// The GenAI advisor's answer (advice.md): a section only when the run has one

TEST(ReportAdvice, NoAdviceMdNoSectionAndNoNavEntry) {
  TempDir dir;
  write_train_run(dir.path());
  const std::string html = render_report(dir.str());
  EXPECT_FALSE(has(html, "id=\"advice\""));
  EXPECT_FALSE(has(html, "href=\"#advice\""));
  EXPECT_FALSE(has(html, "advice.md"));
  EXPECT_FALSE(has(html, "GenAI"));
}

TEST(ReportAdvice, AdviceMdIsRenderedAndEscaped) {
  TempDir dir;
  write_train_run(dir.path());
  write(dir.path(), "advice.md",
        "# Where to spend\n\nMove budget to **Summer <Leads>**.\n\n"
        "<script>alert(1)</script>\n\n[more](javascript:alert(1)) and "
        "[docs](https://example.com/x)\n");
  write_json(dir.path(), "advice.json", {{"model", "gemini-test<1>"}});
  const std::string without = [&] {
    TempDir other;
    write_train_run(other.path());
    return render_report(other.str());
  }();
  const std::string html = render_report(dir.str());
  EXPECT_EQ(html_errors(html), std::vector<std::string>{});
  EXPECT_EQ(xml_errors(html), std::vector<std::string>{});
  expect_all_sections(html);
  EXPECT_TRUE(has(html, "<section id=\"advice\">\n<h2>Advice from the GenAI advisor</h2>")) << html;
  EXPECT_TRUE(has(html, "<li><a href=\"#advice\">Advice</a></li><li><a href=\"#files\">"));
  EXPECT_TRUE(has(html, "<h3>Where to spend</h3>"));
  EXPECT_TRUE(has(html, "Move budget to <strong>Summer &lt;Leads&gt;</strong>."));
  EXPECT_TRUE(has(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_FALSE(has(html, "<script"));
  EXPECT_FALSE(has(html, "javascript:alert(1)\""));
  EXPECT_FALSE(has(html, "href=\"javascript"));
  EXPECT_TRUE(has(html, "<a href=\"https://example.com/x\" rel=\"noopener noreferrer\">docs</a>"));
  EXPECT_TRUE(has(html, "Model: <code>gemini-test&lt;1&gt;</code>."));
  // The section sits before the list of files, which names the two files.
  EXPECT_LT(html.find("id=\"advice\""), html.find("id=\"files\""));
  EXPECT_TRUE(has(html, "<code>advice.md</code>"));
  EXPECT_TRUE(has(html, "<code>advice.json</code>"));
  // Nothing else of the page changed: removing the section, its nav entry and the two file
  // rows gives the page without advice.
  std::string stripped = html;
  const size_t a = stripped.find("<section id=\"advice\">");
  stripped.erase(a, stripped.find("</section>", a) + 11 - a);
  const std::string nav = "<li><a href=\"#advice\">Advice</a></li>";
  stripped.erase(stripped.find(nav), nav.size());
  for (const std::string name : {"advice.md", "advice.json"}) {
    const size_t row = stripped.rfind("<tr", stripped.find("<code>" + name + "</code>"));
    stripped.erase(row, stripped.find("</tr>", row) + 6 - row);
  }
  EXPECT_EQ(stripped, without);
}

TEST(ReportAdvice, OversizedAdviceIsNotRendered) {
  TempDir dir;
  write_train_run(dir.path());
  write(dir.path(), "advice.md", std::string((1 << 20) + 1, 'a'));
  const std::string html = render_report(dir.str());
  EXPECT_TRUE(has(html, "advice.md is larger than 1 MB")) << html.substr(0, 200);
  EXPECT_FALSE(has(html, std::string(1000, 'a')));
}

// ---------------------------------------------------------------------------------------
// The overview: tiles, charts and budget from leaderboard_campaign.csv; the value banner

namespace {

// Sets what metadata.json says about the value of a qualified lead and the currency.
void set_value(const fs::path& dir, const json& value, const json& source,
               const std::string& currency) {
  json m = json::parse(std::ifstream(dir / "metadata.json"));
  if (!value.is_null()) m["value_per_qualified"] = value;
  if (!source.is_null()) m["value_per_qualified_source"] = source;
  if (!currency.empty()) m["currency"] = currency;
  write_json(dir, "metadata.json", m);
}

// The text of the element with the given attribute (the first one), or "".
std::string attr_of(const std::string& html, const std::string& marker, const std::string& attr) {
  const size_t at = html.find(marker);
  if (at == std::string::npos) return "";
  const size_t tag = html.rfind('<', at);
  const size_t end = html.find('>', at);
  const std::string element = html.substr(tag, end - tag);
  const size_t a = element.find(" " + attr + "=\"");
  if (a == std::string::npos) return "";
  const size_t from = a + attr.size() + 3;
  return element.substr(from, element.find('"', from) - from);
}

}  // namespace

TEST(ReportOverview, TilesChartsAndBudgetComeFromTheCampaignBoard) {
  TempDir dir;
  write_train_run(dir.path());
  set_value(dir.path(), 120, "config", "EUR");
  const std::string html = render_report(dir.str());
  expect_valid_page(html);
  ASSERT_TRUE(has(html, "<section id=\"overview\">"));
  // kCampaignCsv, by hand: leads 5045 + 4000 + 12; expected qualified 5045 × 0.8158 +
  // 4000 × 0.45 + 12 × 0.26 = 5918.831; spend 27689.19 + 1234567.5 + 99.5 = 1262356.19;
  // value 4115.98 + 900.5 + 3.1 = 5019.58.
  const auto tile = [&](const std::string& m) {
    return attr_of(html, "class=\"tile\" data-metric=\"" + m + "\"", "data-value");
  };
  EXPECT_EQ(tile("lead_count"), "9057.000000");
  EXPECT_EQ(tile("expected_qualified"), "5918.831000");
  EXPECT_EQ(tile("spend"), "1262356.190000");
  EXPECT_EQ(tile("predicted_elv"), "5019.580000");
  EXPECT_EQ(tile("elv_per_spend"), "0.003976");                  // 5019.58 / 1262356.19
  EXPECT_EQ(tile("cost_per_expected_qualified"), "213.277958");  // 1262356.19 / 5918.831
  EXPECT_TRUE(has(html,
                  "<span class=\"tile-value\">1,262,356.19\xC2\xA0"
                  "EUR</span>"));
  EXPECT_TRUE(has(html, "<span class=\"tile-label\">Cost per expected qualified lead</span>"));
  EXPECT_TRUE(has(html, "title=\"Spend divided by expected qualified leads"));
  // Budget: cmp_001 (27689.19 / 4115.711 = 6.73 per expected qualified lead) is cheaper than
  // the account (213.28), cmp_x (1234567.5 / 1800 = 685.87) dearer, cmp_tiny low volume.
  EXPECT_EQ(attr_of(html, "data-group=\"cheaper\"", "data-spend"), "27689.190000");
  EXPECT_EQ(attr_of(html, "data-group=\"dearer\"", "data-spend"), "1234567.500000");
  EXPECT_EQ(attr_of(html, "data-group=\"low-volume\"", "data-spend"), "99.500000");
  EXPECT_FALSE(has(html, "data-group=\"no-spend\""));
  EXPECT_TRUE(has(html,
                  "213.28\xC2\xA0"
                  "EUR</strong> per expected qualified lead"));
  EXPECT_TRUE(has(html, "97\xC2\xA0% cheaper"));  // 6.7277 / 213.278 − 1 = −0.968
  EXPECT_TRUE(has(html, "222\xC2\xA0% dearer"));  // 685.87 / 213.278 − 1 = 2.216
  EXPECT_TRUE(has(html, "Averages, not marginal returns."));
  // Charts: the names (escaped), value per spend and spend beside the bars.
  EXPECT_TRUE(has(html, "Campaign 01</text>"));
  EXPECT_TRUE(has(html, "&lt;script&gt;alert(1)&lt;/script&gt;</text>"));
  EXPECT_TRUE(has(html, ">Small &amp; new (low volume)</text>"));
  EXPECT_TRUE(has(html, ">0.15</text>"));  // 4115.98 / 27689.19
  EXPECT_TRUE(has(html,
                  ">27,689.19\xC2\xA0"
                  "EUR</text>"));
  EXPECT_TRUE(has(html, "Adset 01-00</text>"));
  // What the numbers mean: every definition once; the value and who set it.
  size_t dts = 0;
  for (size_t at = html.find("<dt data-metric="); at != std::string::npos;
       at = html.find("<dt data-metric=", at + 1))
    ++dts;
  EXPECT_EQ(dts, 15u);
  EXPECT_TRUE(has(html,
                  "A qualified lead is worth <strong>120.00\xC2\xA0"
                  "EUR</strong> "
                  "(business.value_per_qualified of the config)"));
  EXPECT_FALSE(has(html, "id=\"value-banner\""));
  // Leaderboard columns carry the definitions and the currency.
  EXPECT_TRUE(has(html, "<th class=\"num\" title=\"Predicted value divided by spend"));
  EXPECT_TRUE(has(html, ">Spend (EUR)</th>"));
  // The web app's overview fragment has the same tiles, and no banner of its own.
  const std::string fragment = render_section(dir.str(), "overview");
  EXPECT_TRUE(
      has(fragment, "data-metric=\"cost_per_expected_qualified\" data-value=\"213.277958\""));
  EXPECT_TRUE(has(fragment, "id=\"overview-budget\""));
  EXPECT_TRUE(has(fragment, "Run summary"));
  EXPECT_FALSE(has(fragment, "id=\"value-banner\""));
}

TEST(ReportOverview, ThePlaceholderValueGetsABannerUntilTheValueIsSet) {
  TempDir dir;
  write_train_run(dir.path());
  set_value(dir.path(), 1, "placeholder", "");
  std::string html = render_report(dir.str());
  expect_valid_page(html);
  EXPECT_TRUE(has(html, "id=\"value-banner\""));
  EXPECT_TRUE(
      has(html, "ROI and profit are meaningless until you set what a qualified lead is worth"));
  EXPECT_TRUE(has(html, "placeholder: not set"));  // in the run summary
  EXPECT_FALSE(has(html, "id=\"value-assumption\""));
  // Set: no banner.
  set_value(dir.path(), 150, "demo default", "EUR");
  html = render_report(dir.str());
  EXPECT_FALSE(has(html, "id=\"value-banner\""));
  EXPECT_TRUE(has(html,
                  "Assumed: a qualified lead is worth <strong>150.00\xC2\xA0"
                  "EUR</strong> "
                  "(the demo's default)"));
  // A run from an elv that did not record the source: a value of exactly 1 is the placeholder.
  json m = json::parse(std::ifstream(dir.path() / "metadata.json"));
  m.erase("value_per_qualified");
  m.erase("value_per_qualified_source");
  write_json(dir.path(), "metadata.json", m);
  write(dir.path(), "config.yaml", "business:\n  value_per_qualified: 1.0\n");
  EXPECT_TRUE(has(render_report(dir.str()), "id=\"value-banner\""));
  write(dir.path(), "config.yaml", "business:\n  value_per_qualified: 80\n");
  EXPECT_FALSE(has(render_report(dir.str()), "id=\"value-banner\""));
}

TEST(ReportOverview, ABuildTableRunHasNoOverviewFiguresAndNoBanner) {
  TempDir dir;
  json m = facts();
  m["run_kind"] = "build-table";
  m["value_per_qualified"] = 1;
  m["value_per_qualified_source"] = "placeholder";
  write_json(dir.path(), "metadata.json", m);
  const std::string html = render_report(dir.str());
  expect_valid_page(html);
  EXPECT_FALSE(has(html, "id=\"value-banner\""));
  EXPECT_TRUE(has(html, "No overview: build-table runs do not score leads."));
}

TEST(ReportSvg, ValuePerSpendBarsAreWellFormedOnEdgeCases) {
  using svg::SpendBar;
  const std::string long_name =
      "Kampagne \xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC "
      "Fr\xC3\xBChjahr 2026 <Leads> & mehr, sehr lang";
  const std::vector<SpendBar> bars = {{long_name, 3.5, "3.50", 1000, "1,000.00", false},
                                      {"no spend", kNaN, "", 0, "", false},
                                      {"tiny", 0.2, "0.20", 5, "5.00", true}};
  for (const std::string& chart :
       {svg::value_per_spend_bars(bars, 2.0, "Campaigns"), svg::value_per_spend_bars({}, kNaN, "x"),
        svg::value_per_spend_bars(bars, kNaN, "<b>")}) {
    EXPECT_EQ(xml_errors(chart), std::vector<std::string>{}) << chart;
    EXPECT_EQ(chart.find("nan"), std::string::npos);
    EXPECT_EQ(chart.find("inf"), std::string::npos);
  }
  const std::string chart = svg::value_per_spend_bars(bars, 2.0, "Campaigns");
  EXPECT_TRUE(has(chart, "\xE2\x80\xA6</text>")) << "a long name is shortened with an ellipsis";
  EXPECT_FALSE(has(chart, "sehr lang"));
  EXPECT_TRUE(has(chart, ">tiny (low volume)</text>"));
  EXPECT_TRUE(has(chart, ">no spend</text>"));
  EXPECT_TRUE(has(chart, ">account 2.00</text>"));
  EXPECT_TRUE(has(chart, ">break-even</text>"));
  EXPECT_TRUE(has(svg::value_per_spend_bars({}, kNaN, "x"), ">no data</text>"));
}
