// The form answers a config lists in lead_fields (docs/LEAD_FORMS.md). A lead form also holds
// the lead's name, e-mail and phone number; listing one of those by mistake must never turn
// contact data into model features, category names in model.json or statistics in the
// profile. So a listed column is refused when its name is one of Meta's contact fields, when
// many of its answers look like contact data, or when its answers are free text (nearly one
// per lead, which is how names and addresses look).
#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_set>

#include "base/format.h"
#include "contracts/checks_parts.h"

namespace elv::contracts {

namespace {

// The keys Meta's lead forms give their contact questions, as the lead download names the
// columns; compared trimmed and case-insensitively.
constexpr std::array<std::string_view, 13> kContactFields = {
    "full_name",    "first_name",        "last_name",      "email", "work_email",
    "phone_number", "work_phone_number", "street_address", "city",  "post_code",
    "zip_code",     "date_of_birth",     "company_name"};

}  // namespace

bool is_contact_field(std::string_view header) {
  const std::string folded = lowercase_trimmed(header);
  return std::find(kContactFields.begin(), kContactFields.end(), folded) != kContactFields.end();
}

namespace detail {

namespace {

// At or above this share of answers that look like contact data, the column is refused;
// below it those answers are read as empty (the loader already did) with a warning.
constexpr double kContactShareRefused = 0.10;
// A categorical column with more distinct answers than this share of its answers is free
// text; judged from this many answers on, below which any column looks unique.
constexpr double kFreeTextDistinctShare = 0.5;
constexpr int64_t kFreeTextMinAnswers = 20;

struct Listed {
  std::string header, key;  // as configured; "lead_fields.categorical[0]"
  bool categorical;
};

std::vector<Listed> listed_columns(const LeadFieldsConfig& fields) {
  std::vector<Listed> out;
  for (size_t i = 0; i < fields.categorical.size(); ++i)
    out.push_back(
        {fields.categorical[i], "lead_fields.categorical[" + std::to_string(i) + "]", true});
  for (size_t i = 0; i < fields.numeric.size(); ++i)
    out.push_back({fields.numeric[i], "lead_fields.numeric[" + std::to_string(i) + "]", false});
  return out;
}

// The header as the file spells it, for messages (the config's spelling when not loaded).
std::string shown_header(const Frame& leads, const std::string& column, const Listed& l) {
  auto it = leads.renamed.find(column);
  return it == leads.renamed.end() ? l.header : it->second;
}

}  // namespace

void check_lead_fields(const Config& config, const Frame& leads, Findings& findings) {
  const std::string& config_file = config.source_path;
  for (const Listed& l : listed_columns(config.lead_fields)) {
    const std::string contract = canonical_column(leads_spec(), l.header);
    if (!contract.empty()) {
      findings.add(Severity::Error, config_file, "", -1,
                   l.key + ": '" + l.header + "' is read by elv already (as " + contract +
                       "); list only the form's questions in lead_fields");
      continue;
    }
    if (is_contact_field(l.header)) {
      findings.add(Severity::Error, config_file, "", -1,
                   l.key + ": '" + l.header +
                       "' is one of the form's contact fields; elv never uses contact data "
                       "(names, e-mail addresses, phone numbers, addresses): remove it from "
                       "lead_fields");
      continue;
    }
    const std::string column = lead_field_column(l.header);
    auto issues_it = leads.issues.find(column);
    if (!leads.has(column) || issues_it == leads.issues.end()) continue;  // reported on load
    const ColumnIssues& issues = issues_it->second;
    const std::string header = shown_header(leads, column, l);
    const int64_t answers = leads.n_rows - issues.nulls + issues.contact_like;
    if (issues.contact_like > 0) {
      const bool refused = static_cast<double>(issues.contact_like) >=
                           kContactShareRefused * static_cast<double>(answers);
      const int64_t line =
          issues.first_contact_like_lines.empty() ? -1 : issues.first_contact_like_lines.front();
      findings.add(
          refused ? Severity::Error : Severity::Warning, leads.path, header, line,
          std::to_string(issues.contact_like) + " of " + std::to_string(answers) +
              " answers look like an e-mail address or a phone number" +
              (refused ? "; this column holds contact data, which elv never uses: remove it "
                         "from lead_fields (" +
                             l.key + ")"
                       : "; they are read as empty"));
    }
    if (!l.categorical) continue;
    const auto& codes = leads.codes.at(column);
    std::unordered_set<int32_t> distinct;
    int64_t filled = 0;
    for (int32_t code : codes)
      if (code != kNullCode) distinct.insert(code), ++filled;
    if (filled >= kFreeTextMinAnswers &&
        static_cast<double>(distinct.size()) > kFreeTextDistinctShare * static_cast<double>(filled))
      findings.add(Severity::Error, leads.path, header, -1,
                   std::to_string(distinct.size()) + " different answers in " +
                       std::to_string(filled) +
                       ": free text, nearly one per lead, is not a category (and may be "
                       "personal); remove it from lead_fields (" +
                       l.key + "), or list it under lead_fields.numeric if it holds numbers");
  }
}

}  // namespace detail
}  // namespace elv::contracts
