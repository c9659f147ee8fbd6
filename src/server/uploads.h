// Multipart uploads of the bring-your-own-CSVs form, streamed straight to a folder (never
// held in memory), with a per-file size limit.
#pragma once
#include <httplib.h>

#include <cstdint>
#include <map>
#include <string>

#include "config/config.h"

namespace elv::server {

// The file fields the form may send, and the name each is saved under:
// ads → ads.csv, …, model → model.json.
const std::map<std::string, std::string>& upload_file_names();

struct Upload {
  std::string dir;                            // where the files are
  std::map<std::string, std::string> files;   // field → saved path
  std::map<std::string, std::string> fields;  // text fields
  std::string too_large;  // the file name over the limit, if any (the rest was discarded)
  std::string problem;    // a malformed request, if any (unknown field, not multipart…)
};

// Reads the request's multipart body into dir (created). Files over max_file_bytes are
// drained and dropped, and named in too_large; text fields are capped at 4 KB.
Upload receive_upload(const httplib::Request& request, const httplib::ContentReader& reader,
                      const std::string& dir, uint64_t max_file_bytes);

// A run config over the uploaded files, with the defaults of docs/CONTRACT.md §3 for the rest.
Config config_for_upload(const Upload& upload, double value_per_qualified,
                         const std::string& model_type);

}  // namespace elv::server
