// Multipart uploads of the bring-your-own-CSVs form, streamed straight to a folder (never
// held in memory), with a per-file size limit.
#pragma once
#include <httplib.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "contracts/discover.h"

namespace elv::server {

// The file fields the form may send, and the name each is saved under:
// ads → ads.csv, …, model → model.json.
const std::map<std::string, std::string>& upload_file_names();

// The drop zone's files (the repeated field `files`) are saved in this sub-folder of the
// upload folder, so that discover_inputs sees them and nothing else (not model.json).
inline constexpr const char* kDroppedSubdir = "data";
// At most this many files in `files`: more is no export of one account.
inline constexpr size_t kMaxDroppedFiles = 16;
// The repeated text fields that name form questions (docs/LEAD_FORMS.md), and their limits.
inline constexpr size_t kMaxLeadFields = 50;
inline constexpr size_t kMaxLeadFieldBytes = 200;

struct Upload {
  std::string dir;                            // where the files are
  std::map<std::string, std::string> files;   // field → saved path (roles, once assigned)
  std::map<std::string, std::string> fields;  // text fields
  // lead_fields_categorical, lead_fields_numeric: one entry per repeated field.
  std::map<std::string, std::vector<std::string>> lists;
  // Files of the drop zone: saved path → the name the browser gave (for the answers).
  std::map<std::string, std::string> dropped;
  // Set by assign_roles when the upload used the drop zone.
  std::optional<contracts::DataDirInputs> discovered;
  std::string too_large;  // the file name over the limit, if any (the rest was discarded)
  std::string problem;    // a malformed request, if any (unknown field, not multipart…)
};

// Reads the request's multipart body into dir (created). Files over max_file_bytes are
// drained and dropped, and named in too_large; text fields are capped at 4 KB.
Upload receive_upload(const httplib::Request& request, const httplib::ContentReader& reader,
                      const std::string& dir, uint64_t max_file_bytes);

// The name the user knows a saved upload by: the browser's file name for a dropped file,
// else the field's file name (leads.csv).
std::string shown_name(const Upload& upload, const std::string& saved_path);

// text with every saved path of a dropped file replaced by the browser's name for it.
std::string with_upload_names(const Upload& upload, std::string text);
// Replaces every occurrence of `from` in s.
std::string replace_all(std::string s, const std::string& from, const std::string& to);

// Decides which uploaded file is which input: for the drop zone, contracts::discover_inputs on
// its folder (as the CLI's --data), which fills files; for per-role fields, nothing to do.
// Throws UsageError (HTTP 400) when both styles are mixed, when the files are ambiguous or ads
// or leads is missing, and when a lead_fields entry is malformed or not a header of leads.
void assign_roles(Upload& upload);

// The header cells of the leads file a user may tick as form questions: neither contract
// columns, nor Meta's contact fields, nor the form's own metadata (form_name), nor cells that
// look like data. Header names only; none when the first line does not hold the leads
// file's required columns (a headerless file's first line is a lead, not a header).
std::vector<std::string> question_columns(const Upload& upload);

// A run config over the uploaded files, with the defaults of docs/CONTRACT.md §3 for the rest.
Config config_for_upload(const Upload& upload, std::optional<double> value_per_qualified,
                         const std::string& model_type);

}  // namespace elv::server
