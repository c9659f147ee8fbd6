// The rules that compare files: leads can be joined to ads, outcomes refer to known leads
// (and not only loosely), enrichments describe the ads, as_of_date fits the leads.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "base/format.h"
#include "contracts/checks_parts.h"
#include "io/parse.h"

namespace elv::contracts::detail {

namespace {

// A bitmap over a shared dictionary's codes: which codes a frame's column holds.
std::vector<char> codes_present(const Frame& frame, const std::string& column, size_t dict_size) {
  std::vector<char> present(dict_size, 0);
  auto it = frame.codes.find(column);
  if (it == frame.codes.end()) return present;
  for (int32_t code : it->second)
    if (code != kNullCode) present[static_cast<size_t>(code)] = 1;
  return present;
}

}  // namespace

// ---- joins and outcomes -------------------------------------------------------------

namespace {

const std::array<const char*, 3> kEntityIds = {"ad_id", "adset_id", "campaign_id"};
const std::array<const char*, 3> kEntityNames = {"campaign_name", "adset_name", "ad_name"};

bool has_any(const Frame& frame, const std::array<const char*, 3>& columns) {
  return std::any_of(columns.begin(), columns.end(), [&](const char* c) { return frame.has(c); });
}

}  // namespace

void check_lead_join_keys(const Frame& leads, bool map_configured, Findings& findings) {
  if (has_any(leads, kEntityIds) || map_configured) return;
  if (has_any(leads, kEntityNames)) {
    findings.add(
        Severity::Warning, leads.path, "ad_id", 1,
        "no ID columns (ad_id, adset_id, campaign_id): leads are joined to ads.csv by names, "
        "best-effort (each name maps to its most frequent ID)");
    return;
  }
  findings.add(Severity::Error, leads.path, "ad_id", 1,
               "no join key: leads.csv needs ad_id (preferred), adset_id or campaign_id, or a "
               "lead_to_ad_map_path in the config, or at least campaign names");
}

void check_lead_map_keys(const Frame& map, Findings& findings) {
  if (has_any(map, kEntityIds)) return;
  findings.add(Severity::Error, map.path, "ad_id", 1,
               "no join key: lead_to_ad_map.csv needs ad_id, adset_id or campaign_id");
}

// Outcomes must refer to known leads, and cannot qualify a lead before it was created.
void check_outcomes_vs_leads(const Frame& outcomes, const Frame& leads, const Dictionaries& dicts,
                             Findings& findings) {
  const auto* outcome_ids = codes_of(outcomes, "lead_id");
  const auto* lead_ids = codes_of(leads, "lead_id");
  if (!outcome_ids || !lead_ids) return;
  constexpr int64_t kUnknown = kNullTime;
  // created_time per lead code; a lead with no time still "exists".
  const size_t n_codes = dicts.for_column("lead_id").size();
  std::vector<char> known(n_codes, 0);
  std::vector<int64_t> created(n_codes, kUnknown);
  const auto created_it = leads.times.find("created_time");
  for (size_t i = 0; i < lead_ids->size(); ++i) {
    const int32_t code = (*lead_ids)[i];
    if (code == kNullCode || known[code]) continue;
    known[code] = 1;
    if (created_it != leads.times.end()) created[code] = created_it->second[i];
  }
  const auto qualified_it = outcomes.times.find("qualified_time");
  RowHits unknown, before;
  int64_t with_id = 0;
  for (size_t i = 0; i < outcome_ids->size(); ++i) {
    const int32_t code = (*outcome_ids)[i];
    if (code == kNullCode) continue;
    ++with_id;
    if (!known[code]) {
      unknown.hit(outcomes.lines[i]);
      continue;
    }
    if (qualified_it == outcomes.times.end()) continue;
    const int64_t q = qualified_it->second[i];
    if (q != kNullTime && created[code] != kUnknown && q < created[code])
      before.hit(outcomes.lines[i]);
  }
  if (with_id > 0)
    findings.coverage["outcomes_in_leads"] =
        static_cast<double>(with_id - unknown.count) / static_cast<double>(with_id);
  if (unknown.count > 0)
    findings.add(Severity::Warning, outcomes.path, "lead_id", unknown.first_line(),
                 plural(unknown.count, "outcome refers", "outcomes refer") + " to unknown leads" +
                     first_lines_text(unknown.lines, unknown.count));
  if (before.count > 0)
    findings.add(
        Severity::Warning, outcomes.path, "qualified_time", before.first_line(),
        plural(before.count, "outcome has", "outcomes have") +
            " a qualified_time before the lead's created_time; those leads will be unknown" +
            first_lines_text(before.lines, before.count));
}

namespace {

// Which of a lead's keys can be looked up: its own column (or the map's), and the set of
// codes ads.csv holds for that column.
struct KeyLookup {
  std::string column;
  const std::vector<int32_t>* values = nullptr;  // per lead row, or per map row
  bool via_map = false;
  std::vector<char> in_ads;
};

int32_t lookup_value(const KeyLookup& key, size_t lead_row, int64_t map_row) {
  if (!key.via_map) return (*key.values)[lead_row];
  return map_row < 0 ? kNullCode : (*key.values)[static_cast<size_t>(map_row)];
}

}  // namespace

// A lead matches when any of its keys exists in ads.csv (the features fall back from ad to
// ad set to campaign). IDs on leads.csv come first, then lead_to_ad_map.csv, then names.
void check_match_rate(const Frame& leads, const Frame& ads, const Frame* map,
                      const Dictionaries& dicts, Findings& findings) {
  auto lookups_for = [&](const std::array<const char*, 3>& columns, const Frame& source,
                         bool via_map) {
    std::vector<KeyLookup> out;
    for (const char* c : columns) {
      if (!source.has(c) || !ads.has(c)) continue;
      out.push_back(
          {c, codes_of(source, c), via_map, codes_present(ads, c, dicts.for_column(c).size())});
    }
    return out;
  };
  const std::vector<KeyLookup> own_ids = lookups_for(kEntityIds, leads, false);
  const std::vector<KeyLookup> map_ids =
      map ? lookups_for(kEntityIds, *map, true) : std::vector<KeyLookup>{};
  const std::vector<KeyLookup> names = lookups_for(kEntityNames, leads, false);

  // Map row per lead code (first row wins), only when the map can be used.
  std::vector<int64_t> map_row_of;
  const auto* lead_ids = codes_of(leads, "lead_id");
  if (map && !map_ids.empty() && lead_ids) {
    map_row_of.assign(dicts.for_column("lead_id").size(), -1);
    const auto* map_leads = codes_of(*map, "lead_id");
    for (size_t r = 0; map_leads && r < map_leads->size(); ++r) {
      const int32_t code = (*map_leads)[r];
      if (code != kNullCode && map_row_of[code] < 0) map_row_of[code] = static_cast<int64_t>(r);
    }
  }

  // 1 = matched, 0 = has a key that is not in ads.csv, -1 = no key of this kind at all.
  auto try_keys = [](const std::vector<KeyLookup>& keys, size_t row, int64_t map_row) {
    int result = -1;
    for (const auto& key : keys) {
      const int32_t code = lookup_value(key, row, map_row);
      if (code == kNullCode) continue;
      if (key.in_ads[code]) return 1;
      result = 0;
    }
    return result;
  };

  // Organic leads (Meta's is_organic) have no ad to match: they are not counted.
  const auto* organic = codes_of(leads, "is_organic");
  const Dictionary* organic_dict = organic ? &dicts.for_column("is_organic") : nullptr;
  auto is_organic = [&](size_t i) {
    return organic && (*organic)[i] != kNullCode &&
           parse::flag(organic_dict->str((*organic)[i])) == 1;
  };
  RowHits unmatched;
  int64_t mapped = 0, organic_leads = 0;
  for (size_t i = 0; i < static_cast<size_t>(leads.n_rows); ++i) {
    if (is_organic(i)) {
      ++organic_leads;
      continue;
    }
    int result = try_keys(own_ids, i, -1);
    if (result < 0 && !map_row_of.empty()) {
      const int32_t lead = (*lead_ids)[i];
      const int64_t map_row = lead == kNullCode ? -1 : map_row_of[lead];
      if (map_row >= 0) ++mapped;
      result = try_keys(map_ids, i, map_row);
    }
    if (result < 0) result = try_keys(names, i, -1);
    if (result != 1) unmatched.hit(leads.lines[i]);
  }
  const int64_t paid = leads.n_rows - organic_leads;
  if (paid == 0) return;
  const double n = static_cast<double>(paid);
  const double share = static_cast<double>(paid - unmatched.count) / n;
  findings.coverage["leads_in_ads"] = share;
  if (!map_row_of.empty()) findings.coverage["leads_in_map"] = static_cast<double>(mapped) / n;
  if (share >= 0.9) return;
  std::string column = "ad_id";
  if (!own_ids.empty())
    column = own_ids.front().column;
  else if (!map_ids.empty())
    column = "lead_id";  // resolved through lead_to_ad_map.csv
  else if (!names.empty())
    column = names.front().column;
  findings.add(
      Severity::Warning, leads.path, column, unmatched.first_line(),
      "only " + percent(share) + " of leads (" + std::to_string(paid - unmatched.count) + " of " +
          std::to_string(paid) + (organic_leads ? ", organic leads not counted" : "") +
          ") match ads.csv by ad_id, adset_id or campaign_id (below 90 %): the others get no "
          "ad features" +
          first_lines_text(unmatched.lines, unmatched.count));
}

// Share of ads.csv's ads (or ad sets) that an enrichment file describes; below 50 % the
// enrichment's features are mostly zeros.
void check_enrichment_coverage(const Frame& ads, const Frame& enrichment, const std::string& label,
                               const Dictionaries& dicts, Findings& findings) {
  const std::string column = enrichment.kind == "adset_targeting" ? "adset_id" : "ad_id";
  const auto* ads_codes = codes_of(ads, column);
  if (!ads_codes || !enrichment.has(column)) {
    if (!ads_codes)
      findings.add(Severity::Warning, enrichment.path, column, -1,
                   "ads.csv has no " + column + " column, so " + label + " cannot be joined");
    return;
  }
  const std::vector<char> in_enrichment =
      codes_present(enrichment, column, dicts.for_column(column).size());
  std::vector<char> seen(in_enrichment.size(), 0);
  int64_t total = 0, covered = 0;
  for (int32_t code : *ads_codes) {
    if (code == kNullCode || seen[code]) continue;
    seen[code] = 1;
    ++total;
    covered += in_enrichment[code];
  }
  if (total == 0) return;
  const double share = static_cast<double>(covered) / static_cast<double>(total);
  findings.coverage[enrichment.kind] = share;
  if (share < 0.5) {
    const std::string things = column == "adset_id" ? "ad sets" : "ads";
    findings.add(Severity::Warning, enrichment.path, column, -1,
                 "only " + percent(share) + " of the " + things + " in ads.csv (" +
                     std::to_string(covered) + " of " + std::to_string(total) + ") appear in " +
                     label + " (below 50 %): its features are zeros for the rest");
  }
}

std::string label_of(const std::string& kind) {
  for (const FileSpec* spec :
       {&ads_spec(), &leads_spec(), &outcomes_spec(), &lead_map_spec(), &placement_spec(),
        &geo_spec(), &targeting_spec(), &creatives_spec()})
    if (spec->kind == kind) return spec->file_label;
  return kind;
}

// ---- outcome IDs that match only loosely --------------------------------------------

namespace {

// An ID as a CRM might respell it: lower case, and a non-digit prefix before an all-digit
// rest dropped ("LEAD-00123" -> "00123").
std::string loose_id(std::string_view id) {
  std::string s;
  for (char c : id) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const size_t digits = s.find_first_of("0123456789");
  if (digits != std::string::npos && digits > 0 &&
      s.find_first_not_of("0123456789", digits) == std::string::npos)
    s.erase(0, digits);
  return s;
}

}  // namespace

// When few outcome IDs match leads.csv as written but most match loosely, the labels would be
// silently wrong (every lead "not qualified"): refuse, with both match rates.
void check_loose_outcome_ids(const Frame& outcomes, const Frame& leads, const Dictionaries& dicts,
                             Findings& findings) {
  const auto* outcome_ids = codes_of(outcomes, "lead_id");
  const auto* lead_ids = codes_of(leads, "lead_id");
  if (!outcome_ids || !lead_ids) return;
  const Dictionary& dict = dicts.for_column("lead_id");
  std::vector<char> is_lead(dict.size(), 0);
  for (int32_t code : *lead_ids)
    if (code != kNullCode) is_lead[code] = 1;
  int64_t with_id = 0, exact = 0, loosely = 0;
  std::vector<int32_t> inexact;  // in file order, for the example
  for (int32_t code : *outcome_ids) {
    if (code == kNullCode) continue;
    ++with_id;
    if (is_lead[code])
      ++exact;
    else
      inexact.push_back(code);
  }
  if (with_id == 0) return;
  const double exact_rate = static_cast<double>(exact) / static_cast<double>(with_id);
  // Only a low exact rate is worth the loose comparison (a map of every lead's ID: 0.02 s
  // at 120 k leads, paid by every run before).
  if (exact_rate >= 0.9) return;
  std::unordered_map<std::string, int32_t> loose;
  for (int32_t code = 0; code < static_cast<int32_t>(is_lead.size()); ++code)
    if (is_lead[code]) loose.emplace(loose_id(dict.str(code)), code);
  int32_t example = kNullCode, example_lead = kNullCode;
  for (int32_t code : inexact) {
    auto it = loose.find(loose_id(dict.str(code)));
    if (it == loose.end()) continue;
    ++loosely;
    if (example == kNullCode) example = code, example_lead = it->second;
  }
  const double loose_rate = static_cast<double>(exact + loosely) / static_cast<double>(with_id);
  if (loose_rate < 0.9) return;
  findings.add(Severity::Error, outcomes.path, "lead_id", -1,
               "only " + percent(exact_rate) +
                   " of outcome lead_ids match leads.csv as written, but " + percent(loose_rate) +
                   " match when letter case and prefixes are ignored (e.g. '" + dict.str(example) +
                   "' and '" + dict.str(example_lead) +
                   "'): make the IDs identical in both exports, or labels would be wrong");
}

// ---- as_of_date ---------------------------------------------------------------------

void check_as_of_date(const Config& config, const Frame& leads, Findings& findings) {
  if (!config.label.as_of_date) return;
  auto it = leads.times.find("created_time");
  if (it == leads.times.end()) return;
  int32_t last = std::numeric_limits<int32_t>::min();
  for (int32_t d : days_of(it->second))
    if (d != kNullDate) last = std::max(last, d);
  if (last == std::numeric_limits<int32_t>::min()) return;
  const int32_t as_of = *config.label.as_of_date;
  const int32_t beyond = as_of - last;
  if (beyond <= std::max(30, config.label.label_window_days)) return;
  findings.add(Severity::Warning, config.source_path, "label.as_of_date", -1,
               "as_of_date " + parse::format_date(as_of) + " is " + std::to_string(beyond) +
                   " days after the latest lead (" + parse::format_date(last) +
                   "): every lead counts as mature, and a lead not yet qualified counts as never "
                   "qualified; leave as_of_date empty to use the latest lead's day");
}

// ---- currency -------------------------------------------------------------------------

void check_currency(const Config& config, InputFiles& inputs, Findings& findings) {
  const std::string& configured = config.business.currency;
  const Frame* first = nullptr;  // the first file whose spend header names a currency
  for (const auto& [kind, frame] : inputs.frames) {
    if (frame.currency.empty()) continue;
    if (!configured.empty() && frame.currency != configured) {
      findings.add(Severity::Error, frame.path, frame.currency_header, 1,
                   "the spend column is in " + frame.currency + " but business.currency is " +
                       configured + " (" + config.source_path +
                       "): export the spend in the account's currency or correct the config");
    } else if (first && frame.currency != first->currency) {
      findings.add(Severity::Error, frame.path, frame.currency_header, 1,
                   "the spend column is in " + frame.currency + " but " + label_of(first->kind) +
                       "'s '" + first->currency_header + "' is in " + first->currency +
                       ": one run takes one currency; export every file in the ad account's "
                       "currency");
    }
    if (!first) first = &frame;
  }
  inputs.currency = !configured.empty() ? configured : first ? first->currency : "";
}

void note_case_insensitive_outcome_ids(const InputFiles& inputs, Findings& findings) {
  const auto& m = inputs.outcome_id_match;
  const Frame* outcomes = inputs.get("outcomes");
  if (m.case_insensitive == 0 || !outcomes) return;
  findings.add(Severity::Warning, outcomes->path, "lead_id", -1,
               plural(m.case_insensitive, "outcome lead_id matches", "outcome lead_ids match") +
                   " leads.csv only when letter case is ignored (e.g. '" + m.example_outcome +
                   "' and '" + m.example_lead +
                   "'); each was matched to the one lead it fits (data_profile.json → "
                   "labeling.outcome_id_match)");
}

}  // namespace elv::contracts::detail
