// The data contract v1 (docs/CONTRACT.md §2): which files exist, which columns each holds, their
// types, and the alias table that maps export spellings to canonical names.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace elv::contracts {

enum class ColType {
  Id,         // exact string, dictionary-encoded; Meta prefixes stripped
  Text,       // names and free text, dictionary-encoded
  Number,     // double; null when empty or unparseable
  Date,       // days since epoch
  Timestamp,  // seconds since epoch, UTC
};

struct ColumnSpec {
  std::string name;
  ColType type;
  bool required;
  // Cells are checked against e-mail and phone patterns as they are read (a form answer the
  // user listed in lead_fields may hold contact data); the counts go to ColumnIssues.
  bool screen_contact = false;
};

struct FileSpec {
  std::string kind;        // "ads", "leads", ...
  std::string file_label;  // "ads.csv" — how messages name the file when it has no path
  std::string config_key;  // "paths.ads_path"
  std::vector<ColumnSpec> columns;
  std::vector<std::string> unique_key;  // columns whose combination must be unique
  const ColumnSpec* find(std::string_view name) const;
};

const FileSpec& ads_spec();
const FileSpec& leads_spec();
// leads_spec() plus the columns lead_fields lists (docs/LEAD_FORMS.md): each read as
// lead_field_column(header), Text (categorical) or Number (numeric), required, and screened
// for contact data.
FileSpec leads_spec_with_fields(const LeadFieldsConfig& fields);
// The canonical name of a listed form answer column: "lf_" + its header, trimmed and
// lowercased ("What is your budget?" -> "lf_what is your budget?").
std::string lead_field_column(std::string_view header);
// Whether a header is one of the keys Meta's lead forms give their contact questions
// (full_name, email, phone_number, ...; trimmed, case-insensitive). Such a column is never a
// model feature: lead_fields refuses it, and the web app does not offer it as a question.
bool is_contact_field(std::string_view header);
const FileSpec& outcomes_spec();
// The outcomes file in stage mode (outcomes.stage_column): one row per stage change, its
// columns named by the config. contracts/inputs.cpp derives outcomes_spec's frame from it.
const FileSpec& outcome_stages_spec();
const FileSpec& lead_map_spec();
const FileSpec& placement_spec();
const FileSpec& geo_spec();
const FileSpec& targeting_spec();
const FileSpec& creatives_spec();

// Canonical column name for a header cell of a file of this kind, or "" when the column is
// outside the contract (and will be dropped). Case-insensitive; a currency suffix such as
// " (USD)" is ignored, so "Amount spent (EUR)" is spend.
std::string canonical_column(const FileSpec& spec, std::string_view header_cell);

// The currency a money header names, as Ads Manager writes it: "Amount spent (EUR)" -> "EUR"
// (three letters in the trailing parentheses, upper-cased); "" when it names none. Ask it
// of the spend header only: "Clicks (all)" would read as ALL (Albania's lek).
std::string header_currency(std::string_view header_cell);

// The alias table itself, for docs and tests: canonical name -> accepted spellings.
struct AliasEntry {
  std::string canonical;
  std::vector<std::string> spellings;
};
const std::vector<AliasEntry>& alias_table();

}  // namespace elv::contracts
