// The web app's lead explorer (Leads tab, docs/SERVE.md): the leads of a run most and least
// likely to qualify, with the reasons of their scores (predictions.csv, docs/CONTRACT.md §6).
// Read-only; only the columns named here ever leave the file (predictions.csv holds no contact
// data, and a column added to it later must not start flowing out through this route).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace elv::server {

inline constexpr int kDefaultLeadsLimit = 20;
inline constexpr int kMaxLeadsLimit = 200;

struct LeadsQuery {
  bool top = true;  // top: highest probability first; bottom: lowest first
  int limit = kDefaultLeadsLimit;
};

// The query string's order ("top" or "bottom", default top) and limit (an integer 1 to
// kMaxLeadsLimit, default kDefaultLeadsLimit). On a bad value, problem holds the message the
// route answers 400 with.
struct ParsedLeadsQuery {
  LeadsQuery query;
  std::string problem;
};
ParsedLeadsQuery parse_leads_query(const std::optional<std::string>& order,
                                   const std::optional<std::string>& limit);

// One reason of top_reasons: "<words>[ <value>] (<±x.xx>)". contribution is nullopt when the
// text does not end with a bracketed number (then text is the whole reason).
struct Reason {
  std::string text;
  std::optional<double> contribution;
};
std::vector<Reason> parse_reasons(std::string_view cell);

// {"order", "limit", "total", "window_days", "has_reasons", "rows": [{"lead_id",
// "created_time", "campaign_name", "adset_name", "ad_name", "p", "elv", "score_rank",
// "reasons": [{"text", "contribution"}]}]} from the predictions.csv at csv_path; a row holds
// only the keys whose columns the file has. Equal probabilities keep file order. The file is
// read once, keeping only `limit` rows (a bounded heap), so a file of millions of leads costs
// little memory. nullopt when the file is absent; elv::Error when it is unreadable or has no
// p_qualified_<W>d column.
std::optional<nlohmann::json> leads_json(const std::string& csv_path, const LeadsQuery& query);

}  // namespace elv::server
